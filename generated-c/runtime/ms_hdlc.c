/*
 * HDLC (IEC 62056-46) as meters push it: the frame finder (HdlcFramer), the segment joiner
 * (HdlcSegments) and CRC-16/X.25 (Crc16).
 */
#include "ms_stream_impl.h"

/* ---- CRC-16/X.25: reflected polynomial 0x1021, init and final XOR 0xFFFF --------------------- */

/* Four bits a step, each nibble's effect from a 32-byte table: a firmware's flash counts more
   than the cycles (Java slices by 8 with 4 KB, for speed). */
static const uint16_t CRC_NIBBLES[16] = {
    0x0000, 0x1081, 0x2102, 0x3183, 0x4204, 0x5285, 0x6306, 0x7387,
    0x8408, 0x9489, 0xA50A, 0xB58B, 0xC60C, 0xD68D, 0xE70E, 0xF78F,
};

MS_INTERNAL uint16_t ms_crc16(const uint8_t *a, size_t off, size_t end) {
    unsigned crc = 0xFFFF;
    size_t i;
    for (i = off; i < end; i++) {
        crc = (crc >> 4) ^ CRC_NIBBLES[(crc ^ a[i]) & 0xF];
        crc = (crc >> 4) ^ CRC_NIBBLES[(crc ^ (a[i] >> 4)) & 0xF];
    }
    return (uint16_t)(crc ^ 0xFFFF);
}

MS_INTERNAL int ms_crc16_matches(const uint8_t *a, size_t off, size_t end) {
    return ms_crc16(a, off, end) == (uint16_t)(a[end] | (a[end + 1] << 8));
}

/* ---- Frames: 7E A?xx dst src ctrl HCS info FCS 7E --------------------------------------------- */

#define FLAG 0x7E
/* Format (2), one-byte addresses (2), control (1), FCS (2). */
#define MIN_LENGTH 7
#define LLC_LENGTH 3

/* Length of the address at q: 1-4; 0 if it runs into the FCS, -1 if longer than 4. */
static int address(const uint8_t *a, size_t q, size_t limit) {
    int n;
    for (n = 1; n <= 4; n++) {
        if (q + (size_t)n - 1 >= limit) {
            return 0;
        }
        if ((a[q + (size_t)n - 1] & 1) != 0) {
            return n;
        }
    }
    return -1;
}

MS_INTERNAL void ms_hdlc_scan(const ms_meter *m, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    size_t avail;
    size_t len;
    size_t fcs;
    size_t q;
    size_t header;
    int more;
    int dst;
    int src;
    int bad_fcs = (m->tolerances & MS_TOLERATE_BAD_FCS) != 0;
    if (a[p] != FLAG) {
        ms_scan_skip(s, ms_index_of(a, FLAG, p + 1, end) - p);
        return;
    }
    avail = end - p;
    if (avail < 3) {
        if (at_end) {
            ms_scan_skip(s, avail);
        } else {
            ms_scan_need_more(s);
        }
        return;
    }
    len = ((size_t)(a[p + 1] & 0x07) << 8) | a[p + 2];
    if ((a[p + 1] & 0xF0) != 0xA0 || len < MIN_LENGTH) {
        ms_scan_skip(s, 1);
        return;
    }
    more = (a[p + 1] & 0x08) != 0;
    if (avail < len + 2) {
        if (at_end) {
            ms_scan_incomplete(s);
        } else {
            ms_scan_need_more(s);
        }
        return;
    }
    if (a[p + len + 1] != FLAG) {
        ms_scan_error(s, MS_ERR_HDLC_FLAG, p + len + 1, more);
        return;
    }
    fcs = p + len - 1;
    q = p + 3;
    dst = address(a, q, fcs);
    if (dst <= 0) {
        ms_scan_error(s, dst == 0 ? MS_ERR_HDLC_FRAME_TOO_SHORT : MS_ERR_HDLC_ADDRESS, q, more);
        return;
    }
    src = address(a, q + (size_t)dst, fcs);
    if (src <= 0) {
        ms_scan_error(s, src == 0 ? MS_ERR_HDLC_FRAME_TOO_SHORT : MS_ERR_HDLC_ADDRESS, q + (size_t)dst, more);
        return;
    }
    if ((m->hdlc_destination_length > 0 && dst != m->hdlc_destination_length)
        || (m->hdlc_source_length > 0 && src != m->hdlc_source_length)) {
        ms_scan_error(s, MS_ERR_HDLC_ADDRESS,
                      m->hdlc_destination_length > 0 && dst != m->hdlc_destination_length ? q : q + (size_t)dst, more);
        return;
    }
    header = q + (size_t)dst + (size_t)src + 1;
    if (header == fcs) {
        /* no information field: a link-layer frame, nothing for the reader */
        if (!ms_crc16_matches(a, p + 1, fcs) && !bad_fcs) {
            ms_scan_error(s, MS_ERR_HDLC_FCS, fcs, more);
        } else {
            ms_scan_frame(s, len + 1, header, 0, -1, more);
        }
        return;
    }
    if (header + 2 > fcs) {
        ms_scan_error(s, MS_ERR_HDLC_FRAME_TOO_SHORT, header, more);
        return;
    }
    if (!ms_crc16_matches(a, p + 1, header)) {
        ms_scan_error(s, MS_ERR_HDLC_HCS, header, more);
        return;
    }
    if (!bad_fcs && !ms_crc16_matches(a, p + 1, fcs)) {
        ms_scan_error(s, MS_ERR_HDLC_FCS, fcs, more);
        return;
    }
    ms_scan_frame(s, len + 1, header + 2, fcs - header - 2, -1, more);
}

