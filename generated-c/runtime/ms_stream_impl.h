/*
 * meterspec C runtime: what the stream's stages share, not part of the public API. Each stage is
 * the Java class it names; the unit tests call them directly.
 */
#ifndef MS_STREAM_IMPL_H
#define MS_STREAM_IMPL_H

#include "ms_stream.h"

/* ---- Scan: what a framer found -------------------------------------------------------------- */

enum { MS_SCAN_NEED_MORE, MS_SCAN_SKIP, MS_SCAN_FRAME, MS_SCAN_ERROR, MS_SCAN_INCOMPLETE };

MS_INTERNAL void ms_scan_need_more(ms_scan *s);
MS_INTERNAL void ms_scan_incomplete(ms_scan *s);
MS_INTERNAL void ms_scan_skip(ms_scan *s, size_t n);
MS_INTERNAL void ms_scan_frame(ms_scan *s, size_t consumed, size_t payload_off, size_t payload_len, int segment, int more);
/* A damaged frame: report it, resume one byte after its start. */
MS_INTERNAL void ms_scan_error(ms_scan *s, ms_err code, size_t pos, int more);

/* The first index in a[from, end) holding value, or end. */
MS_INTERNAL size_t ms_index_of(const uint8_t *a, uint8_t value, size_t from, size_t end);

/* ---- Framers ------------------------------------------------------------------------------------ */

/* Scans a[p, end), which starts at a possible frame start or garbage; with at_end no more bytes come. */
MS_INTERNAL void ms_mbus_scan(const ms_meter *m, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s);
MS_INTERNAL void ms_hdlc_scan(const ms_meter *m, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s);
MS_INTERNAL void ms_raw_scan(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s);

typedef struct ms_telegram_sink ms_telegram_sink;

/* A transport's stages, chosen by the meter (ms_meter.framing). */
struct ms_framing {
    uint8_t transport; /* ms_transport: what the meter's own field must say */
    void (*scan)(ms_decoder *d, const uint8_t *a, size_t p, size_t end, int at_end, ms_scan *s);
    int (*frame)(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out);
    /* a telegram's last segment arrived: hands the telegram on; NULL: as it is */
    void (*complete)(ms_segments *r, const ms_telegram_sink *out);
};

/* The M-Bus checksum: the sum of a[from, to) modulo 256. */
MS_INTERNAL uint8_t ms_mbus_sum(const uint8_t *a, size_t from, size_t to);
/* CRC-16/X.25 of a[off, end) (Crc16.compute). */
MS_INTERNAL uint16_t ms_crc16(const uint8_t *a, size_t off, size_t end);
/* Whether the CRC of a[off, end) equals the little-endian value at a[end]. */
MS_INTERNAL int ms_crc16_matches(const uint8_t *a, size_t off, size_t end);

/* ---- TelegramBuffer ------------------------------------------------------------------------------ */

MS_INTERNAL void ms_telegram_init(ms_telegram *t, uint8_t *own, uint32_t capacity, ms_piece *pieces, uint16_t max_pieces);
MS_INTERNAL void ms_telegram_begin(ms_telegram *t, uint64_t start);
MS_INTERNAL int ms_telegram_fits(const ms_telegram *t, size_t n);
MS_INTERNAL void ms_telegram_append(ms_telegram *t, const uint8_t *a, size_t n, uint64_t at, uint64_t frame_at);
MS_INTERNAL void ms_telegram_drop_first(ms_telegram *t);
MS_INTERNAL void ms_telegram_view(ms_telegram *t, const uint8_t *a, size_t n, uint64_t at, const ms_result *decoded);
MS_INTERNAL void ms_telegram_suffix(const ms_telegram *t, uint16_t k, ms_telegram *into);
MS_INTERNAL uint64_t ms_telegram_stream_offset(const ms_telegram *t, uint32_t i);

/* ---- Reassembler: where telegrams and reassembly errors go (Reassembler.Sink) ---------------- */

struct ms_telegram_sink {
    /* a complete telegram; false when it is an APDU that did not decode (reported only with report) */
    int (*telegram)(void *ctx, ms_telegram *t, int report);
    /* whether it reads (a sound block, or an APDU that decodes); keeps the result in t->decoded */
    int (*reads)(void *ctx, ms_telegram *t);
    /* a transport error at a stream offset */
    void (*error)(void *ctx, ms_err code, uint64_t offset);
    void *ctx;
};

MS_INTERNAL void ms_segments_init(ms_segments *r, const ms_meter *m, uint8_t *own, uint32_t capacity, ms_piece *pieces,
                      uint16_t max_pieces, ms_piece *tail, uint16_t max_tail);
