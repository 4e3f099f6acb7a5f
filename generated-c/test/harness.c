/*
 * TEST ONLY: runs the C stream decoder on cases the Java tests send on stdin, one line each, and
 * prints every result as a line the Java side prints for its own decoder:
 *
 *   meter T MC MA STSAP DTSAP DST SRC LLC FRAMES TELEGRAM APDU VALUES PLAIN GLO DED CONTROLS(hex 32 bytes)
 *         AUTH DATETIME DATETIME_VALUE BLOCKS TOLERANCES GROUPS LENGTH
 *   keys ENCRYPTION|- AUTHENTICATION|- BROADCAST|- REQUIRE_AUTHENTICATION
 *   run stream|oneshot N CHUNK1..CHUNKN DATA      (DATA: hex:.. and rep:BYTE:COUNT pieces, comma-separated)
 *   quit
 *
 * Output of a run: "E number code offset length", or "R number security system-title frame-counter
 * invoke-id date-time count" and one "V obis info tag raw scaler unit bytes" per value; then
 * "end count position". "init error" when the decoder refuses the meter or its buffers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triplets.h"

#define LINE_BYTES (4u << 20)
#define DATA_BYTES (16u << 20)
#define MAX_CHUNKS 64

static char line[LINE_BYTES];
static uint8_t data[DATA_BYTES];
static triplets_mbus mbus_storage;
static triplets_hdlc hdlc_storage;
static triplets_raw raw_storage;
static ms_meter meter;
static uint8_t keys_bytes[3][16];
static int has_key[3];
static int require_authentication;

static const char *security_name(uint8_t s) {
    return s == MS_SECURITY_AUTHENTICATED ? "authenticated" : s == MS_SECURITY_ENCRYPTED ? "encrypted" : "none";
}

static void hex(const uint8_t *b, size_t n) {
    size_t i;
    if (n == 0) {
        fputs("-", stdout);
    }
    for (i = 0; i < n; i++) {
        printf("%02X", b[i]);
    }
}

static void print_result(uint64_t number, const ms_result *r) {
    const ms_reading *reading = r->reading;
    uint16_t i;
    if (r->error != MS_OK) {
        const char *name = ms_err_name(r->error);
        printf("E %" PRIu64 " %s %" PRIu64 " %" PRIu64 "\n", number, name != NULL ? name : "?", r->offset, r->length);
        return;
    }
    printf("R %" PRIu64 " %s ", number, security_name(reading->security));
    if (reading->ciphered) {
        hex(reading->system_title, 8);
        printf(" %" PRIu32, reading->frame_counter);
    } else {
        printf("- -1");
    }
    printf(" %" PRIu32 " ", reading->invoke_id);
    hex(reading->datetime, reading->has_datetime ? 12 : 0);
    printf(" %u\n", (unsigned)reading->count);
    for (i = 0; i < reading->count; i++) {
        const ms_value *v = &reading->values[i];
        printf("V %012" PRIX64 " %d %u %" PRId64 " %d %d ", v->obis, v->info, (unsigned)v->tag, v->raw, v->scaler, v->unit);
        hex(reading->pool + v->off, v->len);
        printf("\n");
    }
}

static void on_result(void *ctx, uint64_t number, const ms_result *r) {
    (void)ctx;
    print_result(number, r);
}

static int nibble(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *n) {
    size_t k = 0;
    while (s[0] != '\0' && s[0] != ',' && s[0] != ' ' && s[0] != '\n') {
        int hi = nibble(s[0]);
        int lo = hi < 0 ? -1 : nibble(s[1]);
        if (lo < 0 || k == max) {
            return 0;
        }
        out[k++] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    *n = k;
    return 1;
}

static int parse_key(const char *s, int which) {
    size_t n;
    if (strcmp(s, "-") == 0) {
        has_key[which] = 0;
        return 1;
    }
    has_key[which] = 1;
    return parse_hex(s, keys_bytes[which], 16, &n) && n == 16;
}

/* DATA: comma-separated pieces, hex:.. or rep:BYTE:COUNT. */
static int parse_data(char *s, size_t *len) {
    size_t n = 0;
    while (*s != '\0' && *s != '\n') {
        if (strncmp(s, "hex:", 4) == 0) {
            size_t k;
            if (!parse_hex(s + 4, data + n, DATA_BYTES - n, &k)) {
                return 0;
            }
            n += k;
            s += 4 + 2 * k;
        } else if (strncmp(s, "rep:", 4) == 0) {
            char *end;
            unsigned long byte = strtoul(s + 4, &end, 16);
            unsigned long count = strtoul(end + 1, &end, 10);
            if (count > DATA_BYTES - n) {
                return 0;
            }
            memset(data + n, (int)byte, count);
            n += count;
            s = end;
        } else {
            return 0;
        }
        if (*s == ',') {
            s++;
        }
    }
    *len = n;
    return 1;
}

