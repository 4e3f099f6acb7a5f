package org.meterspec.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The text the canonical JSON line must carry for a value, computed from the rules in DESIGN.md
 * and the runtime's javadoc, by other means than the runtime: BigDecimal arithmetic instead of
 * digit shuffling, java.time for calendar checks, the JDK's strict UTF-8 decoder for well-formedness.
 */
final class Expected {
    private Expected() {
    }

    /** An integer times 10^scaler, with exactly -scaler fraction digits for a negative scaler. */
    static String integer(BigInteger raw, int scaler) {
        if (scaler >= 0) {
            return raw.multiply(BigInteger.TEN.pow(scaler)).toString();
        }
        return new BigDecimal(raw, -scaler).toPlainString();
    }

    static String float32(float v, int scaler) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return special(v);
        }
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; ; p++) {
            BigDecimal best = shortest(exact, p, c -> Float.parseFloat(c.toString()) == v);
            if (best != null) {
                return shift(best, scaler);
            }
        }
    }

    static String float64(double v, int scaler) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return special(v);
        }
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; ; p++) {
            BigDecimal best = shortest(exact, p, c -> Double.parseDouble(c.toString()) == v);
            if (best != null) {
                return shift(best, scaler);
            }
        }
    }

    /**
     * Of the two {@code p}-digit decimals around {@code exact}, the one that reads back as the same
     * binary value; if both do, the nearer; at equal distance the one with an even last digit.
     */
    private static BigDecimal shortest(BigDecimal exact, int p, java.util.function.Predicate<BigDecimal> readsBack) {
        BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
        boolean downOk = readsBack.test(down);
        boolean upOk = readsBack.test(up);
        if (downOk && upOk) {
            int c = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
            if (c != 0) {
                return c < 0 ? down : up;
            }
            return down.unscaledValue().testBit(0) ? up : down;
        }
        return downOk ? down : upOk ? up : null;
    }

    private static String shift(BigDecimal shortest, int scaler) {
        BigDecimal v = shortest.scaleByPowerOfTen(scaler);
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private static String special(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }

    /**
     * A COSEM date-time as {@code YYYY-MM-DDTHH:MM[:SS[.hh]][±HH:MM]}, or hex when the date, hour
     * or minute is not specified or not valid, or the deviation is out of ±12 h.
     */
    static String dateTime(byte[] b) {
        String date = date(b, 0);
        String time = time(b, 5);
        if (date == null || time == null) {
            return Hex.encode(b);
        }
        int deviation = (short) (((b[9] & 0xFF) << 8) | (b[10] & 0xFF));
        if (deviation == Short.MIN_VALUE) {
            return date + "T" + time;
        }
        if (Math.abs(deviation) > 720) {
            return Hex.encode(b);
        }
        // COSEM's deviation is UTC minus local time: -60 is one hour ahead of UTC
        int offset = -deviation;
        return date + "T" + time + String.format("%s%02d:%02d", offset < 0 ? "-" : "+",
                Math.abs(offset) / 60, Math.abs(offset) % 60);
    }

    static String date(byte[] b) {
        String date = date(b, 0);
        return date != null ? date : Hex.encode(b);
    }

    static String time(byte[] b) {
        String time = time(b, 0);
        return time != null ? time : Hex.encode(b);
    }

    private static String date(byte[] b, int off) {
        int year = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        int month = b[off + 2] & 0xFF;
        int day = b[off + 3] & 0xFF;
        if (year == 0xFFFF) {
            return null;
        }
        try {
            LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
        return String.format("%04d-%02d-%02d", year, month, day);
    }

    private static String time(byte[] b, int off) {
        int hour = b[off] & 0xFF;
        int minute = b[off + 1] & 0xFF;
        int second = b[off + 2] & 0xFF;
        int hundredths = b[off + 3] & 0xFF;
        boolean valid = hour <= 23 && minute <= 59 && (second <= 59 || second == 0xFF)
                && (hundredths <= 99 || hundredths == 0xFF);
        if (!valid) {
            return null;
        }
        StringBuilder sb = new StringBuilder(String.format("%02d:%02d", hour, minute));
        if (second != 0xFF) {
            sb.append(String.format(":%02d", second));
            if (hundredths != 0xFF) {
                sb.append(String.format(".%02d", hundredths));
            }
        }
        return sb.toString();
    }

    /** UTF-8 where each byte that does not start a well-formed sequence stands for U+FFFD. */
    static String utf8(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < b.length) {
            String one = null;
            for (int k = 1; k <= 4 && i + k <= b.length && one == null; k++) {
                one = strictSingle(b, i, k);
                if (one != null) {
                    i += k;
                }
            }
            if (one == null) {
                sb.append('\uFFFD');
                i++;
            } else {
                sb.append(one);
            }
        }
        return sb.toString();
    }

    /** The one code point {@code b[off, off+len)} encodes in well-formed UTF-8, or null. */
    private static String strictSingle(byte[] b, int off, int len) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len)).toString();
            return s.codePointCount(0, s.length()) == 1 ? s : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** An octet-string without a format from the spec: text if all printable ASCII, else hex. */
    static String octets(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7E) {
                return Hex.encode(b);
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The DLMS unit symbols the tests use (IEC 62056-6-2, unit enumeration); null for "no unit". */
    static String unit(int code) {
        return switch (code) {
            case 27 -> "W";
            case 28 -> "VA";
            case 29 -> "var";
            case 30 -> "Wh";
            case 31 -> "VAh";
            case 32 -> "varh";
            case 33 -> "A";
            case 35 -> "V";
            case 44 -> "Hz";
            case 9 -> "°C";
            case 0, 255 -> null;
            default -> throw new IllegalArgumentException("no expected symbol for unit " + code);
        };
    }
}
