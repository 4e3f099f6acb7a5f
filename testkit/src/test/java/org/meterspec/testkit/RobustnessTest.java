package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Tolerance;
import org.meterspec.runtime.Value;

/**
 * Whatever arrives — random bytes, or real telegrams with bits flipped, cut short, bytes inserted
 * or repeated — the decoder answers with readings and typed errors only: no exception escapes
 * {@code feed}, {@code finish}, {@code decode} or the rendering of a result.
 */
class RobustnessTest {

    @Property(tries = 300)
    void randomBytesGiveOnlyTypedResults(@ForAll("transports") Line.Transport transport, @ForAll("tolerances") Tolerance[] tolerances,
                                         @ForAll("garbage") byte[] data, @ForAll("chunks") List<Integer> chunks) {
        checkEveryEntryPoint(decoder(transport, tolerances), data, chunks);
    }

    @Property(tries = 400)
    void mutatedTelegramsGiveOnlyTypedResults(@ForAll("lines") Line line, @ForAll("tolerances") Tolerance[] tolerances,
                                              @ForAll("mutations") List<Mutation> mutations,
                                              @ForAll("chunks") List<Integer> chunks) {
        byte[] data = line.stream();
        for (Mutation m : mutations) {
            data = m.apply(data);
        }
        checkEveryEntryPoint(decoder(line.transport(), tolerances), data, chunks);
    }

    private static void checkEveryEntryPoint(TripletDecoder decoder, byte[] data, List<Integer> chunks) {
        List<TelegramResult> all = decoder.decodeAll(data);
        checkResults(all, data.length);
        TelegramResult first = decoder.decode(data);
        checkResults(List.of(first), data.length);
        assertEquals(all.isEmpty() ? new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0).toJson(1) : all.get(0).toJson(1),
                first.toJson(1), "one-shot decode is not the stream's first line");
        List<TelegramResult> chunked = Line.feed(decoder, data, chunks);
        checkResults(chunked, data.length);
        assertEquals(Line.json(all), Line.json(chunked), "chunked feeding changes the results");
    }

    /** Every result renders, and every error offset lies inside the input. */
    private static void checkResults(List<TelegramResult> results, int length) {
        for (TelegramResult r : results) {
            assertNotNull(r.toJson(1));
            if (r instanceof DecodeError e) {
                assertTrue(e.offset() >= 0 && e.offset() <= length, () -> e + " outside input of " + length);
                assertTrue(e.length() >= 0 && e.length() <= length && e.length() <= org.meterspec.runtime.StreamDecoder.RUN_CAP,
                        () -> e + " a run longer than the input of " + length + " or the cap");
            } else {
                for (Value v : ((Reading) r).values()) {
                    assertNotNull(v.toString());
                }
            }
        }
    }

    /** The decoder of {@link Line}, with some of the spec's tolerances switched on. */
    private static TripletDecoder decoder(Line.Transport transport, Tolerance[] tolerances) {
        DecoderConfig.Builder b = TripletDecoder.configure()
                .acceptPlain(true).acceptGlo(true).acceptDed(true).securityControl(0x00, 0x10, 0x20, 0x30, 0x21, 0x31)
                .blockTransfer(8).tolerate(tolerances);
        switch (transport) {
            case MBUS -> b.mbus();
            case HDLC -> b.hdlc().llc(DecoderConfig.Llc.OPTIONAL);
            case RAW -> b.raw();
        }
        return new TripletDecoder(b.build(), Keys.of(TestKeys.EK, TestKeys.AK));
    }

    /** One change to a byte string; positions are fractions of its length so they shrink well. */
    record Mutation(Kind kind, double at, int bit, int length, byte[] inserted) {
        enum Kind { FLIP, TRUNCATE, INSERT, DUPLICATE, DELETE }

        byte[] apply(byte[] d) {
            int p = (int) (at * d.length);
            switch (kind) {
                case FLIP -> {
                    if (d.length == 0) {
                        return d;
                    }
                    byte[] out = d.clone();
                    out[Math.min(p, d.length - 1)] ^= (byte) (1 << bit);
                    return out;
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(d, p);
                }
                case INSERT -> {
                    return splice(d, p, inserted, 0);
                }
                case DUPLICATE -> {
                    int n = Math.min(length, d.length - p);
                    return splice(d, p, Arrays.copyOfRange(d, p, p + n), 0);
                }
                default -> {
                    int n = Math.min(length, d.length - p);
                    return splice(d, p, new byte[0], n);
                }
            }
        }

        /** {@code d} with {@code removed} bytes at {@code p} replaced by {@code in}. */
        private static byte[] splice(byte[] d, int p, byte[] in, int removed) {
            byte[] out = new byte[d.length - removed + in.length];
            System.arraycopy(d, 0, out, 0, p);
            System.arraycopy(in, 0, out, p, in.length);
            System.arraycopy(d, p + removed, out, p + in.length, d.length - p - removed);
            return out;
        }

        @Override
        public String toString() {
            return kind + "@" + at + (kind == Kind.FLIP ? " bit " + bit : kind == Kind.INSERT ? " " + Hex.encode(inserted) : " n=" + length);
        }
    }

    @Provide
    Arbitrary<Line.Transport> transports() {
        return Arbitraries.of(Line.Transport.class);
    }

    @Provide
    Arbitrary<Tolerance[]> tolerances() {
        return Arbitraries.of(Tolerance.class).set().map(s -> s.toArray(new Tolerance[0]));
    }

    /** Random bytes, and random bytes rich in frame and APDU start bytes. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<Byte> rich = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes()),
                Tuple.of(2, Arbitraries.of(0x68, 0x16, 0x7E, 0xA0, 0xA8, 0x0F, 0xDB, 0xDC, 0xE0, 0x08, 0x00, 0x02, 0x09, 0x06,
                        0xE6, 0xE7, 0x81, 0x82, 0xFF).map(b -> (byte) (int) b)));
        return Arbitraries.oneOf(Gen.octets(3000), rich.list().ofMaxSize(1500).map(RobustnessTest::bytes));
    }

    @Provide
    Arbitrary<Line> lines() {
        return StreamTest.lines(Arbitraries.of(Line.Transport.class));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Mutation.Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(1, 300), Gen.octets(20))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 400).list().ofMinSize(1).ofMaxSize(6);
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
        }
        return b;
    }

}
