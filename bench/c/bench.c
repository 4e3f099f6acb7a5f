/*
 * What bench/c/run.sh measures with callgrind: one generated C decoder decoding one captured
 * telegram, and the floor, the cheapest correct mbedTLS work for the telegram's security mode on
 * the same bytes with its key setup: AES-CTR from counter J0+1 for an untagged telegram (computing
 * GHASH would be wasted), AES-GCM with tag check for a tagged one. Each function is run once per
 * program run, so its instruction count is the per-telegram cost (warm caches do not matter to
 * callgrind's counts). What happens once per boot is done before it, for both sides alike:
 * mbedTLS builds its AES tables on the first key setup (about 39,000 instructions, eight times
 * the CTR work of a telegram), and the program is linked with -z now so that no lazy symbol
 * binding is counted either.
 *
 * zcl_netz measures the ZigBee side of the Netz NÖ reading: ms_zcl_update of the first reading
 * (every mapped attribute changes) and the Report Attributes frames it leaves, which the decode
 * before it (not counted) hands over.
 *
 *   bench decode_netz | floor_netz | decode_kamstrup | floor_kamstrup | zcl_netz
 *
 * Built with both meters on the shared runtime, or with one meter alone as a firmware for it
 * builds it (unity/ms_one_meter.c): -DBENCH_NETZ=0 or -DBENCH_KAMSTRUP=0 leaves the other out.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>

#include "inputs.h"
#include "ms_zcl.h"

#ifndef BENCH_NETZ
#define BENCH_NETZ 1
#endif
#ifndef BENCH_KAMSTRUP
#define BENCH_KAMSTRUP 1
#endif

#if BENCH_NETZ
#include "netz_noe_p1.h"
static netz_noe_p1_decoder netz;
#endif
#if BENCH_KAMSTRUP
#include "kamstrup_omnipower.h"
static kamstrup_omnipower_decoder kamstrup;
#endif
static unsigned char out[2048];
static int readings;

static void count(void *ctx, uint64_t number, const ms_result *r) {
    (void)ctx;
    (void)number;
    readings += r->error == MS_OK;
}

#if BENCH_NETZ
static ms_zcl_state zcl;
static ms_zcl_slot zcl_slots[NETZ_NOE_P1_ZCL_ATTRIBUTES];
static unsigned zcl_frames;

/* The measured functions are not inlined, so callgrind can count each on its own. */
__attribute__((noinline)) void bench_zcl_netz(const ms_result *r) {
    unsigned char frame[82];
    uint8_t endpoint;
    uint16_t cluster;
    ms_zcl_update(&zcl, r, NULL, NULL);
    while (ms_zcl_next_frame(&zcl, frame, sizeof frame, &endpoint, &cluster) > 0) {
        zcl_frames++;
    }
}

static void count_and_report(void *ctx, uint64_t number, const ms_result *r) {
    count(ctx, number, r);
    bench_zcl_netz(r);
}

__attribute__((noinline)) void bench_decode_netz(void) {
    netz_noe_p1_feed(&netz, NETZ_NOE_P1_WIRE, sizeof NETZ_NOE_P1_WIRE);
}

#endif

#if BENCH_KAMSTRUP
__attribute__((noinline)) void bench_decode_kamstrup(void) {
    kamstrup_omnipower_feed(&kamstrup, KAMSTRUP_OMNIPOWER_WIRE, sizeof KAMSTRUP_OMNIPOWER_WIRE);
}
#endif

/* AES-CTR from J0+1 = system title, frame counter, 00 00 00 02. */
__attribute__((noinline)) void bench_floor_netz(void) {
    mbedtls_aes_context aes;
    unsigned char counter[16];
    unsigned char block[16];
    size_t off = 0;
    memcpy(counter, NETZ_NOE_P1_SYSTEM_TITLE, 8);
    counter[8] = (unsigned char)(NETZ_NOE_P1_FRAME_COUNTER >> 24);
    counter[9] = (unsigned char)(NETZ_NOE_P1_FRAME_COUNTER >> 16);
    counter[10] = (unsigned char)(NETZ_NOE_P1_FRAME_COUNTER >> 8);
    counter[11] = (unsigned char)NETZ_NOE_P1_FRAME_COUNTER;
    counter[12] = 0;
    counter[13] = 0;
    counter[14] = 0;
    counter[15] = 2;
    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_enc(&aes, NETZ_NOE_P1_KEY, 128);
    mbedtls_aes_crypt_ctr(&aes, sizeof NETZ_NOE_P1_CIPHERTEXT, &off, counter, block, NETZ_NOE_P1_CIPHERTEXT, out);
    mbedtls_aes_free(&aes);
}

