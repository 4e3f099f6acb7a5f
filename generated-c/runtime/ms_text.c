/*
 * The text of a value (Value.text) and the canonical JSON line (Reading.toJson,
 * DecodeError.toJson): the same bytes the Java runtime writes, as UTF-8.
 */
#include "ms_text_impl.h"

static const char ms_hex_digits[] = "0123456789ABCDEF";

void ms_sink_text(ms_sink *s, uint8_t c) {
#if MS_JSON
    /* Json.appendString: quote, backslash, C0 controls and DEL; a UTF-8 sequence has no such byte */
    if (s->json && (c == '"' || c == '\\')) {
        ms_sink_byte(s, '\\');
    } else if (s->json && (c < 0x20 || c == 0x7F)) {
        ms_sink_byte(s, '\\');
        ms_sink_byte(s, 'u');
        ms_sink_byte(s, '0');
        ms_sink_byte(s, '0');
        ms_sink_byte(s, ms_hex_digits[c >> 4]);
        ms_sink_byte(s, ms_hex_digits[c & 0xF]);
        return;
    }
#endif
    ms_sink_byte(s, (char)c);
}

void ms_sink_str(ms_sink *s, const char *str) {
    while (*str != '\0') {
        ms_sink_text(s, (uint8_t)*str++);
    }
}

static void put_hex(ms_sink *s, const uint8_t *b, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        ms_sink_byte(s, ms_hex_digits[b[i] >> 4]);
        ms_sink_byte(s, ms_hex_digits[b[i] & 0xF]);
    }
}

/* A code point (not a surrogate, at most U+10FFFF) in UTF-8. */
static void put_code_point(ms_sink *s, uint32_t cp) {
    if (cp < 0x80) {
        ms_sink_text(s, (uint8_t)cp);
    } else if (cp < 0x800) {
        ms_sink_text(s, (uint8_t)(0xC0 | (cp >> 6)));
        ms_sink_text(s, (uint8_t)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        ms_sink_text(s, (uint8_t)(0xE0 | (cp >> 12)));
        ms_sink_text(s, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        ms_sink_text(s, (uint8_t)(0x80 | (cp & 0x3F)));
    } else {
        ms_sink_text(s, (uint8_t)(0xF0 | (cp >> 18)));
        ms_sink_text(s, (uint8_t)(0x80 | ((cp >> 12) & 0x3F)));
        ms_sink_text(s, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
        ms_sink_text(s, (uint8_t)(0x80 | (cp & 0x3F)));
    }
}

/* Bytes as Latin-1 characters (Json.latin1). */
static void put_latin1(ms_sink *s, const uint8_t *b, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        put_code_point(s, b[i]);
    }
}

/*
 * UTF-8 as Json.utf8 reads it: each byte that does not start a well-formed sequence (overlong,
 * surrogate, above U+10FFFF, cut short) is one U+FFFD, and reading goes on at the next byte.
 */
static void put_utf8(ms_sink *s, const uint8_t *b, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned c = b[i];
        size_t need, k;
        uint32_t cp, min;
        int ok;
        if (c < 0x80) {
            ms_sink_text(s, (uint8_t)c);
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            put_code_point(s, 0xFFFD);
            i++;
            continue;
        }
        ok = i + need < len;
        for (k = 1; ok && k <= need; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                ok = 0;
            } else {
                cp = (cp << 6) | (b[i + k] & 0x3F);
            }
        }
        if (ok && cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
            put_code_point(s, cp);
            i += need + 1;
        } else {
            put_code_point(s, 0xFFFD);
            i++;
        }
    }
}

static int printable(const uint8_t *b, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        if (b[i] < 0x20 || b[i] > 0x7E) {
            return 0;
        }
    }
    return 1;
}

static void put_obis(ms_sink *s, uint64_t obis) {
    int i;
    for (i = 0; i < 6; i++) {
        if (i > 0) {
            ms_sink_byte(s, '.');
        }
        ms_put_scaled(s, (obis >> (8 * (5 - i))) & 0xFF, 0, 0);
    }
}

/* ---- COSEM dates and times in ISO 8601 (DateTimes) ------------------------------------------ */

static int days_in_month(unsigned year, unsigned month) {
    switch (month) {
    case 2:
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
        return 30;
    default:
        return 31;
    }
}

/* year (2 bytes), month, day; the day of week is not written. 0xFFFF, "not specified", fails. */
static int date_valid(const uint8_t *b) {
    unsigned year = ((unsigned)b[0] << 8) | b[1];
    return year <= 9999 && b[2] >= 1 && b[2] <= 12 && b[3] >= 1 && b[3] <= days_in_month(year, b[2]);
}

