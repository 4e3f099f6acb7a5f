/*
 * Host harness: runs one generated decoder over what stdin brings and prints each telegram's
 * canonical JSON line, so that the Java and C engines can be compared line for line. Built per
 * meter: cc -DMETER=netz_noe_p1 -DMETER_HEADER='"netz_noe_p1.h"' ... test/ms_harness.c
 *
 * stdin is a sequence of messages, each an op byte, a 4-byte big-endian length and that many bytes:
 *   'K' keys and options: flags (bit 0 encryption key, 1 authentication key, 2 broadcast key follow,
 *       bit 3 require authentication), then the keys given, 16 bytes each, then a 4-byte chunk size
 *       (0: feed as sent) — once, first; keys never go on the command line, where others could see them
 *   'F' bytes to feed
 *   'E' the capture has ended: finish, then forget it (offsets count from the next capture's start;
 *       numbering goes on)
 * After each 'F' and 'E', the lines of the telegrams it completed, then a line holding only ".".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include METER_HEADER
#include "ms_text.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define DECODER CAT(METER, _decoder)
#define INIT CAT(METER, _init)
#define FEED CAT(METER, _feed)
#define FINISH CAT(METER, _finish)
#define CLEAR CAT(METER, _clear)

#define MAX_MESSAGE (1u << 24)

static DECODER decoder;
static unsigned char message[MAX_MESSAGE];
static char line[1u << 20];

static void print(void *ctx, uint64_t number, const ms_result *result) {
    size_t n = ms_json_line(line, sizeof line, number, result);
    (void)ctx;
    if (n >= sizeof line) {
        fprintf(stderr, "harness: a JSON line longer than %u bytes\n", (unsigned)sizeof line);
        exit(3);
    }
    fwrite(line, 1, n, stdout);
    fputc('\n', stdout);
}

static int read_exactly(unsigned char *to, size_t n) {
    return fread(to, 1, n, stdin) == n;
}

static uint32_t be32(const unsigned char *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int main(void) {
    unsigned char head[5];
    uint32_t chunk = 0;
    int ready = 0;
    while (read_exactly(head, 5)) {
        uint32_t len = be32(head + 1);
        if (len > MAX_MESSAGE || !read_exactly(message, len)) {
            fprintf(stderr, "harness: a message of %lu bytes cut short or too long\n", (unsigned long)len);
            return 2;
        }
        if (head[0] == 'K') {
            unsigned char keys[3][16];
            const unsigned char *p = message + 1;
            ms_keys k;
            int i;
            if (len < 5) {
                return 2;
            }
            memset(&k, 0, sizeof k);
            for (i = 0; i < 3; i++) {
                if (message[0] & (1u << i)) {
                    if ((size_t)(p - message) + 16 > len) {
                        return 2;
                    }
                    memcpy(keys[i], p, 16);
                    p += 16;
                }
            }
            k.encryption = (message[0] & 1u) ? keys[0] : 0;
            k.authentication = (message[0] & 2u) ? keys[1] : 0;
            k.broadcast = (message[0] & 4u) ? keys[2] : 0;
            if ((size_t)(p - message) + 4 > len) {
                return 2;
            }
            chunk = be32(p);
            if (INIT(&decoder, &k, (message[0] & 8u) != 0, print, 0) != MS_OK) {
                fprintf(stderr, "harness: the decoder's buffers do not fit its meter\n");
                return 2;
            }
            memset(keys, 0, sizeof keys);
            memset(message, 0, len);
            ready = 1;
            continue;
        }
        if (!ready) {
            return 2;
        }
        if (head[0] == 'F') {
            uint32_t at = 0;
            while (at < len) {
                uint32_t n = chunk == 0 || len - at < chunk ? len - at : chunk;
                FEED(&decoder, message + at, n);
                at += n;
            }
        } else if (head[0] == 'E') {
            FINISH(&decoder);
            ms_decoder_reset(&decoder.decoder);
        } else {
            return 2;
        }
        fputs(".\n", stdout);
        fflush(stdout);
    }
    CLEAR(&decoder);
    return 0;
}
