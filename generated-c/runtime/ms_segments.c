/*
 * Transport telegrams: the buffer segments are joined in, with where each piece came from
 * (TelegramBuffer), what M-Bus and HDLC reassembly share (Segments), and the choice of a
 * transport's reassembler (Reassembler.of).
 */
#include <string.h>

#include "ms_stream_impl.h"

/* ---- TelegramBuffer ------------------------------------------------------------------------------ */

MS_INTERNAL void ms_telegram_init(ms_telegram *t, uint8_t *own, uint32_t capacity, ms_piece *pieces, uint16_t max_pieces) {
    memset(t, 0, sizeof *t);
    t->own = own;
    t->capacity = capacity;
    t->piece = pieces;
    t->max_pieces = max_pieces;
    t->bytes = own;
}

MS_INTERNAL void ms_telegram_begin(ms_telegram *t, uint64_t start) {
    t->bytes = t->own;
    t->length = 0;
    t->pieces = 0;
    t->start = start;
    t->has_decoded = 0;
}

MS_INTERNAL int ms_telegram_fits(const ms_telegram *t, size_t n) {
    return t->pieces < t->max_pieces && n <= (size_t)(t->capacity - t->length);
}

MS_INTERNAL void ms_telegram_append(ms_telegram *t, const uint8_t *a, size_t n, uint64_t at, uint64_t frame_at) {
    ms_piece *piece = &t->piece[t->pieces];
    piece->stream = at;
    piece->frame = frame_at;
    piece->at = t->length;
    t->pieces++;
    if (n > 0) {
        memcpy(t->own + t->length, a, n);
    }
    t->length += (uint32_t)n;
}

MS_INTERNAL void ms_telegram_drop_first(ms_telegram *t) {
    uint32_t n = t->pieces > 1 ? t->piece[1].at : t->length;
    uint16_t i;
    memmove(t->own, t->own + n, t->length - n);
    t->length -= n;
    t->pieces--;
    for (i = 0; i < t->pieces; i++) {
        t->piece[i] = t->piece[i + 1];
        t->piece[i].at -= n;
    }
}

MS_INTERNAL void ms_telegram_view(ms_telegram *t, const uint8_t *a, size_t n, uint64_t at, const ms_result *decoded) {
    t->bytes = a;
    t->length = (uint32_t)n;
    t->start = at;
    t->pieces = 1;
    t->piece[0].stream = at;
    t->piece[0].frame = at;
    t->piece[0].at = 0;
    t->has_decoded = decoded != NULL;
    if (decoded != NULL) {
        t->decoded = *decoded;
    }
}

/* into becomes the telegram this one would be had it begun with the frame of piece k. */
MS_INTERNAL void ms_telegram_suffix(const ms_telegram *t, uint16_t k, ms_telegram *into) {
    uint32_t from = t->piece[k].at;
    uint16_t i;
    into->bytes = t->bytes + from;
    into->length = t->length - from;
    into->pieces = (uint16_t)(t->pieces - k);
    into->start = t->piece[k].frame;
    into->has_decoded = 0;
    for (i = k; i < t->pieces; i++) {
        into->piece[i - k] = t->piece[i];
        into->piece[i - k].at -= from;
    }
}

MS_INTERNAL uint64_t ms_telegram_stream_offset(const ms_telegram *t, uint32_t i) {
    uint16_t k;
    if (t->pieces == 0) {
        return t->start + i; /* no telegram is handed on without a piece */
    }
    k = (uint16_t)(t->pieces - 1);
    while (k > 0 && t->piece[k].at > i) {
        k--;
    }
    return t->piece[k].stream + (i - t->piece[k].at);
}

/* ---- Segments: up to `frames max` segments of at most max_telegram bytes together ---------- */

MS_INTERNAL void ms_segments_init(ms_segments *r, const ms_meter *m, uint8_t *own, uint32_t capacity, ms_piece *pieces,
                      uint16_t max_pieces, ms_piece *tail, uint16_t max_tail) {
    memset(r, 0, sizeof *r);
    r->meter = m;
    ms_telegram_init(&r->telegram, own, capacity, pieces, max_pieces);
    ms_telegram_init(&r->tail, NULL, 0, tail, max_tail);
}

MS_INTERNAL void ms_segments_begin(ms_segments *r, uint64_t at) {
    r->assembling = 1;
    r->discarding = 0;
    r->overflow = MS_OK;
    ms_telegram_begin(&r->telegram, at);
}

/* Whether a telegram over the bounds keeps its newest frames: HDLC where no LLC header marked its start. */
static int slides(const ms_segments *r) {
    return MS_METER_OF(r)->transport == MS_TRANSPORT_HDLC && !r->llc_first;
}

/* Adds the segment a[from, from+n) (stream offset at) of the frame at frame_at; hands the telegram on after the last. */
MS_INTERNAL void ms_segments_add(ms_segments *r, const uint8_t *a, size_t from, size_t n, uint64_t at, uint64_t frame_at,
                     int more, const ms_telegram_sink *out) {
    ms_telegram *t = &r->telegram;
    if (!ms_telegram_fits(t, n)) {
        ms_err code = t->pieces >= MS_METER_OF(r)->max_frames ? MS_ERR_TOO_MANY_FRAMES : MS_ERR_TELEGRAM_TOO_LONG;
        if (slides(r)) {
            /* keep the newest frames: the telegram they end may have begun after the first */
            if (r->overflow == MS_OK) {
                r->overflow = code;
                r->overflow_at = frame_at;
            }
            while (t->pieces > 0 && !ms_telegram_fits(t, n)) {
                ms_telegram_drop_first(t);
            }
        }
        if (!ms_telegram_fits(t, n)) {
            out->error(out->ctx, t->pieces == 0 ? MS_ERR_TELEGRAM_TOO_LONG : code, frame_at);
            r->assembling = 0;
            r->discarding = 1;
            return;
        }
    }
    ms_telegram_append(t, a + from, n, at, frame_at);
    if (!more) {
        r->assembling = 0;
        if (MS_METER_OF(r)->framing->complete != NULL) {
            MS_METER_OF(r)->framing->complete(r, out);
        } else {
            out->telegram(out->ctx, t, 1);
        }
    }
}

/* ---- One reassembler per transport ----------------------------------------------------------- */

MS_INTERNAL int ms_segments_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out) {
    return MS_METER_OF(r)->framing->frame(r, a, p, s, at, out);
}

MS_INTERNAL void ms_segments_damaged(ms_segments *r, int more) {
    switch (MS_METER_OF(r)->transport) {
    case MS_TRANSPORT_MBUS:
        /* M-Bus numbers its segments: whatever follows a damaged frame is told by its number */
        r->assembling = 0;
        r->discarding = 1;
        break;
    case MS_TRANSPORT_HDLC:
        r->assembling = 0;
        r->discarding = (uint8_t)more;
        break;
    default:
        /* the framer's only error on bare APDUs is one too long to measure: nothing is being joined */
        break;
    }
}

MS_INTERNAL int ms_segments_open(const ms_segments *r, uint64_t *since) {
    if (MS_METER_OF(r)->transport == MS_TRANSPORT_RAW || !r->assembling) {
        return 0;
    }
    *since = r->telegram.start;
    return 1;
}

MS_INTERNAL void ms_segments_reset(ms_segments *r) {
    r->assembling = 0;
    r->discarding = 0;
    r->llc_seen = 0;
    r->discard_until = 0;
    r->lost = 0;
}
