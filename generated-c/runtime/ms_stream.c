/*
 * The stream decoder (StreamDecoder) and the public API. Three stages, each chosen once for the
 * spec: the framer finds frames in the buffered bytes, the transport's reassembler joins their
 * segments into transport telegrams, and the block assembler joins General Block Transfer blocks
 * into APDUs, which the APDU layer decodes. After a damaged frame the scan resumes one byte after
 * the frame's start, so a telegram that follows is never lost; consecutive damaged frame
 * candidates are reported as one run. Results are reported in stream order (ms_inorder.c).
 */
#include <string.h>

#include "ms_port.h"
#include "ms_stream_impl.h"

/* ---- Scan ------------------------------------------------------------------------------------- */

MS_INTERNAL void ms_scan_need_more(ms_scan *s) {
    s->kind = MS_SCAN_NEED_MORE;
}

MS_INTERNAL void ms_scan_incomplete(ms_scan *s) {
    s->kind = MS_SCAN_INCOMPLETE;
    s->consumed = 1;
}

MS_INTERNAL void ms_scan_skip(ms_scan *s, size_t n) {
    s->kind = MS_SCAN_SKIP;
    s->consumed = n;
}

MS_INTERNAL void ms_scan_frame(ms_scan *s, size_t consumed, size_t payload_off, size_t payload_len, int segment, int more) {
    s->kind = MS_SCAN_FRAME;
    s->consumed = consumed;
    s->payload_off = payload_off;
    s->payload_len = payload_len;
    s->segment = (int8_t)segment;
    s->more = (uint8_t)(more != 0);
    s->unmeasured = 0;
    s->has_decoded = 0;
}

MS_INTERNAL void ms_scan_error(ms_scan *s, ms_err code, size_t pos, int more) {
    s->kind = MS_SCAN_ERROR;
    s->consumed = 1;
    s->error = code;
    s->error_pos = pos;
    s->more = (uint8_t)(more != 0);
}

MS_INTERNAL size_t ms_index_of(const uint8_t *a, uint8_t value, size_t from, size_t end) {
    const uint8_t *hit = from < end ? memchr(a + from, value, end - from) : NULL;
    return hit != NULL ? (size_t)(hit - a) : end;
}

/* ---- The stream -------------------------------------------------------------------------------- */

static void emit(ms_decoder *d, const ms_result *r, uint64_t position) {
    ms_inorder_add(&d->out, r, position);
}

static void emit_error(ms_decoder *d, ms_err code, uint64_t offset, uint64_t length, uint64_t position) {
    ms_result r;
    r.error = code;
    r.offset = offset;
    r.length = length;
    r.reading = NULL;
    emit(d, &r, position);
}

/* Where reassembled telegrams go: blocks to the block assembler, APDUs to the decoder. */
static int sink_telegram(void *ctx, ms_telegram *t, int report);
static int sink_reads(void *ctx, ms_telegram *t);
static void sink_error(void *ctx, ms_err code, uint64_t offset);

static ms_telegram_sink sink_of(ms_decoder *d) {
    ms_telegram_sink s;
    s.telegram = sink_telegram;
    s.reads = sink_reads;
    s.error = sink_error;
    s.ctx = d;
    return s;
}

static int sink_telegram(void *ctx, ms_telegram *t, int report) {
    ms_decoder *d = (ms_decoder *)ctx;
    const struct ms_block_assembler *gbt = MS_METER_OF(d)->block_transfer;
    ms_telegram_sink self = sink_of(d);
    ms_result r;
    if (t->length > 0 && t->bytes[0] == MS_BLOCK_TAG) {
        if (gbt == NULL) {
            sink_error(d, MS_ERR_GBT_NOT_ALLOWED, ms_telegram_stream_offset(t, 0));
            return 1;
        }
        if (gbt->block(&d->blocks, t, &self)) {
            r = ms_decode_apdu(d, d->blocks.apdu, d->blocks.completed);
            emit(d, &r, d->blocks.start);
        }
        return 1;
    }
    if (gbt != NULL) {
        gbt->interrupt(&d->blocks, &self);
    }
    r = t->has_decoded ? t->decoded : ms_decode_apdu(d, t->bytes, t->length);
    if (r.error == MS_OK || report) {
        emit(d, &r, t->start);
    }
    return r.error == MS_OK;
}

static int sink_reads(void *ctx, ms_telegram *t) {
    ms_decoder *d = (ms_decoder *)ctx;
    if (t->length > 0 && t->bytes[0] == MS_BLOCK_TAG) {
        return MS_METER_OF(d)->block_transfer != NULL && MS_METER_OF(d)->block_transfer->readable(&d->blocks, t);
    }
    if (!t->has_decoded) {
        t->decoded = ms_decode_apdu(d, t->bytes, t->length);
        t->has_decoded = 1;
    }
    return t->decoded.error == MS_OK;
}

