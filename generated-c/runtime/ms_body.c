/*
 * The body reader generated code calls: a bounds-checked A-XDR cursor (Java's AxdrReader), the
 * value groups it fills into a reading (ReadingBuilder), and self-describing pushes (PushObjects).
 * Every check, error code and offset is the Java runtime's, so both report alike.
 */
#include "ms_runtime.h"

#include <string.h>

/* ---- A-XDR -------------------------------------------------------------------------------------- */

/* Size of the value after the tag for fixed-size types, or -1 (Axdr.fixedSize). */
static int fixed_size(int tag) {
    switch (tag) {
    case MS_TAG_NULL:
        return 0;
    case MS_TAG_BOOLEAN:
    case MS_TAG_BCD:
    case MS_TAG_INT8:
    case MS_TAG_UINT8:
    case MS_TAG_ENUM:
        return 1;
    case MS_TAG_INT16:
    case MS_TAG_UINT16:
        return 2;
    case MS_TAG_INT32:
    case MS_TAG_UINT32:
    case MS_TAG_FLOAT32:
    case MS_TAG_TIME:
        return 4;
    case MS_TAG_DATE:
        return 5;
    case MS_TAG_INT64:
    case MS_TAG_UINT64:
    case MS_TAG_FLOAT64:
        return 8;
    case MS_TAG_DATE_TIME:
        return 12;
    default:
        return -1;
    }
}

static int accepts(uint32_t mask, int tag) {
    return tag >= 0 && tag < 32 && (mask & MS_BIT(tag)) != 0;
}

MS_INTERNAL ms_err ms_fail_at(ms_body *b, ms_err code, uint32_t at) {
    b->error_at = at - b->origin;
    return code;
}

static ms_err body_error(ms_body *b, ms_err code) {
    return ms_fail_at(b, code, b->pos);
}

static ms_err require(ms_body *b, uint64_t n) {
    if (n > (uint64_t)(b->end - b->pos)) {
        return ms_fail_at(b, MS_ERR_BODY_TRUNCATED, b->end);
    }
    return MS_OK;
}

static ms_err u8(ms_body *b, uint8_t *v) {
    if (b->pos >= b->end) {
        return body_error(b, MS_ERR_BODY_TRUNCATED);
    }
    *v = b->buf[b->pos++];
    return MS_OK;
}

static uint64_t big_endian(const uint8_t *p, int n) {
    uint64_t v = 0;
    int i;
    for (i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* The six bytes of an OBIS code; in 32-bit halves, which a 32-bit target shifts cheaply. */
static uint64_t obis_code(const uint8_t *p) {
    return ((uint64_t)(((uint32_t)p[0] << 8) | p[1]) << 32) | ms_be32(p + 2);
}

MS_INTERNAL uint64_t ms_entry_obis(const ms_value_info *e) {
    if ((e->format & MS_NO_CODE) != 0) {
        return MS_NO_OBIS;
    }
    return ((uint64_t)e->obis_high << 16) | e->obis_low;
}

/* A fixed-size number: 0, 1, 2, 4 or 8 bytes. */
static uint64_t fixed_big_endian(const uint8_t *p, int n) {
    switch (n) {
    case 1:
        return p[0];
    case 2:
        return ((uint32_t)p[0] << 8) | p[1];
    case 4:
        return ms_be32(p);
    case 8:
        return ((uint64_t)ms_be32(p) << 32) | ms_be32(p + 4);
    default:
        return big_endian(p, n);
    }
}

/* An A-XDR length or element count: one byte below 0x80, else 0x8N and N (1-4) big-endian bytes. */
static ms_err length(ms_body *b, uint32_t *out) {
    uint32_t at = b->pos;
    uint8_t first;
    uint64_t v;
    int n;
    MS_TRY(u8(b, &first));
    if (first < 0x80) {
        *out = first;
        return MS_OK;
    }
    n = first & 0x7F;
    if (n == 0 || n > 4) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
    }
    MS_TRY(require(b, (uint64_t)n));
    v = big_endian(b->buf + b->pos, n);
    b->pos += (uint32_t)n;
    if (v > INT32_MAX) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
    }
    *out = (uint32_t)v;
    return MS_OK;
}

