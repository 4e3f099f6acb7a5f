package org.meterspec.testkit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain APDUs a meter pushes: DATA-NOTIFICATION and General Block Transfer blocks. Ciphering
 * is {@link Ciphered}; transport framing is {@link Framing}.
 */
public final class Apdu {
    public static final int DATA_NOTIFICATION = 0x0F;
    public static final int GENERAL_BLOCK_TRANSFER = 0xE0;
    /** GBT control bit: this is the last block. */
    public static final int GBT_LAST = 0x80;
    /** GBT control bit: streaming (the meter sends blocks without waiting for acknowledgements). */
    public static final int GBT_STREAMING = 0x40;

    private Apdu() {
    }

    /**
     * {@code 0F, long-invoke-id-and-priority (4 bytes), date-time, body}: the date-time is
     * {@code 00} when {@code dateTime} is null, else {@code 0C} and its 12 bytes.
     */
    public static byte[] dataNotification(long invokeId, byte[] dateTime, byte[] body) {
        if (invokeId < 0 || invokeId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("long-invoke-id is 4 bytes: " + invokeId);
        }
        if (dateTime != null && dateTime.length != 12) {
            throw new IllegalArgumentException("a date-time is 12 bytes, got " + dateTime.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(18 + body.length);
        out.write(DATA_NOTIFICATION);
        for (int i = 3; i >= 0; i--) {
            out.write((int) (invokeId >>> (8 * i)) & 0xFF);
        }
        if (dateTime == null) {
            out.write(0);
        } else {
            out.write(12);
            out.writeBytes(dateTime);
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * One General Block Transfer block: {@code E0, control, block number (2), acknowledged block
     * number (2), A-XDR length, data}.
     */
    public static byte[] block(int control, int number, int acknowledged, byte[] data) {
        if ((control & ~0xFF) != 0 || (number & ~0xFFFF) != 0 || (acknowledged & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("control is one byte, block numbers two");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(9 + data.length);
        out.write(GENERAL_BLOCK_TRANSFER);
        out.write(control);
        out.write(number >>> 8);
        out.write(number & 0xFF);
        out.write(acknowledged >>> 8);
        out.write(acknowledged & 0xFF);
        out.writeBytes(AxdrWriter.length(data.length, 0));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /**
     * {@code apdu} cut into blocks of at most {@code blockSize} bytes, numbered from 1, the last
     * one marked; control bits besides "last" (such as {@link #GBT_STREAMING}) from {@code control}.
     */
    public static List<byte[]> blocks(byte[] apdu, int blockSize, int control) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be positive");
        }
        List<byte[]> out = new ArrayList<>();
        int number = 1;
        for (int off = 0; off < apdu.length || out.isEmpty(); off += blockSize, number++) {
            int n = Math.min(blockSize, apdu.length - off);
            boolean last = off + n >= apdu.length;
            byte[] data = java.util.Arrays.copyOfRange(apdu, off, off + n);
            out.add(block((control & ~GBT_LAST) | (last ? GBT_LAST : 0), number, 0, data));
        }
        return out;
    }

    /** {@link #blocks(byte[], int, int)} with no control bits besides "last". */
    public static List<byte[]> blocks(byte[] apdu, int blockSize) {
        return blocks(apdu, blockSize, 0);
    }
}
