package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.meterspec.engine.DecoderCompiler;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * The decoders generated from examples/, fed their real captures damaged in every way and cut
 * into chunks of every size: nothing but a reading or a typed error comes out, errors point inside
 * the input, and chunking never changes the result.
 */
class GeneratedDecoderPropertiesTest {

    /** A spec's decoder with an example's keys, and that example's capture. */
    record Case(String name, DecoderCompiler.Factory factory, Keys keys, byte[] capture) {
        MeterDecoder decoder() {
            return factory.create(keys, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = cases();

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (MeterModel model : Specs.all()) {
            DecoderCompiler.Factory factory = Specs.factory(model);
            for (ExampleSpec example : model.examples()) {
                try {
                    byte[] capture = example.captureFile() != null ? Captures.read(example.captureFile())
                            : Captures.parseHex(example.captureHex());
                    out.add(new Case(model.name() + "/" + example.name(), factory,
                            Keys.ofHex(example.key(), example.authKey()), capture));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Case> examples() {
        return Arbitraries.of(CASES);
    }

    /** A capture damaged once or a few times: bits flipped, bytes dropped, inserted, repeated, or cut. */
    @Provide
    Arbitrary<byte[]> damaged() {
        return Combinators.combine(examples(), Arbitraries.longs().list().ofMinSize(1).ofMaxSize(4))
                .as((c, seeds) -> {
                    byte[] b = c.capture().clone();
                    for (long seed : seeds) {
                        b = damage(b, seed);
                    }
                    return b;
                });
    }

    private static byte[] damage(byte[] b, long seed) {
        if (b.length == 0) {
            return b;
        }
        java.util.Random r = new java.util.Random(seed);
        int at = r.nextInt(b.length);
        int n = 1 + r.nextInt(Math.min(16, b.length - at));
        switch (r.nextInt(5)) {
            case 0 -> {
                byte[] out = b.clone();
                out[at] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
            case 1 -> {
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
            case 2 -> {
                byte[] noise = new byte[n];
                r.nextBytes(noise);
                return splice(b, at, noise);
            }
            case 3 -> {
                return splice(b, at, Arrays.copyOfRange(b, at, at + n));
            }
            default -> {
                return Arrays.copyOf(b, at);
            }
        }
    }

    private static byte[] splice(byte[] b, int at, byte[] inserted) {
        byte[] out = new byte[b.length + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at, out, at + inserted.length, b.length - at);
        return out;
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 200).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void damagedCapturesGiveOnlyTypedResults(@ForAll("examples") Case c, @ForAll("damaged") byte[] input,
                                             @ForAll("chunks") List<Integer> chunks) {
        MeterDecoder decoder = c.decoder();
        List<TelegramResult> whole = decoder.decodeAll(input);
        List<TelegramResult> chunked = feed(decoder, input, chunks);
        assertEquals(json(whole), json(chunked), "chunking changed the results");
        for (TelegramResult r : whole) {
            if (r instanceof DecodeError e) {
                assertTrue(e.offset() >= 0 && e.offset() <= Math.max(input.length, c.capture().length) + 16,
                        () -> "offset outside the input: " + e);
            }
        }
        decoder.decode(input);
    }

    @Property(tries = 200)
    void randomBytesGiveOnlyTypedResults(@ForAll("examples") Case c,
                                         @ForAll("noise") byte[] input, @ForAll("chunks") List<Integer> chunks) {
        MeterDecoder decoder = c.decoder();
        assertEquals(json(decoder.decodeAll(input)), json(feed(decoder, input, chunks)));
        decoder.decode(input);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        // random bytes, with a fair share of each transport's start and header bytes
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> starts = Arbitraries.of((byte) 0x68, (byte) 0x7E, (byte) 0xA0, (byte) 0x0F, (byte) 0xDB,
                (byte) 0xE0, (byte) 0x02, (byte) 0x09, (byte) 0x06, (byte) 0x00);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, starts))
                .list().ofMaxSize(600).map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = list.get(i);
                    }
                    return b;
                });
    }

    private static List<TelegramResult> feed(MeterDecoder decoder, byte[] input, List<Integer> chunks) {
        List<TelegramResult> out = new ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> out.add(r));
        int at = 0;
        int i = 0;
        while (at < input.length) {
            int n = Math.min(chunks.get(i++ % chunks.size()), input.length - at);
            stream.feed(input, at, n);
            at += n;
        }
        stream.finish();
        return out;
    }

    private static List<String> json(List<TelegramResult> results) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(results.get(i).toJson(i + 1));
        }
        return out;
    }
}
