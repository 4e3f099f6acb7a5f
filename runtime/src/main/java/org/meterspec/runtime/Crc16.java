package org.meterspec.runtime;

/**
 * CRC-16/X.25 (HDLC HCS and FCS): reflected polynomial 0x1021, init and final XOR 0xFFFF. Four
 * bytes per step (slicing-by-4): table {@code k} holds a byte's effect followed by {@code k} zero
 * bytes, so the four lookups of a step do not wait on each other.
 */
final class Crc16 {
    private static final int[] T0 = new int[256];
    private static final int[] T1 = new int[256];
    private static final int[] T2 = new int[256];
    private static final int[] T3 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            T0[i] = c;
        }
        for (int i = 0; i < 256; i++) {
            T1[i] = (T0[i] >>> 8) ^ T0[T0[i] & 0xFF];
            T2[i] = (T1[i] >>> 8) ^ T0[T1[i] & 0xFF];
            T3[i] = (T2[i] >>> 8) ^ T0[T2[i] & 0xFF];
        }
    }

    private Crc16() {
    }

    static int compute(byte[] a, int off, int end) {
        int crc = 0xFFFF;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            int x = crc ^ ((a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8);
            crc = T3[x & 0xFF] ^ T2[x >>> 8] ^ T1[a[i + 2] & 0xFF] ^ T0[a[i + 3] & 0xFF];
        }
        for (; i < end; i++) {
            crc = (crc >>> 8) ^ T0[(crc ^ a[i]) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }

    /** Whether the CRC of {@code a[off, end)} equals the little-endian value at {@code end}. */
    static boolean matches(byte[] a, int off, int end) {
        return compute(a, off, end) == ((a[end] & 0xFF) | (a[end + 1] & 0xFF) << 8);
    }
}
