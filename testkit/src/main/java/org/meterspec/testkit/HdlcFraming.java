package org.meterspec.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HDLC frames of IEC 62056-46 as meters push them:
 * {@code 7E, format (2), destination, source, control, HCS (2), information, FCS (2), 7E}. The
 * format is frame type 3 ({@code 0xA}), the segmentation bit S, and the 11-bit frame length
 * (everything between the flags). Addresses are 1–4 bytes, the last one with its low bit set. HCS
 * covers format to control, FCS format to the end of the information, both CRC-16/X.25 sent
 * least significant byte first. A telegram longer than {@link #maxInfo} is cut into segments, S set
 * on all but the last; the LLC header {@code E6 E7 00} opens the first segment's information.
 * Defaults: destination 0x41, source 0x08 0x83, control 0x13 (UI with the final bit), LLC on, no
 * segmentation below the format's limit.
 */
public final class HdlcFraming implements Framing {
    /** Largest frame length the 11-bit field can hold. */
    public static final int MAX_FRAME_LENGTH = 0x7FF;
    private static final byte[] LLC = {(byte) 0xE6, (byte) 0xE7, 0x00};

    private byte[] destination = {0x41};
    private byte[] source = {0x08, (byte) 0x83};
    private int control = 0x13;
    private boolean llc = true;
    private int maxInfo;

    /** The destination address as sent, 1–4 bytes, only the last one's low bit set. */
    public HdlcFraming destination(int... address) {
        this.destination = address(address);
        return this;
    }

    /** The source address as sent, 1–4 bytes, only the last one's low bit set. */
    public HdlcFraming source(int... address) {
        this.source = address(address);
        return this;
    }

    public HdlcFraming control(int c) {
        this.control = c & 0xFF;
        return this;
    }

    /** Whether the first segment's information starts with the LLC header {@code E6 E7 00}. */
    public HdlcFraming llc(boolean on) {
        this.llc = on;
        return this;
    }

    /**
     * Most information bytes per frame (the LLC header included); 0 for as many as the frame
     * length field allows.
     */
    public HdlcFraming maxInfo(int n) {
        if (n < 0 || n > limit()) {
            throw new IllegalArgumentException("HDLC information must be 1.." + limit() + " bytes, got " + n);
        }
        this.maxInfo = n;
        return this;
    }

    @Override
    public List<byte[]> frames(byte[] apdu) {
        byte[] info = llc ? concat(LLC, apdu) : apdu;
        int per = maxInfo == 0 ? limit() : maxInfo;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < info.length || out.isEmpty(); off += per) {
            int n = Math.min(per, info.length - off);
            boolean last = off + n >= info.length;
            out.add(frame(!last, Arrays.copyOfRange(info, off, off + n)));
        }
        return out;
    }

    /** One frame with the given segmentation bit and information field. */
    public byte[] frame(boolean segmented, byte[] info) {
        int header = 2 + destination.length + source.length + 1;
        int length = header + 2 + info.length + 2;
        if (length > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("HDLC frame of " + length + " bytes exceeds the 11-bit length");
        }
        byte[] f = new byte[length + 2];
        int p = 0;
        f[p++] = 0x7E;
        f[p++] = (byte) (0xA0 | (segmented ? 0x08 : 0) | (length >>> 8));
        f[p++] = (byte) length;
        System.arraycopy(destination, 0, f, p, destination.length);
        p += destination.length;
        System.arraycopy(source, 0, f, p, source.length);
        p += source.length;
        f[p++] = (byte) control;
        int hcs = crc16(f, 1, p - 1);
        f[p++] = (byte) hcs;
        f[p++] = (byte) (hcs >>> 8);
        System.arraycopy(info, 0, f, p, info.length);
        p += info.length;
        int fcs = crc16(f, 1, p - 1);
        f[p++] = (byte) fcs;
        f[p++] = (byte) (fcs >>> 8);
        f[p] = 0x7E;
        return f;
    }

    /**
     * CRC-16/X.25 (HDLC's FCS-16, RFC 1662): reflected polynomial 0x1021, initial value and final
     * XOR 0xFFFF, computed bit by bit.
     */
    public static int crc16(byte[] b, int off, int len) {
        int crc = 0xFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFF;
    }

    /** Information bytes that fit one frame with these addresses. */
    private int limit() {
        return MAX_FRAME_LENGTH - (2 + destination.length + source.length + 1 + 2 + 2);
    }

    private static byte[] address(int... bytes) {
        if (bytes.length < 1 || bytes.length > 4) {
            throw new IllegalArgumentException("an HDLC address is 1..4 bytes");
        }
        byte[] a = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            boolean end = (bytes[i] & 1) != 0;
            if ((bytes[i] & ~0xFF) != 0 || end != (i == bytes.length - 1)) {
                throw new IllegalArgumentException("only the last HDLC address byte has its low bit set");
            }
            a[i] = (byte) bytes[i];
        }
        return a;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
