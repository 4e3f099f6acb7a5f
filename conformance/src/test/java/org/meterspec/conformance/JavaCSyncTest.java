package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.CEngine;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.LineStream;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.testkit.Hex;

/**
 * Java and C print the same lines: every example through both engines, the same fixed damaged
 * copies the Java lines are kept for, and telegrams made from each spec's plan, damaged and cut
 * into chunks at random. A failing input is written to {@code regressions/} and replayed by every
 * later run, so a bug once found stays found.
 */
class JavaCSyncTest {
    private static final Path REGRESSIONS = Path.of("conformance/src/test/resources/regressions");
    /** Telegrams made per spec and try; 5 tries give 10,000 per spec. */
    private static final int PER_TRY = 2000;
    private static final CEngine C = new CEngine(Path.of("conformance/target/c-engine"));
    private static final Map<String, SpecDecoder> BUILT = new HashMap<>();

    static synchronized SpecDecoder c(MeterModel model) throws EngineException {
        SpecDecoder d = BUILT.get(model.name());
        if (d == null) {
            d = C.load(model);
            BUILT.put(model.name(), d);
        }
        return d;
    }

    @TestFactory
    Stream<DynamicTest> everyExamplePassesInCWithTheLinesJavaPrints() {
        List<DynamicTest> tests = new ArrayList<>();
        for (MeterModel model : Specs.withFeatures()) {
            for (ExampleSpec example : model.examples()) {
                tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name(), () -> {
                    ExampleRunner.Outcome c = ExampleRunner.run(example, c(model));
                    assertTrue(c.passed(), () -> example.loc() + "\n  " + String.join("\n  ", c.problems()));
                    ExampleRunner.Outcome java = ExampleRunner.run(example, Specs.decoder(model));
                    assertEquals(java.lines(), c.lines());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> damagedCopiesPrintTheLinesJavaPrints() {
        return Specs.withFeatures().stream().map(model -> DynamicTest.dynamicTest(model.name(), () -> {
            for (ExampleSpec example : model.examples()) {
                byte[] capture = ExampleRunner.capture(example);
                DecoderKeys keys = DecoderKeys.ofHex(example.key(), example.authKey(), null);
                Random random = new Random(model.name().hashCode() * 31L + example.name().hashCode());
                for (int i = 0; i < 24; i++) {
                    byte[] damaged = OutputUnchangedTest.damage(capture, random, new String[1]);
                    same(model, keys, List.of(damaged), zcl(model, random, DecodeOptions.DEFAULT));
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> regressionVectorsPrintTheLinesJavaPrints() throws IOException {
        if (!Files.isDirectory(REGRESSIONS)) {
            return Stream.empty();
        }
        Map<String, MeterModel> byName = new HashMap<>();
        Specs.all().forEach(m -> byName.put(m.name(), m));
        List<Path> files;
        try (Stream<Path> list = Files.list(REGRESSIONS)) {
            files = list.filter(p -> p.toString().endsWith(".hex")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            // meter, keys (or -), chunk size [zcl FRAME_SIZE], then one capture per line
            MeterModel model = byName.get(lines.get(0).strip());
            String[] keys = lines.get(1).strip().split(" ");
            DecoderKeys k = keys[0].equals("-") ? DecoderKeys.NONE : DecoderKeys.ofHex(keys[0], keys[1], null);
            List<byte[]> captures = new ArrayList<>();
            for (String line : lines.subList(3, lines.size())) {
                captures.add(Hex.decode(line));
            }
            String[] options = lines.get(2).strip().split(" ");
            DecodeOptions o = DecodeOptions.DEFAULT.withChunkSize(Integer.parseInt(options[0]));
            same(model, k, captures, options.length == 3 ? o.withZcl(Integer.parseInt(options[2])) : o);
        }));
    }

    /** Telegrams of every spec's plan, whole, damaged and chunked: both engines print the same lines. */
    @Property(tries = 5)
    void generatedTelegramsPrintTheSameLinesInJavaAndC(@ForAll long seed) throws Exception {
        for (MeterModel model : Specs.withFeatures()) {
            Random r = new Random(seed ^ model.name().hashCode());
            byte[] key = new byte[16];
            byte[] authKey = new byte[16];
            r.nextBytes(key);
            r.nextBytes(authKey);
            PlanTelegrams telegrams = new PlanTelegrams(PlanBuilder.build(model), r, key, authKey);
            List<byte[]> captures = new ArrayList<>();
            for (int i = 0; i < PER_TRY; i++) {
                byte[] t = telegrams.next().bytes();
                captures.add(switch (r.nextInt(4)) {
                    case 0 -> t;
                    case 1 -> GeneratedDecoderPropertiesTest.damage(t, r.nextLong());
                    case 2 -> GeneratedDecoderPropertiesTest.damage(GeneratedDecoderPropertiesTest.damage(t, r.nextLong()),
                            r.nextLong());
                    default -> concat(t, telegrams.next().bytes());
                });
            }
            DecoderKeys keys = r.nextInt(8) == 0 ? DecoderKeys.NONE
                    : DecoderKeys.ofHex(Hex.encode(key), r.nextBoolean() ? Hex.encode(authKey) : null, null);
            int chunk = new int[] {0, 1, 7, 120, 300}[r.nextInt(5)];
            same(model, keys, captures, zcl(model, r, DecodeOptions.DEFAULT.withChunkSize(chunk)));
        }
    }

    /** Half the time, with the ZigBee frames of a random frame size, where the spec maps values onto ZigBee. */
    private static DecodeOptions zcl(MeterModel model, Random r, DecodeOptions options) {
        if (model.zigbee() == null || r.nextBoolean()) {
            return options;
        }
        int[] sizes = {org.meterspec.runtime.ZclState.MIN_PAYLOAD, 40, DecodeOptions.DEFAULT_ZCL_PAYLOAD, 127};
        return options.withZcl(sizes[r.nextInt(sizes.length)]);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Both engines decode each capture in one stream (finished after each); their lines must be equal. */
    private static void same(MeterModel model, DecoderKeys keys, List<byte[]> captures, DecodeOptions options)
            throws Exception {
        List<String> java = lines(Specs.decoder(model), keys, captures, options);
        List<String> c = lines(c(model), keys, captures, options);
        if (!java.equals(c)) {
            Path kept = keep(model, keys, captures, options, java, c);
            int first = 0;
            while (first < Math.min(java.size(), c.size()) && java.get(first).equals(c.get(first))) {
                first++;
            }
            String javaLine = first < java.size() ? java.get(first) : "(none)";
            String cLine = first < c.size() ? c.get(first) : "(none)";
            throw new AssertionError(model.name() + ": Java and C differ at line " + (first + 1) + " (input kept in "
                    + kept + ")\n java: " + javaLine + "\n    c: " + cLine);
        }
    }

    private static List<String> lines(SpecDecoder d, DecoderKeys keys, List<byte[]> captures, DecodeOptions options)
            throws EngineException {
        List<String> out = new ArrayList<>();
        try (LineStream s = d.open(keys, options, out::add)) {
            for (byte[] capture : captures) {
                s.feed(capture, 0, capture.length);
                s.finish();
            }
        }
        return out;
    }

    /** Writes the smallest failing part of the input as a regression vector: the one capture that differs, if one does. */
    private static Path keep(MeterModel model, DecoderKeys keys, List<byte[]> captures, DecodeOptions options,
                             List<String> java, List<String> c) throws Exception {
        List<byte[]> smallest = captures;
        for (byte[] one : captures) {
            List<byte[]> alone = List.of(one);
            if (!lines(Specs.decoder(model), keys, alone, options).equals(lines(c(model), keys, alone, options))) {
                smallest = alone;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(model.name()).append('\n');
        byte[] e = keys.encryption();
        byte[] a = keys.authentication();
        sb.append(e == null ? "-" : Hex.encode(e) + " " + (a == null ? "" : Hex.encode(a))).append('\n');
        sb.append(options.chunkSize()).append(options.zclPayload() != 0 ? " zcl " + options.zclPayload() : "").append('\n');
        for (byte[] capture : smallest) {
            sb.append(Hex.encode(capture)).append('\n');
        }
        Files.createDirectories(REGRESSIONS);
        Path file = REGRESSIONS.resolve(model.name() + "-" + Integer.toHexString(sb.toString().hashCode()) + ".hex");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
