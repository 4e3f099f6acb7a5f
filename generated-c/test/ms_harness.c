/*
 * Host harness: runs one generated decoder over what stdin brings and prints each telegram's
 * canonical JSON line, so that the Java and C engines can be compared line for line. Built per
 * meter: cc -DMETER=netz_noe_p1 -DMETER_HEADER='"netz_noe_p1.h"' ... test/ms_harness.c
 *
 * stdin is a sequence of messages, each an op byte, a 4-byte big-endian length and that many bytes:
 *   'K' keys and options: flags (bit 0 encryption key, 1 authentication key, 2 broadcast key follow,
 *       bit 3 require authentication), then the keys given, 16 bytes each, then a 4-byte chunk size
 *       (0: feed as sent), then optionally a 4-byte ZCL frame size (0: none; else each line ends with
 *       the ZigBee Report Attributes frames of the telegram) — once, first; keys never go on the
 *       command line, where others could see them
 *   'Z' print the ZigBee endpoint table (`meterspec zcl --json`) as one line
 *   'F' bytes to feed
 *   'E' the capture has ended: finish, then forget it (offsets count from the next capture's start;
 *       numbering goes on)
 * After each 'F', 'E' and 'Z', the lines of the telegrams it completed (or the table), then a line
 * holding only ".". Built with -DMETER_ZCL_ATTRIBUTES=<METER>_ZCL_ATTRIBUTES for a meter with a
 * ZigBee mapping.
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
static uint32_t zcl_payload; /* 0: lines without ZigBee frames */

#ifdef METER_ZCL_ATTRIBUTES
#include "ms_zcl.h"
#define ZCL_MAP CAT(METER, _zcl)
static ms_zcl_state zcl;
static ms_zcl_slot zcl_slots[METER_ZCL_ATTRIBUTES];

/* Ends the line with the frames of the telegram: ,"zcl":[{"endpoint":1,"cluster":"0x0702","frame":"…"}] */
static void print_frames(const ms_result *result) {
    static const char hex[] = "0123456789ABCDEF";
    static uint8_t frame[65535];
    uint8_t endpoint;
    uint16_t cluster;
    size_t n;
    int first = 1;
    ms_zcl_update(&zcl, result, NULL, NULL);
    fputs(",\"zcl\":[", stdout);
    while ((n = ms_zcl_next_frame(&zcl, frame, zcl_payload, &endpoint, &cluster)) > 0) {
        size_t i;
        printf("%s{\"endpoint\":%u,\"cluster\":\"0x%04x\",\"frame\":\"", first ? "" : ",", (unsigned)endpoint,
               (unsigned)cluster);
        for (i = 0; i < n; i++) {
            fputc(hex[frame[i] >> 4], stdout);
            fputc(hex[frame[i] & 15], stdout);
        }
        fputs("\"}", stdout);
        first = 0;
    }
    fputs("]}", stdout);
}
#endif

static void print(void *ctx, uint64_t number, const ms_result *result) {
    size_t n = ms_json_line(line, sizeof line, number, result);
    (void)ctx;
    if (n >= sizeof line) {
        fprintf(stderr, "harness: a JSON line longer than %u bytes\n", (unsigned)sizeof line);
        exit(3);
    }
    if (zcl_payload == 0) {
        fwrite(line, 1, n, stdout);
    } else {
        fwrite(line, 1, n - 1, stdout); /* without its closing brace */
#ifdef METER_ZCL_ATTRIBUTES
        print_frames(result);
#endif
    }
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
            p += 4;
            if ((size_t)(p - message) + 4 <= len) {
                zcl_payload = be32(p);
            }
#ifdef METER_ZCL_ATTRIBUTES
            if (zcl_payload != 0 && (zcl_payload < MS_ZCL_MIN_PAYLOAD || zcl_payload > 65535)) {
                fprintf(stderr, "harness: a ZCL frame size of %lu bytes\n", (unsigned long)zcl_payload);
                return 2;
            }
            ms_zcl_init(&zcl, &ZCL_MAP, zcl_slots);
#else
            if (zcl_payload != 0) {
                fprintf(stderr, "harness: this meter maps nothing onto ZigBee\n");
                return 2;
            }
#endif
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
        } else if (head[0] == 'Z') {
#ifdef METER_ZCL_ATTRIBUTES
            size_t n = ms_zcl_table_json(line, sizeof line, &ZCL_MAP);
            if (n >= sizeof line) {
                return 3;
            }
            fwrite(line, 1, n, stdout);
            fputc('\n', stdout);
#endif
        } else {
            return 2;
        }
        fputs(".\n", stdout);
        fflush(stdout);
    }
    CLEAR(&decoder);
    return 0;
}