/* The framer a generated meter would name for its transport. */
static const struct ms_framing *framing_of(uint8_t transport) {
    return transport == MS_TRANSPORT_MBUS ? &ms_mbus_framing : transport == MS_TRANSPORT_HDLC ? &ms_hdlc_framing : &ms_raw_framing;
}

static ms_decoder *bind(ms_buffers *b) {
    memset(b, 0, sizeof *b);
    switch (meter.transport) {
    case MS_TRANSPORT_MBUS:
        MS_STREAM_BIND(*b, mbus_storage);
        TRIPLETS_BIND_BODY(*b, mbus_storage);
        return &mbus_storage.decoder;
    case MS_TRANSPORT_HDLC:
        MS_STREAM_BIND(*b, hdlc_storage);
        TRIPLETS_BIND_BODY(*b, hdlc_storage);
        return &hdlc_storage.decoder;
    default:
        MS_STREAM_BIND(*b, raw_storage);
        TRIPLETS_BIND_BODY(*b, raw_storage);
        return &raw_storage.decoder;
    }
}

static int parse_meter(const char *s) {
    int v[21];
    char controls[80];
    unsigned groups;
    unsigned length;
    size_t n;
    if (sscanf(s, "meter %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %64s %d %d %d %d %d %u %u", &v[0], &v[1],
               &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
               controls, &v[15], &v[16], &v[17], &v[18], &v[19], &groups, &length)
        != 23) {
        return 0;
    }
    memset(&meter, 0, sizeof meter);
    meter.name = "triplets";
    meter.fingerprint = "0000000000000000";
    meter.transport = (uint8_t)v[0];
    meter.framing = framing_of(meter.transport);
    meter.mbus_control = (int16_t)v[1];
    meter.mbus_address = (int16_t)v[2];
    meter.stsap = (int16_t)v[3];
    meter.dtsap = (int16_t)v[4];
    meter.hdlc_destination_length = (uint8_t)v[5];
    meter.hdlc_source_length = (uint8_t)v[6];
    meter.llc = (uint8_t)v[7];
    meter.max_frames = (uint16_t)v[8];
    meter.max_telegram = (uint32_t)v[9];
    meter.max_apdu = (uint32_t)v[10];
    meter.max_values = (uint16_t)v[11];
    /* every string of a reading is in its APDU; the notification date-time takes 12 more */
    meter.max_string_bytes = (meter.max_apdu > meter.max_telegram ? meter.max_apdu : meter.max_telegram) + 12;
    meter.accept_plain = (uint8_t)v[12];
    meter.accept_glo = (uint8_t)v[13];
    meter.accept_ded = (uint8_t)v[14];
    if (!parse_hex(controls, meter.controls, 32, &n) || n != 32) {
        return 0;
    }
    /* what the generator writes: the modes every accepted control has in common */
    meter.security_modes = MS_MODES_ALWAYS_ENCRYPTED | MS_MODES_NEVER_BROADCAST;
    for (n = 0; n < 256; n++) {
        if ((meter.controls[n >> 3] & (1u << (n & 7))) != 0) {
            meter.security_modes &= (uint8_t)~((n & 0x20) == 0 ? MS_MODES_ALWAYS_ENCRYPTED : 0u);
            meter.security_modes &= (uint8_t)~((n & 0x40) != 0 ? MS_MODES_NEVER_BROADCAST : 0u);
        }
    }
    meter.authentication_required = (uint8_t)v[15];
    meter.datetime = (uint8_t)v[16];
    meter.datetime_value = (int16_t)v[17];
    meter.max_blocks = (uint16_t)v[18];
    meter.block_transfer = meter.max_blocks > 0 ? &ms_general_block_transfer : NULL;
    meter.decipher = meter.accept_glo || meter.accept_ded ? ms_decipher : NULL;
    meter.tolerances = (uint32_t)v[19];
    meter.directory = triplets_directory;
    meter.scalers = triplets_scalers;
    meter.directory_size = TRIPLETS_DIRECTORY_SIZE;
    meter.table_size = TRIPLETS_TABLE_SIZE;
    meter.decode_body = triplets_decode_body;
    triplets_max_groups = groups;
    triplets_max_length = length;
    return 1;
}

