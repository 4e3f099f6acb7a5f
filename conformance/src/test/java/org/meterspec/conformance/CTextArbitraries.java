package org.meterspec.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.meterspec.conformance.CTextCase.ReadingSpec;
import org.meterspec.conformance.CTextCase.ValueSpec;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.testkit.AxdrWriter;

/**
 * Values of every A-XDR type for the C text tests, weighted towards what is hard to write right:
 * powers of two and their neighbours, subnormals, signed zeros, NaN payloads and infinities,
 * extreme integers and scalers, invalid dates and deviations, every byte in every format,
 * malformed UTF-8.
 */
final class CTextArbitraries {
    private CTextArbitraries() {
    }

    /** A value's content: its tag, number bits (or bit count) and bytes. */
    record Content(int tag, long raw, byte[] bytes) {
    }

    static Arbitrary<ReadingSpec> readings(int minValues, int maxValues) {
        Arbitrary<Long> numbers = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(1, 1000)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
        return Combinators.combine(numbers, Arbitraries.integers().between(0, ReadingSpec.MODES - 1),
                        Arbitraries.of(false, true), bytes(8, 8), Arbitraries.longs().between(0, 0xFFFFFFFFL),
                        values().list().ofMinSize(minValues).ofMaxSize(maxValues)
                                .withSizeDistribution(net.jqwik.api.RandomDistribution.uniform()))
                .as(ReadingSpec::new);
    }

