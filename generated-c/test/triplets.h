/*
 * TEST ONLY: the test meter "triplets" as a generated meter header would declare it, for each
 * transport: the sizing macros the generator writes (here the largest the tests use) and the
 * caller's storage. Its body is TripletDecoder's (testkit), in triplets.c.
 */
#ifndef TRIPLETS_H
#define TRIPLETS_H

#include "ms_stream.h"

#define TRIPLETS_MAX_FRAMES 16
#define TRIPLETS_MAX_TELEGRAM 16384
#define TRIPLETS_MAX_APDU 16384
#define TRIPLETS_MAX_BLOCKS 64
#define TRIPLETS_MAX_VALUES 256
#define TRIPLETS_MAX_STRING_BYTES (16384 + 12)
#define TRIPLETS_MAX_PUSH_OBJECTS 0
#define TRIPLETS_MAX_DEPTH 1
#define TRIPLETS_SKIP_DEPTH 0

#define TRIPLETS_MBUS_TRANSPORT MS_TRANSPORT_MBUS
#define TRIPLETS_MBUS_TOLERANCES 0
#define TRIPLETS_MBUS_MAX_FRAMES TRIPLETS_MAX_FRAMES
#define TRIPLETS_MBUS_MAX_TELEGRAM TRIPLETS_MAX_TELEGRAM
#define TRIPLETS_MBUS_MAX_APDU TRIPLETS_MAX_APDU
#define TRIPLETS_MBUS_MAX_BLOCKS TRIPLETS_MAX_BLOCKS

#define TRIPLETS_HDLC_TRANSPORT MS_TRANSPORT_HDLC
#define TRIPLETS_HDLC_TOLERANCES 0
#define TRIPLETS_HDLC_MAX_FRAMES TRIPLETS_MAX_FRAMES
#define TRIPLETS_HDLC_MAX_TELEGRAM TRIPLETS_MAX_TELEGRAM
#define TRIPLETS_HDLC_MAX_APDU TRIPLETS_MAX_APDU
#define TRIPLETS_HDLC_MAX_BLOCKS TRIPLETS_MAX_BLOCKS

#define TRIPLETS_RAW_TRANSPORT MS_TRANSPORT_RAW
#define TRIPLETS_RAW_TOLERANCES 0
#define TRIPLETS_RAW_MAX_FRAMES TRIPLETS_MAX_FRAMES
#define TRIPLETS_RAW_MAX_TELEGRAM TRIPLETS_MAX_TELEGRAM
#define TRIPLETS_RAW_MAX_APDU TRIPLETS_MAX_APDU
#define TRIPLETS_RAW_MAX_BLOCKS TRIPLETS_MAX_BLOCKS

/* The body buffers a generated header would put after the stream's. */
#define TRIPLETS_BODY_STORAGE                                                                      \
    ms_value values[TRIPLETS_MAX_VALUES];                                                          \
    uint8_t pool[TRIPLETS_MAX_STRING_BYTES];                                                       \
    uint32_t pending[TRIPLETS_SKIP_DEPTH + 1];                                                     \
    uint64_t push_codes[TRIPLETS_MAX_PUSH_OBJECTS + 1];

typedef struct triplets_mbus {
    ms_decoder decoder;
    MS_STREAM_STORAGE(TRIPLETS_MBUS)
    TRIPLETS_BODY_STORAGE
} triplets_mbus;

typedef struct triplets_hdlc {
    ms_decoder decoder;
    MS_STREAM_STORAGE(TRIPLETS_HDLC)
    TRIPLETS_BODY_STORAGE
} triplets_hdlc;

typedef struct triplets_raw {
    ms_decoder decoder;
    MS_STREAM_STORAGE(TRIPLETS_RAW)
    TRIPLETS_BODY_STORAGE
} triplets_raw;

#define TRIPLETS_BIND_BODY(buffers, storage)                                                       \
    do {                                                                                           \
        (buffers).values = (storage).values;                                                       \
        (buffers).max_values = MS_COUNT_OF((storage).values);                                      \
        (buffers).pool = (storage).pool;                                                           \
        (buffers).pool_size = sizeof((storage).pool);                                              \
        (buffers).pending = (storage).pending;                                                     \
        (buffers).pending_size = MS_COUNT_OF((storage).pending);                                   \
        (buffers).push_codes = (storage).push_codes;                                               \
        (buffers).push_size = MS_COUNT_OF((storage).push_codes);                                   \
    } while (0)

/* The value directory: meter_id, message, energy_import, current_l1 (the table), clock (extra). */
#define TRIPLETS_TABLE_SIZE 4
#define TRIPLETS_DIRECTORY_SIZE 5
#define TRIPLETS_CLOCK 4
extern const ms_value_info triplets_directory[TRIPLETS_DIRECTORY_SIZE];
extern const int8_t triplets_scalers[TRIPLETS_DIRECTORY_SIZE];

/* The body's bounds: TripletDecoder's 200 groups of values up to 1024 bytes, or the test's own. */
extern uint32_t triplets_max_groups;
extern uint32_t triplets_max_length;
ms_err triplets_decode_body(ms_body *b);

#endif /* TRIPLETS_H */
