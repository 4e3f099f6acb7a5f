/*
 * meterspec C runtime: the stream decoder and its public API (StreamDecoder, MeterDecoder).
 *
 * A one-to-one port of the Java runtime's transport, stream, block-transfer, security and APDU
 * layers: bytes fed in chunks of any size give the same results, in the same order, with the same
 * codes, offsets and lengths, as the Java decoder of the same spec. Nothing here allocates: the
 * caller owns the ms_decoder and every buffer it uses (MS_STREAM_STORAGE sizes them from the
 * generated meter header), and ms_decoder_init checks each against what the meter needs.
 *
 * Not thread-safe; one decoder per stream. The callback must not call into the decoder it came
 * from. A reading passed to the callback (its values and pool) stays valid until the callback
 * returns; copy what must outlive it.
 */
#ifndef MS_STREAM_H
#define MS_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "ms_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What ms_decoder_init says of its arguments: not decode errors (no layer), never in a result. */
#define MS_STREAM_BAD_ARGUMENT ((ms_err)1)
#define MS_STREAM_BUFFER_TOO_SMALL ((ms_err)2)

/*
 * The most input bytes one run of rejected frame candidates spans before it is reported
 * (StreamDecoder.RUN_CAP): an endless stream of garbage is reported every 64 KiB.
 */
#define MS_RUN_CAP UINT64_C(65536)
/* Runs of damaged frames an open block transfer survives (BlockAssembler.MAX_DAMAGE). */
#define MS_MAX_DAMAGE 4
/* Security control and authentication key: the AAD before an authenticated-only content. */
#define MS_AAD_HEADER 17

/* ---- Buffer sizes (Framer.window(), Framer.pending(), ...), as integer constant expressions -- */

#define MS_AT_LEAST_1(n) ((n) > 0 ? (n) : 1)
/* M-Bus: a frame whose L field wrapped, 6 + 255 + 256 bytes; HDLC: the longest 11-bit frame and
   both flags; bare APDUs: one byte more than the longest telegram, which tells one too long. */
#define MS_SIZE_WINDOW(transport, max_telegram)                                                    \
    ((transport) == MS_TRANSPORT_MBUS ? 6 + 511 : (transport) == MS_TRANSPORT_HDLC ? 0x7FF + 2 : (max_telegram) + 1)
/* Results waiting for stream order: reach / shortest frame + MS_MAX_DAMAGE + 8 (35, 268, 12). */
#define MS_SIZE_WAITING(transport)                                                                 \
    ((transport) == MS_TRANSPORT_MBUS ? (5 + 255) / (6 + 5) + MS_MAX_DAMAGE + 8                    \
     : (transport) == MS_TRANSPORT_HDLC ? (0x7FF + 1) / (7 + 1) + MS_MAX_DAMAGE + 8                \
                                        : 0 / 1 + MS_MAX_DAMAGE + 8)
/* The reassembled telegram (bare APDUs are viewed in place) and the frames it came in. */
#define MS_SIZE_TELEGRAM(transport, max_telegram)                                                  \
    ((transport) == MS_TRANSPORT_RAW ? 1 : MS_AT_LEAST_1(max_telegram))
#define MS_SIZE_PIECES(transport, max_frames) ((transport) == MS_TRANSPORT_RAW ? 1 : MS_AT_LEAST_1(max_frames))
/* HDLC without LLC headers retries the telegram from a later frame on: its own piece list. */
#define MS_SIZE_TAIL(transport, max_frames) ((transport) == MS_TRANSPORT_HDLC ? MS_AT_LEAST_1(max_frames) : 1)
/* The APDU that General Block Transfer blocks are joined into. */
#define MS_SIZE_BLOCKS(max_blocks, max_apdu) ((max_blocks) > 0 ? MS_AT_LEAST_1(max_apdu) : 1)
/* The decrypted APDU; an authenticated-only content is verified with its AAD assembled in front. */
#define MS_SIZE_PLAIN(max_apdu) ((max_apdu) + MS_AAD_HEADER)

/* One result waiting for stream order (InOrder): code MS_OK is the decoder's current reading. */
typedef struct ms_waiting {
    uint64_t position;
    uint64_t offset;
    uint32_t length;
    uint16_t code;
} ms_waiting;

/* Where a piece of a reassembled telegram came from (TelegramBuffer's three arrays). */
typedef struct ms_piece {
    uint64_t stream; /* stream offset of the piece's first byte */
    uint64_t frame;  /* stream offset of the first byte of the frame it came in */
    uint32_t at;     /* offset in the telegram of the piece's first byte */
} ms_piece;

/*
 * The struct members of every stream buffer a meter needs, sized from the generated header's
 * P_TRANSPORT, P_MAX_TELEGRAM, P_MAX_FRAMES, P_MAX_APDU and P_MAX_BLOCKS.
 */