MS_INTERNAL ms_err ms_next_tag(ms_body *b, uint8_t *tag) {
    if (b->pos >= b->end) {
        return body_error(b, MS_ERR_BODY_TRUNCATED);
    }
    *tag = b->buf[b->pos];
    return MS_OK;
}

MS_INTERNAL ms_err ms_peek_count(ms_body *b, uint32_t *count) {
    uint32_t at = b->pos;
    uint8_t tag;
    ms_err e = u8(b, &tag);
    if (e == MS_OK) {
        e = length(b, count);
    }
    b->pos = at;
    return e;
}

static ms_err expect_tag(ms_body *b, uint8_t tag) {
    uint32_t at = b->pos;
    uint8_t t;
    MS_TRY(u8(b, &t));
    if (t != tag) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, at);
    }
    return MS_OK;
}

MS_INTERNAL ms_err ms_structure(ms_body *b, uint32_t *count) {
    MS_TRY(expect_tag(b, MS_TAG_STRUCTURE));
    return length(b, count);
}

MS_INTERNAL ms_err ms_array(ms_body *b, uint32_t max, uint32_t *count) {
    uint32_t at = b->pos;
    MS_TRY(expect_tag(b, MS_TAG_ARRAY));
    MS_TRY(length(b, count));
    if (*count > max) {
        return ms_fail_at(b, MS_ERR_BODY_COUNT, at);
    }
    return MS_OK;
}

MS_INTERNAL ms_err ms_element(ms_body *b, uint32_t *left, uint32_t at) {
    if (*left == 0) {
        return ms_fail_at(b, MS_ERR_BODY_COUNT, at);
    }
    (*left)--;
    return MS_OK;
}

MS_INTERNAL ms_err ms_end(ms_body *b, uint32_t left, uint32_t at) {
    return left != 0 ? ms_fail_at(b, MS_ERR_BODY_COUNT, at) : MS_OK;
}

/* An OBIS code field: octet-string of 6 bytes (09 06, or 06 09 where tolerated). */
static ms_err obis(ms_body *b, int swapped, uint64_t *code) {
    uint32_t at = b->pos;
    uint8_t tag;
    uint8_t len;
    MS_TRY(require(b, 2));
    tag = b->buf[b->pos];
    len = b->buf[b->pos + 1];
    if (!((tag == MS_TAG_OCTET_STRING && len == 6) || (swapped && tag == 6 && len == MS_TAG_OCTET_STRING))) {
        return ms_fail_at(b, MS_ERR_BODY_OBIS, at);
    }
    b->pos += 2;
    MS_TRY(require(b, 6));
    *code = obis_code(b->buf + b->pos);
    b->pos += 6;
    return MS_OK;
}

/* Walks containers with the caller's stack, never recursion; the stack holds depth + 1 counts. */
MS_INTERNAL ms_err ms_skip(ms_body *b, uint32_t type_mask, uint16_t depth) {
    int level = 0;
    if (type_mask != 0) {
        int next = b->pos < b->end ? b->buf[b->pos] : -1;
        if (!accepts(type_mask, next)) {
            return body_error(b, next < 0 ? MS_ERR_BODY_TRUNCATED : MS_ERR_BODY_TYPE);
        }
    }
    if ((uint32_t)depth + 1 > b->pending_capacity) {
        return body_error(b, MS_ERR_BODY_DEPTH); /* the generator sizes the stack: cannot happen */
    }
    b->pending[0] = 1;
    while (level >= 0) {
        uint32_t tag_at;
        uint8_t tag;
        uint32_t n;
        int size;
        if (b->pending[level] == 0) {
            level--;
            continue;
        }
        b->pending[level]--;
        tag_at = b->pos;
        MS_TRY(u8(b, &tag));
        if (tag == MS_TAG_ARRAY || tag == MS_TAG_STRUCTURE) {
            MS_TRY(length(b, &n));
            if (level + 1 > depth) {
                return ms_fail_at(b, MS_ERR_BODY_DEPTH, tag_at);
            }
            b->pending[++level] = n;
        } else if (tag == MS_TAG_BIT_STRING) {
            MS_TRY(length(b, &n));
            MS_TRY(require(b, ((uint64_t)n + 7) / 8));
            b->pos += (n + 7) / 8;
        } else if (accepts(MS_STRINGS, tag)) {
            MS_TRY(length(b, &n));
            MS_TRY(require(b, n));
            b->pos += n;
        } else if ((size = fixed_size(tag)) >= 0) {
            MS_TRY(require(b, (uint64_t)size));
            b->pos += (uint32_t)size;
        } else {
            return ms_fail_at(b, MS_ERR_BODY_TYPE, tag_at);
        }
    }
    return MS_OK;
}

