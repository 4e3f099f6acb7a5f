package org.meterspec.runtime;

/** CRC-16/X.25 (HDLC HCS and FCS): reflected polynomial 0x1021, init and final XOR 0xFFFF. */
final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc16() {
    }

    static int compute(byte[] a, int off, int end) {
        int crc = 0xFFFF;
        for (int i = off; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ a[i]) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }

    /** Whether the CRC of {@code a[off, end)} equals the little-endian value at {@code end}. */
    static boolean matches(byte[] a, int off, int end) {
        return compute(a, off, end) == ((a[end] & 0xFF) | (a[end + 1] & 0xFF) << 8);
    }
}
