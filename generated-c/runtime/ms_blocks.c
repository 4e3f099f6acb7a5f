/*
 * General Block Transfer (BlockAssembler): E0 control block-number(2) block-number-ack(2) length
 * data, one block per transport telegram; control bit 7 marks the last block. Blocks are numbered
 * from 1 without gaps; their data joined is one APDU of at most max_apdu bytes. Joining happens
 * before there is an APDU, so its errors are transport errors at stream offsets.
 */
#include <string.h>

#include "ms_stream_impl.h"

#define NUMBER_AT 2
/* Tag, control, block number and acknowledged block number come before the length. */
#define LENGTH_AT 6

MS_INTERNAL void ms_blocks_init(ms_blocks *b, uint16_t max_blocks, uint8_t *apdu, uint32_t capacity) {
    memset(b, 0, sizeof *b);
    b->max_blocks = max_blocks;
    b->apdu = apdu;
    b->capacity = max_blocks > 0 ? capacity : 0;
}

/* Where the data of block t begins, or -1 when its length field is unsound. */
static int32_t data_at(const ms_telegram *t) {
    uint32_t len = t->length;
    uint32_t q = LENGTH_AT;
    uint32_t first;
    uint32_t data_length;
    if (len < LENGTH_AT + 1) {
        return -1;
    }
    first = t->bytes[q++];
    data_length = first;
    if (first >= 0x80) {
        uint32_t n = first & 0x7F;
        uint32_t i;
        if (n == 0 || n > 2 || q + n > len) {
            return -1;
        }
        data_length = 0;
        for (i = 0; i < n; i++) {
            data_length = (data_length << 8) | t->bytes[q++];
        }
    }
    return q + data_length == len ? (int32_t)q : -1;
}

static void abandon(ms_blocks *b) {
    b->length = 0;
    b->next = 0;
    b->discarding = 1;
}

MS_INTERNAL int ms_blocks_block(ms_blocks *b, const ms_telegram *t, const ms_telegram_sink *out) {
    int32_t q;
    int last;
    uint32_t number;
    uint32_t data_length;
    if (b->max_blocks == 0) {
        out->error(out->ctx, MS_ERR_GBT_NOT_ALLOWED, ms_telegram_stream_offset(t, 0));
        return 0;
    }
    q = data_at(t);
    if (q < 0) {
        /* the length field, or the block as a whole when it ends before one; the transfer is lost */
        out->error(out->ctx, MS_ERR_GBT_BLOCK_LENGTH, ms_telegram_stream_offset(t, t->length < LENGTH_AT + 1 ? 0 : LENGTH_AT));
        abandon(b);
        return 0;
    }
    last = (t->bytes[1] & 0x80) != 0;
    number = ((uint32_t)t->bytes[2] << 8) | t->bytes[3];
    data_length = t->length - (uint32_t)q;
    if (number == 1) {
        if (b->next > 0 && !b->discarding) {
            /* the open transfer is cut short by a new one */
            out->error(out->ctx, MS_ERR_GBT_BLOCK_SEQUENCE, b->start);
        }
        b->length = 0;
        b->next = 1;
        b->discarding = 0;
        b->damage = 0;
        b->start = t->start;
    } else if (number != b->next || number == 0) {
        if (!b->discarding) {
            out->error(out->ctx, MS_ERR_GBT_BLOCK_SEQUENCE, ms_telegram_stream_offset(t, NUMBER_AT));
        }
        abandon(b);
        return 0;
    }
    if (number > b->max_blocks) {
        out->error(out->ctx, MS_ERR_GBT_TOO_MANY_BLOCKS, ms_telegram_stream_offset(t, NUMBER_AT));
        abandon(b);
        return 0;
    }
    if (data_length > b->capacity - b->length) {
        out->error(out->ctx, MS_ERR_TELEGRAM_TOO_LONG, ms_telegram_stream_offset(t, 0));
        abandon(b);
        return 0;
    }
    if (data_length > 0) {
        memcpy(b->apdu + b->length, t->bytes + q, data_length);
    }
    b->length += data_length;
    b->next = number + 1;
    if (!last) {
        return 0;
    }
    b->completed = b->length;
    b->length = 0;
    b->next = 0;
    return 1;
}

MS_INTERNAL int ms_blocks_readable(const ms_blocks *b, const ms_telegram *t) {
    return b->max_blocks > 0 && data_at(t) >= 0;
}

/* A telegram that is no block arrived: an open transfer never got its last block. */
MS_INTERNAL void ms_blocks_interrupt(ms_blocks *b, const ms_telegram_sink *out) {
    if (b->next > 0) {
        out->error(out->ctx, MS_ERR_GBT_BLOCK_SEQUENCE, b->start);
        b->length = 0;
        b->next = 0;
    }
    b->discarding = 0;
}

/*
 * A run of damaged frames was reported. If it carried the open transfer's next block, the next
 * block out of sequence is its consequence and is not reported again; if it was noise between
 * two blocks, the transfer goes on. Beyond MS_MAX_DAMAGE runs the transfer is given up, so that
 * the errors waiting for its reading stay within a fixed buffer.
 */
MS_INTERNAL void ms_blocks_damaged(ms_blocks *b) {
    b->discarding = 1;
    if (b->next > 0 && ++b->damage > MS_MAX_DAMAGE) {
        abandon(b);
    }
}

MS_INTERNAL int ms_blocks_open(const ms_blocks *b, uint64_t *since) {
    if (b->next == 0) {
        return 0;
    }
    *since = b->start;
    return 1;
}

MS_INTERNAL void ms_blocks_reset(ms_blocks *b) {
    b->length = 0;
    b->next = 0;
    b->discarding = 0;
}

const struct ms_block_assembler ms_general_block_transfer = {
    ms_blocks_init, ms_blocks_block, ms_blocks_readable, ms_blocks_interrupt, ms_blocks_damaged, ms_blocks_open,
    ms_blocks_reset,
};