/* ---- Value groups ------------------------------------------------------------------------------ */

MS_INTERNAL void ms_body_reset(ms_body *b, const uint8_t *buf, uint32_t off, uint32_t end, uint32_t origin) {
    b->buf = buf;
    b->pos = off;
    b->end = end;
    b->origin = origin;
    b->error_at = 0;
    b->count = 0;
    b->pool_len = 0;
}

MS_INTERNAL void ms_group_begin(ms_body *b, int16_t fixed) {
    b->fixed = fixed;
    b->has_obis = fixed >= 0;
    b->obis = fixed >= 0 ? ms_entry_obis(&MS_METER_OF(b)->directory[fixed]) : 0;
    b->tag = -1;
    b->bytes_len = 0;
    b->has_scaler = 0;
    b->unit = -1;
}

MS_INTERNAL ms_err ms_obis_field(ms_body *b, int swapped) {
    uint64_t code;
    MS_TRY(obis(b, swapped, &code));
    if (b->fixed < 0) {
        b->obis = code;
        b->has_obis = 1;
    }
    return MS_OK;
}

MS_INTERNAL ms_err ms_descriptor(ms_body *b) {
    MS_TRY(require(b, 9));
    if (b->fixed < 0) {
        b->obis = obis_code(b->buf + b->pos + 2);
        b->has_obis = 1;
    }
    b->pos += 9;
    return MS_OK;
}

MS_INTERNAL ms_err ms_scaler_unit(ms_body *b) {
    uint32_t at = b->pos;
    const uint8_t *p;
    MS_TRY(require(b, 6));
    p = b->buf + at;
    if (p[0] != MS_TAG_STRUCTURE || p[1] != 2 || p[2] != MS_TAG_INT8 || p[4] != MS_TAG_ENUM) {
        return ms_fail_at(b, MS_ERR_BODY_SCALER_UNIT, at);
    }
    b->scaler = (int8_t)p[3];
    b->has_scaler = 1;
    b->unit = p[5];
    b->pos += 6;
    return MS_OK;
}

static int text_printable(const uint8_t *p, uint32_t n) {
    uint32_t i;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] > 0x7E) {
            return 0;
        }
    }
    return 1;
}

/* Length of a string without its NUL padding: text followed only by NULs; binary keeps its length. */
static uint32_t text_length(const uint8_t *p, uint32_t n) {
    uint32_t keep = n;
    while (keep > 0 && p[keep - 1] == 0) {
        keep--;
    }
    return keep < n && text_printable(p, keep) ? keep : n;
}

/* The content of a fixed-size number whose tag was just read, as AxdrReader.fixedNumber. */
static ms_err fixed_number(ms_body *b, int tag, int64_t *out) {
    int size = fixed_size(tag);
    const uint8_t *p;
    uint64_t v;
    MS_TRY(require(b, (uint64_t)size));
    p = b->buf + b->pos;
    b->pos += (uint32_t)size;
    v = fixed_big_endian(p, size);
    switch (tag) {
    case MS_TAG_INT8:
        *out = (int8_t)v;
        break;
    case MS_TAG_INT16:
        *out = (int16_t)v;
        break;
    case MS_TAG_INT32:
        *out = (int32_t)v;
        break;
    default: /* unsigned integers, the bits of a float, enum, bcd, boolean, null (0) */
        *out = (int64_t)v;
        break;
    }
    return MS_OK;
}

