package org.meterspec.runtime;

/**
 * M-Bus long frames ({@code 68 L L 68 C A CI STSAP DTSAP data CS 16}) as DLMS uses them: the CI
 * field's low nibble numbers the segments of a telegram, bit 4 marks the last one.
 */
final class MbusFramer extends Framer {
    private static final int START = 0x68;
    private static final int STOP = 0x16;
    /** C, A, CI, STSAP and DTSAP. */
    private static final int HEADER = 5;

    private final DecoderConfig config;
    private final boolean lengthWrap;

    MbusFramer(DecoderConfig config) {
        this.config = config;
        this.lengthWrap = config.tolerates(Tolerance.MBUS_LENGTH_WRAP);
    }

    /** A frame whose L field wrapped: 6 + 255 + 256 bytes. */
    @Override
    int window() {
        return 6 + 511;
    }

    /** The stop byte of L 255: errors name bytes by the L field as sent, even where it may have wrapped. */
    @Override
    int reach() {
        return 5 + 255;
    }

    /** A frame of C, A, CI, STSAP and DTSAP alone. */
    @Override
    int shortest() {
        return 6 + HEADER;
    }

    @Override
    void scan(byte[] a, int p, int end, boolean atEnd, Scan s) {
        if ((a[p] & 0xFF) != START) {
            s.skip(indexOf(a, START, p + 1, end) - p);
            return;
        }
        int avail = end - p;
        if (avail < 4) {
            if (atEnd) {
                s.skip(avail);
            } else {
                s.needMore();
            }
            return;
        }
        if (a[p + 1] != a[p + 2] || (a[p + 3] & 0xFF) != START) {
            s.skip(1);
            return;
        }
        int l = a[p + 1] & 0xFF;
        int found = check(a, p, end, l);
        if (found == NEED && !atEnd) {
            s.needMore();
            return;
        }
        if (found != OK && lengthWrap) {
            int wrapped = check(a, p, end, l + 256);
            if (wrapped == NEED && !atEnd) {
                s.needMore();
                return;
            }
            if (wrapped == OK) {
                l += 256;
                found = OK;
            } else if (wrapped == NEED && l < HEADER) {
                // too short to be a frame as it stands: the stream ended inside a wrapped one
                s.incomplete();
                return;
            }
        }
        if (found == NEED) {
            s.incomplete();
            return;
        }
        if (found == BAD_STOP) {
            s.error(ErrorCode.MBUS_STOP_BYTE, p + 5 + l, true);
            return;
        }
        if (found == BAD_SUM) {
            s.error(ErrorCode.MBUS_CHECKSUM, p + 4 + l, true);
            return;
        }
        if (l < HEADER) {
            s.error(ErrorCode.MBUS_FRAME_TOO_SHORT, p + 1, false);
            return;
        }
        int c = a[p + 4] & 0xFF;
        int addr = a[p + 5] & 0xFF;
        int ci = a[p + 6] & 0xFF;
        if ((config.mbusControl >= 0 && c != config.mbusControl) || (config.mbusAddress >= 0 && addr != config.mbusAddress)) {
            s.error(ErrorCode.MBUS_CONTROL, config.mbusControl >= 0 && c != config.mbusControl ? p + 4 : p + 5, true);
            return;
        }
        if ((ci & 0xE0) != 0) {
            s.error(ErrorCode.MBUS_CONTROL, p + 6, true);
            return;
        }
        int stsap = a[p + 7] & 0xFF;
        int dtsap = a[p + 8] & 0xFF;
        if ((config.stsap >= 0 && stsap != config.stsap) || (config.dtsap >= 0 && dtsap != config.dtsap)) {
            s.error(ErrorCode.MBUS_SAP, config.stsap >= 0 && stsap != config.stsap ? p + 7 : p + 8, true);
            return;
        }
        s.frame(l + 6, p + 4 + HEADER, l - HEADER, ci & 0x0F, (ci & 0x10) == 0);
    }

    private static final int OK = 0;
    private static final int NEED = 1;
    private static final int BAD_STOP = 2;
    private static final int BAD_SUM = 3;

    /** Checks the frame of length field {@code l} at {@code p}. */
    private static int check(byte[] a, int p, int end, int l) {
        if (end - p < l + 6) {
            return NEED;
        }
        if ((a[p + 5 + l] & 0xFF) != STOP) {
            return BAD_STOP;
        }
        return sum(a, p + 4, p + 4 + l) == (a[p + 4 + l] & 0xFF) ? OK : BAD_SUM;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long EVEN_BYTES = 0x00FF00FF00FF00FFL;

    /**
     * The sum of {@code a[from, to)} modulo 256, sixteen bytes per step: the even and odd bytes of
     * each long go into four 16-bit lanes, in two accumulators so that the additions overlap. A
     * frame has at most 511 bytes, so a lane holds at most 32 x 510 and the two at most 32640: no
     * lane carries into the next.
     */
    static int sum(byte[] a, int from, int to) {
        long even = 0;
        long odd = 0;
        int i = from;
        for (; i + 16 <= to; i += 16) {
            long x = (long) LONGS.get(a, i);
            long y = (long) LONGS.get(a, i + 8);
            even += (x & EVEN_BYTES) + ((x >>> 8) & EVEN_BYTES);
            odd += (y & EVEN_BYTES) + ((y >>> 8) & EVEN_BYTES);
        }
        long lanes = even + odd;
        long sum = (lanes & 0xFFFF) + ((lanes >>> 16) & 0xFFFF) + ((lanes >>> 32) & 0xFFFF) + (lanes >>> 48);
        for (; i < to; i++) {
            sum += a[i];
        }
        return (int) sum & 0xFF;
    }
}