/* hour, minute, second, hundredths; second and hundredths may be 0xFF, "not specified". */
static int time_valid(const uint8_t *b) {
    return b[0] <= 23 && b[1] <= 59 && (b[2] <= 59 || b[2] == 0xFF) && (b[3] <= 99 || b[3] == 0xFF);
}

static void put_two(ms_sink *s, unsigned v) {
    ms_sink_byte(s, (char)('0' + v / 10));
    ms_sink_byte(s, (char)('0' + v % 10));
}

static void put_date_part(ms_sink *s, const uint8_t *b) {
    unsigned year = ((unsigned)b[0] << 8) | b[1];
    put_two(s, year / 100);
    put_two(s, year % 100);
    ms_sink_byte(s, '-');
    put_two(s, b[2]);
    ms_sink_byte(s, '-');
    put_two(s, b[3]);
}

static void put_time_part(ms_sink *s, const uint8_t *b) {
    put_two(s, b[0]);
    ms_sink_byte(s, ':');
    put_two(s, b[1]);
    if (b[2] != 0xFF) {
        ms_sink_byte(s, ':');
        put_two(s, b[2]);
        if (b[3] != 0xFF) {
            ms_sink_byte(s, '.');
            put_two(s, b[3]);
        }
    }
}

/*
 * A date-time: date, 'T', time, and the offset where the deviation is specified (COSEM's
 * deviation is UTC minus local time: -120 is +02:00). Hex where ISO 8601 cannot say it.
 * A value shorter than it should be (the decoder never makes one) is hex as it is.
 */
static void put_date_time(ms_sink *s, const uint8_t *b, size_t len) {
    int deviation;
    if (len < 12) {
        put_hex(s, b, len);
        return;
    }
    deviation = (int)(int16_t)(uint16_t)(((unsigned)b[9] << 8) | b[10]);
    if (!date_valid(b) || !time_valid(b + 5) || (deviation != INT16_MIN && (deviation < -720 || deviation > 720))) {
        put_hex(s, b, 12);
        return;
    }
    put_date_part(s, b);
    ms_sink_byte(s, 'T');
    put_time_part(s, b + 5);
    if (deviation != INT16_MIN) {
        int offset = -deviation;
        ms_sink_byte(s, offset < 0 ? '-' : '+');
        offset = offset < 0 ? -offset : offset;
        put_two(s, (unsigned)offset / 60);
        ms_sink_byte(s, ':');
        put_two(s, (unsigned)offset % 60);
    }
}

static void put_date(ms_sink *s, const uint8_t *b, size_t len) {
    if (len < 5 || !date_valid(b)) {
        put_hex(s, b, len < 5 ? len : 5);
    } else {
        put_date_part(s, b);
    }
}

static void put_time(ms_sink *s, const uint8_t *b, size_t len) {
    if (len < 4 || !time_valid(b)) {
        put_hex(s, b, len < 4 ? len : 4);
    } else {
        put_time_part(s, b);
    }
}

/* ---- Values --------------------------------------------------------------------------------- */

/* The value's directory entry, or NULL for a code the spec does not name. */
static const ms_value_info *entry_of(const ms_reading *r, const ms_value *v) {
    if (r == NULL || r->meter == NULL || r->meter->directory == NULL || v->info < 0
        || v->info >= (int)r->meter->directory_size) {
        return NULL;
    }
    return &r->meter->directory[v->info];
}

/* A string value by its entry's format (Value.stringText). */
static void put_string(ms_sink *s, const ms_value_info *info, unsigned tag, const uint8_t *b, size_t len) {
    unsigned format = info == NULL ? MS_FORMAT_AUTO : MS_ENTRY_FORMAT_OF(info);
    if (format == MS_FORMAT_HEX) {
        put_hex(s, b, len);
    } else if (tag == MS_TAG_UTF8_STRING) {
        put_utf8(s, b, len);
    } else if (format == MS_FORMAT_OBIS) {
        if (len == 6) {
            put_obis(s, ((uint64_t)b[0] << 40) | ((uint64_t)b[1] << 32) | ((uint64_t)b[2] << 24)
                                | ((uint64_t)b[3] << 16) | ((uint64_t)b[4] << 8) | b[5]);
        } else {
            put_hex(s, b, len);
        }
    } else if (format == MS_FORMAT_DATETIME) {
        /* a COSEM date-time, date or time, told apart by length */
        if (len == 12) {
            put_date_time(s, b, len);
        } else if (len == 5) {
            put_date(s, b, len);
        } else if (len == 4) {
            put_time(s, b, len);
        } else {
            put_hex(s, b, len);
        }
    } else if (format == MS_FORMAT_TEXT || tag == MS_TAG_VISIBLE_STRING || printable(b, len)) {
        put_latin1(s, b, len);
    } else {
        put_hex(s, b, len);
    }
}