MS_INTERNAL ms_err ms_group_value(ms_body *b, uint32_t type_mask, uint32_t max_length) {
    uint32_t at = b->pos;
    uint8_t t;
    uint32_t n;
    MS_TRY(u8(b, &t));
    /* bit 31 is the MS_DATETIME_OCTETS flag, never a tag's */
    if (t >= 31 || (type_mask & MS_BIT(t)) == 0) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, at);
    }
    b->value_at = at;
    b->tag = t;
    b->bytes_len = 0;
    if (fixed_size(t) >= 0 && t != MS_TAG_DATE_TIME && t != MS_TAG_DATE && t != MS_TAG_TIME) {
        return fixed_number(b, t, &b->raw);
    }
    b->raw = 0;
    if (t == MS_TAG_DATE_TIME || t == MS_TAG_DATE || t == MS_TAG_TIME) {
        int size = fixed_size(t);
        MS_TRY(require(b, (uint64_t)size));
        b->bytes = b->buf + b->pos;
        b->bytes_len = (uint32_t)size;
        b->pos += (uint32_t)size;
        return MS_OK;
    }
    if (t == MS_TAG_BIT_STRING) {
        uint32_t bytes;
        MS_TRY(length(b, &n));
        if (n > max_length) {
            return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
        }
        b->raw = n;
        bytes = (n + 7) / 8;
        MS_TRY(require(b, bytes));
        b->bytes = b->buf + b->pos;
        b->bytes_len = bytes;
        b->pos += bytes;
        return MS_OK;
    }
    {
        uint32_t content_at;
        uint32_t keep;
        MS_TRY(length(b, &n));
        content_at = b->pos;
        MS_TRY(require(b, n));
        keep = (MS_METER_OF(b)->tolerances & MS_TOLERATE_NUL_PADDED_STRINGS) ? text_length(b->buf + content_at, n) : n;
        if (keep > max_length) {
            return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
        }
        if ((type_mask & MS_DATETIME_OCTETS) != 0 && t == MS_TAG_OCTET_STRING) {
            if (n != 12) {
                return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
            }
            b->tag = MS_TAG_DATE_TIME;
            keep = n;
        }
        b->bytes = b->buf + content_at;
        b->bytes_len = n;
        b->text_len = keep;
        b->pos += n;
        return MS_OK;
    }
}

/* The bytes of a byte mask whose bit is not set in open: four groups a word, bit 0 the top byte. */
static uint32_t fixed_bytes(unsigned open, unsigned groups) {
    uint32_t mask = 0;
    unsigned g;
    for (g = 0; g < groups; g++) {
        mask = (mask << 8) | ((open & (1u << g)) != 0 ? 0u : 0xFFu);
    }
    return mask;
}

MS_INTERNAL int16_t ms_match_pattern(const ms_meter *m, uint32_t key_high, uint32_t key_low) {
    unsigned first = (unsigned)m->directory_size - m->pattern_count;
    unsigned i;
    for (i = 0; i < m->pattern_count; i++) {
        const ms_value_info *e = &m->directory[first + i];
        unsigned open = m->patterns[i];
        if ((key_high & fixed_bytes(open, 4)) == e->obis_high && (key_low & fixed_bytes(open >> 4, 2)) == e->obis_low) {
            return (int16_t)(first + i);
        }
    }
    return -1;
}

/*
 * The table entry for a code (the first table_size entries, sorted by OBIS code), else the first
 * pattern it matches, or -1.
 */
