/*
 * TEST ONLY: the few body-reader functions the test meter (triplets.c) calls, ported from the Java
 * runtime's AxdrReader and ReadingBuilder, until generated-c/runtime/ms_body.c is on main. Named
 * so it does not clash with that file; link one or the other, never both. NUL-padded strings are
 * not trimmed (the test meter never tolerates them).
 */
#include <string.h>

#include "ms_runtime.h"

ms_err ms_fail_at(ms_body *b, ms_err code, uint32_t at) {
    b->error_at = at - b->origin;
    return code;
}

static ms_err truncated_at_end(ms_body *b) {
    return ms_fail_at(b, MS_ERR_BODY_TRUNCATED, b->end);
}

static ms_err require(ms_body *b, uint32_t n) {
    return n > b->end - b->pos ? truncated_at_end(b) : MS_OK;
}

static ms_err u8(ms_body *b, uint8_t *v) {
    if (b->pos >= b->end) {
        return ms_fail_at(b, MS_ERR_BODY_TRUNCATED, b->pos);
    }
    *v = b->buf[b->pos++];
    return MS_OK;
}

/* An A-XDR length: one byte below 0x80, else 0x8N and N <= 4 big-endian bytes, at most INT32_MAX. */
static ms_err length(ms_body *b, uint32_t *n) {
    uint32_t at = b->pos;
    uint8_t first;
    uint64_t v = 0;
    uint32_t i;
    uint32_t count;
    MS_TRY(u8(b, &first));
    if (first < 0x80) {
        *n = first;
        return MS_OK;
    }
    count = first & 0x7Fu;
    if (count == 0 || count > 4) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
    }
    MS_TRY(require(b, count));
    for (i = 0; i < count; i++) {
        v = (v << 8) | b->buf[b->pos++];
    }
    if (v > INT32_MAX) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
    }
    *n = (uint32_t)v;
    return MS_OK;
}

ms_err ms_next_tag(ms_body *b, uint8_t *tag) {
    if (b->pos >= b->end) {
        return ms_fail_at(b, MS_ERR_BODY_TRUNCATED, b->pos);
    }
    *tag = b->buf[b->pos];
    return MS_OK;
}

ms_err ms_structure(ms_body *b, uint32_t *count) {
    uint32_t at = b->pos;
    uint8_t tag;
    MS_TRY(u8(b, &tag));
    if (tag != MS_TAG_STRUCTURE) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, at);
    }
    return length(b, count);
}

ms_err ms_element(ms_body *b, uint32_t *left, uint32_t at) {
    if (*left == 0) {
        return ms_fail_at(b, MS_ERR_BODY_COUNT, at);
    }
    (*left)--;
    return MS_OK;
}

ms_err ms_end(ms_body *b, uint32_t left, uint32_t at) {
    return left != 0 ? ms_fail_at(b, MS_ERR_BODY_COUNT, at) : MS_OK;
}

void ms_group_begin(ms_body *b, int16_t fixed) {
    b->fixed = fixed;
    b->has_obis = fixed >= 0;
    b->obis = fixed >= 0 ? b->meter->directory[fixed].obis : 0;
    b->tag = -1;
    b->bytes_len = 0;
    b->has_scaler = 0;
    b->unit = -1;
}

