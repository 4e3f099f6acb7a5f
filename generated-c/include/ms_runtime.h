/*
 * meterspec C runtime: the types every generated decoder and the runtime share.
 *
 * This runtime mirrors the Java runtime (runtime/src/main/java/org/meterspec/runtime) one to one:
 * the same framers, reassemblers, security and APDU layers, body reader and value text, so that
 * both print the same canonical JSON line for every telegram. Nothing here allocates: every
 * buffer is the caller's, sized by the #defines a generated meter header computes from its spec.
 * Every fallible function returns an ms_err (MS_OK, or a code of ms_errors.h).
 */
#ifndef MS_RUNTIME_H
#define MS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "ms_config.h"
#include "ms_errors.h"

/* Generated code states the runtime version it was written for and fails to build on another. */
#define MS_RUNTIME_VERSION 5

#ifdef __cplusplus
extern "C" {
#endif

/* ---- A-XDR ---------------------------------------------------------------------------------- */

/* A-XDR data tags (IEC 62056-6-2). */
enum {
    MS_TAG_NULL = 0,
    MS_TAG_ARRAY = 1,
    MS_TAG_STRUCTURE = 2,
    MS_TAG_BOOLEAN = 3,
    MS_TAG_BIT_STRING = 4,
    MS_TAG_INT32 = 5,
    MS_TAG_UINT32 = 6,
    MS_TAG_OCTET_STRING = 9,
    MS_TAG_VISIBLE_STRING = 10,
    MS_TAG_UTF8_STRING = 12,
    MS_TAG_BCD = 13,
    MS_TAG_INT8 = 15,
    MS_TAG_INT16 = 16,
    MS_TAG_UINT8 = 17,
    MS_TAG_UINT16 = 18,
    MS_TAG_INT64 = 20,
    MS_TAG_UINT64 = 21,
    MS_TAG_ENUM = 22,
    MS_TAG_FLOAT32 = 23,
    MS_TAG_FLOAT64 = 24,
    MS_TAG_DATE_TIME = 25,
    MS_TAG_DATE = 26,
    MS_TAG_TIME = 27
};

/* Tag masks: bit t set means tag t is accepted (as Axdr's masks in Java). */
#define MS_BIT(tag) (UINT32_C(1) << (tag))
#define MS_INTEGERS                                                                                \
    (MS_BIT(MS_TAG_INT8) | MS_BIT(MS_TAG_INT16) | MS_BIT(MS_TAG_INT32) | MS_BIT(MS_TAG_INT64) |    \
     MS_BIT(MS_TAG_UINT8) | MS_BIT(MS_TAG_UINT16) | MS_BIT(MS_TAG_UINT32) | MS_BIT(MS_TAG_UINT64))
#define MS_NUMBERS                                                                                 \
    (MS_INTEGERS | MS_BIT(MS_TAG_ENUM) | MS_BIT(MS_TAG_BCD) | MS_BIT(MS_TAG_FLOAT32) |             \
     MS_BIT(MS_TAG_FLOAT64))
#define MS_STRINGS (MS_BIT(MS_TAG_OCTET_STRING) | MS_BIT(MS_TAG_VISIBLE_STRING) | MS_BIT(MS_TAG_UTF8_STRING))
#define MS_SCALARS                                                                                 \
    (MS_NUMBERS | MS_STRINGS | MS_BIT(MS_TAG_NULL) | MS_BIT(MS_TAG_BOOLEAN) |                      \
     MS_BIT(MS_TAG_BIT_STRING) | MS_BIT(MS_TAG_DATE_TIME) | MS_BIT(MS_TAG_DATE) | MS_BIT(MS_TAG_TIME))
/* Type-mask flag: a 12-byte octet-string is taken as a date-time (ReadingBuilder.DATETIME_OCTETS). */
#define MS_DATETIME_OCTETS UINT32_C(0x80000000)

/* OBIS codes packed big-endian into the low 48 bits, A the top byte (as Obis.pack). */
#define MS_OBIS(a, b, c, d, e, f)                                                                  \
    (((uint64_t)(a) << 40) | ((uint64_t)(b) << 32) | ((uint64_t)(c) << 24) | ((uint64_t)(d) << 16) | \
     ((uint64_t)(e) << 8) | (uint64_t)(f))

/* ---- What a spec says ----------------------------------------------------------------------- */

/* How an octet-string value is written (Format). */
typedef enum {
    MS_FORMAT_AUTO = 0,
    MS_FORMAT_TEXT = 1,
    MS_FORMAT_HEX = 2,
    MS_FORMAT_OBIS = 3,
    MS_FORMAT_DATETIME = 4
} ms_format;

/* The scaler of an entry that fixes none (ValueInfo.NO_SCALER), as MS_ENTRY takes it. */
#define MS_NO_SCALER INT16_MIN
/* Flags in ms_value_info.format: the spec fixes the entry's scaler; the entry has no OBIS code. */
#define MS_FIXED_SCALER 0x80u
#define MS_NO_CODE 0x40u
/* The code of a value reported by name alone (Obis.NONE): outside the 48 bits a code has. */
#define MS_NO_OBIS UINT64_MAX

/*
 * One entry of a meter's value directory (ValueInfo); a generated const table of MS_ENTRY(...).
 * Eight bytes without the name: a firmware's directory lists every code its spec names. The
 * few entries that fix a scaler or restrict their tags say so in ms_meter.scalers and .types.
 */
typedef struct ms_value_info {
    uint32_t obis_high; /* A.B.C.D, A the top byte */
    uint16_t obis_low;  /* E.F */
    uint8_t format;  /* ms_format, | MS_FIXED_SCALER, | MS_NO_CODE */
    uint8_t unit;    /* DLMS unit code (ms_unit_symbol); 0: none */
#if MS_VALUE_NAMES
    const char *name;
#endif
} ms_value_info;

#define MS_OBIS_PAIR(x, y) ((uint16_t)((x) << 8 | (y)))
#define MS_OBIS_HIGH(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MS_ENTRY_FORMAT(scaler, format) ((uint8_t)((format) | ((scaler) == MS_NO_SCALER ? 0u : MS_FIXED_SCALER)))
/* An entry's ms_meter.scalers element: the scaler the spec fixes, 0 where it fixes none. */
#define MS_ENTRY_SCALER(scaler) ((int8_t)((scaler) == MS_NO_SCALER ? 0 : (scaler)))
#if MS_VALUE_NAMES
#define MS_ENTRY(a, b, c, d, e, f, name, unit, scaler, format)                                     \
    {MS_OBIS_HIGH(a, b, c, d), MS_OBIS_PAIR(e, f), MS_ENTRY_FORMAT(scaler, format), unit, name}
#else
#define MS_ENTRY(a, b, c, d, e, f, name, unit, scaler, format)                                     \
    {MS_OBIS_HIGH(a, b, c, d), MS_OBIS_PAIR(e, f), MS_ENTRY_FORMAT(scaler, format), unit}
#endif
/* A value the spec names without a code: reported by its name alone. */
#define MS_UNCODED_ENTRY(name, unit, scaler, format) MS_ENTRY(0, 0, 0, 0, 0, 0, name, unit, scaler, (format) | MS_NO_CODE)
/* A pattern: what the spec says of every code that matches it, its open groups 0; it has no name. */
#define MS_PATTERN_ENTRY(a, b, c, d, e, f, unit, scaler, format) MS_ENTRY(a, b, c, d, e, f, NULL, unit, scaler, format)
/* An entry's format and OBIS code (MS_NO_OBIS for an uncoded entry). */
#define MS_ENTRY_FORMAT_OF(e) ((unsigned)((e)->format & ~(MS_FIXED_SCALER | MS_NO_CODE)))
MS_INTERNAL uint64_t ms_entry_obis(const ms_value_info *e);

struct ms_meter;
/*
 * The first of a meter's patterns a code (A.B.C.D in key_high, E.F in key_low) matches, as its
 * directory index, or -1: the open groups of the i-th pattern (ms_meter.patterns[i]) take any value.
 */
MS_INTERNAL int16_t ms_match_pattern(const struct ms_meter *m, uint32_t key_high, uint32_t key_low);

typedef enum { MS_TRANSPORT_MBUS = 0, MS_TRANSPORT_HDLC = 1, MS_TRANSPORT_RAW = 2 } ms_transport;
typedef enum { MS_LLC_OPTIONAL = 0, MS_LLC_REQUIRED = 1, MS_LLC_ABSENT = 2 } ms_llc;
typedef enum { MS_PRESENCE_OPTIONAL = 0, MS_PRESENCE_REQUIRED = 1, MS_PRESENCE_ABSENT = 2 } ms_presence;

/* Tolerances (Tolerance), as bits of ms_meter.tolerances. */
#define MS_TOLERATE_BAD_FCS (1u << 0)
#define MS_TOLERATE_MBUS_LENGTH_WRAP (1u << 1)
#define MS_TOLERATE_TAGGED_NOTIFICATION_DATETIME (1u << 2)
#define MS_TOLERATE_SWAPPED_OBIS_HEADER (1u << 3)
#define MS_TOLERATE_NUL_PADDED_STRINGS (1u << 4)

struct ms_body;
struct ms_decoder;
/* The security layer: a general-glo- or general-ded-ciphering APDU (tag), deciphered and decoded. */
MS_INTERNAL ms_err ms_decipher(struct ms_decoder *d, const uint8_t *apdu, uint32_t len, uint8_t tag);

/*
 * A transport's framer and reassembler, and General Block Transfer's assembler (defined in the
 * runtime's stream files). A generated meter names the ones its spec uses, so a firmware links
 * no other transport's code.
 */
struct ms_framing;
extern const struct ms_framing ms_mbus_framing;
extern const struct ms_framing ms_hdlc_framing;
extern const struct ms_framing ms_raw_framing;
struct ms_block_assembler;
extern const struct ms_block_assembler ms_general_block_transfer;

/*
 * A meter's spec as the decoders use it (DecoderConfig): generated as one const object per meter.
 * -1 in an int16_t field means "not checked".
 */
/* ms_meter.security_modes: what every security control a spec accepts has in common, so that the
   decoder takes no path the spec cannot receive; 0 says nothing and takes every path. */
#define MS_MODES_ALWAYS_ENCRYPTED 1u /* every one has the encryption bit (0x20) */
#define MS_MODES_NEVER_BROADCAST 2u  /* none has the broadcast key bit (0x40) */

typedef struct ms_meter {
    const char *name;
    const char *fingerprint; /* identifies the spec text; the Java decoder's FINGERPRINT */
    uint8_t transport;       /* ms_transport */
    const struct ms_framing *framing; /* the transport's: ms_mbus_framing, ms_hdlc_framing or ms_raw_framing */
    int16_t mbus_control;
    int16_t mbus_address;
    int16_t stsap;
    int16_t dtsap;
    uint8_t hdlc_destination_length; /* 0: any */
    uint8_t hdlc_source_length;      /* 0: any */
    uint8_t llc;                     /* ms_llc */
    uint16_t max_frames;
    uint32_t max_telegram;
    uint32_t max_apdu;
    uint16_t max_values;
    uint32_t max_string_bytes;
    uint16_t max_push_objects;
    uint8_t accept_plain;
    uint8_t accept_glo;
    uint8_t accept_ded;
    uint8_t controls[32]; /* bit (sc & 7) of byte (sc >> 3): security control byte sc is accepted */
    uint8_t security_modes; /* MS_MODES_*: what the accepted controls have in common */
    uint8_t authentication_required;
    uint8_t datetime;       /* ms_presence */
    int16_t datetime_value; /* directory index the notification date-time is reported under; -1: not */
    uint16_t max_blocks;    /* 0: no block transfer */
    const struct ms_block_assembler *block_transfer; /* &ms_general_block_transfer; NULL where max_blocks is 0 */
    /* ms_decipher where the spec accepts a ciphered APDU (glo or ded), else NULL: a meter that
       accepts none links neither the security layer nor the crypto port */
    ms_err (*decipher)(struct ms_decoder *d, const uint8_t *apdu, uint32_t len, uint8_t tag);
    uint32_t tolerances;    /* MS_TOLERATE_* */
    const ms_value_info *directory; /* by id: the table (sorted by OBIS code), the body's own names, the patterns */
    /* by entry: the scaler an entry with MS_FIXED_SCALER has (MS_ENTRY_SCALER); NULL where none has one */
    const int8_t *scalers;
    /* by entry: an index into type_masks of the tags its value may have, 0 for any; both NULL
       where no entry restricts its tags */
    const uint8_t *types;
    const uint32_t *type_masks;
    uint16_t directory_size;
    uint16_t table_size;
    /* the last pattern_count entries are patterns, matched in order against a code the table does
       not hold; patterns[i]: the open groups of the i-th (bit g: group g, A = 0); NULL where none */
    const uint8_t *patterns;
    uint16_t pattern_count;
    /* ms_match_pattern where the spec has patterns, else NULL: a meter without links none of it */
    int16_t (*match_pattern)(const struct ms_meter *m, uint32_t key_high, uint32_t key_low);
    /* the generated body: reads the A-XDR body at the cursor into the builder */
    ms_err (*decode_body)(struct ms_body *b);
} ms_meter;

/* The meter a decoder or body reader (x) decodes for: in a build for one meter (MS_ONE_METER),
   that meter's description itself, whose fields the compiler knows. */
#if defined(MS_ONE_METER)
#define MS_PASTE(a, b) a##b
#define MS_METER_NAMED(name) MS_PASTE(name, _meter)
extern const ms_meter MS_METER_NAMED(MS_ONE_METER);
#define MS_METER_OF(x) ((void)(x), &MS_METER_NAMED(MS_ONE_METER))
#else
#define MS_METER_OF(x) ((x)->meter)
#endif

/* ---- Readings ------------------------------------------------------------------------------- */

typedef enum { MS_SECURITY_NONE = 0, MS_SECURITY_ENCRYPTED = 1, MS_SECURITY_AUTHENTICATED = 2 } ms_security;

/* One decoded value, as Reading keeps it: no text, just what came. */
typedef struct ms_value {
    uint64_t obis;
    int64_t raw;   /* integers as sent (uint64 as its bits), float bits, bit count of a bit-string */
    int16_t info;  /* directory index, or -1 for a code the spec does not name */
    uint8_t tag;   /* the A-XDR tag it arrived with */
    int8_t scaler;
    int16_t unit;  /* DLMS unit code from the telegram, or -1 for the entry's unit */
    uint16_t off;  /* its bytes in the reading's pool (strings, bit-strings, dates and times) */
    uint16_t len;
} ms_value;

/* A decoded telegram. Its values and pool point into the decoder's buffers: valid in the callback. */
typedef struct ms_reading {
    const ms_meter *meter;
    uint8_t ciphered; /* system_title and frame_counter are set */
    uint8_t system_title[8];
    uint32_t frame_counter;
    uint8_t security; /* ms_security */
    uint32_t invoke_id;
    uint8_t has_datetime;
    uint8_t datetime[12];
    uint16_t count;
    const ms_value *values;
    const uint8_t *pool;
} ms_reading;

/* What one telegram decodes to: a reading (error == MS_OK) or a typed error (DecodeError). */
typedef struct ms_result {
    ms_err error;
    uint64_t offset;          /* the rule of docs/ERRORS.md */
    uint64_t length;          /* a run of rejected frame candidates: the bytes it spans; 0 otherwise */
    const ms_reading *reading; /* when error == MS_OK */
} ms_result;

/* Receives each telegram of a stream in order; number counts from 1. */
typedef void (*ms_callback)(void *ctx, uint64_t number, const ms_result *result);

/* AES-128 keys; a NULL pointer means "not given". The runtime copies what it needs. */
typedef struct ms_keys {
    const uint8_t *encryption;     /* 16 bytes */
    const uint8_t *authentication; /* 16 bytes */
    const uint8_t *broadcast;      /* 16 bytes */
} ms_keys;

/* ---- The body reader, which generated code calls (AxdrReader, ReadingBuilder, PushObjects) ---- */

/*
 * Reading one APDU's A-XDR body into a reading: a bounds-checked cursor over buf[pos, end) whose
 * error offsets count from origin, the group being assembled, and the values so far. Errors are
 * returned; the offset of the last one is error_at (relative to origin).
 */
typedef struct ms_body {
    const ms_meter *meter;
    const uint8_t *buf;
    uint32_t pos;
    uint32_t end;
    uint32_t origin;
    uint32_t error_at;
    /* the values so far, in the caller's arrays */
    ms_value *values;
    uint16_t count;
    uint16_t capacity;
    uint8_t *pool;
    uint32_t pool_len;
    uint32_t pool_capacity;
    /* the group being assembled */
    int16_t fixed;      /* directory index of a fixed code, -1: from the telegram */
    uint8_t has_obis;
    uint64_t obis;
    int16_t tag;        /* -1: no value yet */
    int64_t raw;
    const uint8_t *bytes;
    uint32_t bytes_len;
    uint32_t text_len;
    int8_t scaler;
    uint8_t has_scaler;
    int16_t unit;
    uint32_t value_at;
    /* stacks of bounded walks (skip, a push's structured values) and a push's object list */
    uint32_t *pending;
    uint16_t pending_capacity;
    uint64_t *push_codes;
    uint16_t push_capacity;
} ms_body;

/* The big-endian 32-bit number at p (the body reader's and the APDU layer's). */
static inline uint32_t ms_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Propagates an error: the body functions return MS_OK or the error they met. */
#define MS_TRY(call)                                                                               \
    do {                                                                                           \
        ms_err ms_try_err_ = (call);                                                               \
        if (ms_try_err_ != MS_OK) {                                                                \
            return ms_try_err_;                                                                    \
        }                                                                                          \
    } while (0)

/* Whether tag is in the mask (tags of 32 and above never are). */
static inline int ms_tag_in(uint32_t mask, uint8_t tag) {
    return tag < 32 && (mask & MS_BIT(tag)) != 0;
}

/* The cursor's position (an absolute index into buf, as AxdrReader.position). */
static inline uint32_t ms_pos(const ms_body *b) {
    return b->pos;
}

/* Sets the error offset to at (absolute) and returns code. */
MS_INTERNAL ms_err ms_fail_at(ms_body *b, ms_err code, uint32_t at);
/* The tag of the next element, which the element count says exists. */
MS_INTERNAL ms_err ms_next_tag(ms_body *b, uint8_t *tag);
/* The element count of the structure or array at the cursor, without moving it. */
MS_INTERNAL ms_err ms_peek_count(ms_body *b, uint32_t *count);
/* A structure header; its element count. */
MS_INTERNAL ms_err ms_structure(ms_body *b, uint32_t *count);
/* An array header; its element count, at most max. */
MS_INTERNAL ms_err ms_array(ms_body *b, uint32_t max, uint32_t *count);
/* Takes one element of the structure at `at` that has *left elements to go. */
MS_INTERNAL ms_err ms_element(ms_body *b, uint32_t *left, uint32_t at);
/* The structure at `at` has no elements left. */
MS_INTERNAL ms_err ms_end(ms_body *b, uint32_t left, uint32_t at);
/* Skips one element whose tag is in type_mask (0: any), containers nested at most depth levels. */
MS_INTERNAL ms_err ms_skip(ms_body *b, uint32_t type_mask, uint16_t depth);
/* Starts a group whose code comes from the telegram (fixed < 0) or is the directory entry fixed. */
MS_INTERNAL void ms_group_begin(ms_body *b, int16_t fixed);
/* The group's OBIS code: an OBIS field (swapped: 06 09 too), or an untagged descriptor. */
MS_INTERNAL ms_err ms_obis_field(ms_body *b, int swapped);
MS_INTERNAL ms_err ms_descriptor(ms_body *b);
/* The group's scaler-unit structure. */
MS_INTERNAL ms_err ms_scaler_unit(ms_body *b);
/* The group's value: a tag in type_mask (| MS_DATETIME_OCTETS), strings of at most max_length bytes. */
MS_INTERNAL ms_err ms_group_value(ms_body *b, uint32_t type_mask, uint32_t max_length);
/* Ends the group: reports its value. */
MS_INTERNAL ms_err ms_group_end(ms_body *b);
/*
 * A structured value: a structure or array (its tag in type_mask) whose scalar leaves, in order,
 * are each reported as a value of the group; containers at most max_depth deep, at most
 * max_leaves leaves. The group's code must be known; its end reports nothing more.
 */
MS_INTERNAL ms_err ms_group_leaves(ms_body *b, uint32_t type_mask, uint32_t max_length, uint16_t max_depth, uint16_t max_leaves);
/* A value the spec fixes the code of, in a group of its own. */
MS_INTERNAL ms_err ms_positional(ms_body *b, int16_t entry, uint32_t type_mask, uint32_t max_length);
/* A structured value the spec fixes the code of, in a group of its own, leaf by leaf. */
MS_INTERNAL ms_err ms_positional_leaves(ms_body *b, int16_t entry, uint32_t type_mask, uint32_t max_length, uint16_t max_depth,
                           uint16_t max_leaves);
/* A self-describing push taking the rest of the structure at structure_at (PushObjects.read). */
MS_INTERNAL ms_err ms_push_objects(ms_body *b, uint32_t *left, uint32_t structure_at, uint16_t max_objects,
                       uint32_t max_length, uint16_t max_depth, uint16_t max_leaves);

/* Starts reading buf[off, end) with offsets counting from origin, and no values. */
MS_INTERNAL void ms_body_reset(ms_body *b, const uint8_t *buf, uint32_t off, uint32_t end, uint32_t origin);
/* Adds the notification's date-time (12 bytes) as a value under directory entry `entry`. */
MS_INTERNAL void ms_body_datetime(ms_body *b, int16_t entry, const uint8_t *datetime);

#ifdef __cplusplus
}
#endif

#endif /* MS_RUNTIME_H */
