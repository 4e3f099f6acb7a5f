package org.meterspec.runtime;

/**
 * One transport telegram: its bytes, and where in the input stream each piece of it came from, so
 * that an offset inside it can be turned back into a stream offset. Either the reassembler's own
 * buffer, into which segments are copied, or a view of the stream's bytes (a bare APDU: one piece).
 * Sized once from the spec; nothing is allocated per telegram.
 */
final class TelegramBuffer {
    private final byte[] own;
    /** Stream offset of each piece's first byte. */
    private final long[] pieceStream;
    /** Offset in the telegram of each piece's first byte, ascending. */
    private final int[] pieceAt;
    /** Stream offset of the first byte of the frame each piece came in. */
    private final long[] pieceFrame;

    byte[] bytes;
    int off;
    int length;
    int pieces;
    /** Stream offset of the first byte of the frame that began the telegram. */
    long start;
    /** What the framer already made of a bare plain notification by decoding it, or null. */
    TelegramResult decoded;

    TelegramBuffer(int capacity, int maxPieces) {
        this.own = new byte[capacity];
        this.pieceStream = new long[Math.max(1, maxPieces)];
        this.pieceAt = new int[Math.max(1, maxPieces)];
        this.pieceFrame = new long[Math.max(1, maxPieces)];
        this.bytes = own;
    }

    /** Empties the own buffer for a telegram whose first frame starts at stream offset {@code start}. */
    void begin(long start) {
        bytes = own;
        off = 0;
        length = 0;
        pieces = 0;
        this.start = start;
        decoded = null;
    }

    /** Whether {@code n} more bytes and one more piece fit. */
    boolean fits(int n) {
        return pieces < pieceAt.length && length + n <= own.length;
    }

    /**
     * Appends {@code a[from, from+n)}, whose first byte is at stream offset {@code at}, from the
     * frame at stream offset {@code frameAt}; {@link #fits} said so.
     */
    void append(byte[] a, int from, int n, long at, long frameAt) {
        pieceStream[pieces] = at;
        pieceAt[pieces] = length;
        pieceFrame[pieces] = frameAt;
        pieces++;
        System.arraycopy(a, from, own, length, n);
        length += n;
    }

    /** Drops the first piece of a telegram in the own buffer: what remains begins with the next frame. */
    void dropFirst() {
        int n = pieces > 1 ? pieceAt[1] : length;
        System.arraycopy(own, n, own, 0, length - n);
        length -= n;
        pieces--;
        for (int i = 0; i < pieces; i++) {
            pieceStream[i] = pieceStream[i + 1];
            pieceAt[i] = pieceAt[i + 1] - n;
            pieceFrame[i] = pieceFrame[i + 1];
        }
    }

    /** Makes this the view of {@code a[from, from+n)}, which starts at stream offset {@code at}. */
    void view(byte[] a, int from, int n, long at, TelegramResult decoded) {
        bytes = a;
        off = from;
        length = n;
        start = at;
        pieces = 1;
        pieceStream[0] = at;
        pieceAt[0] = 0;
        pieceFrame[0] = at;
        this.decoded = decoded;
    }

    /**
     * Makes {@code into} the view of this telegram from piece {@code k} on: the telegram it would
     * be had it begun with the frame that carried piece {@code k}.
     */
    void suffix(int k, TelegramBuffer into) {
        into.bytes = bytes;
        into.off = off + pieceAt[k];
        into.length = length - pieceAt[k];
        into.pieces = pieces - k;
        into.start = pieceFrame[k];
        into.decoded = null;
        for (int i = k; i < pieces; i++) {
            into.pieceStream[i - k] = pieceStream[i];
            into.pieceAt[i - k] = pieceAt[i] - pieceAt[k];
            into.pieceFrame[i - k] = pieceFrame[i];
        }
    }

    int at(int i) {
        return bytes[off + i] & 0xFF;
    }

    /** Offset in the telegram where piece {@code k} begins. */
    int pieceAt(int k) {
        return pieceAt[k];
    }

    /** Stream offset of piece {@code k}'s first byte. */
    long pieceStream(int k) {
        return pieceStream[k];
    }

    /** The stream offset of the telegram's byte {@code i} (of its end, for {@code i == length}). */
    long streamOffset(int i) {
        int k = pieces - 1;
        while (k > 0 && pieceAt[k] > i) {
            k--;
        }
        return pieceStream[k] + (i - pieceAt[k]);
    }
}
