package org.meterspec.runtime;

/**
 * One decoded value: its OBIS code, the spec's entry for it (if any), the A-XDR type it arrived
 * as, and its content. Text is produced on demand, so decoding itself formats nothing.
 */
public final class Value {
    private final long obis;
    private final ValueInfo info;
    private final int tag;
    /** Integers, enum, bcd, boolean: the content; floats: their bits; bit-strings: the bit count. */
    private final long raw;
    private final int scaler;
    private final String unit;
    private final byte[] bytes;

    Value(long obis, ValueInfo info, int tag, long raw, int scaler, String unit, byte[] bytes) {
        this.obis = obis;
        this.info = info;
        this.tag = tag;
        this.raw = raw;
        this.scaler = scaler;
        this.unit = unit;
        this.bytes = bytes;
    }

    public long obis() {
        return obis;
    }

    /** The dotted code, or null for a value reported by name alone ({@link Obis#NONE}). */
    public String obisText() {
        return obis == Obis.NONE ? null : Obis.format(obis);
    }

    /** The spec's name for this value, or null for an OBIS code the spec does not name (or names by a pattern). */
    public String name() {
        return info == null ? null : info.name();
    }

    /** The A-XDR tag the value arrived with. */
    public int type() {
        return tag;
    }

    /**
     * The integer as sent (two's complement; unsigned for uint64) of integer, enum, bcd and boolean
     * values; the bits of a float; the bit count of a bit-string.
     */
    public long raw() {
        return raw;
    }

    public int scaler() {
        return scaler;
    }

    /** The unit symbol, or null. */
    public String unit() {
        return unit;
    }

    /** The content of string, bit-string, date and time values (a copy). */
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    public boolean isNull() {
        return tag == Axdr.NULL;
    }

    /** The value as the JSON line writes it (without quotes); null for null-data. */
    public String text() {
        switch (tag) {
            case Axdr.NULL:
                return null;
            case Axdr.BOOLEAN:
                return raw != 0 ? "true" : "false";
            case Axdr.BIT_STRING: {
                int bits = (int) raw;
                char[] out = new char[bits];
                for (int i = 0; i < bits; i++) {
                    out[i] = (bytes[i >> 3] & (0x80 >> (i & 7))) != 0 ? '1' : '0';
                }
                return new String(out);
            }
            case Axdr.BCD: {
                // two decimal digits; a byte that is not BCD is written as it came
                int hi = (int) (raw >> 4) & 0xF;
                int lo = (int) raw & 0xF;
                return hi <= 9 && lo <= 9 ? Decimals.scaled(hi * 10L + lo, false, scaler)
                        : Json.hex(new byte[] {(byte) raw}, 0, 1);
            }
            case Axdr.FLOAT32:
                return Decimals.float32(Float.intBitsToFloat((int) raw), scaler);
            case Axdr.FLOAT64:
                return Decimals.float64(Double.longBitsToDouble(raw), scaler);
            case Axdr.DATE_TIME:
                return DateTimes.dateTime(bytes, 0);
            case Axdr.DATE:
                return DateTimes.date(bytes, 0);
            case Axdr.TIME:
                return DateTimes.time(bytes, 0);
            case Axdr.OCTET_STRING:
            case Axdr.VISIBLE_STRING:
            case Axdr.UTF8_STRING:
                return stringText();
            default:
                return Decimals.scaled(raw, tag == Axdr.UINT64, scaler);
        }
    }

    private String stringText() {
        Format format = info == null ? Format.AUTO : info.format();
        if (format == Format.HEX) {
            return Json.hex(bytes);
        }
        if (tag == Axdr.UTF8_STRING) {
            return Json.utf8(bytes, 0, bytes.length);
        }
        switch (format) {
            case OBIS:
                return bytes.length == 6 ? Obis.format(Obis.read(bytes, 0)) : Json.hex(bytes);
            case DATETIME:
                // a COSEM date-time, date or time, told apart by length
                return bytes.length == 12 ? DateTimes.dateTime(bytes, 0)
                        : bytes.length == 5 ? DateTimes.date(bytes, 0)
                        : bytes.length == 4 ? DateTimes.time(bytes, 0)
                        : Json.hex(bytes);
            case TEXT:
                return Json.latin1(bytes, 0, bytes.length);
            default:
                return tag == Axdr.VISIBLE_STRING || Json.printable(bytes, 0, bytes.length)
                        ? Json.latin1(bytes, 0, bytes.length)
                        : Json.hex(bytes);
        }
    }

    /** Appends this value's JSON object. */
    public void appendJson(StringBuilder sb) {
        sb.append('{');
        if (obis != Obis.NONE) {
            sb.append("\"obis\":\"");
            Obis.appendTo(sb, obis);
            sb.append("\",");
        }
        if (info != null && info.name() != null) {
            sb.append("\"name\":");
            Json.appendString(sb, info.name());
            sb.append(',');
        }
        sb.append("\"value\":");
        String text = text();
        if (text == null) {
            sb.append("null");
        } else {
            Json.appendString(sb, text);
        }
        if (unit != null) {
            sb.append(",\"unit\":");
            Json.appendString(sb, unit);
        }
        sb.append('}');
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendJson(sb);
        return sb.toString();
    }
}
