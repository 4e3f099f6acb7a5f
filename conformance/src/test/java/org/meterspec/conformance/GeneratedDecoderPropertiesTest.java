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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.meterspec.engine.DecoderCompiler;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Transport;
import org.meterspec.gen.plan.BodySteps;
import org.meterspec.gen.plan.Op;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.runtime.BodyTrace;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Layer;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * The decoders generated from examples/, each fed its own real captures damaged in every way,
 * and noise, cut into chunks of every size: nothing but a reading or a typed error comes out,
 * chunking never changes the result, and every error points inside what it names: a transport
 * error inside the input (at its very end only when the stream ended there), any other inside the
 * APDU the input carried.
 */
class GeneratedDecoderPropertiesTest {

    /** A spec's decoder with an example's keys, and that example's capture. */
    record Case(String name, MeterModel model, DecoderCompiler.Factory factory, Keys keys, byte[] capture) {
        MeterDecoder decoder() {
            return factory.create(keys, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A case and an input made for it. */
    record Input(Case example, byte[] bytes, String how) {
        @Override
        public String toString() {
            return example + ", " + how + " (" + bytes.length + " bytes)";
        }
    }

    private static final List<Case> CASES = cases();

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (MeterModel model : Specs.all()) {
            DecoderCompiler.Factory factory = Specs.factory(model);
            for (ExampleSpec example : model.examples()) {
                try {
                    out.add(new Case(model.name() + "/" + example.name(), model, factory,
                            Keys.ofHex(example.key(), example.authKey()), ExampleRunner.capture(example)));
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

    /** A case's own capture damaged once or a few times: bits flipped, bytes dropped, inserted, repeated, or cut. */
    @Provide
    Arbitrary<Input> damaged() {
        return examples().flatMap(c -> Arbitraries.longs().list().ofMinSize(1).ofMaxSize(4).map(seeds -> {
            byte[] b = c.capture().clone();
            for (long seed : seeds) {
                b = damage(b, seed);
            }
            return new Input(c, b, "its capture damaged by " + seeds);
        }));
    }

    /** Random bytes for a case's decoder, with a fair share of each transport's start and header bytes. */
    @Provide
    Arbitrary<Input> noise() {
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> starts = Arbitraries.of((byte) 0x68, (byte) 0x7E, (byte) 0xA0, (byte) 0x0F, (byte) 0xDB,
                (byte) 0xE0, (byte) 0x02, (byte) 0x09, (byte) 0x06, (byte) 0x00);
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, starts))
                .list().ofMaxSize(600).map(list -> {
                    byte[] b = new byte[list.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = list.get(i);
                    }
                    return b;
                });
        return examples().flatMap(c -> bytes.map(b -> new Input(c, b, "noise")));
    }

    static byte[] damage(byte[] b, long seed) {
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
                byte[] out = Bytes.drop(b, at, n);
                return out;
            }
            case 2 -> {
                byte[] noise = new byte[n];
                r.nextBytes(noise);
                return Bytes.splice(b, at, noise);
            }
            case 3 -> {
                return Bytes.splice(b, at, Arrays.copyOfRange(b, at, at + n));
            }
            default -> {
                return Arrays.copyOf(b, at);
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 200).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 300)
    void damagedCapturesGiveOnlyTypedResults(@ForAll("damaged") Input input, @ForAll("chunks") List<Integer> chunks) {
        typedResultsInsideTheInput(input, chunks);
    }

    @Property(tries = 200)
    void randomBytesGiveOnlyTypedResults(@ForAll("noise") Input input, @ForAll("chunks") List<Integer> chunks) {
        typedResultsInsideTheInput(input, chunks);
    }

    /**
     * Every body error is raised while a step of the layout is reading (none is left unnamed),
     * and that step's operation is one the plan says raises the error: the element a diagnostic
     * names is the one that failed.
     */
    @Property(tries = 300)
    void everyBodyErrorNamesTheStepThatRaisesIt(@ForAll("damaged") Input input) {
        MeterDecoder decoder = input.example().decoder();
        BodySteps plan = BodySteps.of(PlanBuilder.build(input.example().model()));
        assertEquals(plan.steps(), decoder.steps(), "the decoder's step table is the plan's");
        List<String> stops = new ArrayList<>();
        List<Integer> begun = new ArrayList<>();
        decoder.trace(new BodyTrace() {
            @Override
            public void begin(int offset) {
                begun.add(offset);
            }

            @Override
            public void step(int offset, int step) {
                assertTrue(step >= 0 && step < plan.steps().size(), () -> "step " + step + " is not in the table");
                assertTrue(offset >= begun.get(begun.size() - 1), () -> "step " + step + " before its body, at " + offset);
            }

            @Override
            public void stopped(int step, ErrorCode code, long offset) {
                assertTrue(step >= 0, () -> code + " at " + offset + " raised before the layout's first step");
                Op op = plan.op(step);
                assertTrue(op.failures().stream().anyMatch(f -> f.code() == code),
                        () -> code + " at " + offset + " raised while " + plan.steps().get(step) + " read, whose "
                                + op.getClass().getSimpleName() + " raises only " + op.failures());
                stops.add(code.name());
            }
        });
        List<TelegramResult> results = decoder.decodeAll(input.bytes());
        long bodyErrors = results.stream().filter(r -> r instanceof DecodeError e && e.layer() == Layer.BODY).count();
        assertTrue(stops.size() >= bodyErrors, () -> bodyErrors + " body errors, " + stops.size() + " traced");
    }

    private static void typedResultsInsideTheInput(Input input, List<Integer> chunks) {
        MeterDecoder decoder = input.example().decoder();
        Fed whole = feed(decoder, input.bytes(), List.of(Math.max(1, input.bytes().length)));
        Fed chunked = feed(decoder, input.bytes(), chunks);
        assertEquals(json(whole.results), json(chunked.results), "chunking changed the results");
        assertOffsetsInside(input, whole);
        // one-shot decoding of the same bytes is typed too
        decoder.decode(input.bytes());
    }

    /**
     * Transport errors point into the input: before its end, or at its end only when reported
     * as the stream ended. The others point into the APDU: it came out of the input (a bare APDU
     * is the input; a framed one is shorter, framing being around it) and fits the spec's bounds.
     */
    private static void assertOffsetsInside(Input input, Fed fed) {
        int length = input.bytes().length;
        MeterModel model = input.example().model();
        boolean raw = model.transport() instanceof Transport.Raw;
        int largestApdu = Math.max(model.bounds().maxApdu(), model.bounds().maxTelegram());
        for (int i = 0; i < fed.results.size(); i++) {
            if (!(fed.results.get(i) instanceof DecodeError e)) {
                continue;
            }
            boolean atEnd = i >= fed.beforeFinish;
            if (e.layer() == Layer.TRANSPORT) {
                assertTrue(e.offset() >= 0 && (e.offset() < length || (atEnd && e.offset() == length)),
                        () -> "transport offset outside the input of " + length + " bytes" + (atEnd ? "" : " (before its end)")
                                + ": " + e);
            } else {
                long apduBound = Math.min(raw ? length : length - 1L, largestApdu);
                assertTrue(e.offset() >= 0 && e.offset() <= apduBound,
                        () -> "offset outside any APDU the " + length + " bytes can hold (at most " + apduBound + "): " + e);
            }
        }
    }

    /** What feeding gave, and how many of the results came before the stream was finished. */
    private record Fed(List<TelegramResult> results, int beforeFinish) {
    }

    private static Fed feed(MeterDecoder decoder, byte[] input, List<Integer> chunks) {
        List<TelegramResult> out = new ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> out.add(r));
        int at = 0;
        int i = 0;
        while (at < input.length) {
            int n = Math.min(chunks.get(i++ % chunks.size()), input.length - at);
            stream.feed(input, at, n);
            at += n;
        }
        int beforeFinish = out.size();
        stream.finish();
        return new Fed(out, beforeFinish);
    }

    private static List<String> json(List<TelegramResult> results) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(results.get(i).toJson(i + 1));
        }
        return out;
    }
}