static int16_t lookup(const ms_meter *m, uint64_t code) {
    /* A.B.C.D, then E.F: most probes differ in the first */
    uint32_t key_high = (uint32_t)(code >> 16);
    uint32_t key_low = (uint32_t)code & 0xFFFFu;
    int lo = 0;
    int hi = (int)m->table_size - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const ms_value_info *e = &m->directory[mid];
        int below;
        if (e->obis_high != key_high) {
            below = e->obis_high < key_high;
        } else if (e->obis_low != key_low) {
            below = e->obis_low < key_low;
        } else {
            return (int16_t)mid;
        }
        if (below) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return m->match_pattern != NULL ? m->match_pattern(m, key_high, key_low) : -1;
}

/* Appends a value; its len bytes are copied from where the group found them. */
static void add(ms_body *b, uint64_t code, int16_t info, int tag, int64_t raw, int scaler, int unit,
                const uint8_t *bytes, uint32_t len) {
    ms_value *v = &b->values[b->count++];
    v->obis = code;
    v->raw = raw;
    v->info = info;
    v->tag = (uint8_t)tag;
    v->scaler = (int8_t)scaler;
    v->unit = (int16_t)unit;
    v->off = (uint16_t)b->pool_len;
    v->len = (uint16_t)len;
    if (len > 0) {
        memcpy(b->pool + b->pool_len, bytes, len);
        b->pool_len += len;
    }
}

MS_INTERNAL ms_err ms_group_end(ms_body *b) {
    const ms_meter *m = MS_METER_OF(b);
    int16_t info;
    const ms_value_info *entry;
    uint32_t len;
    int scaler;
    if (b->tag < 0 || !b->has_obis) {
        return MS_OK;
    }
    info = b->fixed >= 0 ? b->fixed : lookup(m, b->obis);
    entry = info >= 0 ? &m->directory[info] : 0;
    if (entry && m->types != NULL && m->types[info] != 0 && !accepts(m->type_masks[m->types[info]], b->tag)) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, b->value_at);
    }
    if (b->count == b->capacity) {
        return ms_fail_at(b, MS_ERR_BODY_TOO_MANY_VALUES, b->value_at);
    }
    len = b->bytes_len;
    if (accepts(MS_STRINGS, b->tag) && b->text_len < len) {
        unsigned format = entry ? MS_ENTRY_FORMAT_OF(entry) : MS_FORMAT_AUTO;
        if (format == MS_FORMAT_AUTO || format == MS_FORMAT_TEXT) {
            len = b->text_len; /* NUL padding of text, tolerated by the spec */
        }
    }
    if (b->pool_len + len > b->pool_capacity) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, b->value_at);
    }
    scaler = b->has_scaler ? b->scaler : entry && (entry->format & MS_FIXED_SCALER) != 0 ? m->scalers[info] : 0;
    add(b, b->obis, info, b->tag, b->raw, scaler, b->unit, b->bytes, len);
    return MS_OK;
}

/*
 * The scalar leaves of a structured value, in order, each a value of the group (ReadingBuilder.leaves);
 * no recursion. The group is ended: its end appends nothing more.
 */
MS_INTERNAL ms_err ms_group_leaves(ms_body *b, uint32_t type_mask, uint32_t max_length, uint16_t max_depth, uint16_t max_leaves) {
    uint32_t at = b->pos;
    int level = 0;
    uint32_t reported = 0;
    uint8_t tag;
    MS_TRY(ms_next_tag(b, &tag));
    if ((tag != MS_TAG_STRUCTURE && tag != MS_TAG_ARRAY) || (type_mask & MS_BIT(tag)) == 0) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, at);
    }
    if ((uint32_t)max_depth + 1 > b->pending_capacity) {
        return body_error(b, MS_ERR_BODY_DEPTH); /* the generator sizes the stack: cannot happen */
    }
    b->pending[0] = 1;
    while (level >= 0) {
        if (b->pending[level] == 0) {
            level--;
            continue;
        }
        b->pending[level]--;
        MS_TRY(ms_next_tag(b, &tag));
        if (tag == MS_TAG_STRUCTURE || tag == MS_TAG_ARRAY) {
            uint8_t skipped;
            uint32_t n;
            if (level == max_depth) {
                return body_error(b, MS_ERR_BODY_DEPTH);
            }
            MS_TRY(u8(b, &skipped));
            MS_TRY(length(b, &n));
            b->pending[++level] = n;
            continue;
        }
        if (++reported > max_leaves) {
            return ms_fail_at(b, MS_ERR_BODY_TOO_MANY_VALUES, at);
        }
        MS_TRY(ms_group_value(b, MS_SCALARS, max_length));
        MS_TRY(ms_group_end(b));
    }
    b->tag = -1;
    return MS_OK;
}

