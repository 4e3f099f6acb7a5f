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

    /** Appends {@code a[from, from+n)}, whose first byte is at stream offset {@code at}; {@link #fits} said so. */
    void append(byte[] a, int from, int n, long at) {
        pieceStream[pieces] = at;
        pieceAt[pieces] = length;
        pieces++;
        System.arraycopy(a, from, own, length, n);
        length += n;
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
        this.decoded = decoded;
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
