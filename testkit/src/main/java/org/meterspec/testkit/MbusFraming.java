package org.meterspec.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * M-Bus long frames as DLMS uses them (EN 13757-2, IEC 62056-7-6):
 * {@code 68 L L 68 C A CI STSAP DTSAP data CS 16}. L counts C through the data; CS is the sum of C
 * through the data modulo 256. A telegram longer than one frame's data is cut into segments whose
 * CI byte carries the segment number (low nibble, counting modulo 16) and, on the last one, bit 4.
 * Defaults are those of the Sagemcom T210-D: C 0x53, A 0xFF, STSAP 0x01, DTSAP 0x67, 245 data
 * bytes per frame (L = 250). The spec language and the runtime allow at most 16 segments per
 * telegram; beyond that the segment number wraps, and the runtime takes segment 0 for a new telegram.
 */
public final class MbusFraming implements Framing {
    /** Most data bytes one frame can hold: L is one byte and counts 5 header bytes. */
    public static final int MAX_DATA = 250;

    private int control = 0x53;
    private int address = 0xFF;
    private int stsap = 0x01;
    private int dtsap = 0x67;
    private int maxData = 245;

    public MbusFraming control(int c) {
        this.control = c & 0xFF;
        return this;
    }

    public MbusFraming address(int a) {
        this.address = a & 0xFF;
        return this;
    }

    public MbusFraming sap(int source, int destination) {
        this.stsap = source & 0xFF;
        this.dtsap = destination & 0xFF;
        return this;
    }

    /** Data bytes per frame, 1..{@value #MAX_DATA}. */
    public MbusFraming maxData(int n) {
        if (n < 1 || n > MAX_DATA) {
            throw new IllegalArgumentException("M-Bus frame data must be 1.." + MAX_DATA + " bytes, got " + n);
        }
        this.maxData = n;
        return this;
    }

    @Override
    public List<byte[]> frames(byte[] apdu) {
        List<byte[]> out = new ArrayList<>();
        int segment = 0;
        for (int off = 0; off < apdu.length || out.isEmpty(); off += maxData, segment++) {
            int n = Math.min(maxData, apdu.length - off);
            boolean last = off + n >= apdu.length;
            out.add(frame((segment & 0x0F) | (last ? 0x10 : 0), apdu, off, n));
        }
        return out;
    }

    /** One frame with the given CI byte and data. */
    public byte[] frame(int ci, byte[] data, int off, int len) {
        int l = 5 + len;
        if (l > 255) {
            throw new IllegalArgumentException("M-Bus L field cannot hold " + l);
        }
        byte[] f = new byte[l + 6];
        f[0] = 0x68;
        f[1] = (byte) l;
        f[2] = (byte) l;
        f[3] = 0x68;
        f[4] = (byte) control;
        f[5] = (byte) address;
        f[6] = (byte) ci;
        f[7] = (byte) stsap;
        f[8] = (byte) dtsap;
        System.arraycopy(data, off, f, 9, len);
        f[4 + l] = (byte) checksum(f, 4, l);
        f[5 + l] = 0x16;
        return f;
    }

    /** The M-Bus checksum: the sum of {@code len} bytes from {@code off}, modulo 256. */
    public static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i] & 0xFF;
        }
        return sum & 0xFF;
    }
}
