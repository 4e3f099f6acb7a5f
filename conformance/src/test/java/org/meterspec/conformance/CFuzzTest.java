package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.gen.c.CGenerator;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;

/**
 * Every spec's C decoder under libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer
 * ({@code generated-c/test/ms_fuzz.c}, which checks the invariants of docs/SECURITY.md), briefly:
 * the committed seeds and whatever the fuzzer finds from them in a few seconds. A crash fails the
 * test and is kept beside the seeds, so every later run replays it. {@code conformance/fuzz.sh}
 * runs a long campaign.
 */
class CFuzzTest {
    static final Path SEEDS = Path.of("conformance/src/test/resources/fuzz");
    private static final Path WORK = Path.of("conformance/target/fuzz");
    /** Seconds per spec in the normal test run. */
    private static final int SECONDS = Integer.getInteger("meterspec.fuzz.seconds", 2);

    @TestFactory
    Stream<DynamicTest> everySpecsCDecoderSurvivesTheFuzzer() {
        return Specs.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            String stats = fuzz(m, SECONDS);
            if (Boolean.getBoolean("meterspec.fuzz.report")) {
                System.out.println("fuzz " + m.name() + ": " + stats.replace("\n", " | "));
            }
        }));
    }

    /** Builds the spec's fuzzer and runs it for {@code seconds} on its seeds; returns libFuzzer's last lines. */
    static String fuzz(MeterModel model, int seconds) throws Exception {
        Path dir = WORK.resolve(model.name());
        Path fuzzer = build(model, dir);
        Path seeds = SEEDS.resolve(model.name());
        Files.createDirectories(seeds);
        if (Boolean.getBoolean("meterspec.fuzz.seed")) {
            writeSeeds(model, seeds);
        }
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path crashes = Files.createDirectories(dir.resolve("crashes"));
        // no RSS limit: a child's peak RSS starts at its parent's (this JVM's), which libFuzzer would
        // count against it; single allocations are bounded instead (the decoder makes none)
        List<String> command = List.of(fuzzer.toString(), "-max_total_time=" + seconds, "-timeout=10",
                "-rss_limit_mb=0", "-malloc_limit_mb=512", "-artifact_prefix=" + crashes.toAbsolutePath() + "/",
                "-print_final_stats=1", corpus.toString(), seeds.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(seconds + 120L, TimeUnit.SECONDS), "the fuzzer of " + model.name() + " did not stop");
        String text = new String(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            List<String> kept = new ArrayList<>();
            try (Stream<Path> found = Files.list(crashes)) {
                for (Path crash : found.toList()) {
                    Path to = seeds.resolve("regression-" + crash.getFileName());
                    Files.copy(crash, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    kept.add(to.toString());
                }
            }
            throw new AssertionError("the C decoder of " + model.name() + " broke an invariant; input kept in " + kept
                    + ":\n" + text.substring(Math.max(0, text.length() - 6000)));
        }
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 6), lines.length));
    }

    /** Seeds from the spec's examples: each capture whole (first byte 0) and in chunks of 120 (first byte 120). */
    private static void writeSeeds(MeterModel model, Path seeds) throws IOException {
        int n = 0;
        for (ExampleSpec example : model.examples()) {
            byte[] capture = ExampleRunner.capture(example);
            for (int chunk : new int[] {0, 120}) {
                byte[] seed = new byte[capture.length + 1];
                seed[0] = (byte) chunk;
                System.arraycopy(capture, 0, seed, 1, capture.length);
                Files.write(seeds.resolve("example-" + (++n)), seed);
            }
        }
    }

    private static final List<String> FLAGS = List.of("clang", "-std=c99", "-g", "-O1", "-fsanitize=fuzzer,address,undefined",
            "-fno-sanitize-recover=undefined");

    /**
     * The runtime files that present a reading and the mbedTLS port, with the fuzzer's
     * instrumentation (-fsanitize=fuzzer-no-link for objects), compiled once for all specs of a
     * run; each spec's fuzzer compiles its meter and the decoding runtime as one unit, as a
     * firmware for that meter does.
     */
    private static synchronized Path runtime(Path component) throws Exception {
        Path objects = WORK.resolve("runtime");
        if (runtimeBuilt) {
            return objects;
        }
        // what an earlier run left is the code of then: rebuilt from this run's sources
        if (Files.isDirectory(objects)) {
            try (Stream<Path> old = Files.list(objects)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(objects);
        List<String> command = new ArrayList<>(List.of("clang", "-std=c99", "-g", "-O1",
                "-fsanitize=fuzzer-no-link,address,undefined", "-fno-sanitize-recover=undefined",
                "-I" + component.resolve("include").toAbsolutePath(), "-c"));
        java.util.Set<String> decoding = CGenerator.oneMeterRuntime(CGenerator.component(List.of()));
        try (Stream<Path> runtime = Files.list(component.resolve("runtime"))) {
            runtime.filter(f -> f.toString().endsWith(".c") && !decoding.contains(f.getFileName().toString())).sorted()
                    .forEach(f -> command.add(f.toAbsolutePath().toString()));
        }
        command.add(component.resolve("port/ms_port_mbedtls.c").toAbsolutePath().toString());
        run(command, objects, "the C runtime does not build for the fuzzer");
        runtimeBuilt = true;
        return objects;
    }

    /** Whether this run built the runtime objects, and the specs whose fuzzer it built. */
    private static boolean runtimeBuilt;
    private static final java.util.Set<String> BUILT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void run(List<String> command, Path dir, String what) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, () -> what + ":\n" + log);
    }

    /** The spec's fuzz harness with a known-good telegram, linked with the shared runtime; built once per run. */
    private static Path build(MeterModel model, Path dir) throws Exception {
        Path fuzzer = dir.resolve("fuzzer");
        if (BUILT.contains(model.name()) && Files.isExecutable(fuzzer)) {
            return fuzzer;
        }
        Files.createDirectories(dir);
        Map<String, String> files = CGenerator.component(List.of(PlanBuilder.build(model)));
        CGenerator.write(dir, files);
        Files.writeString(dir.resolve("good.h"), good(model), StandardCharsets.UTF_8);
        Path objects = runtime(dir);
        run(List.of("clang", "-std=c99", "-g", "-O1", "-fsanitize=fuzzer-no-link,address,undefined",
                "-fno-sanitize-recover=undefined", "-Iinclude", "-Imeters", "-DMS_ONE_METER=" + model.name(), "-c",
                "unity/ms_one_meter.c", "-o", "meter.o"), dir, "the meter of " + model.name() + " does not build alone");
        List<String> command = new ArrayList<>(FLAGS);
        command.addAll(List.of("-Iinclude", "-Imeters", "-I.", "-DMETER=" + model.name(),
                "-DMETER_UPPER=" + model.name().toUpperCase(java.util.Locale.ROOT),
                "-DMETER_HEADER=\"" + model.name() + ".h\"", "-DGOOD_HEADER=\"good.h\"", "test/ms_fuzz.c", "meter.o"));
        try (Stream<Path> o = Files.list(objects)) {
            o.filter(f -> f.toString().endsWith(".o")).sorted().forEach(f -> command.add(f.toAbsolutePath().toString()));
        }
        command.addAll(List.of("-lmbedcrypto", "-o", "fuzzer"));
        run(command, dir, "the fuzz harness of " + model.name() + " does not build");
        BUILT.add(model.name());
        return fuzzer;
    }

    /** The first example capture whose first telegram decodes to a reading, as C data with its keys. */
    private static String good(MeterModel model) throws IOException {
        var factory = Specs.factory(model);
        for (ExampleSpec example : model.examples()) {
            byte[] capture = ExampleRunner.capture(example);
            Keys keys = Keys.ofHex(example.key(), example.authKey());
            MeterDecoder decoder = factory.create(keys, false);
            if (!decoder.decode(capture).isOk()) {
                continue;
            }
            StringBuilder sb = new StringBuilder("#include <stddef.h>\n");
            sb.append(array("GOOD", capture)).append("#define GOOD_LEN sizeof GOOD\n");
            sb.append(key("GOOD_KEY", example.key())).append(key("GOOD_AUTH_KEY", example.authKey()));
            return sb.toString();
        }
        return "#include <stddef.h>\nstatic const unsigned char GOOD[1] = {0};\n#define GOOD_LEN ((size_t)0)\n"
                + "#define GOOD_KEY NULL\n#define GOOD_AUTH_KEY NULL\n";
    }

    private static String key(String name, String hex) {
        byte[] k = Keys.parse(hex, "test");
        return k == null ? "#define " + name + " NULL\n" : array(name + "_BYTES", k) + "#define " + name + " " + name + "_BYTES\n";
    }

    private static String array(String name, byte[] b) {
        StringBuilder sb = new StringBuilder("static const unsigned char ").append(name).append("[").append(b.length)
                .append("] = {");
        for (int i = 0; i < b.length; i++) {
            sb.append(i % 16 == 0 ? "\n    " : " ").append(b[i] & 0xFF).append(',');
        }
        return sb.append("\n};\n").toString();
    }
}