static void sink_error(void *ctx, ms_err code, uint64_t offset) {
    emit_error((ms_decoder *)ctx, code, offset, 0, offset);
}

static void reset_blocks(ms_decoder *d) {
    if (MS_METER_OF(d)->block_transfer != NULL) {
        MS_METER_OF(d)->block_transfer->reset(&d->blocks);
    }
}

/* Reports the open run: one line, with its length when it stands for several candidates. */
static void close_run(ms_decoder *d) {
    if (d->run_code != 0) {
        emit_error(d, (ms_err)d->run_code, d->run_offset, d->run_last > d->run_first ? d->run_last - d->run_first + 1 : 0,
                   d->run_offset);
        d->run_code = 0;
    }
}

/* A frame candidate starting at `at` was rejected: it joins the open run, or opens one. */
static void rejected(ms_decoder *d, ms_err code, uint64_t offset, uint64_t at) {
    if (d->run_code == 0) {
        d->run_code = (uint16_t)code;
        d->run_offset = offset;
        d->run_first = at;
        if (MS_METER_OF(d)->block_transfer != NULL) {
            MS_METER_OF(d)->block_transfer->damaged(&d->blocks);
        }
    }
    d->run_last = at;
}

/*
 * The earliest stream position a result still to come can have, the scan being at `at`: the
 * open run reports its first error, a telegram or block transfer being joined its first byte.
 */
static uint64_t horizon(const ms_decoder *d, uint64_t at) {
    uint64_t h = at;
    uint64_t since;
    if (d->run_code != 0 && d->run_offset < h) {
        h = d->run_offset;
    }
    if (ms_segments_open(&d->segments, &since) && since < h) {
        h = since;
    }
    if (MS_METER_OF(d)->block_transfer != NULL && MS_METER_OF(d)->block_transfer->open(&d->blocks, &since) && since < h) {
        h = since;
    }
    return h;
}

/* Scans a[from, to) whose first byte is at stream offset base; returns where it stopped. */
static size_t process(ms_decoder *d, const uint8_t *a, size_t from, size_t to, uint64_t base, int at_end) {
    ms_telegram_sink sink = sink_of(d);
    size_t p = from;
    int kind;
    d->last_incomplete = 0;
    while (p < to && !d->stopped) {
        uint64_t at = base + (p - from);
        if (d->run_code != 0 && at - d->run_first >= MS_RUN_CAP) {
            close_run(d);
        }
        MS_METER_OF(d)->framing->scan(d, a, p, to, at_end, &d->scan);
        kind = d->scan.kind;
        switch (kind) {
        case MS_SCAN_NEED_MORE:
            /* released as far as the scan got, below, then stopped: no byte was taken */
            break;
        case MS_SCAN_SKIP:
            p += d->scan.consumed;
            break;
        case MS_SCAN_INCOMPLETE:
            close_run(d);
            if (!d->last_incomplete) {
                d->last_incomplete = 1;
                emit_error(d, MS_ERR_TELEGRAM_INCOMPLETE, at, 0, at);
            }
            p += d->scan.consumed;
            break;
        case MS_SCAN_ERROR:
            rejected(d, d->scan.error, base + (d->scan.error_pos - from), at);
            ms_segments_damaged(&d->segments, d->scan.more);
            p += d->scan.consumed;
            break;
        default: /* MS_SCAN_FRAME */
            close_run(d);
            p += ms_segments_frame(&d->segments, a, p, &d->scan, at, &sink) ? d->scan.consumed : 1;
            break;
        }
        ms_inorder_release(&d->out, horizon(d, base + (p - from)));
        if (kind == MS_SCAN_NEED_MORE) {
            break;
        }
    }
    return p;
}

/* Bytes the buffer can take, once what was scanned is dropped. */
static size_t room(ms_decoder *d) {
    if (d->start > 0) {
        memmove(d->buf, d->buf + d->start, d->end - d->start);
        d->end -= d->start;
        d->start = 0;
    }
    return d->buf_size - d->end;
}

static void append(ms_decoder *d, const uint8_t *chunk, size_t len) {
    /* a framer asks for more bytes only while fewer than its window are there, so it fits; only
       a one-shot decode that stopped at its first result leaves more, which nobody needs */
    size_t n = room(d);
    if (len > n) {
        len = n;
    }
    if (len > 0) {
        memcpy(d->buf + d->end, chunk, len);
        d->end += len;
    }
}