ms_err ms_obis_field(ms_body *b, int swapped) {
    uint32_t at = b->pos;
    uint8_t tag;
    uint8_t len;
    uint64_t code = 0;
    int i;
    MS_TRY(require(b, 2));
    tag = b->buf[b->pos];
    len = b->buf[b->pos + 1];
    if (!((tag == MS_TAG_OCTET_STRING && len == 6) || (swapped && tag == 6 && len == MS_TAG_OCTET_STRING))) {
        return ms_fail_at(b, MS_ERR_BODY_OBIS, at);
    }
    b->pos += 2;
    MS_TRY(require(b, 6));
    for (i = 0; i < 6; i++) {
        code = (code << 8) | b->buf[b->pos++];
    }
    if (b->fixed < 0) {
        b->obis = code;
        b->has_obis = 1;
    }
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

/* Fixed sizes after the tag, -1 for none (Axdr.fixedSize). */
static int fixed_size(unsigned tag) {
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

ms_err ms_group_value(ms_body *b, uint32_t type_mask, uint32_t max_length) {
    uint32_t at = b->pos;
    uint8_t t;
    int size;
    uint32_t n;
    MS_TRY(u8(b, &t));
    if (t >= 32 || (type_mask & MS_BIT(t)) == 0) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, at);
    }
    b->value_at = at;
    b->tag = t;
    b->bytes_len = 0;
    size = fixed_size(t);
    if (size >= 0 && t != MS_TAG_DATE_TIME && t != MS_TAG_DATE && t != MS_TAG_TIME) {
        const uint8_t *p = b->buf + b->pos;
        MS_TRY(require(b, (uint32_t)size));
        b->pos += (uint32_t)size;
        switch (t) {
        case MS_TAG_INT8:
            b->raw = (int8_t)p[0];
            break;
        case MS_TAG_INT16:
            b->raw = (int16_t)(uint16_t)big_endian(p, 2);
            break;
        case MS_TAG_INT32:
            b->raw = (int32_t)(uint32_t)big_endian(p, 4);
            break;
        default:
            b->raw = (int64_t)big_endian(p, size);
            break;
        }
        return MS_OK;
    }
    b->raw = 0;
    if (size >= 0) {
        MS_TRY(require(b, (uint32_t)size));
        b->bytes = b->buf + b->pos;
        b->bytes_len = (uint32_t)size;
        b->pos += (uint32_t)size;
    } else if (t == MS_TAG_BIT_STRING) {
        MS_TRY(length(b, &n));
        if (n > max_length) {
            return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
        }
        b->raw = n;
        MS_TRY(require(b, (n + 7) / 8));
        b->bytes = b->buf + b->pos;
        b->bytes_len = (n + 7) / 8;
        b->pos += b->bytes_len;
    } else {
        MS_TRY(length(b, &n));
        MS_TRY(require(b, n));
        if (n > max_length) {
            return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
        }
        if ((type_mask & MS_DATETIME_OCTETS) != 0 && t == MS_TAG_OCTET_STRING) {
            if (n != 12) {
                return ms_fail_at(b, MS_ERR_BODY_LENGTH, at);
            }
            b->tag = MS_TAG_DATE_TIME;
        }
        b->bytes = b->buf + b->pos;
        b->bytes_len = n;
        b->text_len = n;
        b->pos += n;
    }
    return MS_OK;
}

ms_err ms_scaler_unit(ms_body *b) {
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

/* The table entry for code (the directory's first table_size entries, sorted), or -1. */
static int16_t lookup(const ms_meter *m, uint64_t code) {
    int lo = 0;
    int hi = (int)m->table_size - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (m->directory[mid].obis == code) {
            return (int16_t)mid;
        }
        if (m->directory[mid].obis < code) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return -1;
}

static void add(ms_body *b, uint64_t code, int16_t info, uint8_t tag, int64_t raw, int8_t scaler, int16_t unit,
                const uint8_t *bytes, uint32_t len) {
    ms_value *v = &b->values[b->count++];
    v->obis = code;
    v->raw = raw;
    v->info = info;
    v->tag = tag;
    v->scaler = scaler;
    v->unit = unit;
    v->off = (uint16_t)b->pool_len;
    v->len = (uint16_t)len;
    if (len > 0) {
        memcpy(b->pool + b->pool_len, bytes, len);
        b->pool_len += len;
    }
}

ms_err ms_group_end(ms_body *b) {
    int16_t info;
    const ms_value_info *entry;
    int8_t scaler;
    if (b->tag < 0 || !b->has_obis) {
        return MS_OK;
    }
    info = b->fixed >= 0 ? b->fixed : lookup(b->meter, b->obis);
    entry = info >= 0 ? &b->meter->directory[info] : NULL;
    if (entry != NULL && entry->type_mask != 0 && (entry->type_mask & MS_BIT(b->tag)) == 0) {
        return ms_fail_at(b, MS_ERR_BODY_TYPE, b->value_at);
    }
    if (b->count == b->capacity) {
        return ms_fail_at(b, MS_ERR_BODY_TOO_MANY_VALUES, b->value_at);
    }
    if (b->bytes_len > b->pool_capacity - b->pool_len) {
        return ms_fail_at(b, MS_ERR_BODY_LENGTH, b->value_at);
    }
    scaler = b->has_scaler ? b->scaler : entry != NULL && entry->scaler != MS_NO_SCALER ? (int8_t)entry->scaler : 0;
    add(b, b->obis, info, (uint8_t)b->tag, b->raw, scaler, b->unit, b->bytes, b->bytes_len);
    return MS_OK;
}

void ms_body_reset(ms_body *b, const uint8_t *buf, uint32_t off, uint32_t end, uint32_t origin) {
    b->buf = buf;
    b->pos = off;
    b->end = end;
    b->origin = origin;
    b->error_at = 0;
    b->count = 0;
    b->pool_len = 0;
}

void ms_body_datetime(ms_body *b, int16_t entry, const uint8_t *datetime) {
    if (b->count < b->capacity && b->pool_len + 12 <= b->pool_capacity) {
        add(b, b->meter->directory[entry].obis, entry, MS_TAG_DATE_TIME, 0, 0, -1, datetime, 12);
    }
}
