package org.meterspec.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes A-XDR data (IEC 62056-6-2 "Data") for test telegrams: every value type with its tag,
 * containers with their element counts, lengths in short or long form. Written from the standard,
 * not from the runtime's reader, so that tests compare two independent implementations.
 *
 * <pre>{@code
 * byte[] body = new AxdrWriter()
 *         .structure(3).obis(1, 0, 1, 8, 0, 255).uint32(12937).scalerUnit(0, 30)
 *         .toByteArray();
 * }</pre>
 *
 * Values out of their type's range are rejected with {@link IllegalArgumentException}, so a test
 * cannot build a telegram it did not mean to. Not thread-safe.
 */
public final class AxdrWriter {
    public static final int NULL = 0;
    public static final int ARRAY = 1;
    public static final int STRUCTURE = 2;
    public static final int BOOLEAN = 3;
    public static final int BIT_STRING = 4;
    public static final int INT32 = 5;
    public static final int UINT32 = 6;
    public static final int OCTET_STRING = 9;
    public static final int VISIBLE_STRING = 10;
    public static final int UTF8_STRING = 12;
    public static final int BCD = 13;
    public static final int INT8 = 15;
    public static final int INT16 = 16;
    public static final int UINT8 = 17;
    public static final int UINT16 = 18;
    public static final int INT64 = 20;
    public static final int UINT64 = 21;
    public static final int ENUM = 22;
    public static final int FLOAT32 = 23;
    public static final int FLOAT64 = 24;
    public static final int DATE_TIME = 25;
    public static final int DATE = 26;
    public static final int TIME = 27;

    /** COSEM's "deviation not specified" (0x8000). */
    public static final int NO_DEVIATION = 0x8000;
    /** COSEM's "not specified" for a one-byte date or time field. */
    public static final int UNSPECIFIED = 0xFF;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int lengthForm;

    /**
     * How the following lengths and element counts are written: 0 (the default) in the shortest
     * form, 1–4 always in the long form {@code 0x8N} with at least that many bytes, as some
     * meters do (see {@link #length(long, int)}).
     */
    public AxdrWriter lengthForm(int bytes) {
        if (bytes < 0 || bytes > 4) {
            throw new IllegalArgumentException("length form must be 0..4 bytes, got " + bytes);
        }
        this.lengthForm = bytes;
        return this;
    }

    public AxdrWriter nullData() {
        return tag(NULL);
    }

    /** An array header; its {@code count} elements follow. */
    public AxdrWriter array(int count) {
        return tag(ARRAY).raw(length(count, lengthForm));
    }

    /** A structure header; its {@code count} elements follow. */
    public AxdrWriter structure(int count) {
        return tag(STRUCTURE).raw(length(count, lengthForm));
    }

    public AxdrWriter bool(boolean value) {
        return tag(BOOLEAN).u8(value ? 1 : 0);
    }