MS_INTERNAL void ms_decoder_feed(ms_decoder *d, const uint8_t *chunk, size_t len) {
    while (len > 0 && !d->stopped) {
        size_t n;
        size_t stop;
        if (d->start == d->end) {
            /* nothing buffered: scan the caller's bytes in place, keep only the undecided tail */
            uint64_t chunk_offset = d->offset;
            stop = process(d, chunk, 0, len, chunk_offset, 0);
            d->start = 0;
            d->end = 0;
            d->offset = chunk_offset + stop;
            append(d, chunk + stop, len - stop);
            return;
        }
        /* the undecided tail is shorter than the framer's window: room for one byte at least */
        n = room(d);
        if (n > len) {
            n = len;
        }
        append(d, chunk, n);
        chunk += n;
        len -= n;
        stop = process(d, d->buf, d->start, d->end, d->offset, 0);
        d->offset += stop - d->start;
        d->start = stop;
    }
}

MS_INTERNAL void ms_decoder_finish(ms_decoder *d) {
    size_t stop = process(d, d->buf, d->start, d->end, d->offset, 1);
    uint64_t open;
    int has_open;
    d->offset += stop - d->start;
    d->start = 0;
    d->end = 0;
    close_run(d);
    has_open = ms_segments_open(&d->segments, &open);
    if (!has_open && MS_METER_OF(d)->block_transfer != NULL) {
        has_open = MS_METER_OF(d)->block_transfer->open(&d->blocks, &open);
    }
    if (has_open && !d->last_incomplete) {
        emit_error(d, MS_ERR_TELEGRAM_INCOMPLETE, open, 0, open);
    }
    ms_segments_reset(&d->segments);
    reset_blocks(d);
    ms_inorder_flush(&d->out);
}

void ms_decoder_reset(ms_decoder *d) {
    d->start = 0;
    d->end = 0;
    d->offset = 0;
    d->run_code = 0;
    ms_segments_reset(&d->segments);
    reset_blocks(d);
    ms_inorder_clear(&d->out);
}

uint64_t ms_decoder_count(const ms_decoder *d) {
    return d->out.count;
}

uint64_t ms_decoder_position(const ms_decoder *d) {
    return d->offset + (d->end - d->start);
}

/* ---- Set-up --------------------------------------------------------------------------------- */

static int fits(const void *buffer, size_t size, size_t needed) {
    return size >= needed && (buffer != NULL || needed == 0);
}

static void copy_key(uint8_t *to, const uint8_t *key, uint8_t *has, uint8_t bit) {
    if (key != NULL) {
        memcpy(to, key, 16);
        *has = (uint8_t)(*has | bit);
    }
}

MS_INTERNAL ms_err ms_decoder_init(ms_decoder *d, const ms_meter *m, const ms_buffers *b, const ms_keys *keys,
                       int require_authentication, ms_callback cb, void *ctx) {
    ms_buffers exact;
    if (d == NULL || m == NULL || b == NULL || m->decode_body == NULL || m->framing == NULL
        || m->framing->transport != m->transport || (m->block_transfer != NULL) != (m->max_blocks > 0)
        || (m->decipher != NULL) != (m->accept_glo || m->accept_ded)
        || m->max_telegram == UINT32_MAX || m->max_apdu > UINT32_MAX - MS_AAD_HEADER) {
        return MS_STREAM_BAD_ARGUMENT;
    }
    if (!fits(b->window, b->window_size, MS_SIZE_WINDOW(m->transport, (size_t)m->max_telegram))
        || !fits(b->waiting, b->waiting_size, MS_SIZE_WAITING(m->transport))
        || !fits(b->telegram, b->telegram_size, MS_SIZE_TELEGRAM(m->transport, (size_t)m->max_telegram))
        || !fits(b->pieces, b->pieces_size, MS_SIZE_PIECES(m->transport, (size_t)m->max_frames))
        || !fits(b->tail, b->tail_size, MS_SIZE_TAIL(m->transport, (size_t)m->max_frames))
        || !fits(b->blocks, b->blocks_size, MS_SIZE_BLOCKS(m->max_blocks, (size_t)m->max_apdu))
        || !fits(b->plain, b->plain_size, MS_SIZE_PLAIN((size_t)m->max_apdu))
        || !fits(b->values, b->max_values, m->max_values) || !fits(b->pool, b->pool_size, m->max_string_bytes)
        || !fits(b->push_codes, b->push_size, m->max_push_objects)) {
        return MS_STREAM_BUFFER_TOO_SMALL;
    }
    /* every stage gets exactly what the meter needs, however large the caller's buffers: a
       larger window or waiting list would change where the stream decides things */
    exact = *b;
    exact.window_size = MS_SIZE_WINDOW(m->transport, (size_t)m->max_telegram);
    exact.waiting_size = MS_SIZE_WAITING(m->transport);
    exact.pieces_size = MS_SIZE_PIECES(m->transport, (size_t)m->max_frames);
    exact.tail_size = MS_SIZE_TAIL(m->transport, (size_t)m->max_frames);
    ms_decoder_setup(d, m, &exact, keys, require_authentication, cb, ctx);
    return MS_OK;
}

