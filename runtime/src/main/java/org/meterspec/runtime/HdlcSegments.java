package org.meterspec.runtime;

/**
 * HDLC segments: the segmentation bit says more frames follow; the first segment of a telegram
 * may carry the LLC header {@code E6 E6|E7 00}. Once the stream has shown LLC headers (or the
 * spec requires them) a frame without one continues a telegram; without them every frame after
 * a complete telegram begins a new one, and where a telegram was cut off only decoding tells
 * where the next begins.
 */
final class HdlcSegments extends Segments {
    private static final int LLC_LENGTH = 3;

    /** The stream has shown LLC headers, so a frame without one is a continuation. */
    private boolean llcSeen;
    /** The telegram being joined began with an LLC header, which marks a first segment for certain. */
    private boolean llcFirst;
    /** The telegram from a later frame on, for the retry after a failed reassembly. */
    private final TelegramBuffer tail;

    HdlcSegments(DecoderConfig config) {
        super(config);
        this.tail = new TelegramBuffer(0, config.maxFrames);
    }

    @Override
    public boolean frame(byte[] a, int p, Scan s, long at, Sink out) {
        int off = s.payloadOff;
        int len = s.payloadLen;
        if (len == 0) {
            return true;
        }
        boolean llc = config.llc != DecoderConfig.Llc.ABSENT && len >= LLC_LENGTH && (a[off] & 0xFF) == 0xE6
                && (a[off + 1] & 0xFE) == 0xE6 && a[off + 2] == 0;
        llcSeen |= llc;
        if (discarding && !llc && (llcSeen || config.llc == DecoderConfig.Llc.REQUIRED)) {
            // a continuation of a telegram already reported as damaged; without LLC headers to
            // tell one, a frame is taken as a new telegram, so none is lost
            discarding = s.more;
            return true;
        }
        discarding = false;
        if (assembling && llc) {
            out.error(ErrorCode.HDLC_SEGMENT_SEQUENCE, telegram.start);
            assembling = false;
        }
        if (!assembling) {
            if (!llc && config.llc == DecoderConfig.Llc.REQUIRED) {
                out.error(ErrorCode.HDLC_LLC, at);
                discarding = s.more;
                return true;
            }
            begin(at);
            llcFirst = llc;
            if (llc) {
                off += LLC_LENGTH;
                len -= LLC_LENGTH;
            }
        }
        add(a, off, len, at + (off - p), at, s.more, out);
        return true;
    }

    /**
     * Without an LLC header nothing marks a first segment: a telegram cut off after a segment is
     * joined with the next telegram's frames, and where the two exceed the spec's bounds only the
     * newest frames were kept. When what was joined does not read (or lost its first frames), the
     * telegram beginning at each later frame is tried, and the first that reads is the next one.
     */
    @Override
    protected void complete(Sink out) {
        if (llcFirst || (telegram.pieces < 2 && overflow == null)) {
            out.telegram(telegram, true);
            return;
        }
        if (overflow == null && out.reads(telegram)) {
            out.telegram(telegram, true);
            return;
        }
        for (int k = overflow == null ? 1 : 0; k < telegram.pieces; k++) {
            telegram.suffix(k, tail);
            if (out.reads(tail)) {
                out.error(ErrorCode.HDLC_SEGMENT_SEQUENCE, telegram.start);
                out.telegram(tail, true);
                return;
            }
        }
        if (overflow != null) {
            // nothing in it reads: one telegram over the bounds
            out.error(overflow, overflowAt);
        } else {
            out.telegram(telegram, true);
        }
    }

    @Override
    protected boolean slides() {
        return !llcFirst;
    }

    @Override
    public void damaged(boolean more) {
        assembling = false;
        discarding = more;
    }

    @Override
    public void reset() {
        super.reset();
        llcSeen = false;
    }
}
