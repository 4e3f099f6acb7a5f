package org.meterspec.runtime;

/**
 * M-Bus segments: the CI field's low nibble numbers a telegram's frames from 0, bit 4 marks the
 * last. A segment 0 begins a telegram; any other must be the one expected next.
 */
final class MbusSegments extends Segments {
    private int nextSegment;

    MbusSegments(DecoderConfig config) {
        super(config);
    }

    @Override
    public boolean frame(byte[] a, int p, Scan s, long at, Sink out) {
        int segment = s.segment;
        if (segment == 0) {
            if (assembling) {
                // the telegram being assembled never got its last segment
                out.error(ErrorCode.MBUS_SEGMENT_SEQUENCE, telegram.start);
            }
            begin(at);
        } else if (!assembling || segment != nextSegment) {
            if (!discarding) {
                out.error(ErrorCode.MBUS_SEGMENT_SEQUENCE, at);
            }
            assembling = false;
            discarding = true;
            return true;
        }
        nextSegment = (segment + 1) & 0x0F;
        add(a, s.payloadOff, s.payloadLen, at + (s.payloadOff - p), at, s.more, out);
        return true;
    }

    @Override
    public void damaged(boolean more) {
        // M-Bus numbers its segments: whatever follows a damaged frame is told by its number
        assembling = false;
        discarding = true;
    }
}
