package org.meterspec.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Exact decimal text of {@code raw × 10^scaler}. Integers keep exactly {@code -scaler} fraction
 * digits (the meter's resolution); floats are written as the shortest decimal that reads back as
 * the same binary value, then shifted by the scaler. No binary floating point arithmetic is done.
 */
public final class Decimals {
    private Decimals() {
    }

    /** Appends {@code raw × 10^scaler}; {@code unsigned} reads {@code raw} as an unsigned 64-bit value. */
    public static void appendScaled(StringBuilder sb, long raw, boolean unsigned, int scaler) {
        String digits;
        boolean negative = false;
        if (unsigned) {
            digits = Long.toUnsignedString(raw);
        } else if (raw < 0) {
            negative = true;
            digits = raw == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(-raw);
        } else {
            digits = Long.toString(raw);
        }
        appendShifted(sb, negative, digits, scaler);
    }

    public static String scaled(long raw, boolean unsigned, int scaler) {
        StringBuilder sb = new StringBuilder(24);
        appendScaled(sb, raw, unsigned, scaler);
        return sb.toString();
    }

    /** Writes sign and the digit string with the decimal point moved {@code scaler} places. */
    static void appendShifted(StringBuilder sb, boolean negative, String digits, int scaler) {
        boolean zero = digits.chars().allMatch(c -> c == '0');
        if (negative && !zero) {
            sb.append('-');
        }
        if (scaler >= 0) {
            sb.append(digits);
            if (!zero) {
                for (int i = 0; i < scaler; i++) {
                    sb.append('0');
                }
            }
            return;
        }
        int fraction = -scaler;
        if (digits.length() <= fraction) {
            sb.append("0.");
            for (int i = digits.length(); i < fraction; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            int point = digits.length() - fraction;
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
    }

    /** A float32 value as the shortest round-tripping decimal, times 10^scaler. */
    public static String float32(float value, int scaler) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 9; precision++) {
            BigDecimal candidate = nearest(exact, precision);
            if (Float.parseFloat(candidate.toString()) != value) {
                candidate = farther(exact, candidate, precision);
            }
            if (Float.parseFloat(candidate.toString()) == value) {
                shortest = candidate;
                break;
            }
        }
        return shifted(shortest, value < 0 || (value == 0 && 1 / value < 0), scaler);
    }

    /** A float64 value as the shortest round-tripping decimal, times 10^scaler. */
    public static String float64(double value, int scaler) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = nearest(exact, precision);
            if (Double.parseDouble(candidate.toString()) != value) {
                candidate = farther(exact, candidate, precision);
            }
            if (Double.parseDouble(candidate.toString()) == value) {
                shortest = candidate;
                break;
            }
        }
        return shifted(shortest, value < 0, scaler);
    }

    private static BigDecimal nearest(BigDecimal exact, int precision) {
        return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    }

    /**
     * The other {@code precision}-digit neighbour of {@code exact}: at a power of two the interval
     * that reads back is narrower below than above, so the farther neighbour may read back when
     * the nearest does not.
     */
    private static BigDecimal farther(BigDecimal exact, BigDecimal nearest, int precision) {
        RoundingMode away = nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
        return exact.round(new MathContext(precision, away));
    }

    private static String shifted(BigDecimal value, boolean negative, int scaler) {
        BigDecimal magnitude = value.abs().stripTrailingZeros();
        // unscaled digits × 10^-scale × 10^scaler
        String digits = magnitude.unscaledValue().toString();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        int exponent = scaler - magnitude.scale();
        appendShifted(sb, negative, digits, exponent);
        if (exponent < 0) {
            // a float carries no resolution of its own: drop the zeros the shift left behind
            int end = sb.length();
            while (sb.charAt(end - 1) == '0') {
                end--;
            }
            if (sb.charAt(end - 1) == '.') {
                end--;
            }
            sb.setLength(end);
        }
        return sb.toString();
    }
}