static int parse_keys(const char *s) {
    char k[3][40];
    if (sscanf(s, "keys %39s %39s %39s %d", k[0], k[1], k[2], &require_authentication) != 4) {
        return 0;
    }
    return parse_key(k[0], 0) && parse_key(k[1], 1) && parse_key(k[2], 2);
}

/*
 * The bytes in a heap block of exactly their size: a read past what the decoder was given is one
 * the sanitizers and valgrind see, not the next byte of the test's own buffer.
 */
static uint8_t *copy(const uint8_t *bytes, size_t n) {
    uint8_t *b = malloc(n > 0 ? n : 1);
    if (b == NULL) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    if (n > 0) {
        memcpy(b, bytes, n);
    }
    return b;
}

static int run(char *s) {
    char mode[16];
    size_t chunks[MAX_CHUNKS];
    int count;
    int used;
    int i;
    size_t len;
    ms_buffers b;
    ms_keys keys;
    ms_decoder *d;
    ms_err e;
    if (sscanf(s, "run %15s %d%n", mode, &count, &used) != 2 || count < 1 || count > MAX_CHUNKS) {
        return 0;
    }
    s += used;
    for (i = 0; i < count; i++) {
        unsigned long c = strtoul(s, &s, 10);
        if (c == 0) {
            return 0;
        }
        chunks[i] = c;
    }
    while (*s == ' ') {
        s++;
    }
    if (!parse_data(s, &len)) {
        return 0;
    }
    d = bind(&b);
    keys.encryption = has_key[0] ? keys_bytes[0] : NULL;
    keys.authentication = has_key[1] ? keys_bytes[1] : NULL;
    keys.broadcast = has_key[2] ? keys_bytes[2] : NULL;
    e = ms_decoder_init(d, &meter, &b, &keys, require_authentication, on_result, NULL);
    if (e != MS_OK) {
        printf("init error %d\n", (int)e);
    } else if (strcmp(mode, "oneshot") == 0) {
        ms_result r;
        uint8_t *exact = copy(data, len);
        ms_decode(d, exact, len, &r);
        print_result(1, &r);
        printf("end 1 %zu\n", len);
        free(exact);
    } else {
        size_t off = 0;
        for (i = 0; off < len; i = (i + 1) % count) {
            size_t n = chunks[i] < len - off ? chunks[i] : len - off;
            uint8_t *exact = copy(data + off, n);
            ms_decoder_feed(d, exact, n);
            free(exact);
            off += n;
        }
        ms_decoder_finish(d);
        printf("end %" PRIu64 " %" PRIu64 "\n", ms_decoder_count(d), ms_decoder_position(d));
    }
    if (e == MS_OK) {
        ms_decoder_clear(d);
    }
    return 1;
}

int main(void) {
    while (fgets(line, sizeof line, stdin) != NULL) {
        int ok;
        if (strncmp(line, "quit", 4) == 0) {
            break;
        }
        if (strncmp(line, "meter ", 6) == 0) {
            ok = parse_meter(line);
        } else if (strncmp(line, "keys ", 5) == 0) {
            ok = parse_keys(line);
        } else if (strncmp(line, "run ", 4) == 0) {
            ok = run(line);
        } else {
            ok = 0;
        }
        if (!ok) {
            printf("bad line\n");
        }
        fflush(stdout);
    }
    return 0;
}
