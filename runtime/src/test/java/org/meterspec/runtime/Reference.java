package org.meterspec.runtime;

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
import java.util.function.Predicate;

/**
 * What the runtime's text must be, computed by other means than the runtime's own code: BigDecimal
 * arithmetic, java.time's calendar, the JDK's strict UTF-8 decoder.
 */
final class Reference {
    private Reference() {
    }

    /** {@code raw × 10^scaler} with exactly -scaler fraction digits for a negative scaler. */
    static String scaled(BigInteger raw, int scaler) {
        return scaler >= 0 ? raw.multiply(BigInteger.TEN.pow(scaler)).toString() : new BigDecimal(raw, -scaler).toPlainString();
    }

    static String float32(float v, int scaler) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return Float.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        return shortest(new BigDecimal(v), c -> Float.parseFloat(c.toString()) == v, scaler);
    }

    static String float64(double v, int scaler) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        }
        return shortest(new BigDecimal(v), c -> Double.parseDouble(c.toString()) == v, scaler);
    }

    /**
     * The decimal of fewest digits that reads back as the value; of two such, the nearer, and at
     * equal distance the one with an even last digit; times 10^scaler, without trailing zeros.
     */
    private static String shortest(BigDecimal exact, Predicate<BigDecimal> readsBack, int scaler) {
        for (int p = 1; ; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = readsBack.test(down);
            boolean upOk = readsBack.test(up);
            BigDecimal best;
            if (downOk && upOk) {
                int c = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
                best = c < 0 ? down : c > 0 ? up : down.unscaledValue().testBit(0) ? up : down;
            } else if (downOk || upOk) {
                best = downOk ? down : up;
            } else {
                continue;
            }
            BigDecimal shifted = best.scaleByPowerOfTen(scaler);
            return shifted.signum() == 0 ? "0" : shifted.stripTrailingZeros().toPlainString();
        }
    }

    /** A COSEM date-time in ISO 8601 as DateTimes' javadoc describes it, else hex. */
    static String dateTime(byte[] b) {
        String date = date(b, 0);
        String time = time(b, 5);
        int deviation = (short) (((b[9] & 0xFF) << 8) | (b[10] & 0xFF));
        if (date == null || time == null || (deviation != Short.MIN_VALUE && Math.abs(deviation) > 720)) {
            return hex(b);
        }
        if (deviation == Short.MIN_VALUE) {
            return date + "T" + time;
        }
        int offset = -deviation;
        return date + "T" + time + String.format("%s%02d:%02d", offset < 0 ? "-" : "+", Math.abs(offset) / 60, Math.abs(offset) % 60);
    }

    static String date(byte[] b, int off) {
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

    static String time(byte[] b, int off) {
        int h = b[off] & 0xFF;
        int m = b[off + 1] & 0xFF;
        int s = b[off + 2] & 0xFF;
        int c = b[off + 3] & 0xFF;
        if (h > 23 || m > 59 || (s > 59 && s != 0xFF) || (c > 99 && c != 0xFF)) {
            return null;
        }
        String t = String.format("%02d:%02d", h, m);
        return s == 0xFF ? t : c == 0xFF ? t + String.format(":%02d", s) : t + String.format(":%02d.%02d", s, c);
    }

    /** UTF-8 where each byte that does not start a well-formed sequence stands for U+FFFD. */
    static String utf8(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        outer:
        while (i < b.length) {
            for (int k = 1; k <= 4 && i + k <= b.length; k++) {
                try {
                    String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, i, k)).toString();
                    if (s.codePointCount(0, s.length()) == 1) {
                        sb.append(s);
                        i += k;
                        continue outer;
                    }
                } catch (CharacterCodingException e) {
                    // not a whole sequence of k bytes
                }
            }
            sb.append('\uFFFD');
            i++;
        }
        return sb.toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }
}