static void put_value(ms_sink *s, const ms_reading *r, const ms_value *v) {
    const uint8_t *b = r != NULL && r->pool != NULL ? r->pool + v->off : NULL;
    size_t len = b != NULL ? v->len : 0;
    switch (v->tag) {
    case MS_TAG_NULL:
        break;
    case MS_TAG_BOOLEAN:
        ms_sink_str(s, v->raw != 0 ? "true" : "false");
        break;
    case MS_TAG_BIT_STRING: {
        /* raw is the bit count; the decoder gives the (raw + 7) / 8 bytes that hold them */
        uint64_t bits = v->raw < 0 ? 0 : (uint64_t)v->raw;
        uint64_t i;
        if (bits > (uint64_t)len * 8) {
            bits = (uint64_t)len * 8;
        }
        for (i = 0; i < bits; i++) {
            ms_sink_byte(s, (b[i >> 3] & (0x80 >> (i & 7))) != 0 ? '1' : '0');
        }
        break;
    }
    case MS_TAG_BCD: {
        /* two decimal digits; a byte that is not BCD is written as it came */
        unsigned hi = (unsigned)(((uint64_t)v->raw >> 4) & 0xF);
        unsigned lo = (unsigned)((uint64_t)v->raw & 0xF);
        if (hi <= 9 && lo <= 9) {
            ms_put_scaled(s, hi * 10 + lo, 0, v->scaler);
        } else {
            uint8_t byte = (uint8_t)v->raw;
            put_hex(s, &byte, 1);
        }
        break;
    }
    case MS_TAG_FLOAT32:
        ms_put_float32(s, (uint32_t)(uint64_t)v->raw, v->scaler);
        break;
    case MS_TAG_FLOAT64:
        ms_put_float64(s, (uint64_t)v->raw, v->scaler);
        break;
    case MS_TAG_DATE_TIME:
        put_date_time(s, b, len);
        break;
    case MS_TAG_DATE:
        put_date(s, b, len);
        break;
    case MS_TAG_TIME:
        put_time(s, b, len);
        break;
    case MS_TAG_OCTET_STRING:
    case MS_TAG_VISIBLE_STRING:
    case MS_TAG_UTF8_STRING:
        put_string(s, entry_of(r, v), v->tag, b, len);
        break;
    default:
        ms_put_decimal(s, v->raw, v->tag == MS_TAG_UINT64, v->scaler);
        break;
    }
}

size_t ms_value_text(char *out, size_t cap, const ms_reading *r, const ms_value *v, int *is_null) {
    ms_sink s;
    ms_sink_init(&s, out, cap);
    if (is_null != NULL) {
        *is_null = v->tag == MS_TAG_NULL;
    }
    put_value(&s, r, v);
    return ms_sink_end(&s);
}

/*
 * The value's unit: the telegram's code (none for 0, 253, 254, 255; "unit-N" for an undefined
 * one), else the entry's unit. Returns 0 for none; else *symbol, or NULL and *code for "unit-N".
 */
static int unit_of(const ms_reading *r, const ms_value *v, const char **symbol, unsigned *code) {
    const ms_value_info *info;
    if (v->unit >= 0) {
        unsigned c = (unsigned)v->unit & 0xFF;
        if (c == 0 || c >= 253) {
            return 0;
        }
        *symbol = ms_unit_symbol(c);
        *code = c;
        return 1;
    }
    info = entry_of(r, v);
    if (info == NULL || info->unit == 0) {
        return 0;
    }
    *symbol = ms_unit_symbol(info->unit);
    *code = 0;
    return 1;
}

static void put_unit(ms_sink *s, const char *symbol, unsigned code) {
    if (symbol != NULL) {
        ms_sink_str(s, symbol);
    } else {
        ms_sink_str(s, "unit-");
        ms_put_scaled(s, code, 0, 0);
    }
}