/* ---- Segments: the S bit says more follow; the first may carry the LLC header E6 E6|E7 00 ---- */

MS_INTERNAL int ms_hdlc_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out) {
    size_t off = s->payload_off;
    size_t len = s->payload_len;
    int llc;
    if (len == 0) {
        return 1;
    }
    llc = MS_METER_OF(r)->llc != MS_LLC_ABSENT && len >= LLC_LENGTH && a[off] == 0xE6 && (a[off + 1] & 0xFE) == 0xE6
          && a[off + 2] == 0;
    r->llc_seen = (uint8_t)(r->llc_seen | llc);
    if (r->discarding && !llc && (r->llc_seen || MS_METER_OF(r)->llc == MS_LLC_REQUIRED)) {
        /* a continuation of a telegram already reported as damaged; without LLC headers to tell
           one, a frame is taken as a new telegram, so none is lost */
        r->discarding = s->more;
        return 1;
    }
    r->discarding = 0;
    if (r->assembling && llc) {
        out->error(out->ctx, MS_ERR_HDLC_SEGMENT_SEQUENCE, r->telegram.start);
        r->assembling = 0;
    }
    if (!r->assembling) {
        if (!llc && MS_METER_OF(r)->llc == MS_LLC_REQUIRED) {
            out->error(out->ctx, MS_ERR_HDLC_LLC, at);
            r->discarding = s->more;
            return 1;
        }
        ms_segments_begin(r, at);
        r->llc_first = (uint8_t)llc;
        if (llc) {
            off += LLC_LENGTH;
            len -= LLC_LENGTH;
        }
    }
    ms_segments_add(r, a, off, len, at + (off - p), at, s->more, out);
    return 1;
}

/*
 * Without an LLC header nothing marks a first segment: a telegram cut off after a segment is
 * joined with the next telegram's frames, and where the two exceed the spec's bounds only the
 * newest frames were kept. When what was joined does not read (or lost its first frames), the
 * telegram beginning at each later frame is tried, and the first that reads is the next one.
 */
MS_INTERNAL void ms_hdlc_complete(ms_segments *r, const ms_telegram_sink *out) {
    ms_telegram *t = &r->telegram;
    uint16_t k;
    if (r->llc_first || (t->pieces < 2 && r->overflow == MS_OK)) {
        out->telegram(out->ctx, t, 1);
        return;
    }
    if (r->overflow == MS_OK && out->reads(out->ctx, t)) {
        out->telegram(out->ctx, t, 1);
        return;
    }
    for (k = r->overflow == MS_OK ? 1 : 0; k < t->pieces; k++) {
        ms_telegram_suffix(t, k, &r->tail);
        if (out->reads(out->ctx, &r->tail)) {
            out->error(out->ctx, MS_ERR_HDLC_SEGMENT_SEQUENCE, t->start);
            out->telegram(out->ctx, &r->tail, 1);
            return;
        }
    }
    if (r->overflow != MS_OK) {
        /* nothing in it reads: one telegram over the bounds */
        out->error(out->ctx, r->overflow, r->overflow_at);
    } else {
        out->telegram(out->ctx, t, 1);
    }
}

static void scan_hdlc(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    ms_hdlc_scan(MS_METER_OF(d), a, p, end, at_end, s);
}

const struct ms_framing ms_hdlc_framing = {MS_TRANSPORT_HDLC, scan_hdlc, ms_hdlc_frame, ms_hdlc_complete};
