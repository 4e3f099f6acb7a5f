package org.meterspec.runtime;

/** Finds the next frame in buffered bytes, or says why it cannot yet. */
abstract class Framer {
    /**
     * Scans {@code a[p, end)}, which starts at a possible frame start or garbage, and fills
     * {@code s}. With {@code atEnd} no more bytes will come.
     */
    abstract void scan(byte[] a, int p, int end, boolean atEnd, Scan s);

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