/* A frame the framer accepted at a[p], stream offset at; false: look again one byte on. */
MS_INTERNAL int ms_segments_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out);
MS_INTERNAL void ms_segments_damaged(ms_segments *r, int more);
/* Whether a telegram is being reassembled, and since which stream offset. */
MS_INTERNAL int ms_segments_open(const ms_segments *r, uint64_t *since);
MS_INTERNAL void ms_segments_reset(ms_segments *r);

/* Segments' shared steps, and each transport's frame(). */
MS_INTERNAL void ms_segments_begin(ms_segments *r, uint64_t at);
MS_INTERNAL void ms_segments_add(ms_segments *r, const uint8_t *a, size_t from, size_t n, uint64_t at, uint64_t frame_at,
                     int more, const ms_telegram_sink *out);
MS_INTERNAL int ms_mbus_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out);
MS_INTERNAL int ms_hdlc_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out);
MS_INTERNAL void ms_hdlc_complete(ms_segments *r, const ms_telegram_sink *out);
MS_INTERNAL int ms_raw_frame(ms_segments *r, const uint8_t *a, size_t p, const ms_scan *s, uint64_t at, const ms_telegram_sink *out);

/* ---- BlockAssembler ---------------------------------------------------------------------------- */

#define MS_BLOCK_TAG 0xE0

MS_INTERNAL void ms_blocks_init(ms_blocks *b, uint16_t max_blocks, uint8_t *apdu, uint32_t capacity);
/* Takes the block telegram t is; true when it was a transfer's last (the APDU is apdu[0, completed)). */
MS_INTERNAL int ms_blocks_block(ms_blocks *b, const ms_telegram *t, const ms_telegram_sink *out);
MS_INTERNAL int ms_blocks_readable(const ms_blocks *b, const ms_telegram *t);
MS_INTERNAL void ms_blocks_interrupt(ms_blocks *b, const ms_telegram_sink *out);
MS_INTERNAL void ms_blocks_damaged(ms_blocks *b);
MS_INTERNAL int ms_blocks_open(const ms_blocks *b, uint64_t *since);
MS_INTERNAL void ms_blocks_reset(ms_blocks *b);

/*
 * Block transfer, where the meter's spec allows it (ms_meter.block_transfer): the stream calls the
 * assembler only through these, so a meter without block transfer links none of it.
 */
struct ms_block_assembler {
    void (*init)(ms_blocks *b, uint16_t max_blocks, uint8_t *apdu, uint32_t capacity);
    int (*block)(ms_blocks *b, const ms_telegram *t, const ms_telegram_sink *out);
    int (*readable)(const ms_blocks *b, const ms_telegram *t);
    void (*interrupt)(ms_blocks *b, const ms_telegram_sink *out);
    void (*damaged)(ms_blocks *b);
    int (*open)(const ms_blocks *b, uint64_t *since);
    void (*reset)(ms_blocks *b);
};

/* ---- InOrder ---------------------------------------------------------------------------------- */

MS_INTERNAL void ms_inorder_init(ms_inorder *o, ms_waiting *w, size_t capacity, const ms_reading *reading);
/* A result at stream position; after any already given at the same position. */
MS_INTERNAL void ms_inorder_add(ms_inorder *o, const ms_result *r, uint64_t position);
/* Passes on, in order, every result before horizon. */
MS_INTERNAL void ms_inorder_release(ms_inorder *o, uint64_t horizon);
MS_INTERNAL void ms_inorder_flush(ms_inorder *o);
MS_INTERNAL void ms_inorder_clear(ms_inorder *o);
/*
 * Passes on everything up to the reading waiting, if one is: the decoder's one reading buffer is
 * about to be written. A reading never waits past the frame that completed it, so this passes
 * nothing; it makes sure a reading goes out early rather than overwritten should that ever change.
 */
MS_INTERNAL void ms_inorder_settle_reading(ms_inorder *o);

/* ---- The APDU layer (MeterDecoder) -------------------------------------------------------------- */

/* Decodes one complete APDU a[0, len): a reading (d->reading) or an error. */
MS_INTERNAL ms_result ms_decode_apdu(ms_decoder *d, const uint8_t *a, uint32_t len);

/* What the plain notification at the start of some bytes decodes to, and the bytes it takes. */
typedef struct ms_prefix {
    uint8_t needs_more; /* the bytes end inside it: with more of them it may still decode */
    ms_result result;
    uint32_t length; /* bytes it took; 0: its end was not found */
} ms_prefix;

MS_INTERNAL void ms_decode_prefix(ms_decoder *d, const uint8_t *a, uint32_t len, ms_prefix *out);

#endif /* MS_STREAM_IMPL_H */
