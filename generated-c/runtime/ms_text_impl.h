/*
 * Inside the value text and JSON line (ms_text.c, ms_decimal.c): a bounded writer the texts are
 * written through, so a value's text goes into the JSON line escaped without a buffer of its own.
 */
#ifndef MS_TEXT_IMPL_H
#define MS_TEXT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ms_text.h"

/* Writes at most cap - 1 bytes and counts them all: len is the length of the whole text. */
typedef struct ms_sink {
    char *out;
    size_t cap;
    size_t len;
    int json; /* value bytes are escaped for a JSON string (Json.appendString) */
} ms_sink;

static inline void ms_sink_init(ms_sink *s, char *out, size_t cap) {
    s->out = out;
    s->cap = out == NULL ? 0 : cap;
    s->len = 0;
    s->json = 0;
}

/* A byte of the text's structure, never escaped. */
static inline void ms_sink_byte(ms_sink *s, char c) {
    if (s->len + 1 < s->cap) {
        s->out[s->len] = c;
    }
    s->len++;
}

/* NUL-terminates what fits and returns the whole length. */
static inline size_t ms_sink_end(ms_sink *s) {
    if (s->cap > 0) {
        s->out[s->len < s->cap ? s->len : s->cap - 1] = '\0';
    }
    return s->len;
}

/* A byte of a value's text (UTF-8): escaped when the sink writes a JSON string. */
void ms_sink_text(ms_sink *s, uint8_t c);
/* A NUL-terminated ASCII or UTF-8 string as text. */
void ms_sink_str(ms_sink *s, const char *str);

/* The number texts of ms_decimal.c, through a sink. */
void ms_put_scaled(ms_sink *s, uint64_t magnitude, int negative, int scaler);
void ms_put_decimal(ms_sink *s, int64_t raw, int unsigned_raw, int scaler);
void ms_put_float32(ms_sink *s, uint32_t bits, int scaler);
void ms_put_float64(ms_sink *s, uint64_t bits, int scaler);

#endif /* MS_TEXT_IMPL_H */
