package org.meterspec.runtime;

/**
 * Turns one transport's frames into transport telegrams: joins segments, tells a new telegram
 * from the continuation of one, and drops the continuation of a telegram already reported as
 * damaged. One implementation per transport, chosen once per stream.
 */
interface Reassembler {

    /** Where complete telegrams and reassembly errors go. */
    interface Sink {
        /**
         * A complete transport telegram: a block of a block transfer, or an APDU. Returns false
         * when it is an APDU that did not decode; that failure is reported only with {@code report}.
         */
        boolean telegram(TelegramBuffer t, boolean report);

        /**
         * Whether the telegram reads: a block whose header and length are sound, or an APDU that
         * decodes. Reports and changes nothing; an APDU's result is kept in {@code t.decoded}, so
         * handing the telegram on does not decode it again.
         */
        boolean reads(TelegramBuffer t);

        /** A transport error found while reassembling, at a stream offset. */
        void error(ErrorCode code, long offset);
    }

    /**
     * A frame the framer accepted at {@code a[p]}, stream offset {@code at}; its payload is
     * {@code s.payloadOff, s.payloadLen}. Returns false when it was no telegram after all, so that
     * the stream looks again one byte on.
     */
    boolean frame(byte[] a, int p, Scan s, long at, Sink out);

    /** A damaged frame was reported; {@code more} when it said more segments follow. */
    void damaged(boolean more);

    /** Stream offset where the telegram being reassembled began, or -1 when none is open. */
    long openSince();

    /** Forgets the telegram being reassembled and everything learnt about the stream. */
    void reset();

    static Reassembler of(DecoderConfig config) {
        return switch (config.transport) {
            case MBUS -> new MbusSegments(config);
            case HDLC -> new HdlcSegments(config);
            case RAW -> new RawApdus(config);
        };
    }
}
