#include "smartmeter.h"

#include <string.h>

#include "meter.h"
#include "ms_port.h"

static METER_DECODER decoder;
static int decoding;
static ms_zcl_state zcl;
static ms_zcl_slot zcl_slots[METER_ZCL_ATTRIBUTES];
static smartmeter_status status;
static ms_zcl_setter setter;
static void *setter_ctx;
static smartmeter_listener listener;
static void *listener_ctx;
static uint32_t last_reading_ms;
static int clock_started;
static int timed_out;
static uint32_t now;

static void on_telegram(void *ctx, uint64_t number, const ms_result *result) {
    (void)ctx;
    if (result->error == MS_OK) {
        status.telegrams++;
        last_reading_ms = now;
        timed_out = 0;
    } else {
        status.errors++;
        status.last_error = result->error;
        status.last_error_offset = result->offset;
    }
    status.last_changed = ms_zcl_update(&zcl, result, setter, setter_ctx);
    if (listener != NULL) {
        listener(listener_ctx, number, result);
    }
}

static int start_decoder(const uint8_t *encryption_key, const uint8_t *authentication_key) {
    ms_keys keys;
    memset(&keys, 0, sizeof keys);
    keys.encryption = encryption_key;
    keys.authentication = authentication_key;
    if (decoding) {
        METER_CLEAR(&decoder);
        decoding = 0;
    }
    /* an authentication key, once set, is required: telegrams without a valid tag are refused */
    if (METER_INIT(&decoder, &keys, authentication_key != NULL, on_telegram, NULL) != MS_OK) {
        return -1;
    }
    decoding = 1;
    return 0;
}

int smartmeter_start(const uint8_t *encryption_key, const uint8_t *authentication_key, ms_zcl_setter set,
                     void *set_ctx, smartmeter_listener on_result, void *on_result_ctx) {
    memset(&status, 0, sizeof status);
    setter = set;
    setter_ctx = set_ctx;
    listener = on_result;
    listener_ctx = on_result_ctx;
    clock_started = 0;
    timed_out = 0;
    ms_zcl_init(&zcl, &METER_ZCL, zcl_slots);
    return start_decoder(encryption_key, authentication_key);
}

int smartmeter_set_keys(const uint8_t *encryption_key, const uint8_t *authentication_key) {
    return start_decoder(encryption_key, authentication_key);
}

void smartmeter_feed(const uint8_t *bytes, size_t len) {
    if (!decoding) {
        return;
    }
    status.bytes += len;
    METER_FEED(&decoder, bytes, len);
}

void smartmeter_tick(uint32_t now_ms) {
    now = now_ms;
    if (!clock_started) {
        clock_started = 1;
        last_reading_ms = now_ms;
        return;
    }
    /* unsigned difference: right across the clock's wrap */
    if (!timed_out && (uint32_t)(now_ms - last_reading_ms) >= SMARTMETER_TIMEOUT_MS) {
        timed_out = 1;
        status.timeouts++;
        ms_zcl_timeout(&zcl, setter, setter_ctx);
    }
}

size_t smartmeter_next_frame(uint8_t *out, size_t cap, uint8_t *endpoint, uint16_t *cluster) {
    return ms_zcl_next_frame(&zcl, out, cap, endpoint, cluster);
}

const ms_zcl_state *smartmeter_zcl(void) {
    return &zcl;
}

const smartmeter_status *smartmeter_status_get(void) {
    return &status;
}

void smartmeter_stop(void) {
    if (decoding) {
        METER_CLEAR(&decoder);
        decoding = 0;
    }
}