#define MS_STREAM_STORAGE(P)                                                                       \
    ms_waiting ms_stream_waiting[MS_SIZE_WAITING(P##_TRANSPORT)];                                  \
    ms_piece ms_stream_pieces[MS_SIZE_PIECES(P##_TRANSPORT, P##_MAX_FRAMES)];                      \
    ms_piece ms_stream_tail[MS_SIZE_TAIL(P##_TRANSPORT, P##_MAX_FRAMES)];                          \
    uint8_t ms_stream_window[MS_SIZE_WINDOW(P##_TRANSPORT, P##_MAX_TELEGRAM)];                     \
    uint8_t ms_stream_telegram[MS_SIZE_TELEGRAM(P##_TRANSPORT, P##_MAX_TELEGRAM)];                 \
    uint8_t ms_stream_blocks[MS_SIZE_BLOCKS(P##_MAX_BLOCKS, P##_MAX_APDU)];                        \
    uint8_t ms_stream_plain[MS_SIZE_PLAIN(P##_MAX_APDU)];

#define MS_COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* Points the stream fields of the ms_buffers `buffers` at the MS_STREAM_STORAGE members of `storage`. */
#define MS_STREAM_BIND(buffers, storage)                                                           \
    do {                                                                                           \
        (buffers).waiting = (storage).ms_stream_waiting;                                           \
        (buffers).waiting_size = MS_COUNT_OF((storage).ms_stream_waiting);                         \
        (buffers).pieces = (storage).ms_stream_pieces;                                             \
        (buffers).pieces_size = MS_COUNT_OF((storage).ms_stream_pieces);                           \
        (buffers).tail = (storage).ms_stream_tail;                                                 \
        (buffers).tail_size = MS_COUNT_OF((storage).ms_stream_tail);                               \
        (buffers).window = (storage).ms_stream_window;                                             \
        (buffers).window_size = sizeof((storage).ms_stream_window);                                \
        (buffers).telegram = (storage).ms_stream_telegram;                                         \
        (buffers).telegram_size = sizeof((storage).ms_stream_telegram);                            \
        (buffers).blocks = (storage).ms_stream_blocks;                                             \
        (buffers).blocks_size = sizeof((storage).ms_stream_blocks);                                \
        (buffers).plain = (storage).ms_stream_plain;                                               \
        (buffers).plain_size = sizeof((storage).ms_stream_plain);                                  \
    } while (0)

/* The caller's arrays a decoder works in, with their sizes in elements. */
typedef struct ms_buffers {
    /* the stream's: MS_STREAM_STORAGE, bound with MS_STREAM_BIND */
    ms_waiting *waiting;
    size_t waiting_size;
    ms_piece *pieces;
    size_t pieces_size;
    ms_piece *tail;
    size_t tail_size;
    uint8_t *window;
    size_t window_size;
    uint8_t *telegram;
    size_t telegram_size;
    uint8_t *blocks;
    size_t blocks_size;
    uint8_t *plain;
    size_t plain_size;
    /* the body reader's: values, string pool, walk stack, a push's object list; the meter says
       how many values, pool bytes and push objects it needs (checked here), the body reader
       checks the walk stack against the depth of each walk */
    ms_value *values;
    size_t max_values;
    uint8_t *pool;
    size_t pool_size;
    uint32_t *pending;
    size_t pending_size;
    uint64_t *push_codes;
    size_t push_size;
} ms_buffers;

/* ---- The decoder's state: the caller's memory, its fields are the runtime's ----------------- */

/* What a framer found at the scan position (Scan). */
typedef struct ms_scan {
    uint8_t kind;
    uint8_t more;       /* more frames of this telegram follow */
    uint8_t unmeasured; /* a bare candidate whose length could not be measured */
    uint8_t has_decoded;
    int8_t segment; /* M-Bus segment number, -1 where the transport has none */
    size_t consumed;
    size_t payload_off;
    size_t payload_len;
    ms_err error;
    size_t error_pos;
    ms_result decoded; /* a bare notification the framer decoded to measure it */
} ms_scan;

/* One transport telegram: the own buffer segments are copied into, or a view (TelegramBuffer). */
typedef struct ms_telegram {
    uint8_t *own;
    uint32_t capacity;
    ms_piece *piece;
    uint16_t max_pieces;
    const uint8_t *bytes;
    uint32_t length;
    uint16_t pieces;
    uint64_t start; /* stream offset of the first byte of the frame that began it */
    uint8_t has_decoded;
    ms_result decoded; /* what it decoded to when it was asked whether it reads */
} ms_telegram;

/* Segment reassembly (Segments, MbusSegments, HdlcSegments, RawApdus). */
typedef struct ms_segments {
    const ms_meter *meter;
    ms_telegram telegram; /* bare APDUs: the view */
    uint8_t assembling;
    uint8_t discarding;
    ms_err overflow; /* MS_OK: none */
    uint64_t overflow_at;
    uint8_t next_segment; /* M-Bus */
    uint8_t llc_seen;     /* HDLC */
    uint8_t llc_first;
    ms_telegram tail;
    uint64_t discard_until; /* bare APDUs */
    uint8_t lost;
} ms_segments;

/* General Block Transfer (BlockAssembler). */
typedef struct ms_blocks {
    uint16_t max_blocks;
    uint8_t *apdu;
    uint32_t capacity;
    uint32_t length;
    uint32_t next; /* the block number expected next; 0: no transfer open */
    uint8_t discarding;
    uint8_t damage;
    uint64_t start;
    uint32_t completed;
} ms_blocks;

/* Results in stream order (InOrder). */
typedef struct ms_inorder {
    ms_waiting *w;
    size_t capacity;
    size_t size;
    uint64_t count;
    uint8_t reading_waiting;
    ms_callback callback;
    void *ctx;
    const ms_reading *reading;
} ms_inorder;

typedef struct ms_decoder {
    const ms_meter *meter;
    ms_buffers buffers; /* as given, for ms_decoder_clear */
    /* keys, copied; zeroised by ms_decoder_clear */
    uint8_t encryption_key[16];
    uint8_t authentication_key[16];
    uint8_t broadcast_key[16];
    uint8_t has_keys; /* bit 0 encryption, 1 authentication, 2 broadcast */
    uint8_t require_authentication;
    /* the APDU layer (MeterDecoder) */
    uint8_t *plain;
    size_t plain_size;
    ms_body body;
    ms_reading reading;
    uint32_t consumed;
    uint32_t apdu_error_at; /* where the APDU's error is, while its result is made */
    /* the stream (StreamDecoder) */
    ms_scan scan;
    ms_segments segments;
    ms_blocks blocks;
    ms_inorder out;
    uint8_t *buf;
    size_t buf_size;
    size_t start;
    size_t end;
    uint64_t offset; /* stream offset of buf[start] */
    uint8_t last_incomplete;
    uint16_t run_code; /* 0: no run open */
    uint64_t run_offset;
    uint64_t run_first;
    uint64_t run_last;
    /* a one-shot decode: its first result, after which nothing more is decoded */
    uint8_t stopped;
    uint8_t has_first;
    ms_result first;
} ms_decoder;

/* ---- API --------------------------------------------------------------------------------------- */

/*
 * In a build for one meter (unity/ms_one_meter.c) the functions marked MS_INTERNAL belong to the
 * meter's own (NAME_init, NAME_feed, NAME_finish, NAME_decode, NAME_clear), which a firmware calls
 * instead; ms_decoder_reset, ms_decoder_count and ms_decoder_position stay callable on its decoder.
 */

/*
 * Sets up d for meter m in the caller's buffers, which must each be at least what m needs
 * (MS_STREAM_BUFFER_TOO_SMALL otherwise). The keys given are copied; keys may be NULL (none).
 * require_authentication: every telegram must carry a verified tag, whatever the spec says.
 * Results go to cb(ctx, number, result) in stream order, numbered from 1.
 */
MS_INTERNAL ms_err ms_decoder_init(ms_decoder *d, const ms_meter *m, const ms_buffers *b, const ms_keys *keys,
                       int require_authentication, ms_callback cb, void *ctx);
/*
 * ms_decoder_init without its checks, for a generated decoder whose buffers the generator sized
 * from the same spec (NAME_init): each of b's stream buffers must be exactly the MS_SIZE_* of m,
 * the others at least what ms_decoder_init requires.
 */
MS_INTERNAL void ms_decoder_setup(ms_decoder *d, const ms_meter *m, const ms_buffers *b, const ms_keys *keys,
                      int require_authentication, ms_callback cb, void *ctx);
/* Feeds the next len bytes of the stream. */
MS_INTERNAL void ms_decoder_feed(ms_decoder *d, const uint8_t *bytes, size_t len);
/* The stream has ended: reports a frame or telegram left incomplete. The stream may go on after it. */
MS_INTERNAL void ms_decoder_finish(ms_decoder *d);
/* Forgets everything buffered and waiting, without reporting it; numbering continues. */
void ms_decoder_reset(ms_decoder *d);
/* Zeroises the keys and every buffer; d must be initialised again before it is used. */
MS_INTERNAL void ms_decoder_clear(ms_decoder *d);
/* Telegrams reported so far. */
uint64_t ms_decoder_count(const ms_decoder *d);
/* Bytes fed since the decoder was set up or last reset (ms_decode resets it). */
uint64_t ms_decoder_position(const ms_decoder *d);
/*
 * Decodes the first telegram in bytes[0, len) (all frames of it): what the stream reports first
 * for the same bytes, or MS_ERR_TELEGRAM_INCOMPLETE at 0 when it reports nothing. Forgets a stream
 * in progress on d (as ms_decoder_reset) and calls no callback. *out, and the reading it points
 * to, stay valid until the next call on d. Returns out->error.
 */
MS_INTERNAL ms_err ms_decode(ms_decoder *d, const uint8_t *bytes, size_t len, ms_result *out);

#ifdef __cplusplus
}
#endif

#endif /* MS_STREAM_H */
