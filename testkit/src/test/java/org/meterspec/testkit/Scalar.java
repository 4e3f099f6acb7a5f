package org.meterspec.testkit;

import static org.meterspec.testkit.AxdrWriter.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.meterspec.runtime.Format;

/**
 * One A-XDR scalar a test sends: its tag and content, how the testkit writes it, and the text
 * the decoded value must show ({@link Expected}).
 */
final class Scalar {
    private static final BigInteger UINT64_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    final int tag;
    /** Integer, enum, bcd and boolean content; the bits of a float. */
    final long raw;
    /** String, date and time content. */
    final byte[] bytes;
    /** Bit-string content as '0'/'1'. */
    final String bits;

    private Scalar(int tag, long raw, byte[] bytes, String bits) {
        this.tag = tag;
        this.raw = raw;
        this.bytes = bytes;
        this.bits = bits;
    }

    static Scalar number(int tag, long raw) {
        return new Scalar(tag, raw, null, null);
    }

    static Scalar bytes(int tag, byte[] bytes) {
        return new Scalar(tag, 0, bytes, null);
    }

    static Scalar bitString(String bits) {
        return new Scalar(BIT_STRING, 0, null, bits);
    }

    boolean isNumber() {
        return bytes == null && bits == null && tag != NULL && tag != BOOLEAN;
    }

    void write(AxdrWriter w) {
        switch (tag) {
            case NULL -> w.nullData();
            case BOOLEAN -> w.tag(BOOLEAN).raw((int) raw); // any byte: 0 is false, the rest true
            case BIT_STRING -> w.bitString(bits);
            case INT8 -> w.int8((int) raw);
            case INT16 -> w.int16((int) raw);
            case INT32 -> w.int32(raw);
            case INT64 -> w.int64(raw);
            case UINT8 -> w.uint8((int) raw);
            case UINT16 -> w.uint16((int) raw);
            case UINT32 -> w.uint32(raw);
            case UINT64 -> w.uint64(raw);
            case ENUM -> w.enumValue((int) raw);
            case BCD -> w.bcd((int) raw);
            case FLOAT32 -> w.float32(Float.intBitsToFloat((int) raw));
            case FLOAT64 -> w.float64(Double.longBitsToDouble(raw));
            case OCTET_STRING -> w.octetString(bytes);
            case VISIBLE_STRING -> w.visibleString(bytes);
            case UTF8_STRING -> w.utf8String(bytes);
            case DATE_TIME -> w.dateTime(bytes);
            case DATE -> w.date(bytes);
            case TIME -> w.time(bytes);
            default -> throw new IllegalStateException("tag " + tag);
        }
    }

    /** The value's text with this scaler, for a spec entry with this format (null: none). */
    String text(int scaler, Format format) {
        switch (tag) {
            case NULL:
                return null;
            case BOOLEAN:
                return raw != 0 ? "true" : "false";
            case BIT_STRING:
                return bits;
            case FLOAT32:
                return Expected.float32(Float.intBitsToFloat((int) raw), scaler);
            case FLOAT64:
                return Expected.float64(Double.longBitsToDouble(raw), scaler);
            case DATE_TIME:
                return Expected.dateTime(bytes);
            case DATE:
                return Expected.date(bytes);
            case TIME:
                return Expected.time(bytes);
            case OCTET_STRING:
            case VISIBLE_STRING:
            case UTF8_STRING:
                return string(format == null ? Format.AUTO : format);
            case UINT64:
                return Expected.integer(BigInteger.valueOf(raw).and(UINT64_MASK), scaler);
            case BCD:
                // two decimal digits, read from the hex digits; a byte that is not BCD stays hex
                String digits = String.format("%02X", raw);
                return digits.matches("[0-9]{2}") ? Expected.integer(new BigInteger(digits), scaler) : digits;
            default:
                return Expected.integer(BigInteger.valueOf(raw), scaler);
        }
    }

    private String string(Format format) {
        if (format == Format.HEX) {
            return Hex.encode(bytes);
        }
        if (tag == UTF8_STRING) {
            return Expected.utf8(bytes);
        }
        if (format == Format.TEXT || tag == VISIBLE_STRING) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return Expected.octets(bytes);
    }

    @Override
    public String toString() {
        String content = bytes != null ? Hex.encode(bytes) : bits != null ? bits
                : tag == FLOAT32 ? Float.intBitsToFloat((int) raw) + "" : tag == FLOAT64 ? Double.longBitsToDouble(raw) + ""
                : Long.toString(raw);
        return "tag" + tag + "(" + content + ")";
    }
}