    /** A bit-string from {@code '0'}/{@code '1'} characters, first bit in the most significant bit. */
    public AxdrWriter bitString(String bits) {
        byte[] packed = new byte[(bits.length() + 7) / 8]; // validated before anything is written
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c == '1') {
                packed[i / 8] |= (byte) (0x80 >>> (i % 8));
            } else if (c != '0') {
                throw new IllegalArgumentException("bit-string holds '" + c + "'");
            }
        }
        return tag(BIT_STRING).length(bits.length()).raw(packed);
    }

    public AxdrWriter int8(int value) {
        return number(INT8, checkSigned(value, 1), 1);
    }

    public AxdrWriter int16(int value) {
        return number(INT16, checkSigned(value, 2), 2);
    }

    public AxdrWriter int32(long value) {
        return number(INT32, checkSigned(value, 4), 4);
    }

    public AxdrWriter int64(long value) {
        return number(INT64, value, 8);
    }

    public AxdrWriter uint8(int value) {
        return number(UINT8, checkUnsigned(value, 1), 1);
    }

    public AxdrWriter uint16(int value) {
        return number(UINT16, checkUnsigned(value, 2), 2);
    }

    public AxdrWriter uint32(long value) {
        return number(UINT32, checkUnsigned(value, 4), 4);
    }

    /** An unsigned 64-bit value given by its bits (as {@link Long#toUnsignedString} reads them). */
    public AxdrWriter uint64(long bits) {
        return number(UINT64, bits, 8);
    }

    public AxdrWriter enumValue(int value) {
        return number(ENUM, checkUnsigned(value, 1), 1);
    }

    /** A bcd value: one byte, as sent. */
    public AxdrWriter bcd(int value) {
        return number(BCD, checkUnsigned(value, 1), 1);
    }

    public AxdrWriter float32(float value) {
        return number(FLOAT32, Float.floatToRawIntBits(value) & 0xFFFFFFFFL, 4);
    }

    public AxdrWriter float64(double value) {
        return number(FLOAT64, Double.doubleToRawLongBits(value), 8);
    }

    public AxdrWriter octetString(byte[] value) {
        return tag(OCTET_STRING).length(value.length).raw(value);
    }

    /** A visible-string of the given characters, one byte each (Latin-1). */
    public AxdrWriter visibleString(String value) {
        return visibleString(latin1(value));
    }

    /** A visible-string of raw bytes. */
    public AxdrWriter visibleString(byte[] value) {
        return tag(VISIBLE_STRING).bytesWithLength(value);
    }

    public AxdrWriter utf8String(String value) {
        return tag(UTF8_STRING).bytesWithLength(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A utf8-string of raw bytes, which need not be well-formed UTF-8. */
    public AxdrWriter utf8String(byte[] value) {
        return tag(UTF8_STRING).bytesWithLength(value);
    }

    /** A tagged date-time: 12 bytes, see {@link #dateTimeBytes}. */
    public AxdrWriter dateTime(byte[] twelve) {
        return fixed(DATE_TIME, twelve, 12);
    }

    /** A tagged date: year (2), month, day, day of week. */
    public AxdrWriter date(byte[] five) {
        return fixed(DATE, five, 5);
    }

    /** A tagged time: hour, minute, second, hundredths. */
    public AxdrWriter time(byte[] four) {
        return fixed(TIME, four, 4);
    }

    /**
     * An OBIS code as the 6-byte octet-string meters send: {@code 09 06 A B C D E F}, always with
     * the short length whatever the {@link #lengthForm}.
     */
    public AxdrWriter obis(int a, int b, int c, int d, int e, int f) {
        int[] groups = {a, b, c, d, e, f};
        byte[] code = new byte[6];
        for (int i = 0; i < 6; i++) {
            code[i] = (byte) checkUnsigned(groups[i], 1);
        }
        return tag(OCTET_STRING).u8(6).raw(code);
    }

    /** An OBIS code packed as in {@code Obis.pack} (A in bits 40–47), written as {@link #obis(int, int, int, int, int, int)}. */
    public AxdrWriter obis(long packed) {
        if (packed >>> 48 != 0) {
            throw new IllegalArgumentException("an OBIS code is 6 bytes");
        }
        byte[] code = new byte[6];
        for (int i = 0; i < 6; i++) {
            code[i] = (byte) (packed >>> (8 * (5 - i)));
        }
        return tag(OCTET_STRING).u8(6).raw(code);
    }

    /**
     * A scaler-unit as meters send it: {@code 02 02 0F scaler 16 unit}, always with the short
     * count whatever the {@link #lengthForm}.
     */
    public AxdrWriter scalerUnit(int scaler, int unit) {
        return tag(STRUCTURE).u8(2).int8(scaler).enumValue(unit);
    }

    /** A tag byte alone, for hand-made or deliberately broken data. */
    public AxdrWriter tag(int tag) {
        return u8(tag);
    }

    /** A length or element count in the current {@link #lengthForm}. */
    public AxdrWriter length(int n) {
        return raw(length(n, lengthForm));
    }

    /** Bytes as they are. */
    public AxdrWriter raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** Bytes as they are, given as ints 0..255. */
    public AxdrWriter raw(int... bytes) {
        for (int b : bytes) {
            u8(b);
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /**
     * An A-XDR length: with {@code form} 0 one byte below 0x80, else {@code 0x8N} and the fewest
     * N bytes that hold it; with {@code form} 1–4 always the long form, with at least {@code form}
     * bytes (leading zeros where the value needs fewer).
     */
    public static byte[] length(long n, int form) {
        if (n < 0 || n > 0xFFFFFFFFL || form < 0 || form > 4) {
            throw new IllegalArgumentException("length " + n + " in form " + form);
        }
        if (form == 0 && n < 0x80) {
            return new byte[] {(byte) n};
        }
        int needed = n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : n <= 0xFFFFFF ? 3 : 4;
        int bytes = Math.max(form, needed);
        byte[] b = new byte[1 + bytes];
        b[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            b[1 + i] = (byte) (n >>> (8 * (bytes - 1 - i)));
        }
        return b;
    }

    /**
     * The 12 bytes of a COSEM date-time: year (2), month, day of month, day of week (0xFF, not
     * specified), hour, minute, second, hundredths, deviation (2, minutes, UTC minus local time, or
     * {@link #NO_DEVIATION}), clock status 0x00. Pass {@link #UNSPECIFIED} for a field not specified.
     */
    public static byte[] dateTimeBytes(int year, int month, int day, int hour, int minute, int second,
                                       int hundredths, int deviation) {
        return new byte[] {
            (byte) (year >>> 8), (byte) year, (byte) month, (byte) day, (byte) UNSPECIFIED,
            (byte) hour, (byte) minute, (byte) second, (byte) hundredths,
            (byte) (deviation >>> 8), (byte) deviation, 0
        };
    }

    private AxdrWriter bytesWithLength(byte[] value) {
        return length(value.length).raw(value);
    }

    private AxdrWriter fixed(int tag, byte[] value, int size) {
        if (value.length != size) {
            throw new IllegalArgumentException("expected " + size + " bytes, got " + value.length);
        }
        return tag(tag).raw(value);
    }

    private AxdrWriter number(int tag, long value, int size) {
        return tag(tag).bigEndian(value, size);
    }

    private AxdrWriter u8(int value) {
        out.write(checkUnsigned(value, 1));
        return this;
    }

    private static long checkSigned(long value, int size) {
        long min = -(1L << (8 * size - 1));
        if (value < min || value > -min - 1) {
            throw new IllegalArgumentException(value + " does not fit a signed " + (8 * size) + "-bit integer");
        }
        return value;
    }

    private static long checkUnsigned(long value, int size) {
        if (value < 0 || value >>> (8 * size) != 0) {
            throw new IllegalArgumentException(value + " does not fit an unsigned " + (8 * size) + "-bit integer");
        }
        return value;
    }

    private static int checkUnsigned(int value, int size) {
        return (int) checkUnsigned((long) value, size);
    }

    private AxdrWriter bigEndian(long value, int size) {
        for (int i = size - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    private static byte[] latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("visible-string holds a character above U+00FF");
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