/* AES-GCM decrypt and verify with AAD = security control, authentication key. */
__attribute__((noinline)) void bench_floor_kamstrup(void) {
    mbedtls_gcm_context gcm;
    unsigned char iv[12];
    unsigned char aad[17];
    size_t len = sizeof KAMSTRUP_OMNIPOWER_CIPHERTEXT;
    memcpy(iv, KAMSTRUP_OMNIPOWER_SYSTEM_TITLE, 8);
    iv[8] = (unsigned char)(KAMSTRUP_OMNIPOWER_FRAME_COUNTER >> 24);
    iv[9] = (unsigned char)(KAMSTRUP_OMNIPOWER_FRAME_COUNTER >> 16);
    iv[10] = (unsigned char)(KAMSTRUP_OMNIPOWER_FRAME_COUNTER >> 8);
    iv[11] = (unsigned char)KAMSTRUP_OMNIPOWER_FRAME_COUNTER;
    aad[0] = KAMSTRUP_OMNIPOWER_SECURITY_CONTROL;
    memcpy(aad + 1, KAMSTRUP_OMNIPOWER_AUTH_KEY, 16);
    mbedtls_gcm_init(&gcm);
    mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, KAMSTRUP_OMNIPOWER_KEY, 128);
    if (mbedtls_gcm_auth_decrypt(&gcm, len, iv, sizeof iv, aad, sizeof aad, KAMSTRUP_OMNIPOWER_CIPHERTEXT_AND_TAG + len,
                                 12, KAMSTRUP_OMNIPOWER_CIPHERTEXT, out) == 0) {
        readings++;
    }
    mbedtls_gcm_free(&gcm);
}

/* mbedTLS's first key setup generates its AES tables, once per boot: not per-telegram work. */
static void warm_up(void) {
    static const unsigned char key[16];
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_enc(&aes, key, 128);
    mbedtls_aes_free(&aes);
}

int main(int argc, char **argv) {
    ms_keys keys;
    const char *what = argc > 1 ? argv[1] : "";
    memset(&keys, 0, sizeof keys);
    warm_up();
    if (0) {
#if BENCH_NETZ
    } else if (strcmp(what, "decode_netz") == 0) {
        keys.encryption = NETZ_NOE_P1_KEY;
        netz_noe_p1_init(&netz, &keys, 0, count, NULL);
        bench_decode_netz();
        netz_noe_p1_finish(&netz);
    } else if (strcmp(what, "zcl_netz") == 0) {
        keys.encryption = NETZ_NOE_P1_KEY;
        ms_zcl_init(&zcl, &netz_noe_p1_zcl, zcl_slots);
        netz_noe_p1_init(&netz, &keys, 0, count_and_report, NULL);
        netz_noe_p1_feed(&netz, NETZ_NOE_P1_WIRE, sizeof NETZ_NOE_P1_WIRE);
        netz_noe_p1_finish(&netz);
        if (zcl_frames == 0) {
            fprintf(stderr, "bench: zcl_netz sent no frame\n");
            return 1;
        }
#endif
#if BENCH_KAMSTRUP
    } else if (strcmp(what, "decode_kamstrup") == 0) {
        keys.encryption = KAMSTRUP_OMNIPOWER_KEY;
        keys.authentication = KAMSTRUP_OMNIPOWER_AUTH_KEY;
        kamstrup_omnipower_init(&kamstrup, &keys, 0, count, NULL);
        bench_decode_kamstrup();
        kamstrup_omnipower_finish(&kamstrup);
#endif
    } else if (strcmp(what, "floor_netz") == 0) {
        bench_floor_netz();
        readings = 1;
    } else if (strcmp(what, "floor_kamstrup") == 0) {
        bench_floor_kamstrup();
    } else {
        fprintf(stderr, "usage: bench decode_netz|floor_netz|decode_kamstrup|floor_kamstrup|zcl_netz\n");
        return 2;
    }
    if (readings != 1) {
        fprintf(stderr, "bench: %s gave %d readings, not 1\n", what, readings);
        return 1;
    }
    return 0;
}
