/*
 * The smartmeter part of the reader: bytes from the meter's customer port go into the generated
 * stream decoder as they arrive, each telegram's result goes into the ZigBee attribute state,
 * and the counters the console's `status` shows are kept here. Portable C99, no heap: one static
 * reader, as a firmware has one meter port.
 */
#ifndef READER_SMARTMETER_H
#define READER_SMARTMETER_H

#include <stddef.h>
#include <stdint.h>

#include "ms_zcl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A meter pushes every 1 to 10 s; this long without a valid telegram sets CheckMeter. */
#ifndef SMARTMETER_TIMEOUT_MS
#define SMARTMETER_TIMEOUT_MS 60000u
#endif

typedef struct smartmeter_status {
    uint64_t bytes;          /* received from the meter */
    uint64_t telegrams;      /* decoded into a reading */
    uint64_t errors;         /* telegrams (or runs of bytes) that failed */
    uint32_t timeouts;       /* times SMARTMETER_TIMEOUT_MS passed without a reading */
    ms_err last_error;       /* MS_OK when none yet */
    uint64_t last_error_offset;
    unsigned last_changed;   /* attributes the last reading changed */
} smartmeter_status;

/* Hears of each telegram after the attribute state took it (the host device prints them). */
typedef void (*smartmeter_listener)(void *ctx, uint64_t number, const ms_result *result);

/*
 * Starts the reader with the keys (16 bytes each, NULL when not set; copied, so the caller
 * zeroises its own) and the setter that forwards changed attributes (the ZigBee glue; NULL on a
 * host). Also the first call: the attribute state starts at its initial values. 0 on success.
 */
int smartmeter_start(const uint8_t *encryption_key, const uint8_t *authentication_key, ms_zcl_setter set,
                     void *set_ctx, smartmeter_listener listener, void *listener_ctx);

/* New keys: the decoder restarts with them (what it held is zeroised); the attribute state stays. */
int smartmeter_set_keys(const uint8_t *encryption_key, const uint8_t *authentication_key);

/* Bytes as the UART driver hands them over, any number at a time. */
void smartmeter_feed(const uint8_t *bytes, size_t len);

/* Called now and then with a millisecond clock (it may wrap): sets CheckMeter on a timeout. */
void smartmeter_tick(uint32_t now_ms);

/* The next Report Attributes frame waiting (ms_zcl_next_frame); 0 when none. */
size_t smartmeter_next_frame(uint8_t *out, size_t cap, uint8_t *endpoint, uint16_t *cluster);

/* The attribute state (for the ZigBee glue's table) and the counters. */
const ms_zcl_state *smartmeter_zcl(void);
const smartmeter_status *smartmeter_status_get(void);

/* Stops the reader; the decoder's keys are zeroised. */
void smartmeter_stop(void);

#ifdef __cplusplus
}
#endif

#endif /* READER_SMARTMETER_H */
