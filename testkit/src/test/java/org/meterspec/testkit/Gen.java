package org.meterspec.testkit;

import static org.meterspec.testkit.AxdrWriter.*;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.meterspec.runtime.Obis;

/** jqwik generators for A-XDR values and telegrams, weighted towards what meters really send. */
final class Gen {
    private Gen() {
    }

    static Arbitrary<Scalar> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Scalar.number(NULL, 0))),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(b -> Scalar.number(BOOLEAN, b))),
                Tuple.of(1, Arbitraries.strings().withChars('0', '1').ofMaxLength(140).map(Scalar::bitString)),
                Tuple.of(2, Arbitraries.integers().between(-128, 127).map(v -> Scalar.number(INT8, v))),
                Tuple.of(2, Arbitraries.integers().between(-32768, 32767).map(v -> Scalar.number(INT16, v))),
                Tuple.of(2, Arbitraries.integers().map(v -> Scalar.number(INT32, v))),
                Tuple.of(2, Arbitraries.longs().map(v -> Scalar.number(INT64, v))),
                Tuple.of(2, Arbitraries.integers().between(0, 255).map(v -> Scalar.number(UINT8, v))),
                Tuple.of(2, Arbitraries.integers().between(0, 65535).map(v -> Scalar.number(UINT16, v))),
                Tuple.of(3, Arbitraries.longs().between(0, 0xFFFFFFFFL).map(v -> Scalar.number(UINT32, v))),
                Tuple.of(2, Arbitraries.longs().map(v -> Scalar.number(UINT64, v))),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(v -> Scalar.number(ENUM, v))),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(v -> Scalar.number(BCD, v))),
                Tuple.of(2, float32Bits().map(v -> Scalar.number(FLOAT32, v & 0xFFFFFFFFL))),
                Tuple.of(2, float64Bits().map(v -> Scalar.number(FLOAT64, v))),
                Tuple.of(2, octets(300).map(b -> Scalar.bytes(OCTET_STRING, b))),
                Tuple.of(1, printable(40).map(b -> Scalar.bytes(OCTET_STRING, b))),
                Tuple.of(1, octets(200).map(b -> Scalar.bytes(VISIBLE_STRING, b))),
                Tuple.of(1, text().map(s -> Scalar.bytes(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, utf8ish().map(b -> Scalar.bytes(UTF8_STRING, b))),
                Tuple.of(2, dateTimes().map(b -> Scalar.bytes(DATE_TIME, b))),
                Tuple.of(1, dates().map(b -> Scalar.bytes(DATE, b))),
                Tuple.of(1, times().map(b -> Scalar.bytes(TIME, b))));
    }

    /** Any float bits, powers of two (where shortest decimals are hardest), and meter-like decimals. */
    static Arbitrary<Integer> float32Bits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers()),
                Tuple.of(1, Arbitraries.integers().between(-149, 127).map(k -> Float.floatToRawIntBits(Math.scalb(1f, k)))),
                Tuple.of(2, Arbitraries.integers().between(-1_000_000, 1_000_000).map(i -> Float.floatToRawIntBits(i / 100f))),
                Tuple.of(1, Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL).map(Float::floatToRawIntBits)));
    }

    static Arbitrary<Long> float64Bits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.integers().between(-1074, 1023).map(k -> Double.doubleToRawLongBits(Math.scalb(1.0, k)))),
                Tuple.of(2, Arbitraries.integers().between(-1_000_000, 1_000_000).map(i -> Double.doubleToRawLongBits(i / 1000.0))),
                Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL).map(Double::doubleToRawLongBits)));
    }

    static Arbitrary<byte[]> octets(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    static Arbitrary<byte[]> printable(int max) {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(max).map(s -> s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Text with ASCII, Latin, CJK and supplementary-plane characters, never a lone surrogate. */
    static Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** Mostly UTF-8 with damage: lead bytes, continuation bytes, overlong and surrogate forms. */
    static Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                text().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(0x80, 0xFF).map(b -> new byte[] {(byte) (int) b}),
                Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                        new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xE2, (byte) 0x82}));
        return piece.list().ofMaxSize(6).map(parts -> Framing.concat(parts));
    }

    /** Date fields: mostly valid, sometimes unspecified (0xFF, 0xFFFF) or invalid (0, 13, 0xFD, 0xFE, Feb 29-31). */
    static Arbitrary<byte[]> dates() {
        Arbitrary<Integer> year = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1990, 2100)),
                Tuple.of(1, Arbitraries.integers().between(0, 9999)),
                Tuple.of(1, Arbitraries.of(0xFFFF, 1900, 2000, 2024, 2100)));
        Arbitrary<Integer> month = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.of(0, 13, 0xFD, 0xFE, 0xFF)));
        Arbitrary<Integer> day = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 31)),
                Tuple.of(1, Arbitraries.of(0, 32, 0xFD, 0xFE, 0xFF)));
        Arbitrary<Integer> dayOfWeek = Arbitraries.integers().between(0, 255);
        return Combinators.combine(year, month, day, dayOfWeek).as((y, m, d, w) ->
                new byte[] {(byte) (y >>> 8), (byte) (int) y, (byte) (int) m, (byte) (int) d, (byte) (int) w});
    }

    /** Time fields: mostly valid, sometimes unspecified (0xFF) or invalid (24, 60, 100). */
    static Arbitrary<byte[]> times() {
        Arbitrary<Integer> hour = field(23, 24);
        Arbitrary<Integer> minute = field(59, 60);
        Arbitrary<Integer> second = field(59, 60);
        Arbitrary<Integer> hundredths = field(99, 100);
        return Combinators.combine(hour, minute, second, hundredths).as((h, m, s, c) ->
                new byte[] {(byte) (int) h, (byte) (int) m, (byte) (int) s, (byte) (int) c});
    }

    private static Arbitrary<Integer> field(int max, int invalid) {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(0, max)),
                Tuple.of(2, Arbitraries.just(0xFF)),
                Tuple.of(1, Arbitraries.of(invalid, 0x80, 0xFE)));
    }

    static Arbitrary<byte[]> dateTimes() {
        Arbitrary<Integer> deviation = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(-120, -60, 0, 60, 300, 0x8000)),
                Tuple.of(2, Arbitraries.integers().between(-720, 720)),
                Tuple.of(1, Arbitraries.integers().between(-32768, 32767)),
                Tuple.of(1, Arbitraries.of(-721, 721)));
        Arbitrary<Integer> status = Arbitraries.of(0x00, 0x80, 0xFF, 0x08);
        return Combinators.combine(dates(), times(), deviation, status).as((d, t, dev, st) -> {
            byte[] b = new byte[12];
            System.arraycopy(d, 0, b, 0, 5);
            System.arraycopy(t, 0, b, 5, 4);
            b[9] = (byte) (dev >>> 8);
            b[10] = (byte) (int) dev;
            b[11] = (byte) (int) st;
            return b;
        });
    }

    /** OBIS codes: the decoder's named ones (names, units, formats, fixed scalers) and any other. */
    static Arbitrary<Long> obisCodes() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(TripletDecoder.ENERGY.obis(), TripletDecoder.CURRENT.obis(),
                        TripletDecoder.METER_ID.obis(), TripletDecoder.MESSAGE.obis())),
                Tuple.of(2, Arbitraries.longs().between(0, (1L << 48) - 1)),
                Tuple.of(1, Arbitraries.of(Obis.pack(1, 0, 32, 7, 0, 255), Obis.pack(0, 0, 1, 0, 0, 255))));
    }

    static Arbitrary<Integer> scalers() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(-6, 6)),
                Tuple.of(1, Arbitraries.integers().between(-128, 127)));
    }

    static Arbitrary<Integer> units() {
        return Arbitraries.of(27, 28, 29, 30, 31, 32, 33, 35, 44, 9, 0, 255);
    }

    static Arbitrary<Telegram.Entry> entries() {
        return Combinators.combine(obisCodes(), scalars(), Arbitraries.integers().between(0, 2), scalers(), units())
                .as((obis, value, su, scaler, unit) -> new Telegram.Entry(obis, value, su > 0, scaler, unit));
    }

    static Arbitrary<Long> invokeIds() {
        return Arbitraries.longs().between(0, 0xFFFFFFFFL);
    }

    static Arbitrary<Telegram> telegrams(int maxEntries) {
        Arbitrary<byte[]> dateTime = dateTimes().injectNull(0.4);
        return Combinators.combine(invokeIds(), dateTime, entries().list().ofMaxSize(maxEntries))
                .as(Telegram::new);
    }

    /** Telegrams whose values are all plain numbers: fast to generate in bulk for stream tests. */
    static Arbitrary<Telegram> numericTelegrams(int minEntries, int maxEntries) {
        Arbitrary<Telegram.Entry> entry = Combinators.combine(Arbitraries.longs().between(0, (1L << 48) - 1),
                Arbitraries.longs().between(0, 0xFFFFFFFFL), scalers(), units())
                .as((obis, v, scaler, unit) -> new Telegram.Entry(obis, Scalar.number(UINT32, v), true, scaler, unit));
        return Combinators.combine(invokeIds(), entry.list().ofMinSize(minEntries).ofMaxSize(maxEntries))
                .as((id, entries) -> new Telegram(id, null, entries));
    }
}
