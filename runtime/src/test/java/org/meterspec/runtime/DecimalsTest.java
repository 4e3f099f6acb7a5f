package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact decimal text of raw × 10^scaler, and of floats as their shortest round-trip decimal. */
class DecimalsTest {
    private static final BigInteger UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @ParameterizedTest
    @CsvSource({
        "0, 0, 0",
        "12937, 0, 12937",
        "2337, -1, 233.7",
        "0, -1, 0.0",
        "0, -2, 0.00",
        "1000, -3, 1.000",
        "5, -3, 0.005",
        "-5, -3, -0.005",
        "-1500, -3, -1.500",
        "1, 3, 1000",
        "0, 3, 0",
        "-2, 2, -200",
        "123, -3, 0.123",
        "9223372036854775807, -19, 0.9223372036854775807",
        "-9223372036854775808, 0, -9223372036854775808",
        "-9223372036854775808, -2, -92233720368547758.08",
    })
    void signedIntegers(long raw, int scaler, String text) {
        assertEquals(text, Decimals.scaled(raw, false, scaler));
    }

    @Test
    void unsignedIntegersUseAll64Bits() {
        assertEquals("18446744073709551615", Decimals.scaled(-1L, true, 0));
        assertEquals("9223372036854775808", Decimals.scaled(Long.MIN_VALUE, true, 0));
        assertEquals("184467440737095516.15", Decimals.scaled(-1L, true, -2));
    }

    @Test
    void appendsToWhatIsThere() {
        StringBuilder sb = new StringBuilder("x=");
        Decimals.appendScaled(sb, -15, false, -1);
        assertEquals("x=-1.5", sb.toString());
    }

    @Property(tries = 500)
    void integersAreExact(@ForAll long raw, @ForAll boolean unsigned, @ForAll("scalers") int scaler) {
        BigInteger value = unsigned ? BigInteger.valueOf(raw).and(UINT64) : BigInteger.valueOf(raw);
        assertEquals(Reference.scaled(value, scaler), Decimals.scaled(raw, unsigned, scaler));
    }

    @ParameterizedTest
    @CsvSource({
        "1.0, 0, 1",
        "0.1, 0, 0.1",
        "233.7, 0, 233.7",
        "1.5, 3, 1500",
        "1.5, -1, 0.15",
        "100, -2, 1",
        "-2.5, 0, -2.5",
        "3.4028235E38, 0, 340282350000000000000000000000000000000",
        "1.0E-10, 2, 0.00000001",
    })
    void floats(float value, int scaler, String text) {
        assertEquals(text, Decimals.float32(value, scaler));
    }

    @Test
    void floatSpecialValues() {
        assertEquals("NaN", Decimals.float32(Float.NaN, 0));
        assertEquals("Infinity", Decimals.float32(Float.POSITIVE_INFINITY, -3));
        assertEquals("-Infinity", Decimals.float64(Double.NEGATIVE_INFINITY, 2));
        assertEquals("0", Decimals.float32(-0f, 0));
        assertEquals("0", Decimals.float64(-0.0, -3));
        // the smallest float is 1.4E-45 to Java, but one digit reads back already
        assertEquals("0." + "0".repeat(44) + "1", Decimals.float32(Float.MIN_VALUE, 0));
        assertEquals("0.1", Decimals.float64(0.1, 0));
        assertEquals("0.30000000000000004", Decimals.float64(0.1 + 0.2, 0));
    }

    /**
     * Regression: at a power of two the nearest 8-digit decimal of 2^87 does not read back, the
     * other 8-digit neighbour does; the runtime wrote 9 digits.
     */
    @Test
    void powersOfTwoGetTheirShortestDecimal() {
        assertEquals("154742510000000000000000000", Decimals.float32(Math.scalb(1f, 87), 0));
        assertEquals("0.000000000000000000000000000012621775", Decimals.float32(Math.scalb(1f, -96), 0));
        for (int k = -149; k <= 127; k++) {
            float f = Math.scalb(1f, k);
            assertEquals(Reference.float32(f, 0), Decimals.float32(f, 0), "2^" + k);
        }
        for (int k = -1074; k <= 1023; k++) {
            double d = Math.scalb(1.0, k);
            assertEquals(Reference.float64(d, 0), Decimals.float64(d, 0), "2^" + k);
        }
    }

    @Property(tries = 1000)
    void float32IsTheShortestRoundTrip(@ForAll int bits, @ForAll("scalers") int scaler) {
        float f = Float.intBitsToFloat(bits);
        assertEquals(Reference.float32(f, scaler), Decimals.float32(f, scaler));
    }

    @Property(tries = 1000)
    void float64IsTheShortestRoundTrip(@ForAll long bits, @ForAll @IntRange(min = -12, max = 12) int scaler) {
        double d = Double.longBitsToDouble(bits);
        assertEquals(Reference.float64(d, scaler), Decimals.float64(d, scaler));
    }

    @Property(tries = 300)
    void meterLikeFloats(@ForAll @IntRange(min = -10_000_000, max = 10_000_000) int hundredths,
                         @ForAll @IntRange(min = -3, max = 3) int scaler) {
        float f = hundredths / 100f;
        assertEquals(Reference.float32(f, scaler), Decimals.float32(f, scaler));
    }

    @Provide
    Arbitrary<Integer> scalers() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-8, 8), Arbitraries.integers().between(-128, 127));
    }
}
