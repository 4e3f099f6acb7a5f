/*
 * meterspec C runtime: the crypto port, all the runtime needs of a crypto library (what the Java
 * runtime's Ciphering takes from the JDK). One back end is linked in, chosen at build time:
 * port/ms_port_mbedtls.c (ESP-IDF; only GCM and AES calls that mbedTLS 2.28 and 3.x share) or
 * port/ms_port_openssl.c (host). Keys are AES-128, 16 bytes. The port allocates nothing on its own
 * account; a back end's library may (OpenSSL's EVP contexts, generic mbedTLS's GCM key schedule).
 */
#ifndef MS_PORT_H
#define MS_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MS_PORT_TAG_LENGTH 12

typedef enum {
    MS_PORT_OK = 0,
    MS_PORT_TAG_MISMATCH = 1, /* the tag does not match: out holds zeros */
    MS_PORT_FAILURE = 2       /* the library failed (never seen in practice): out holds zeros */
} ms_port_result;

/*
 * AES-128-CTR: out = in XOR the key stream from the 16-byte counter block, which counts up as one
 * 128-bit big-endian number per block. in and out may be the same buffer, not otherwise overlap.
 */
ms_port_result ms_port_aes128_ctr(const uint8_t key[16], const uint8_t counter[16], const uint8_t *in,
                                  size_t len, uint8_t *out);

/*
 * AES-128-GCM decryption with a 12-byte IV and a 12-byte tag over aad[0, aad_len) and the
 * ciphertext in[0, len): MS_PORT_OK and the plaintext in out[0, len), or MS_PORT_TAG_MISMATCH.
 * The tag is compared in constant time; nothing unverified is left in out. len may be 0 (in and
 * out are then not read or written, but must be valid pointers).
 */
ms_port_result ms_port_gcm128_decrypt(const uint8_t key[16], const uint8_t iv[12], const uint8_t *aad,
                                      size_t aad_len, const uint8_t *in, size_t len,
                                      const uint8_t tag[MS_PORT_TAG_LENGTH], uint8_t *out);

/* Whether a[0, n) equals b[0, n), in time that depends on n only. */
int ms_port_equal(const uint8_t *a, const uint8_t *b, size_t n);

/* Overwrites p[0, n) with zeros in a way the compiler does not remove. */
void ms_port_zeroize(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* MS_PORT_H */