MS_INTERNAL ms_err ms_positional(ms_body *b, int16_t entry, uint32_t type_mask, uint32_t max_length) {
    ms_group_begin(b, entry);
    MS_TRY(ms_group_value(b, type_mask, max_length));
    return ms_group_end(b);
}

MS_INTERNAL ms_err ms_positional_leaves(ms_body *b, int16_t entry, uint32_t type_mask, uint32_t max_length, uint16_t max_depth,
                           uint16_t max_leaves) {
    ms_group_begin(b, entry);
    return ms_group_leaves(b, type_mask, max_length, max_depth, max_leaves);
}

MS_INTERNAL void ms_body_datetime(ms_body *b, int16_t entry, const uint8_t *datetime) {
    if (b->count < b->capacity && b->pool_len + 12 <= b->pool_capacity) {
        add(b, ms_entry_obis(&MS_METER_OF(b)->directory[entry]), entry, MS_TAG_DATE_TIME, 0, 0, -1, datetime, 12);
    }
}

/* ---- Self-describing pushes -------------------------------------------------------------------- */

/* Starts the group of a listed object's value: its code is the list's. */
static void push_group(ms_body *b, uint64_t code) {
    ms_group_begin(b, -1);
    b->obis = code;
    b->has_obis = 1;
}

MS_INTERNAL ms_err ms_push_objects(ms_body *b, uint32_t *left, uint32_t structure_at, uint16_t max_objects,
                       uint32_t max_length, uint16_t max_depth, uint16_t max_leaves) {
    uint32_t list_at;
    uint32_t n;
    uint32_t i;
    MS_TRY(ms_element(b, left, structure_at));
    list_at = b->pos;
    MS_TRY(ms_array(b, max_objects, &n));
    if (b->push_capacity < n) {
        return ms_fail_at(b, MS_ERR_BODY_COUNT, list_at);
    }
    for (i = 0; i < n; i++) {
        uint32_t entry_at = b->pos;
        uint32_t fields;
        uint32_t k;
        MS_TRY(ms_structure(b, &fields));
        if (fields < 4) {
            return ms_fail_at(b, MS_ERR_BODY_COUNT, entry_at);
        }
        MS_TRY(ms_skip(b, MS_BIT(MS_TAG_UINT16), 1));
        MS_TRY(obis(b, 0, &b->push_codes[i]));
        MS_TRY(ms_skip(b, MS_BIT(MS_TAG_INT8), 1));
        MS_TRY(ms_skip(b, MS_BIT(MS_TAG_UINT16), 1));
        for (k = 4; k < fields; k++) {
            MS_TRY(ms_skip(b, 0, 4)); /* restriction and columns of push setup version 1 and later */
        }
    }
    if (n == 0 || *left != n - 1) {
        return ms_fail_at(b, MS_ERR_BODY_COUNT, structure_at);
    }
    for (i = 1; i < n; i++) {
        uint8_t tag;
        MS_TRY(ms_element(b, left, structure_at));
        MS_TRY(ms_next_tag(b, &tag));
        push_group(b, b->push_codes[i]);
        if (tag == MS_TAG_STRUCTURE || tag == MS_TAG_ARRAY) {
            MS_TRY(ms_group_leaves(b, MS_BIT(MS_TAG_STRUCTURE) | MS_BIT(MS_TAG_ARRAY), max_length, max_depth, max_leaves));
        } else {
            MS_TRY(ms_group_value(b, MS_SCALARS, max_length));
            MS_TRY(ms_group_end(b));
        }
    }
    return MS_OK;
}
