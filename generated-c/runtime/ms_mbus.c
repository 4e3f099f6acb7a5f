/*
 * M-Bus long frames as DLMS uses them (68 L L 68 C A CI STSAP DTSAP data CS 16): the frame finder
 * (MbusFramer) and the segment joiner (MbusSegments). The CI field's low nibble numbers the
 * segments of a telegram, bit 4 marks the last one.
 */
#include "ms_stream_impl.h"

#include <string.h>

#define START 0x68
#define STOP 0x16
/* C, A, CI, STSAP and DTSAP. */
#define HEADER 5

enum { OK, NEED, BAD_STOP, BAD_SUM };

#if MS_WIDE_WORDS
/* Byte sum modulo 256, eight bytes per step: the bytes at even and odd positions are added in
   four 16-bit lanes, folded before a lane could carry into the next (each step adds at most 510). */
MS_INTERNAL uint8_t ms_mbus_sum(const uint8_t *a, size_t from, size_t to) {
    const uint64_t lanes = 0x00FF00FF00FF00FFu;
    unsigned sum = 0;
    size_t i = from;
    while (to - i >= 8) {
        uint64_t acc = 0;
        size_t steps = 0;
        do {
            uint64_t w;
            memcpy(&w, a + i, 8);
            acc += (w & lanes) + ((w >> 8) & lanes);
            i += 8;
        } while (to - i >= 8 && ++steps < 128);
        sum += (unsigned)(acc & 0xFFFF) + (unsigned)((acc >> 16) & 0xFFFF) + (unsigned)((acc >> 32) & 0xFFFF)
             + (unsigned)(acc >> 48);
    }
    for (; i < to; i++) {
        sum += a[i];
    }
    return (uint8_t)sum;
}
#else
/* Byte sum modulo 256, a byte per step: on a 32-bit target as fast as words, and smaller. */
MS_INTERNAL uint8_t ms_mbus_sum(const uint8_t *a, size_t from, size_t to) {
    unsigned sum = 0;
    size_t i;
    for (i = from; i < to; i++) {
        sum += a[i];
    }
    return (uint8_t)sum;
}
#endif

/* Checks the frame of length field l at p. */
static int check(const uint8_t *a, size_t p, size_t end, size_t l) {
    if (end - p < l + 6) {
        return NEED;
    }
    if (a[p + 5 + l] != STOP) {
        return BAD_STOP;
    }
    return ms_mbus_sum(a, p + 4, p + 4 + l) == a[p + 4 + l] ? OK : BAD_SUM;
}

MS_INTERNAL void ms_mbus_scan(const ms_meter *m, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    size_t avail;
    size_t l;
    int found;
    unsigned c;
    unsigned addr;
    unsigned ci;
    unsigned stsap;
    unsigned dtsap;
    if (a[p] != START) {
        ms_scan_skip(s, ms_index_of(a, START, p + 1, end) - p);
        return;
    }
    avail = end - p;
    if (avail < 4) {
        if (at_end) {
            ms_scan_skip(s, avail);
        } else {
            ms_scan_need_more(s);
        }
        return;
    }
    if (a[p + 1] != a[p + 2] || a[p + 3] != START) {
        ms_scan_skip(s, 1);
        return;
    }
    l = a[p + 1];
    found = check(a, p, end, l);
    if (found == NEED && !at_end) {
        ms_scan_need_more(s);
        return;
    }
    if (found != OK && (m->tolerances & MS_TOLERATE_MBUS_LENGTH_WRAP) != 0) {
        int wrapped = check(a, p, end, l + 256);
        if (wrapped == NEED && !at_end) {
            ms_scan_need_more(s);
            return;
        }
        if (wrapped == OK) {
            l += 256;
            found = OK;
        } else if (wrapped == NEED && l < HEADER) {
            /* too short to be a frame as it stands: the stream ended inside a wrapped one */
            ms_scan_incomplete(s);
            return;
        }
    }
    if (found == NEED) {
        ms_scan_incomplete(s);
        return;
    }
    if (found == BAD_STOP) {
        ms_scan_error(s, MS_ERR_MBUS_STOP_BYTE, p + 5 + l, 1);
        return;
    }
    if (found == BAD_SUM) {
        ms_scan_error(s, MS_ERR_MBUS_CHECKSUM, p + 4 + l, 1);
        return;
    }
    if (l < HEADER) {
        ms_scan_error(s, MS_ERR_MBUS_FRAME_TOO_SHORT, p + 1, 0);
        return;
    }
    c = a[p + 4];
    addr = a[p + 5];
    ci = a[p + 6];
    if ((m->mbus_control >= 0 && c != (unsigned)m->mbus_control)
        || (m->mbus_address >= 0 && addr != (unsigned)m->mbus_address)) {
        ms_scan_error(s, MS_ERR_MBUS_CONTROL,
                      m->mbus_control >= 0 && c != (unsigned)m->mbus_control ? p + 4 : p + 5, 1);
        return;
    }
    if ((ci & 0xE0) != 0) {
        ms_scan_error(s, MS_ERR_MBUS_CONTROL, p + 6, 1);
        return;
    }
    stsap = a[p + 7];
    dtsap = a[p + 8];
    if ((m->stsap >= 0 && stsap != (unsigned)m->stsap) || (m->dtsap >= 0 && dtsap != (unsigned)m->dtsap)) {
        ms_scan_error(s, MS_ERR_MBUS_SAP, m->stsap >= 0 && stsap != (unsigned)m->stsap ? p + 7 : p + 8, 1);
        return;
    }
    ms_scan_frame(s, l + 6, p + 4 + HEADER, l - HEADER, (int)(ci & 0x0F), (ci & 0x10) == 0);
}

static void scan_mbus(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    ms_mbus_scan(MS_METER_OF(d), a, p, end, at_end, s);
}

const struct ms_framing ms_mbus_framing = {MS_TRANSPORT_MBUS, scan_mbus, ms_mbus_frame, NULL};

/* A segment 0 begins a telegram; any other must be the one expected next. */
MS_INTERNAL int ms_mbus_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out) {
    int segment = s->segment;
    if (segment == 0) {
        if (r->assembling) {
            /* the telegram being assembled never got its last segment */
            out->error(out->ctx, MS_ERR_MBUS_SEGMENT_SEQUENCE, r->telegram.start);
        }
        ms_segments_begin(r, at);
    } else if (!r->assembling || segment != r->next_segment) {
        if (!r->discarding) {
            out->error(out->ctx, MS_ERR_MBUS_SEGMENT_SEQUENCE, at);
        }
        r->assembling = 0;
        r->discarding = 1;
        return 1;
    }
    r->next_segment = (uint8_t)((segment + 1) & 0x0F);
    ms_segments_add(r, a, s->payload_off, s->payload_len, at + (s->payload_off - p), at, s->more, out);
    return 1;
}
