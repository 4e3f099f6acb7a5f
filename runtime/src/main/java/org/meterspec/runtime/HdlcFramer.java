package org.meterspec.runtime;

/**
 * HDLC frames of IEC 62056-46 ({@code 7E A?xx dst src ctrl HCS info FCS 7E}): frame type 3,
 * 11-bit length, no byte stuffing, addresses of 1–4 bytes ending in a set low bit, segmentation
 * bit S marking that more segments follow. A closing flag may open the next frame.
 */
final class HdlcFramer extends Framer {
    private static final int FLAG = 0x7E;
    /** Format (2), one-byte addresses (2), control (1), FCS (2). */
    private static final int MIN_LENGTH = 7;

    private final DecoderConfig config;
    private final boolean badFcs;

    HdlcFramer(DecoderConfig config) {
        this.config = config;
        this.badFcs = config.tolerates(Tolerance.BAD_FCS);
    }

    /** The longest frame the 11-bit length field can state, with both flags. */
    @Override
    int window() {
        return 0x7FF + 2;
    }

    /** The closing flag of the longest frame the 11-bit length field can state. */
    @Override
    int reach() {
        return 0x7FF + 1;
    }

    /** The shortest frame, its closing flag shared with the next. */
    @Override
    int shortest() {
        return MIN_LENGTH + 1;
    }

    @Override
    void scan(byte[] a, int p, int end, boolean atEnd, Scan s) {
        if ((a[p] & 0xFF) != FLAG) {
            s.skip(indexOf(a, FLAG, p + 1, end) - p);
            return;
        }
        int avail = end - p;
        if (avail < 3) {
            if (atEnd) {
                s.skip(avail);
            } else {
                s.needMore();
            }
            return;
        }
        int f1 = a[p + 1] & 0xFF;
        int len = ((f1 & 0x07) << 8) | (a[p + 2] & 0xFF);
        if ((f1 & 0xF0) != 0xA0 || len < MIN_LENGTH) {
            s.skip(1);
            return;
        }
        boolean more = (f1 & 0x08) != 0;
        if (avail < len + 2) {
            if (atEnd) {
                s.incomplete();
            } else {
                s.needMore();
            }
            return;
        }
        if ((a[p + len + 1] & 0xFF) != FLAG) {
            s.error(ErrorCode.HDLC_FLAG, p + len + 1, more);
            return;
        }
        int fcsPos = p + len - 1;
        int q = p + 3;
        int dst = address(a, q, fcsPos);
        if (dst <= 0) {
            s.error(dst == 0 ? ErrorCode.HDLC_FRAME_TOO_SHORT : ErrorCode.HDLC_ADDRESS, q, more);
            return;
        }
        int src = address(a, q + dst, fcsPos);
        if (src <= 0) {
            s.error(src == 0 ? ErrorCode.HDLC_FRAME_TOO_SHORT : ErrorCode.HDLC_ADDRESS, q + dst, more);
            return;
        }
        if ((config.hdlcDestinationLength > 0 && dst != config.hdlcDestinationLength)
                || (config.hdlcSourceLength > 0 && src != config.hdlcSourceLength)) {
            s.error(ErrorCode.HDLC_ADDRESS, config.hdlcDestinationLength > 0 && dst != config.hdlcDestinationLength
                    ? q : q + dst, more);
            return;
        }
        int control = q + dst + src;
        int header = control + 1;
        if (header == fcsPos) {
            // no information field: a link-layer frame, nothing for the reader
            if (!Crc16.matches(a, p + 1, fcsPos) && !badFcs) {
                s.error(ErrorCode.HDLC_FCS, fcsPos, more);
            } else {
                s.frame(len + 1, header, 0, -1, more);
            }
            return;
        }
        if (header + 2 > fcsPos) {
            s.error(ErrorCode.HDLC_FRAME_TOO_SHORT, header, more);
            return;
        }
        if (!Crc16.matches(a, p + 1, header)) {
            s.error(ErrorCode.HDLC_HCS, header, more);
            return;
        }
        if (!badFcs && !Crc16.matches(a, p + 1, fcsPos)) {
            s.error(ErrorCode.HDLC_FCS, fcsPos, more);
            return;
        }
        s.frame(len + 1, header + 2, fcsPos - header - 2, -1, more);
    }

    /** Length of the address at {@code q}: 1–4; 0 if it runs into the FCS, -1 if longer than 4. */
    private static int address(byte[] a, int q, int limit) {
        for (int n = 1; n <= 4; n++) {
            if (q + n - 1 >= limit) {
                return 0;
            }
            if ((a[q + n - 1] & 1) != 0) {
                return n;
            }
        }
        return -1;
    }
}
