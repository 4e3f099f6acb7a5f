package org.meterspec.runtime;

/**
 * Puts results in stream order. A result's position is where in the input it begins: a
 * transport error's offset, a telegram's first byte. A damaged frame's error may name a byte
 * beyond the start of a later telegram (its length field reached into it); such an error waits
 * here until nothing before it can still come. Readings never wait: a telegram is complete when
 * it is reported, and the stream decoder moves past it before it asks what may go.
 * Fixed capacity, sized from the framer; if it were ever full the earliest result goes first.
 */
final class InOrder {
    private final long[] positions;
    private final TelegramResult[] results;
    private int size;
    private final StreamDecoder.Listener listener;
    private long count;

    InOrder(int capacity, StreamDecoder.Listener listener) {
        this.positions = new long[capacity];
        this.results = new TelegramResult[capacity];
        this.listener = listener;
    }

    /** Number of results passed on so far. */
    long count() {
        return count;
    }

    /** A result at stream position {@code position}; after any already given at the same position. */
    void add(TelegramResult result, long position) {
        if (size == positions.length) {
            pass();
        }
        int i = size;
        while (i > 0 && positions[i - 1] > position) {
            positions[i] = positions[i - 1];
            results[i] = results[i - 1];
            i--;
        }
        positions[i] = position;
        results[i] = result;
        size++;
    }

    /** Passes on, in order, every result before {@code horizon}: nothing still to come lies before it. */
    void release(long horizon) {
        while (size > 0 && positions[0] < horizon) {
            pass();
        }
    }

    /** Passes on everything waiting. */
    void flush() {
        release(Long.MAX_VALUE);
    }

    /** Forgets what is waiting, without passing it on. */
    void clear() {
        java.util.Arrays.fill(results, 0, size, null);
        size = 0;
    }

    int waiting() {
        return size;
    }

    private void pass() {
        TelegramResult r = results[0];
        size--;
        System.arraycopy(positions, 1, positions, 0, size);
        System.arraycopy(results, 1, results, 0, size);
        results[size] = null;
        listener.onTelegram(++count, r);
    }
}
