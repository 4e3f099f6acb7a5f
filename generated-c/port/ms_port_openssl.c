/*
 * The crypto port on OpenSSL's EVP interface, for host builds and tests. OpenSSL allocates its
 * cipher contexts; each is freed (and cleansed) before returning. The GCM tag is compared by
 * EVP_DecryptFinal_ex, which uses CRYPTO_memcmp: constant time.
 */
#include "ms_port.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

void ms_port_zeroize(void *p, size_t n) {
    if (n > 0) {
        OPENSSL_cleanse(p, n);
    }
}

int ms_port_equal(const uint8_t *a, const uint8_t *b, size_t n) {
    return CRYPTO_memcmp(a, b, n) == 0;
}

/* EVP takes lengths as int: anything longer goes in pieces. */
static int update(EVP_CIPHER_CTX *c, int decrypt, uint8_t *out, const uint8_t *in, size_t len) {
    while (len > 0) {
        int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;
        int written = 0;
        int ok = decrypt ? EVP_DecryptUpdate(c, out, &written, in, n) : EVP_EncryptUpdate(c, out, &written, in, n);
        if (ok != 1 || (out != NULL && written != n)) {
            return 0;
        }
        in += n;
        if (out != NULL) {
            out += n;
        }
        len -= (size_t)n;
    }
    return 1;
}

ms_port_result ms_port_aes128_ctr(const uint8_t key[16], const uint8_t counter[16], const uint8_t *in,
                                  size_t len, uint8_t *out) {
    ms_port_result result = MS_PORT_FAILURE;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c != NULL && EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, counter) == 1
        && update(c, 0, out, in, len)) {
        result = MS_PORT_OK;
    }
    EVP_CIPHER_CTX_free(c);
    if (result != MS_PORT_OK) {
        ms_port_zeroize(out, len);
    }
    return result;
}

ms_port_result ms_port_gcm128_decrypt(const uint8_t key[16], const uint8_t iv[12], const uint8_t *aad,
                                      size_t aad_len, const uint8_t *in, size_t len,
                                      const uint8_t tag[MS_PORT_TAG_LENGTH], uint8_t *out) {
    ms_port_result result = MS_PORT_FAILURE;
    uint8_t expected[MS_PORT_TAG_LENGTH];
    uint8_t rest[16];
    int written = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    memcpy(expected, tag, sizeof expected);
    if (c != NULL && EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_DecryptInit_ex(c, NULL, NULL, key, iv) == 1 && update(c, 1, NULL, aad, aad_len)
        && update(c, 1, out, in, len)
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, MS_PORT_TAG_LENGTH, expected) == 1) {
        result = EVP_DecryptFinal_ex(c, rest, &written) == 1 ? MS_PORT_OK : MS_PORT_TAG_MISMATCH;
    }
    EVP_CIPHER_CTX_free(c);
    if (result != MS_PORT_OK) {
        ms_port_zeroize(out, len);
    }
    return result;
}