size_t ms_value_unit(char *out, size_t cap, const ms_reading *r, const ms_value *v, int *is_none) {
    ms_sink s;
    const char *symbol = NULL;
    unsigned code = 0;
    int has = unit_of(r, v, &symbol, &code);
    ms_sink_init(&s, out, cap);
    if (is_none != NULL) {
        *is_none = !has;
    }
    if (has) {
        put_unit(&s, symbol, code);
    }
    return ms_sink_end(&s);
}

/* ---- The JSON line -------------------------------------------------------------------------- */

#if MS_JSON

static void put_raw(ms_sink *s, const char *str) {
    while (*str != '\0') {
        ms_sink_byte(s, *str++);
    }
}

static void put_json_string(ms_sink *s, const char *str) {
    ms_sink_byte(s, '"');
    s->json = 1;
    ms_sink_str(s, str != NULL ? str : "");
    s->json = 0;
    ms_sink_byte(s, '"');
}

/* Value.appendJson */
static void put_value_json(ms_sink *s, const ms_reading *r, const ms_value *v) {
    const ms_value_info *info = entry_of(r, v);
    const char *symbol = NULL;
    unsigned code = 0;
    ms_sink_byte(s, '{');
    if (v->obis != MS_NO_OBIS) {
        put_raw(s, "\"obis\":\"");
        put_obis(s, v->obis);
        put_raw(s, "\",");
    }
    if (info != NULL && info->name != NULL) {
        /* a pattern's entry has no name: its values go by their codes */
        put_raw(s, "\"name\":");
        put_json_string(s, info->name);
        ms_sink_byte(s, ',');
    }
    put_raw(s, "\"value\":");
    if (v->tag == MS_TAG_NULL) {
        put_raw(s, "null");
    } else {
        ms_sink_byte(s, '"');
        s->json = 1;
        put_value(s, r, v);
        s->json = 0;
        ms_sink_byte(s, '"');
    }
    if (unit_of(r, v, &symbol, &code)) {
        put_raw(s, ",\"unit\":\"");
        s->json = 1;
        put_unit(s, symbol, code);
        s->json = 0;
        ms_sink_byte(s, '"');
    }
    ms_sink_byte(s, '}');
}

static const char *const ms_security_names[] = {"none", "encrypted", "authenticated"};

size_t ms_json_line(char *out, size_t cap, uint64_t number, const ms_result *r) {
    ms_sink s;
    ms_sink_init(&s, out, cap);
    if (r == NULL) {
        return ms_sink_end(&s);
    }
    if (r->error != MS_OK) {
        /* DecodeError.toJson */
        const char *name = ms_err_name(r->error);
        const char *layer = ms_layer_name(MS_ERR_LAYER(r->error));
        if (name == NULL || layer == NULL) {
            return ms_sink_end(&s);
        }
        put_raw(&s, "{\"telegram\":");
        ms_put_scaled(&s, number, 0, 0);
        put_raw(&s, ",\"status\":\"error\",\"layer\":\"");
        put_raw(&s, layer);
        put_raw(&s, "\",\"error\":\"");
        put_raw(&s, name);
        put_raw(&s, "\",\"offset\":");
        ms_put_scaled(&s, r->offset, 0, 0);
        if (r->length > 0) {
            put_raw(&s, ",\"length\":");
            ms_put_scaled(&s, r->length, 0, 0);
        }
        ms_sink_byte(&s, '}');
    } else {
        /* Reading.toJson */
        const ms_reading *rd = r->reading;
        uint16_t i;
        if (rd == NULL || rd->meter == NULL || rd->security > MS_SECURITY_AUTHENTICATED
            || (rd->values == NULL && rd->count > 0)) {
            return ms_sink_end(&s);
        }
        put_raw(&s, "{\"telegram\":");
        ms_put_scaled(&s, number, 0, 0);
        put_raw(&s, ",\"status\":\"ok\",\"meter\":");
        put_json_string(&s, rd->meter->name);
        if (rd->ciphered) {
            put_raw(&s, ",\"system_title\":\"");
            put_hex(&s, rd->system_title, sizeof rd->system_title);
            put_raw(&s, "\",\"frame_counter\":");
            ms_put_scaled(&s, rd->frame_counter, 0, 0);
        }
        put_raw(&s, ",\"security\":\"");
        put_raw(&s, ms_security_names[rd->security]);
        put_raw(&s, "\",\"values\":[");
        for (i = 0; i < rd->count; i++) {
            if (i > 0) {
                ms_sink_byte(&s, ',');
            }
            put_value_json(&s, rd, &rd->values[i]);
        }
        put_raw(&s, "]}");
    }
    return ms_sink_end(&s);
}

#endif /* MS_JSON */
