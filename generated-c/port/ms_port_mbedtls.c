/*
 * The crypto port on mbedTLS, as ESP-IDF ships it: only calls whose signatures mbedTLS 2.28 and
 * 3.x share (mbedtls_aes_setkey_enc, mbedtls_aes_crypt_ecb, mbedtls_gcm_setkey,
 * mbedtls_gcm_crypt_and_tag, mbedtls_platform_zeroize). Contexts live on the stack and are freed
 * (mbedTLS zeroises them) before returning. AES-CTR allocates nothing; mbedTLS's generic GCM
 * allocates its AES context in mbedtls_gcm_setkey (ESP-IDF's hardware GCM keeps it in the context).
 */
#include "ms_port.h"

#include <string.h>

#include "ms_config.h"

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

void ms_port_zeroize(void *p, size_t n) {
    if (n > 0) {
        mbedtls_platform_zeroize(p, n);
    }
}

int ms_port_equal(const uint8_t *a, const uint8_t *b, size_t n) {
    /* every byte is looked at whatever the ones before said */
    volatile uint8_t diff = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        diff = (uint8_t)(diff | (a[i] ^ b[i]));
    }
    return diff == 0;
}

/* The next counter block: one more, as a 128-bit big-endian number. */
static void increment(uint8_t block[16]) {
    int i;
    for (i = 15; i >= 0; i--) {
        block[i] = (uint8_t)(block[i] + 1);
        if (block[i] != 0) {
            break;
        }
    }
}

ms_port_result ms_port_aes128_ctr(const uint8_t key[16], const uint8_t counter[16], const uint8_t *in,
                                  size_t len, uint8_t *out) {
    /* CTR from single block encryptions: mbedtls_aes_crypt_ctr needs a config option ECB does not */
    mbedtls_aes_context aes;
    uint8_t block[16];
    uint8_t stream[16];
    ms_port_result result = MS_PORT_OK;
    size_t off;
    mbedtls_aes_init(&aes);
    memcpy(block, counter, 16);
    if (mbedtls_aes_setkey_enc(&aes, key, 128) != 0) {
        result = MS_PORT_FAILURE;
    }
    for (off = 0; result == MS_PORT_OK && off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        size_t i;
        if (mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, block, stream) != 0) {
            result = MS_PORT_FAILURE;
            break;
        }
#if MS_WIDE_WORDS
        if (n == 16) {
            /* a whole block eight bytes at a time; memcpy keeps it free of alignment assumptions */
            for (i = 0; i < 16; i += 8) {
                uint64_t x;
                uint64_t k;
                memcpy(&x, in + off + i, 8);
                memcpy(&k, stream + i, 8);
                x ^= k;
                memcpy(out + off + i, &x, 8);
            }
            increment(block);
            continue;
        }
#endif
        for (i = 0; i < n; i++) {
            out[off + i] = (uint8_t)(in[off + i] ^ stream[i]);
        }
        increment(block);
    }
    mbedtls_aes_free(&aes);
    ms_port_zeroize(stream, sizeof stream);
    ms_port_zeroize(block, sizeof block);
    if (result != MS_PORT_OK) {
        ms_port_zeroize(out, len);
    }
    return result;
}

ms_port_result ms_port_gcm128_decrypt(const uint8_t key[16], const uint8_t iv[12], const uint8_t *aad,
                                      size_t aad_len, const uint8_t *in, size_t len,
                                      const uint8_t tag[MS_PORT_TAG_LENGTH], uint8_t *out) {
    /* the tag is computed here and compared by ms_port_equal: mbedtls_gcm_auth_decrypt's compare
       would do as well, but this way both back ends' compare is one that can be read */
    mbedtls_gcm_context gcm;
    uint8_t computed[MS_PORT_TAG_LENGTH];
    ms_port_result result = MS_PORT_OK;
    mbedtls_gcm_init(&gcm);
    if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128) != 0
        || mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_DECRYPT, len, iv, 12, aad, aad_len, in, out,
                                     MS_PORT_TAG_LENGTH, computed) != 0) {
        result = MS_PORT_FAILURE;
    } else if (!ms_port_equal(computed, tag, MS_PORT_TAG_LENGTH)) {
        result = MS_PORT_TAG_MISMATCH;
    }
    mbedtls_gcm_free(&gcm);
    ms_port_zeroize(computed, sizeof computed);
    if (result != MS_PORT_OK) {
        ms_port_zeroize(out, len);
    }
    return result;
}
