/*
 * Reading a meter with a generated C decoder, as a firmware would: bytes arrive in chunks of 120
 * (what the seed firmware's UART driver hands over), go into the stream decoder as they come, and
 * each telegram's values are printed as they are decoded — integers with their scaler, units,
 * and text where the value is text. No heap; the decoder is one static object.
 *
 * Build (the test command does):
 *   cc -std=c99 -I generated-c/include -I generated-c/meters examples/c/read_meter.c \
 *      generated-c/runtime/ms_*.c generated-c/port/ms_port_mbedtls.c generated-c/meters/netz_noe_p1.c -lmbedcrypto
 * Run: METERSPEC_KEY=<32 hex digits> ./a.out capture.bin   (or the bytes on stdin)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_text.h"
#include "netz_noe_p1.h"

#define CHUNK 120

static netz_noe_p1_decoder decoder;

static void on_telegram(void *ctx, uint64_t number, const ms_result *r) {
    char text[256];
    char unit[32];
    uint16_t i;
    (void)ctx;
    if (r->error != MS_OK) {
        printf("telegram %llu: %s error %s at offset %llu\n", (unsigned long long)number,
               ms_layer_name(MS_ERR_LAYER(r->error)), ms_err_name(r->error), (unsigned long long)r->offset);
        return;
    }
    printf("telegram %llu: %u values\n", (unsigned long long)number, (unsigned)r->reading->count);
    for (i = 0; i < r->reading->count; i++) {
        const ms_value *v = &r->reading->values[i];
        const ms_value_info *entry = v->info >= 0 ? &r->reading->meter->directory[v->info] : NULL;
        int is_null = 0;
        int no_unit = 0;
        ms_value_text(text, sizeof text, r->reading, v, &is_null);
        ms_value_unit(unit, sizeof unit, r->reading, v, &no_unit);
        printf("  %-24s %s%s%s\n", entry ? entry->name : "(unnamed)", is_null ? "null" : text, no_unit ? "" : " ",
               unit);
    }
}

/* Two hex digits a byte; 0 when the text is not a key. */
static int key_from_hex(const char *hex, uint8_t key[16]) {
    int i;
    if (hex == NULL || strlen(hex) != 32) {
        return 0;
    }
    for (i = 0; i < 32; i++) {
        int c = hex[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            return 0;
        }
        key[i / 2] = (uint8_t)(i % 2 ? key[i / 2] | d : d << 4);
    }
    return 1;
}

int main(int argc, char **argv) {
    uint8_t key[16];
    uint8_t chunk[CHUNK];
    ms_keys keys;
    FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
    size_t n;
    if (in == NULL) {
        fprintf(stderr, "read_meter: cannot open the capture\n");
        return 2;
    }
    memset(&keys, 0, sizeof keys);
    if (key_from_hex(getenv("METERSPEC_KEY"), key)) {
        keys.encryption = key;
    }
    if (netz_noe_p1_init(&decoder, &keys, 0, on_telegram, NULL) != MS_OK) {
        return 2;
    }
    memset(key, 0, sizeof key); /* the decoder holds its own copy */
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        netz_noe_p1_feed(&decoder, chunk, n);
    }
    netz_noe_p1_finish(&decoder);
    netz_noe_p1_clear(&decoder);
    return 0;
}
