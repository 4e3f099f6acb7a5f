/*
 * The storage port the console keeps keys through: small named records that survive a restart.
 * storage_nvs.c implements it with ESP-IDF's NVS on the device; host/storage_file.c with a file.
 */
#ifndef READER_STORAGE_H
#define READER_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Record names, at most 15 characters (NVS's limit). */
#define STORAGE_ENCRYPTION_KEY "key_enc"
#define STORAGE_AUTHENTICATION_KEY "key_auth"

typedef enum {
    STORAGE_OK = 0,
    STORAGE_MISSING = 1, /* no such record */
    STORAGE_FAILED = 2   /* the medium failed, or the record has another length */
} storage_result;

/* Opens the storage (mounts NVS; opens or creates the file). */
storage_result storage_open(void);

/* Reads a record of exactly len bytes into out; out is zeroised unless STORAGE_OK. */
storage_result storage_load(const char *name, uint8_t *out, size_t len);

/* Writes a record, replacing one of that name, durably before it returns. */
storage_result storage_save(const char *name, const uint8_t *bytes, size_t len);

/* Removes a record (STORAGE_OK when there was none). */
storage_result storage_erase(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* READER_STORAGE_H */
