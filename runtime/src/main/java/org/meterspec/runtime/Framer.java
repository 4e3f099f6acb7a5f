package org.meterspec.runtime;

/** Finds the next frame in buffered bytes, or says why it cannot yet. */
abstract class Framer {
    /**
     * Scans {@code a[p, end)}, which starts at a possible frame start or garbage, and fills
     * {@code s}. With {@code atEnd} no more bytes will come.
     */
    abstract void scan(byte[] a, int p, int end, boolean atEnd, Scan s);

    /**
     * The most bytes from a candidate's first byte the framer needs to decide on it: it never asks
     * for more, so the stream buffers no more than this.
     */
    abstract int window();

    /** The most bytes past a candidate's first byte that the byte its error names can lie. */
    abstract int reach();

    /** The fewest bytes a frame the framer accepts takes. */
    abstract int shortest();

    /**
     * How many errors can wait for stream order at once: those naming a byte beyond a telegram
     * found after them (each at most {@link #reach()} past its frame's start, accepted frames of at
     * least {@link #shortest()} bytes between two of them), those found while a block transfer is
     * open ({@link BlockAssembler#MAX_DAMAGE} runs), and a few for what one frame yields.
     */
    final int pending() {
        return reach() / shortest() + BlockAssembler.MAX_DAMAGE + 8;
    }

    static Framer of(MeterDecoder decoder) {
        DecoderConfig config = decoder.config();
        return switch (config.transport) {
            case MBUS -> new MbusFramer(config);
            case HDLC -> new HdlcFramer(config);
            case RAW -> new RawFramer(decoder);
        };
    }

    static int indexOf(byte[] a, int value, int from, int end) {
        for (int i = from; i < end; i++) {
            if ((a[i] & 0xFF) == value) {
                return i;
            }
        }
        return end;
    }
}
