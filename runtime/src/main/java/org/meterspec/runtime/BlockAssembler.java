package org.meterspec.runtime;

/**
 * General Block Transfer: {@code E0 control block-number(2) block-number-ack(2) length data},
 * one block per transport telegram; control bit 7 marks the last block. Blocks are numbered from
 * 1 without gaps; their data joined is one APDU of at most {@code maxApdu} bytes, held in a buffer
 * sized once from the spec. Joining happens before there is an APDU, so its errors are transport
 * errors at stream offsets: a block's fields through {@link TelegramBuffer#streamOffset}, a transfer
 * cut short at the start of the telegram that carried its block 1.
 */
final class BlockAssembler {
    static final int TAG = 0xE0;
    private static final int NUMBER_AT = 2;
    /** Runs of damaged frames an open transfer survives. */
    static final int MAX_DAMAGE = 4;
    /** Tag, control, block number and acknowledged block number come before the length. */
    private static final int LENGTH_AT = 6;

    private final int maxBlocks;
    private final byte[] apdu;
    private int length;
    /** The block number expected next; 0 when no transfer is open (then {@code length} is 0 too). */
    private int next;
    /** A transfer was reported as broken: its remaining blocks are dropped without a second report. */
    private boolean discarding;
    /** Stream offset of the telegram that carried block 1 of the open transfer. */
    private long start;
    /** Runs of damaged frames reported since the open transfer began. */
    private int damage;
    private int completed;

    BlockAssembler(DecoderConfig config) {
        this.maxBlocks = config.maxBlocks;
        this.apdu = new byte[config.maxBlocks > 0 ? config.maxApdu : 0];
    }

    /**
     * Takes the block that telegram {@code t} is. Returns true when it was the last block of a
     * transfer; the APDU is then {@link #apdu()}{@code [0, }{@link #completed()}{@code )}, begun at
     * {@link #completedStart()}.
     */
    boolean block(TelegramBuffer t, Reassembler.Sink out) {
        if (maxBlocks == 0) {
            out.error(ErrorCode.GBT_NOT_ALLOWED, t.streamOffset(0));
            return false;
        }
        int q = dataAt(t);
        if (q < 0) {
            // the length field, or the block as a whole when it ends before one
            malformed(t.streamOffset(t.length < LENGTH_AT + 1 ? 0 : LENGTH_AT), out);
            return false;
        }
        boolean last = (t.at(1) & 0x80) != 0;
        int number = (t.at(2) << 8) | t.at(3);
        int dataLength = t.length - q;
        if (number == 1) {
            if (next > 0 && !discarding) {
                // the open transfer is cut short by a new one
                out.error(ErrorCode.GBT_BLOCK_SEQUENCE, start);
            }
            length = 0;
            next = 1;
            discarding = false;
            damage = 0;
            start = t.start;
        } else if (number != next || number == 0) {
            if (!discarding) {
                out.error(ErrorCode.GBT_BLOCK_SEQUENCE, t.streamOffset(NUMBER_AT));
            }
            abandon();
            return false;
        }
        if (number > maxBlocks) {
            out.error(ErrorCode.GBT_TOO_MANY_BLOCKS, t.streamOffset(NUMBER_AT));
            abandon();
            return false;
        }
        if (length + dataLength > apdu.length) {
            out.error(ErrorCode.TELEGRAM_TOO_LONG, t.streamOffset(0));
            abandon();
            return false;
        }
        System.arraycopy(t.bytes, t.off + q, apdu, length, dataLength);
        length += dataLength;
        next = number + 1;
        if (!last) {
            return false;
        }
        completed = length;
        length = 0;
        next = 0;
        return true;
    }

    /** Whether {@code t} is a block this spec takes, with a sound header and length; changes nothing. */
    boolean readable(TelegramBuffer t) {
        return maxBlocks > 0 && dataAt(t) >= 0;
    }

    /** Where the data of block {@code t} begins, or -1 when its length field is unsound. */
    private static int dataAt(TelegramBuffer t) {
        int len = t.length;
        if (len < LENGTH_AT + 1) {
            return -1;
        }
        int q = LENGTH_AT;
        int first = t.at(q++);
        int dataLength = first;
        if (first >= 0x80) {
            int n = first & 0x7F;
            if (n == 0 || n > 2 || q + n > len) {
                return -1;
            }
            dataLength = 0;
            for (int i = 0; i < n; i++) {
                dataLength = (dataLength << 8) | t.at(q++);
            }
        }
        return q + dataLength == len ? q : -1;
    }

    /** A block that cannot be read: reported where its length should be; the transfer it belonged to is lost. */
    private void malformed(long at, Reassembler.Sink out) {
        out.error(ErrorCode.GBT_BLOCK_LENGTH, at);
        abandon();
    }

    /** A telegram that is no block arrived: an open transfer never got its last block. */
    void interrupt(Reassembler.Sink out) {
        if (next > 0) {
            out.error(ErrorCode.GBT_BLOCK_SEQUENCE, start);
            length = 0;
            next = 0;
        }
        discarding = false;
    }

    /**
     * A run of damaged frames was reported. If it carried the open transfer's next block, the next
     * block out of sequence is its consequence and is not reported again; if it was noise between
     * two blocks, the transfer goes on. Errors found while a transfer is open wait for its reading,
     * which comes first in stream order: beyond {@link #MAX_DAMAGE} runs the transfer is given up,
     * so that what waits stays within a fixed buffer.
     */
    void damaged() {
        discarding = true;
        if (next > 0 && ++damage > MAX_DAMAGE) {
            abandon();
        }
    }

    private void abandon() {
        length = 0;
        next = 0;
        discarding = true;
    }

    /** Stream offset of the telegram that carried block 1 of the open transfer, or -1. */
    long openSince() {
        return next > 0 ? start : -1;
    }

    byte[] apdu() {
        return apdu;
    }

    int completed() {
        return completed;
    }

    long completedStart() {
        return start;
    }

    void reset() {
        length = 0;
        next = 0;
        discarding = false;
    }
}