MS_INTERNAL void ms_decoder_setup(ms_decoder *d, const ms_meter *m, const ms_buffers *b, const ms_keys *keys,
                      int require_authentication, ms_callback cb, void *ctx) {
    memset(d, 0, sizeof *d);
    d->meter = m;
    d->buffers = *b;
    if (keys != NULL) {
        copy_key(d->encryption_key, keys->encryption, &d->has_keys, 1);
        copy_key(d->authentication_key, keys->authentication, &d->has_keys, 2);
        if ((m->security_modes & MS_MODES_NEVER_BROADCAST) == 0) {
            /* a key the meter cannot use is not kept */
            copy_key(d->broadcast_key, keys->broadcast, &d->has_keys, 4);
        }
    }
    d->require_authentication = (uint8_t)(require_authentication || m->authentication_required);
    d->plain = b->plain;
    d->buf = b->window;
    d->buf_size = b->window_size;
    ms_segments_init(&d->segments, m, b->telegram, m->transport == MS_TRANSPORT_RAW ? 0 : m->max_telegram, b->pieces,
                     (uint16_t)b->pieces_size, b->tail, (uint16_t)b->tail_size);
    if (m->block_transfer != NULL) {
        m->block_transfer->init(&d->blocks, m->max_blocks, b->blocks, m->max_apdu);
    }
    ms_inorder_init(&d->out, b->waiting, b->waiting_size, &d->reading);
    d->out.callback = cb;
    d->out.ctx = ctx;
    d->body.meter = m;
    d->body.values = b->values;
    d->body.capacity = m->max_values;
    d->body.pool = b->pool;
    d->body.pool_capacity = m->max_string_bytes;
    d->body.pending = b->pending;
    d->body.pending_capacity = (uint16_t)(b->pending_size > UINT16_MAX ? UINT16_MAX : b->pending_size);
    d->body.push_codes = b->push_codes;
    d->body.push_capacity = m->max_push_objects;
    d->reading.meter = m;
}

MS_INTERNAL void ms_decoder_clear(ms_decoder *d) {
    const ms_buffers *b = &d->buffers;
    ms_port_zeroize(b->waiting, b->waiting_size * sizeof b->waiting[0]);
    ms_port_zeroize(b->pieces, b->pieces_size * sizeof b->pieces[0]);
    ms_port_zeroize(b->tail, b->tail_size * sizeof b->tail[0]);
    ms_port_zeroize(b->window, b->window_size);
    ms_port_zeroize(b->telegram, b->telegram_size);
    ms_port_zeroize(b->blocks, b->blocks_size);
    ms_port_zeroize(b->plain, b->plain_size);
    ms_port_zeroize(b->values, b->max_values * sizeof b->values[0]);
    ms_port_zeroize(b->pool, b->pool_size);
    ms_port_zeroize(b->pending, b->pending_size * sizeof b->pending[0]);
    ms_port_zeroize(b->push_codes, b->push_size * sizeof b->push_codes[0]);
    ms_port_zeroize(d, sizeof *d);
}

/* ---- One-shot decode (MeterDecoder.decode) -------------------------------------------------- */

/* Keeps the first result and stops the stream: nothing after it may overwrite its reading. */
static void keep_first(void *ctx, uint64_t number, const ms_result *r) {
    ms_decoder *d = (ms_decoder *)ctx;
    (void)number;
    if (!d->has_first) {
        d->first = *r;
        d->has_first = 1;
        d->stopped = 1;
    }
}

MS_INTERNAL ms_err ms_decode(ms_decoder *d, const uint8_t *bytes, size_t len, ms_result *out) {
    ms_callback callback = d->out.callback;
    void *ctx = d->out.ctx;
    uint64_t count = d->out.count;
    d->out.callback = keep_first;
    d->out.ctx = d;
    d->has_first = 0;
    d->stopped = 0;
    ms_decoder_reset(d);
    ms_decoder_feed(d, bytes, len);
    if (!d->has_first) {
        ms_decoder_finish(d);
    }
    if (d->has_first) {
        *out = d->first;
    } else {
        out->error = MS_ERR_TELEGRAM_INCOMPLETE;
        out->offset = 0;
        out->length = 0;
        out->reading = NULL;
    }
    ms_decoder_reset(d);
    d->stopped = 0;
    d->has_first = 0;
    d->out.callback = callback;
    d->out.ctx = ctx;
    d->out.count = count;
    return out->error;
}
