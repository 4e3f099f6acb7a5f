package org.meterspec.conformance;

import java.io.ByteArrayOutputStream;

/**
 * The runtime tests' hand-made frames (runtime/src/test/.../Frames.java), for the same vectors
 * through the C decoder: M-Bus long frames with their checksum, HDLC frames with a bit-by-bit CRC.
 */
final class CFrames {
    private CFrames() {
    }

    /** {@code 0F, invoke id 1, no date-time, structure {1.0.1.8.0.255, uint32 value, scaler-unit 0 Wh}}: 27 bytes. */
    static byte[] notification(long value) {
        return hex("0F00000001" + "00" + "0203" + "09060100010800FF" + String.format("06%08X", value) + "02020F00161E");
    }

    /** A notification carrying a visible-string of {@code n} bytes, for long telegrams. */
    static byte[] longNotification(int n) {
        StringBuilder s = new StringBuilder("0F00000002" + "00" + "0202" + "0906000060010000" + "0A");
        s.append(n < 0x80 ? String.format("%02X", n) : n < 0x100 ? String.format("81%02X", n) : String.format("82%04X", n));
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02X", 'A' + i % 26));
        }
        return hex(s.toString());
    }

    /** {@code 68 L L 68 C A CI STSAP DTSAP data CS 16} with C 0x53, A 0xFF, SAPs 0x01 0x67; L modulo 256. */
    static byte[] mbus(int ci, byte[] data) {
        return mbus(0x53, 0xFF, ci, 0x01, 0x67, data);
    }

    static byte[] mbus(int c, int a, int ci, int stsap, int dtsap, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int l = 5 + data.length;
        out.write(0x68);
        out.write(l & 0xFF);
        out.write(l & 0xFF);
        out.write(0x68);
        byte[] body = concat(new byte[] {(byte) c, (byte) a, (byte) ci, (byte) stsap, (byte) dtsap}, data);
        out.writeBytes(body);
        int sum = 0;
        for (byte b : body) {
            sum += b & 0xFF;
        }
        out.write(sum & 0xFF);
        out.write(0x16);
        return out.toByteArray();
    }

    /** {@code 7E format dst src control HCS info FCS 7E}; {@code segmented} sets the S bit. */
    static byte[] hdlc(boolean segmented, byte[] dst, byte[] src, int control, byte[] info) {
        int length = 2 + dst.length + src.length + 1 + (info.length > 0 ? 2 + info.length : 0) + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xA0 | (segmented ? 0x08 : 0) | (length >> 8));
        out.write(length & 0xFF);
        out.writeBytes(dst);
        out.writeBytes(src);
        out.write(control);
        if (info.length > 0) {
            int hcs = crc(out.toByteArray());
            out.write(hcs & 0xFF);
            out.write(hcs >> 8);
            out.writeBytes(info);
        }
        int fcs = crc(out.toByteArray());
        out.write(fcs & 0xFF);
        out.write(fcs >> 8);
        return concat(new byte[] {0x7E}, out.toByteArray(), new byte[] {0x7E});
    }

    /** A single unsegmented frame, destination 0x41, source 0x08 0x83, control 0x13, with the LLC header. */
    static byte[] hdlc(byte[] apdu) {
        return hdlc(false, hex("41"), hex("0883"), 0x13, concat(hex("E6E700"), apdu));
    }

    /** CRC-16/X.25, bit by bit. */
    static int crc(byte[] b) {
        int crc = 0xFFFF;
        for (byte x : b) {
            crc ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFF;
    }

    static byte[] hex(String s) {
        String t = s.replace(" ", "");
        byte[] out = new byte[t.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