    static Arbitrary<List<DecodeError>> errors(int n) {
        Arbitrary<Long> offsets = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.longs().between(0, 100000)),
                Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)));
        Arbitrary<Long> lengths = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0L)), Tuple.of(1, offsets));
        return Combinators.combine(Arbitraries.of(ErrorCode.class), offsets, lengths).as(DecodeError::new)
                .list().ofSize(n);
    }

    static Arbitrary<ValueSpec> values() {
        Arbitrary<Content> content = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new Content(AxdrWriter.NULL, 0, null))),
                Tuple.of(2, Arbitraries.integers().between(0, 255).map(b -> new Content(AxdrWriter.BOOLEAN, b, null))),
                Tuple.of(2, bitStrings()),
                Tuple.of(10, integers()),
                Tuple.of(2, Arbitraries.integers().between(0, 255).map(b -> new Content(AxdrWriter.BCD, b, null))),
                Tuple.of(8, float32s().map(b -> new Content(AxdrWriter.FLOAT32, b & 0xFFFFFFFFL, null))),
                Tuple.of(8, float64s().map(b -> new Content(AxdrWriter.FLOAT64, b, null))),
                Tuple.of(3, dateTimes().map(b -> new Content(AxdrWriter.DATE_TIME, 0, b))),
                Tuple.of(2, dates().map(b -> new Content(AxdrWriter.DATE, 0, b))),
                Tuple.of(2, times().map(b -> new Content(AxdrWriter.TIME, 0, b))),
                Tuple.of(12, strings()));
        Arbitrary<Integer> entries = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(-1)),
                Tuple.of(5, Arbitraries.integers().between(0, CTextDecoder.DIRECTORY.size() - 1)));
        // a code the directory names is moved off it: cheaper than a filter
        Arbitrary<Long> unnamed = Arbitraries.longs().between(0, 0xFFFFFFFFFFFFL)
                .map(c -> CTextDecoder.named(c) ? c ^ 0x8000_0000_0000L : c);
        Arbitrary<Integer> scalers = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(ValueSpec.NONE)),
                Tuple.of(2, Arbitraries.integers().between(-6, 6)),
                Tuple.of(1, Arbitraries.integers().between(-128, 127)),
                Tuple.of(1, Arbitraries.of(-128, 127, -127, 126, -64, 64)));
        Arbitrary<Integer> units = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 75)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)), Tuple.of(1, Arbitraries.of(0, 252, 253, 254, 255)));
        return Combinators.combine(content, entries, unnamed, scalers, units)
                .as((c, entry, obis, scaler, unit) -> new ValueSpec(c.tag(), c.raw(), c.bytes(), entry, obis, scaler,
                        scaler == ValueSpec.NONE ? 0 : unit));
    }

    private static Arbitrary<Content> bitStrings() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 200)),
                        Tuple.of(1, Arbitraries.of(0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65)))
                .flatMap(n -> bytes((n + 7) / 8, (n + 7) / 8).map(b -> new Content(AxdrWriter.BIT_STRING, n, b)));
    }

    /** Every integer type, with extremes, powers of ten and their neighbours, the sign bit of uint64. */
    private static Arbitrary<Content> integers() {
        Arbitrary<Integer> tags = Arbitraries.of(AxdrWriter.INT8, AxdrWriter.INT16, AxdrWriter.INT32, AxdrWriter.INT64,
                AxdrWriter.UINT8, AxdrWriter.UINT16, AxdrWriter.UINT32, AxdrWriter.UINT64, AxdrWriter.ENUM);
        Arbitrary<Long> tens = Combinators.combine(Arbitraries.integers().between(0, 19),
                Arbitraries.integers().between(-1, 1), Arbitraries.of(1L, -1L)).as((k, d, sign) -> {
                    long p = 1;
                    for (int i = 0; i < k; i++) {
                        p *= 10;
                    }
                    return sign * (p + d);
                });
        Arbitrary<Long> raws = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs()),
                Tuple.of(2, Arbitraries.longs().between(-100000, 100000)), Tuple.of(2, tens),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L,
                        1L << 63 | 1, 0x8000_0000L, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x8000L, 0x7FFFL, 0xFFFFL, 0x80L,
                        0x7FL, 0xFFL)));
        return Combinators.combine(tags, raws).as((t, r) -> new Content(t, r, null));
    }

    /** float32 bits: any, subnormal, powers of two and their neighbours, specials, short decimals. */
    static Arbitrary<Integer> float32s() {
        Arbitrary<Integer> sign = Arbitraries.of(0, 0x8000_0000);
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers()),
                Tuple.of(2, Combinators.combine(sign, Arbitraries.integers().between(0, (1 << 23) - 1))
                        .as((s, m) -> s | m)),
                Tuple.of(3, Combinators.combine(sign, Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(-3, 3)).as((s, e, d) -> s | ((e << 23) + d))),
                Tuple.of(1, Arbitraries.of(0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7F80_0001, 0x7FC0_0000,
                        0x7FFF_FFFF, 0xFF80_0001, 0xFFC0_0000, 0xFFFF_FFFF, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0080_0000,
                        0x007F_FFFF, 0x0000_0001, 0x8000_0001,
                        // the nearest 8-digit decimal does not read back, the farther one does
                        0x0F80_0000, 0x6B00_0000, 0x6C80_0000, 0x8F80_0000)),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 99_999_999),
                        Arbitraries.integers().between(-50, 40)).as((d, e) ->
                        Float.floatToRawIntBits(Float.parseFloat(d + "E" + e)))),
                // short binary fractions: their exact decimals end in 5, a tie at some precision
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, (1 << 24) - 1),
                        Arbitraries.integers().between(0, 40)).as((m, k) ->
                        Float.floatToRawIntBits(Math.scalb((float) m, -k)))));
    }

    /** float64 bits, as {@link #float32s}. */
    static Arbitrary<Long> float64s() {
        Arbitrary<Long> sign = Arbitraries.of(0L, Long.MIN_VALUE);
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs()),
                Tuple.of(2, Combinators.combine(sign, Arbitraries.longs().between(0, (1L << 52) - 1))
                        .as((s, m) -> s | m)),
                Tuple.of(3, Combinators.combine(sign, Arbitraries.longs().between(0, 2047),
                        Arbitraries.longs().between(-3, 3)).as((s, e, d) -> s | ((e << 52) + d))),
                Tuple.of(1, Arbitraries.of(0L, Long.MIN_VALUE, 0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L,
                        0x7FF0_0000_0000_0001L, 0x7FF8_0000_0000_0000L, 0x7FFF_FFFF_FFFF_FFFFL, -1L,
                        0x7FEF_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L, 0x000F_FFFF_FFFF_FFFFL, 1L,
                        Long.MIN_VALUE | 1, 0x0060_0000_0000_0000L, 0x0100_0000_0000_0000L,
                        Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(5e-324),
                        Double.doubleToRawLongBits(9007199254740993.0))),
                Tuple.of(2, Combinators.combine(Arbitraries.longs().between(1, 99_999_999_999_999_999L),
                        Arbitraries.integers().between(-330, 310)).as((d, e) ->
                        Double.doubleToRawLongBits(Double.parseDouble(d + "E" + e)))),
                Tuple.of(2, Combinators.combine(Arbitraries.longs().between(1, (1L << 53) - 1),
                        Arbitraries.integers().between(0, 80)).as((m, k) ->
                        Double.doubleToRawLongBits(Math.scalb((double) m, -k)))));
    }

    /** A COSEM date: year (2 bytes), month, day, day of week; valid and invalid. */
    static Arbitrary<byte[]> dates() {
        Arbitrary<Integer> years = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0, 9999)),
                Tuple.of(2, Arbitraries.of(0, 1, 1900, 2000, 2023, 2024, 2100, 9999, 10000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
        Arbitrary<Integer> months = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.of(0, 13, 0xFD, 0xFE, 0xFF)));
        Arbitrary<Integer> days = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 31)),
                Tuple.of(1, Arbitraries.of(0, 28, 29, 30, 31, 32, 0xFD, 0xFE, 0xFF)));
        Arbitrary<byte[]> made = Combinators.combine(years, months, days, Arbitraries.integers().between(0, 255))
                .as((y, m, d, w) -> new byte[] {(byte) (y >> 8), (byte) (int) y, (byte) (int) m, (byte) (int) d,
                        (byte) (int) w});
        return Arbitraries.frequencyOf(Tuple.of(6, made), Tuple.of(1, bytes(5, 5)));
    }

    /** A COSEM time: hour, minute, second, hundredths; 0xFF where not specified. */
    static Arbitrary<byte[]> times() {
        Arbitrary<byte[]> made = Combinators.combine(field(23), field(59), field(59), field(99))
                .as((h, m, s, c) -> new byte[] {(byte) (int) h, (byte) (int) m, (byte) (int) s, (byte) (int) c});
        return Arbitraries.frequencyOf(Tuple.of(6, made), Tuple.of(1, bytes(4, 4)));
    }

    private static Arbitrary<Integer> field(int max) {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(0, max)),
                Tuple.of(2, Arbitraries.just(0xFF)), Tuple.of(1, Arbitraries.of(max + 1, max + 2, 0xFE)));
    }

    /** A COSEM date-time: date, time, deviation (-720..720, 0x8000 "not specified", beyond), clock status. */
    static Arbitrary<byte[]> dateTimes() {
        Arbitrary<Integer> deviations = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(-720, 720)),
                Tuple.of(3, Arbitraries.of(0x8000, -720, 720, -721, 721, 0, -60, -120, 60, 0x7FFF, -0x7FFF)),
                Tuple.of(1, Arbitraries.integers().between(-0x8000, 0x7FFF)));
        Arbitrary<byte[]> made = Combinators.combine(dates(), times(), deviations, Arbitraries.integers().between(0, 255))
                .as((d, t, dev, status) -> CTextCase.concat(d, t,
                        new byte[] {(byte) (dev >> 8), (byte) (int) dev, (byte) (int) status}));
        return Arbitraries.frequencyOf(Tuple.of(8, made), Tuple.of(1, bytes(12, 12)));
    }

    /** Strings of the three string types: any bytes, text, UTF-8 good and bad, dates and OBIS codes. */
    private static Arbitrary<Content> strings() {
        Arbitrary<Integer> tags = Arbitraries.of(AxdrWriter.OCTET_STRING, AxdrWriter.VISIBLE_STRING,
                AxdrWriter.UTF8_STRING);
        Arbitrary<byte[]> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(64)
                .map(s -> s.getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> content = Arbitraries.frequencyOf(Tuple.of(4, bytes(0, 64)), Tuple.of(3, printable),
                Tuple.of(3, utf8()), Tuple.of(3, damagedUtf8()), Tuple.of(1, dateTimes()), Tuple.of(1, dates()),
                Tuple.of(1, times()), Tuple.of(1, bytes(6, 6)), Tuple.of(1, bytes(0, 1)));
        return Combinators.combine(tags, content).as((t, b) -> new Content(t, 0, b));
    }

    private static Arbitrary<byte[]> utf8() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, Arbitraries.of(0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF, 0xD7FF,
                        0xE000, 0x22, 0x5C)))
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        return codePoints.list().ofMaxSize(16).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    /** Well-formed UTF-8 broken in the ways a decoder must catch, one after another. */
    private static Arbitrary<byte[]> damagedUtf8() {
        Arbitrary<byte[]> bad = Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xC1, (byte) 0xBF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xFE}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xBF},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
                new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},
                new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[] {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28});
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(Tuple.of(2, bad), Tuple.of(2, utf8()), Tuple.of(1, bytes(1, 3)));
        return piece.list().ofMaxSize(8).map(parts -> {
            byte[] out = CTextCase.concat(parts.toArray(new byte[0][]));
            return out.length > 64 ? CTextCase.copy(out, 64) : out;
        });
    }

    static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }
}
