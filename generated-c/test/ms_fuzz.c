/*
 * libFuzzer harness for one generated decoder, checking the invariants of docs/SECURITY.md that a
 * sanitizer cannot see for itself. Built per meter with a known-good telegram of its spec:
 *   clang -fsanitize=fuzzer,address,undefined -DMETER=netz_noe_p1 -DMETER_HEADER='"netz_noe_p1.h"'
 *         -DGOOD_HEADER='"good.h"' ... test/ms_fuzz.c
 * GOOD_HEADER defines GOOD (its bytes), GOOD_LEN, and GOOD_KEY / GOOD_AUTH_KEY (16 bytes, or NULL).
 *
 * Each input is fed in chunks of a size its first byte chooses, then a gap of zero bytes longer
 * than any frame, then the good telegram, then the stream ends. Checked: every result renders as
 * a JSON line within bounds that holds no key, every error offset is inside the input, and (framed
 * transports) the good telegram's readings come last, as they do when it is decoded alone: noise
 * never costs the telegram after it. The gap is there because noise can form a frame whose
 * checksum is right and that reaches into the next telegram, which no framer can tell from a real
 * one (README, "Limits"); a frame that starts in the noise ends in the gap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include METER_HEADER
#include "ms_text.h"
#include GOOD_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define DECODER CAT(METER, _decoder)
#define INIT CAT(METER, _init)
#define FEED CAT(METER, _feed)
#define FINISH CAT(METER, _finish)
#define CLEAR CAT(METER, _clear)
#define UPPER_TRANSPORT CAT(METER_UPPER, _TRANSPORT)

#define MAX_READINGS 16
#define LINE 65536
/* longer than any frame: M-Bus frames take at most 262 bytes, HDLC frames 2049 */
#define GAP 4096

static const uint8_t gap[GAP];

static DECODER decoder;
static char line[LINE];
/* the good telegram's readings as it gives them alone, without their telegram numbers */
static char expected[MAX_READINGS][LINE];
static int expected_count;
static char seen[MAX_READINGS][LINE];
static int seen_count;
static uint64_t input_length;
static char key_hex[2][33];

static void fail(const char *what) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
}

/* The line without its leading {"telegram":N, so that lines of two streams compare. */
static const char *unnumbered(const char *json) {
    const char *comma = strchr(json, ',');
    return comma ? comma : json;
}

static void check(const ms_result *r, uint64_t number) {
    size_t n = ms_json_line(line, sizeof line, number, r);
    int i;
    if (n >= sizeof line) {
        fail("a JSON line does not fit the buffer it was given");
    }
    if (strlen(line) != n) {
        fail("the JSON line's length is not what ms_json_line said");
    }
    for (i = 0; i < 2; i++) {
        if (key_hex[i][0] && strstr(line, key_hex[i])) {
            fail("a JSON line holds a key");
        }
    }
    if (r->error != MS_OK && MS_ERR_LAYER(r->error) == MS_LAYER_TRANSPORT && r->offset > input_length) {
        fail("a transport error's offset lies beyond the input");
    }
}

static void record(void *ctx, uint64_t number, const ms_result *r) {
    (void)ctx;
    check(r, number);
    if (r->error == MS_OK) {
        if (seen_count == MAX_READINGS) {
            memmove(seen[0], seen[1], sizeof seen[0] * (MAX_READINGS - 1));
            seen_count--;
        }
        strcpy(seen[seen_count++], unnumbered(line));
    }
}

static void keys(ms_keys *k) {
    memset(k, 0, sizeof *k);
    k->encryption = GOOD_KEY;
    k->authentication = GOOD_AUTH_KEY;
}

static void hex(char *out, const uint8_t *key) {
    static const char digits[] = "0123456789ABCDEF";
    int i;
    for (i = 0; i < 16; i++) {
        out[2 * i] = digits[key[i] >> 4];
        out[2 * i + 1] = digits[key[i] & 15];
    }
    out[32] = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    ms_keys k;
    int i;
    (void)argc;
    (void)argv;
    keys(&k);
    if (k.encryption) {
        hex(key_hex[0], k.encryption);
    }
    if (k.authentication) {
        hex(key_hex[1], k.authentication);
    }
    seen_count = 0;
    input_length = GOOD_LEN;
    if (INIT(&decoder, &k, 0, record, 0) != MS_OK) {
        fail("the decoder's buffers do not fit its meter");
    }
    FEED(&decoder, GOOD, GOOD_LEN);
    FINISH(&decoder);
    for (i = 0; i < seen_count; i++) {
        strcpy(expected[i], seen[i]);
    }
    expected_count = seen_count;
    CLEAR(&decoder);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ms_keys k;
    size_t chunk;
    size_t at;
    int i;
    if (size < 1) {
        return 0;
    }
    chunk = data[0] == 0 ? size : data[0];
    data++;
    size--;
    keys(&k);
    seen_count = 0;
    input_length = size + GAP + GOOD_LEN;
    if (INIT(&decoder, &k, 0, record, 0) != MS_OK) {
        fail("the decoder's buffers do not fit its meter");
    }
    for (at = 0; at < size; at += chunk) {
        FEED(&decoder, data + at, size - at < chunk ? size - at : chunk);
    }
    FEED(&decoder, gap, GAP);
    FEED(&decoder, GOOD, GOOD_LEN);
    FINISH(&decoder);
    if (UPPER_TRANSPORT != MS_TRANSPORT_RAW && expected_count > 0) {
        if (seen_count < expected_count) {
            fail("the good telegram after the input was lost");
        }
        for (i = 0; i < expected_count; i++) {
            if (strcmp(seen[seen_count - expected_count + i], expected[i]) != 0) {
                fail("the good telegram after the input decoded differently");
            }
        }
    }
    CLEAR(&decoder);
    return 0;
}
