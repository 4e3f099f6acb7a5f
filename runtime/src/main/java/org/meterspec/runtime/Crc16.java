package org.meterspec.runtime;

/**
 * CRC-16/X.25 (HDLC HCS and FCS): reflected polynomial 0x1021, init and final XOR 0xFFFF. Eight
 * bytes per step (slicing-by-8): table {@code k} holds a byte's effect followed by {@code k} zero
 * bytes, so the eight lookups of a step do not wait on each other. The tables take 4 KB.
 */
final class Crc16 {
    private static final char[][] T = new char[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            T[0][i] = (char) c;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                T[k][i] = (char) ((T[k - 1][i] >>> 8) ^ T[0][T[k - 1][i] & 0xFF]);
            }
        }
    }

    private Crc16() {
    }

    static int compute(byte[] a, int off, int end) {
        char[] t0 = T[0];
        char[] t1 = T[1];
        char[] t2 = T[2];
        char[] t3 = T[3];
        char[] t4 = T[4];
        char[] t5 = T[5];
        char[] t6 = T[6];
        char[] t7 = T[7];
        int crc = 0xFFFF;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            int x = crc ^ ((a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8);
            crc = t7[x & 0xFF] ^ t6[x >>> 8] ^ t5[a[i + 2] & 0xFF] ^ t4[a[i + 3] & 0xFF]
                    ^ t3[a[i + 4] & 0xFF] ^ t2[a[i + 5] & 0xFF] ^ t1[a[i + 6] & 0xFF] ^ t0[a[i + 7] & 0xFF];
        }
        for (; i < end; i++) {
            crc = (crc >>> 8) ^ t0[(crc ^ a[i]) & 0xFF];
        }
        return crc ^ 0xFFFF;
    }

    /** Whether the CRC of {@code a[off, end)} equals the little-endian value at {@code end}. */
    static boolean matches(byte[] a, int off, int end) {
        return compute(a, off, end) == ((a[end] & 0xFF) | (a[end + 1] & 0xFF) << 8);
    }
}
