/*
 * Bare APDUs one after another: the frame finder (RawFramer) and the telegram maker (RawApdus).
 * A ciphered APDU or a block-transfer block says its length; a plain DATA-NOTIFICATION ends where
 * the spec's body layout ends, which only the decoder knows, so the decoder decodes it once,
 * which measures it too.
 */
#include "ms_stream_impl.h"

#define DATA_NOTIFICATION 0x0F
#define GLO_CIPHERING 0xDB
#define DED_CIPHERING 0xDC
#define NEED (-1)
#define INVALID (-2)
#define TOO_LONG (-3)

static int is_start(uint8_t b) {
    return b == DATA_NOTIFICATION || b == GLO_CIPHERING || b == DED_CIPHERING || b == MS_BLOCK_TAG;
}

static void need_more(int at_end, ms_scan *s) {
    if (at_end) {
        ms_scan_incomplete(s);
    } else {
        ms_scan_need_more(s);
    }
}

/* Length of the APDU at p whose A-XDR length is at q, or NEED / INVALID / TOO_LONG. */
static int64_t length_prefixed(uint32_t max_telegram, const uint8_t *a, size_t p, size_t q, size_t end) {
    unsigned first;
    uint64_t len;
    uint64_t header;
    uint64_t total;
    if (q >= end) {
        return NEED;
    }
    first = a[q];
    if (first < 0x80) {
        len = first;
        header = 1;
    } else {
        unsigned n = first & 0x7F;
        unsigned i;
        if (n == 0 || n > 4) {
            return INVALID;
        }
        if (q + n >= end) {
            return NEED;
        }
        len = 0;
        for (i = 1; i <= n; i++) {
            len = (len << 8) | a[q + i];
        }
        header = 1 + (uint64_t)n;
    }
    total = (uint64_t)(q - p) + header + len;
    if (total > max_telegram) {
        return TOO_LONG;
    }
    return total <= end - p ? (int64_t)total : NEED;
}

/* A plain notification, decoded once: the reading or error it gives, and the bytes it took. */
static void raw_notification(ms_decoder *d, const uint8_t *a, size_t p, size_t window, int at_end, ms_scan *s) {
    ms_prefix prefix;
    ms_decode_prefix(d, a + p, (uint32_t)(window - p), &prefix);
    if (prefix.needs_more) {
        if (window - p > MS_METER_OF(d)->max_telegram) {
            ms_scan_error(s, MS_ERR_TELEGRAM_TOO_LONG, p, 0);
        } else {
            need_more(at_end, s);
        }
    } else if (prefix.length > 0) {
        ms_scan_frame(s, prefix.length, p, prefix.length, -1, 0);
        s->has_decoded = 1;
        s->decoded = prefix.result;
    } else {
        ms_scan_frame(s, 1, p, window - p, -1, 0);
        s->unmeasured = 1;
        s->has_decoded = 1;
        s->decoded = prefix.result;
    }
}

MS_INTERNAL void ms_raw_scan(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s) {
    uint32_t max_telegram = MS_METER_OF(d)->max_telegram;
    size_t window;
    int64_t n;
    if (!is_start(a[p])) {
        size_t q = p + 1;
        while (q < end && !is_start(a[q])) {
            q++;
        }
        ms_scan_skip(s, q - p);
        return;
    }
    /* never look further than the longest telegram: what is buffered must not change the answer */
    window = end - p > max_telegram ? p + max_telegram + 1 : end;
    if (a[p] == DATA_NOTIFICATION) {
        raw_notification(d, a, p, window, at_end, s);
        return;
    }
    n = a[p] == MS_BLOCK_TAG ? length_prefixed(max_telegram, a, p, p + 6, window)
        : window - p < 2     ? NEED
                             : length_prefixed(max_telegram, a, p, p + 2 + a[p + 1], window);
    if (n == TOO_LONG || (n == NEED && window - p > max_telegram)) {
        ms_scan_error(s, MS_ERR_TELEGRAM_TOO_LONG, p, 0);
    } else if (n == NEED) {
        need_more(at_end, s);
    } else if (n == INVALID) {
        /* not a readable APDU: the decoder says precisely why, and the stream looks again after it */
        ms_scan_frame(s, 1, p, window - p, -1, 0);
        s->unmeasured = 1;
    } else {
        ms_scan_frame(s, (size_t)n, p, (size_t)n, -1, 0);
    }
}

/*
 * Each frame the framer measured is a telegram of its own, viewed in place. Without framing a
 * start byte in noise looks like an APDU: when one does not decode, its error is reported once,
 * and candidates starting inside it are not reported again.
 */
MS_INTERNAL int ms_raw_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out) {
    ms_telegram *view = &r->telegram;
    (void)p;
    ms_telegram_view(view, a + s->payload_off, s->payload_len, at, s->has_decoded ? &s->decoded : NULL);
    if (view->length > 0 && view->bytes[0] == MS_BLOCK_TAG) {
        /* a block cannot be decoded on its own; its numbering is what checks it */
        out->telegram(out->ctx, view, 1);
        return 1;
    }
    if (out->telegram(out->ctx, view, at >= r->discard_until && !r->lost)) {
        r->lost = 0;
        return 1;
    }
    /* what the failed candidate covers must not depend on what happens to be buffered: a
       measured APDU its own length, an unmeasurable one everything up to the next good APDU */
    if (s->unmeasured) {
        r->lost = 1;
    } else if (at + s->payload_len > r->discard_until) {
        r->discard_until = at + s->payload_len;
    }
    /* perhaps it was no APDU: look again one byte on */
    return 0;
}

const struct ms_framing ms_raw_framing = {MS_TRANSPORT_RAW, ms_raw_scan, ms_raw_frame, NULL};
