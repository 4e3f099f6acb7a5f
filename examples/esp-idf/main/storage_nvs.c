/*
 * The storage port on the device: ESP-IDF's NVS, namespace "meterspec". NVS keeps its records in
 * flash as they are: enable flash encryption with NVS encryption (CONFIG_NVS_ENCRYPTION) so that
 * the keys are not readable from a dumped flash.
 */
#include <string.h>

#include "esp_err.h"
#include "nvs.h"
#include "nvs_flash.h"

#include "ms_port.h"
#include "storage.h"

#define NAMESPACE "meterspec"

static nvs_handle_t handle;
static int opened;

storage_result storage_open(void) {
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        /* a partition of another layout: start it afresh (the keys must then be set again) */
        if (nvs_flash_erase() != ESP_OK) {
            return STORAGE_FAILED;
        }
        err = nvs_flash_init();
    }
    if (err != ESP_OK || nvs_open(NAMESPACE, NVS_READWRITE, &handle) != ESP_OK) {
        return STORAGE_FAILED;
    }
    opened = 1;
    return STORAGE_OK;
}

storage_result storage_load(const char *name, uint8_t *out, size_t len) {
    size_t stored = 0;
    esp_err_t err;
    memset(out, 0, len);
    if (!opened) {
        return STORAGE_FAILED;
    }
    err = nvs_get_blob(handle, name, NULL, &stored);
    if (err == ESP_ERR_NVS_NOT_FOUND) {
        return STORAGE_MISSING;
    }
    if (err != ESP_OK || stored != len) {
        return STORAGE_FAILED;
    }
    if (nvs_get_blob(handle, name, out, &stored) != ESP_OK) {
        ms_port_zeroize(out, len);
        return STORAGE_FAILED;
    }
    return STORAGE_OK;
}

storage_result storage_save(const char *name, const uint8_t *bytes, size_t len) {
    if (!opened || nvs_set_blob(handle, name, bytes, len) != ESP_OK || nvs_commit(handle) != ESP_OK) {
        return STORAGE_FAILED;
    }
    return STORAGE_OK;
}

storage_result storage_erase(const char *name) {
    esp_err_t err;
    if (!opened) {
        return STORAGE_FAILED;
    }
    err = nvs_erase_key(handle, name);
    if (err != ESP_OK && err != ESP_ERR_NVS_NOT_FOUND) {
        return STORAGE_FAILED;
    }
    return nvs_commit(handle) == ESP_OK ? STORAGE_OK : STORAGE_FAILED;
}
