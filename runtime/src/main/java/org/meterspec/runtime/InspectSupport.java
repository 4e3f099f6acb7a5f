package org.meterspec.runtime;

import javax.crypto.spec.SecretKeySpec;

/**
 * The runtime's checksums and cipher, opened for {@code meterspec inspect}, which annotates a
 * telegram layer by layer rather than decoding it: the same CRC-16/X.25, M-Bus sum and DLMS
 * AES-128-GCM the decoders use, so that what inspect calls good the decoders do too. Keys are
 * taken, never kept.
 */
public final class InspectSupport {
    /** Bytes of a GCM tag as DLMS sends it. */
    public static final int TAG_LENGTH = Ciphering.TAG_LENGTH;

    private InspectSupport() {
    }

    /** CRC-16/X.25 of {@code a[off, end)} (HDLC HCS and FCS, sent little-endian). */
    public static int crc16(byte[] a, int off, int end) {
        return Crc16.compute(a, off, end);
    }

    /** The M-Bus checksum of {@code a[from, to)}: their sum modulo 256. */
    public static int mbusSum(byte[] a, int from, int to) {
        return MbusFramer.sum(a, from, to);
    }

    /**
     * Decrypts {@code len} bytes without checking a tag (AES-CTR from J0+1), with the 8-byte system
     * title at {@code st[stOff]}.
     */
    public static byte[] decrypt(byte[] key, byte[] st, int stOff, long frameCounter, byte[] in, int off, int len) {
        byte[] out = new byte[len];
        new Ciphering().decrypt(new SecretKeySpec(key, "AES"), st, stOff, frameCounter, in, off, len, out, 0);
        return out;
    }

    /**
     * Decrypts (when {@code encrypted}) {@code len} bytes followed by their 12-byte tag and verifies
     * the tag; null when it does not match.
     */
    public static byte[] decryptVerified(byte[] key, byte[] authKey, int securityControl, boolean encrypted,
                                         byte[] st, int stOff, long frameCounter, byte[] in, int off, int len) {
        byte[] out = new byte[len + TAG_LENGTH];
        boolean ok = new Ciphering().decryptVerified(new SecretKeySpec(key, "AES"), authKey, securityControl,
                encrypted, st, stOff, frameCounter, in, off, len, out, 0);
        return ok ? java.util.Arrays.copyOf(out, len) : null;
    }
}
