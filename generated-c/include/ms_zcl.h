/*
 * meterspec C runtime: a meter's ZigBee endpoints as generated data, the attribute values a
 * reader holds, and the ZCL Report Attributes frames that report their changes. Byte for byte
 * what the Java runtime does (ZclMap, ZclState). Nothing allocates: the caller gives the state
 * its slots (METER_ZCL_ATTRIBUTES of them, from the meter's header).
 *
 * A measured attribute is round_half_away(sum(+-raw_i x 10^scaler_i) x num / den), exact, clamped
 * to [min, max] (which never includes the ZCL type's "invalid" sentinel). A term whose magnitude,
 * aligned to the sum's smallest scaler, reaches 2^80 saturates the sum toward its sign. There is
 * no value when a term is missing from the reading, is not an integer (enum and BCD count, floats
 * do not) or carries a unit other than the attribute's.
 */
#ifndef MS_ZCL_H
#define MS_ZCL_H

#include <stddef.h>
#include <stdint.h>

#include "ms_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an attribute is filled. */
typedef enum {
    MS_ZCL_CONSTANT = 0, /* a value the spec gives */
    MS_ZCL_MEASURED = 1, /* values of the reading, converted */
    MS_ZCL_TEXT = 2,     /* a string value's bytes (octet string) */
    MS_ZCL_STATUS = 3    /* Metering Status: CheckMeter while telegrams fail */
} ms_zcl_fill;

#define MS_ZCL_UNIT_NONE (-1)
#define MS_ZCL_NO_CHANGE (-1)
#define MS_ZCL_CHECK_METER 0x01
#define MS_ZCL_FRAME_CONTROL 0x18 /* global, server to client, no default response */
#define MS_ZCL_REPORT_ATTRIBUTES 0x0A
#define MS_ZCL_TEXT_MAX 24
/* The smallest frame size allowed: the ZCL header and the longest record (a 24-byte string). */
#define MS_ZCL_MIN_PAYLOAD (3 + 3 + 1 + MS_ZCL_TEXT_MAX)

/* A generated table's names, kept only where JSON is written. */
#if MS_JSON
#define MS_ZCL_NAME(name) , name
#else
#define MS_ZCL_NAME(name)
#endif

typedef struct ms_zcl_attr {
    uint16_t id;
    uint8_t type;       /* ZCL data type id */
    uint8_t width;      /* bytes of the value; 0 for an octet string */
    uint8_t fill;       /* ms_zcl_fill */
    uint8_t reportable;
    uint8_t term_count;
    uint8_t negative;   /* bit i: term i is subtracted */
    const uint64_t *terms; /* OBIS codes */
    int64_t initial;    /* a constant's value, else the value before the first reading */
    int64_t num, den;   /* the conversion factor, each below 2^35 */
    int16_t unit;       /* DLMS unit code the values must carry if any, MS_ZCL_UNIT_NONE: unitless */
    int64_t min, max;   /* the range (a string: its most bytes in max) */
    uint16_t min_interval, max_interval;
    int64_t change;     /* reportable change, MS_ZCL_NO_CHANGE for discrete types */
#if MS_JSON
    const char *name;   /* zigbee-herdsman's name */
#endif
} ms_zcl_attr;

typedef struct ms_zcl_cluster {
    uint16_t id;
    uint16_t count;
    const ms_zcl_attr *attributes; /* by id */
#if MS_JSON
    const char *name;
#endif
} ms_zcl_cluster;

typedef struct ms_zcl_endpoint {
    uint8_t number;
    uint16_t profile;
    uint16_t device;
    uint16_t count;
    const ms_zcl_cluster *clusters;
} ms_zcl_endpoint;

typedef struct ms_zcl_map {
    uint16_t count;
    const ms_zcl_endpoint *endpoints;
    uint16_t attributes; /* in all clusters of all endpoints */
} ms_zcl_map;

/* What the state keeps of one attribute. */
typedef struct ms_zcl_slot {
    int64_t value;
    uint8_t pending; /* changed since the last frame that reported it */
    uint8_t len;     /* a string's length */
    uint8_t text[MS_ZCL_TEXT_MAX];
} ms_zcl_slot;

typedef struct ms_zcl_state {
    const ms_zcl_map *map;
    ms_zcl_slot *slots;
    uint8_t first;    /* no reading yet */
    uint8_t sequence; /* of the next frame */
} ms_zcl_state;

/*
 * Receives an attribute that changed: its endpoint, cluster and table entry, and its value as
 * ZCL encodes it (little-endian bytes of attr->width; a string's length byte, then its bytes).
 */
typedef void (*ms_zcl_setter)(void *ctx, uint8_t endpoint, uint16_t cluster, const ms_zcl_attr *attr,
                              const uint8_t *value, size_t len);

/* Prepares s over slots[map->attributes]: every attribute at its initial value. */
void ms_zcl_init(ms_zcl_state *s, const ms_zcl_map *map, ms_zcl_slot *slots);

/*
 * Takes a telegram's result: a reading sets the measured attributes it gives values for and
 * clears Status (the first reading sets all it gives values for), an error sets CheckMeter. Each
 * attribute that changed goes to set (which may be NULL); a reportable one waits for
 * ms_zcl_next_frame.
 * Returns how many changed.
 */
unsigned ms_zcl_update(ms_zcl_state *s, const ms_result *result, ms_zcl_setter set, void *ctx);

/* No valid telegram arrived in time: CheckMeter, as ms_zcl_update does for an error. */
unsigned ms_zcl_timeout(ms_zcl_state *s, ms_zcl_setter set, void *ctx);

/*
 * The next Report Attributes frame (ZCL header included) of the attributes waiting, at most cap
 * bytes (MS_ZCL_MIN_PAYLOAD at least): one cluster of one endpoint per frame, attributes in id
 * order, as many as fit. Returns its length, 0 when none waits (or cap is too small).
 */
size_t ms_zcl_next_frame(ms_zcl_state *s, uint8_t *out, size_t cap, uint8_t *endpoint, uint16_t *cluster);

/* Forgets what waits to be reported. */
void ms_zcl_clear_pending(ms_zcl_state *s);

/* An attribute's value as ZCL encodes it (see ms_zcl_setter); its length. index: in table order. */
size_t ms_zcl_encode(const ms_zcl_state *s, unsigned index, uint8_t *out, size_t cap);

#if MS_JSON
/* The endpoint table as `meterspec zcl --json` prints it (ZclMap.toJson), like snprintf. */
size_t ms_zcl_table_json(char *out, size_t cap, const ms_zcl_map *map);
#endif

#ifdef __cplusplus
}
#endif

#endif /* MS_ZCL_H */
