/*
 * HDLC (IEC 62056-46) as meters push it: the frame finder (HdlcFramer), the segment joiner
 * (HdlcSegments) and CRC-16/X.25 (Crc16).
 */
#include "ms_stream_impl.h"

/* ---- CRC-16/X.25: reflected polynomial 0x1021, init and final XOR 0xFFFF --------------------- */

/* A byte's effect on the CRC; one table of 512 bytes (Java slices by 8 with 4 KB, for speed). */
static const uint16_t CRC_TABLE[256] = {
    0x0000, 0x1189, 0x2312, 0x329B, 0x4624, 0x57AD, 0x6536, 0x74BF,
    0x8C48, 0x9DC1, 0xAF5A, 0xBED3, 0xCA6C, 0xDBE5, 0xE97E, 0xF8F7,
    0x1081, 0x0108, 0x3393, 0x221A, 0x56A5, 0x472C, 0x75B7, 0x643E,
    0x9CC9, 0x8D40, 0xBFDB, 0xAE52, 0xDAED, 0xCB64, 0xF9FF, 0xE876,
    0x2102, 0x308B, 0x0210, 0x1399, 0x6726, 0x76AF, 0x4434, 0x55BD,
    0xAD4A, 0xBCC3, 0x8E58, 0x9FD1, 0xEB6E, 0xFAE7, 0xC87C, 0xD9F5,
    0x3183, 0x200A, 0x1291, 0x0318, 0x77A7, 0x662E, 0x54B5, 0x453C,
    0xBDCB, 0xAC42, 0x9ED9, 0x8F50, 0xFBEF, 0xEA66, 0xD8FD, 0xC974,
    0x4204, 0x538D, 0x6116, 0x709F, 0x0420, 0x15A9, 0x2732, 0x36BB,
    0xCE4C, 0xDFC5, 0xED5E, 0xFCD7, 0x8868, 0x99E1, 0xAB7A, 0xBAF3,
    0x5285, 0x430C, 0x7197, 0x601E, 0x14A1, 0x0528, 0x37B3, 0x263A,
    0xDECD, 0xCF44, 0xFDDF, 0xEC56, 0x98E9, 0x8960, 0xBBFB, 0xAA72,
    0x6306, 0x728F, 0x4014, 0x519D, 0x2522, 0x34AB, 0x0630, 0x17B9,
    0xEF4E, 0xFEC7, 0xCC5C, 0xDDD5, 0xA96A, 0xB8E3, 0x8A78, 0x9BF1,
    0x7387, 0x620E, 0x5095, 0x411C, 0x35A3, 0x242A, 0x16B1, 0x0738,
    0xFFCF, 0xEE46, 0xDCDD, 0xCD54, 0xB9EB, 0xA862, 0x9AF9, 0x8B70,
    0x8408, 0x9581, 0xA71A, 0xB693, 0xC22C, 0xD3A5, 0xE13E, 0xF0B7,
    0x0840, 0x19C9, 0x2B52, 0x3ADB, 0x4E64, 0x5FED, 0x6D76, 0x7CFF,
    0x9489, 0x8500, 0xB79B, 0xA612, 0xD2AD, 0xC324, 0xF1BF, 0xE036,
    0x18C1, 0x0948, 0x3BD3, 0x2A5A, 0x5EE5, 0x4F6C, 0x7DF7, 0x6C7E,
    0xA50A, 0xB483, 0x8618, 0x9791, 0xE32E, 0xF2A7, 0xC03C, 0xD1B5,
    0x2942, 0x38CB, 0x0A50, 0x1BD9, 0x6F66, 0x7EEF, 0x4C74, 0x5DFD,
    0xB58B, 0xA402, 0x9699, 0x8710, 0xF3AF, 0xE226, 0xD0BD, 0xC134,
    0x39C3, 0x284A, 0x1AD1, 0x0B58, 0x7FE7, 0x6E6E, 0x5CF5, 0x4D7C,
    0xC60C, 0xD785, 0xE51E, 0xF497, 0x8028, 0x91A1, 0xA33A, 0xB2B3,
    0x4A44, 0x5BCD, 0x6956, 0x78DF, 0x0C60, 0x1DE9, 0x2F72, 0x3EFB,
    0xD68D, 0xC704, 0xF59F, 0xE416, 0x90A9, 0x8120, 0xB3BB, 0xA232,
    0x5AC5, 0x4B4C, 0x79D7, 0x685E, 0x1CE1, 0x0D68, 0x3FF3, 0x2E7A,
    0xE70E, 0xF687, 0xC41C, 0xD595, 0xA12A, 0xB0A3, 0x8238, 0x93B1,
    0x6B46, 0x7ACF, 0x4854, 0x59DD, 0x2D62, 0x3CEB, 0x0E70, 0x1FF9,
    0xF78F, 0xE606, 0xD49D, 0xC514, 0xB1AB, 0xA022, 0x92B9, 0x8330,
    0x7BC7, 0x6A4E, 0x58D5, 0x495C, 0x3DE3, 0x2C6A, 0x1EF1, 0x0F78,
};

uint16_t ms_crc16(const uint8_t *a, size_t off, size_t end) {
    uint16_t crc = 0xFFFF;
    size_t i;
    for (i = off; i < end; i++) {
        crc = (uint16_t)((crc >> 8) ^ CRC_TABLE[(crc ^ a[i]) & 0xFF]);
    }
    return (uint16_t)(crc ^ 0xFFFF);
}

int ms_crc16_matches(const uint8_t *a, size_t off, size_t end) {
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

void ms_hdlc_scan(const ms_meter *m, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
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

int ms_hdlc_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_sink *out) {
    size_t off = s->payload_off;
    size_t len = s->payload_len;
    int llc;
    if (len == 0) {
        return 1;
    }
    llc = r->meter->llc != MS_LLC_ABSENT && len >= LLC_LENGTH && a[off] == 0xE6 && (a[off + 1] & 0xFE) == 0xE6
          && a[off + 2] == 0;
    r->llc_seen = (uint8_t)(r->llc_seen | llc);
    if (r->discarding && !llc && (r->llc_seen || r->meter->llc == MS_LLC_REQUIRED)) {
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
        if (!llc && r->meter->llc == MS_LLC_REQUIRED) {
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
void ms_hdlc_complete(ms_segments *r, const ms_sink *out) {
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

static void scan(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    ms_hdlc_scan(d->meter, a, p, end, at_end, s);
}

const struct ms_framing ms_hdlc_framing = {MS_TRANSPORT_HDLC, scan, ms_hdlc_frame, ms_hdlc_complete};
