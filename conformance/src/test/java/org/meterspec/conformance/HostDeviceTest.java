package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meterspec.engine.CEngine;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JsonReader;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;

/**
 * The reader firmware of {@code examples/esp-idf/} as a host device, end to end: the key is set
 * through its configuration console, the Netz NÖ capture arrives through a FIFO in 120-byte
 * chunks, and the Report Attributes frames it writes are the generated C's (byte for byte what
 * {@code decode --engine c --zcl} gives) and show the expected values through Zigbee2MQTT's
 * converters, the generated converter and zigpy. Restarted, it still has the key and reads the
 * capture from a file. No line it writes holds the key, in any spelling.
 */
class HostDeviceTest {
    private static final Path OUT = CToolchain.OUT.resolve("host-device");
    private static final Path EXAMPLE = CToolchain.ROOT.resolve("examples/esp-idf");
    private static final CEngine C = new CEngine(Path.of("conformance/target/c-engine"));
    private static final int TIMEOUT_SECONDS = 60;

    @BeforeAll
    static void install() throws Exception {
        Z2mInteropTest.installConverters();
    }

    @Test
    void theKeySetOnTheConsoleDecodesTheNetzNoeCaptureIntoFramesZigbee2mqttShowsAndSurvivesARestart() throws Exception {
        MeterModel model = Specs.all().stream().filter(m -> m.name().equals("netz_noe_p1")).findFirst().orElseThrow();
        ExampleSpec example = model.examples().stream().filter(e -> e.name().equals("netz-noe-p1")).findFirst().orElseThrow();
        String key = example.key();
        assertNotNull(key, "the Netz NÖ example has its key");
        Path program = build(false);
        Path dir = Files.createDirectories(OUT.resolve("run"));
        Path storage = dir.resolve("keys.bin");
        Files.deleteIfExists(storage);
        Path fifo = dir.resolve("meter.fifo");
        Files.deleteIfExists(fifo);
        assertEquals("", CToolchain.run(List.of("mkfifo", fifo.toString()), 10));
        byte[] capture = ExampleRunner.capture(example);
        int telegrams = example.expectations().size();

        SpecDecoder decoder = C.load(model);
        List<List<?>> expectedFrames = new ArrayList<>();
        for (String line : decoder.decodeAll(capture, DecoderKeys.ofHex(key, null, null),
                DecodeOptions.DEFAULT.withZcl(DecodeOptions.DEFAULT_ZCL_PAYLOAD))) {
            expectedFrames.add((List<?>) ((Map<?, ?>) JsonReader.parse(line)).get("zcl"));
        }
        String checkValue = checkValue(key);
        // colon-separated lower case: a spelling the console takes and must not show either
        String spelled = String.join(":", key.toLowerCase().split("(?<=\\G..)"));

        List<String> first;
        try (Device device = new Device(program, storage, fifo)) {
            device.await(l -> l.equals("ready meterspec.netz_noe_p1"));
            device.send("status");
            device.await(l -> l.equals("console telegrams 0, errors 0, timeouts 0, bytes 0"));
            device.await(l -> l.equals("console encryption key not set; authentication key not set"));
            device.send("key set " + spelled);
            device.await(l -> l.equals("console key set: stored, check value " + checkValue));
            device.send("the key was " + key); // typed in the wrong place
            device.await(l -> l.equals("console unknown command; type help"));
            try (OutputStream meter = Files.newOutputStream(fifo)) {
                meter.write(capture);
            }
            device.await(l -> l.startsWith("telegram " + telegrams + " "));
            device.send("status");
            device.await(l -> l.equals("console telegrams " + telegrams + ", errors 0, timeouts 0, bytes " + capture.length));
            device.await(l -> l.equals("console last error none"));
            first = device.finish();
        }
        assertEquals(expectedFrames, frames(first, telegrams), "the host device's frames against decode --engine c --zcl");

        List<String> restarted;
        Path file = dir.resolve("capture.bin");
        Files.write(file, capture);
        try (Device device = new Device(program, storage, file)) {
            device.send("key status");
            device.await(l -> l.equals("console encryption key set, check value " + checkValue + "; authentication key not set"));
            device.await(l -> l.startsWith("telegram " + telegrams + " "));
            restarted = device.finish();
        }
        assertEquals(expectedFrames, frames(restarted, telegrams), "after the restart, with the stored key");

        for (String line : concat(first, restarted)) {
            assertFalse(line.replaceAll("[^0-9A-Fa-f]", "").toLowerCase().contains(key.toLowerCase()),
                    "the host device wrote the key: " + line);
        }
        Z2mInteropTest.verify(model, PlanBuilder.build(model).zcl(), decoder.zclTable(), example, frames(first, telegrams),
                "host-device-" + model.name());

        // a cleared key is gone after a restart too
        try (Device device = new Device(program, storage, null)) {
            device.send("key clear");
            device.await(l -> l.equals("console keys cleared"));
            device.finish();
        }
        try (Device device = new Device(program, storage, null)) {
            device.send("key status");
            device.await(l -> l.equals("console encryption key not set; authentication key not set"));
            device.finish();
        }
    }

    /**
     * Hostile console input under AddressSanitizer and UndefinedBehaviorSanitizer: random bytes,
     * lines far longer than a command, the key in every spelling in every wrong place, and keys
     * one digit short or long. The device must answer each line without crashing, never show the
     * key, and keep only what a valid command set.
     */
    @Test
    void hostileConsoleInputNeverShowsTheKeyAndNeverCrashes() throws Exception {
        Path program = build(true);
        Path storage = Files.createDirectories(OUT.resolve("hostile")).resolve("keys.bin");
        Files.deleteIfExists(storage);
        String key = "36C66639E48A8CA4D6BC8B282A793BBB";
        List<String> spellings = List.of(key, key.toLowerCase(), String.join(" ", key.split("(?<=\\G..)")),
                String.join(":", key.toLowerCase().split("(?<=\\G..)")), String.join("-", key.split("(?<=\\G....)")),
                "0x" + key);
        java.util.Random random = new java.util.Random(7);
        List<String> lines;
        try (Device device = new Device(program, storage, null)) {
            for (String k : spellings) {
                device.send(k);
                device.send("key " + k);
                device.send("key status " + k);
                device.send("status " + k);
                device.send("key set " + k + "0");
                device.send("key set " + k.substring(0, k.length() - 1));
                device.send("key set " + k + " x");
                device.send("kee set " + k);
                device.send("key set " + k.repeat(6)); // longer than a line
            }
            byte[] noise = new byte[20000];
            random.nextBytes(noise);
            device.stdin.write(noise);
            device.send("");
            device.send("key auth " + spellings.get(3));
            device.await(l -> l.startsWith("console key auth: stored, check value "));
            device.send("key status");
            String kcv = checkValue(key);
            device.await(l -> l.equals("console encryption key not set; authentication key set, check value " + kcv));
            lines = device.finish();
        }
        for (String line : lines) {
            assertFalse(line.replaceAll("[^0-9A-Fa-f]", "").toLowerCase().contains(key.toLowerCase().substring(0, 12)),
                    "the host device wrote (part of) the key: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.equals("console line too long: at most 159 characters")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.equals("console key set: expected 32 hex digits (16 bytes), got 33 digits")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.equals("console key set: expected 32 hex digits (16 bytes), got 31 digits")),
                lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("console ") || l.startsWith("ready ")), lines.toString());
    }

    /** The frames after each "telegram" line, as decode --zcl's {@code zcl} field. */
    private static List<List<?>> frames(List<String> lines, int telegrams) {
        List<List<?>> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("telegram")) {
                out.add(new ArrayList<>());
            } else if (f[0].equals("frame")) {
                assertFalse(out.isEmpty(), "a frame before any telegram: " + line);
                Map<String, Object> frame = new LinkedHashMap<>();
                frame.put("endpoint", Long.parseLong(f[1]));
                frame.put("cluster", f[2]);
                frame.put("frame", f[3]);
                @SuppressWarnings("unchecked")
                List<Object> last = (List<Object>) out.get(out.size() - 1);
                last.add(frame);
            }
        }
        assertEquals(telegrams, out.size(), "telegrams in " + lines);
        // as JsonReader gives them, for comparing with decode's
        List<List<?>> parsed = new ArrayList<>();
        for (List<?> reading : out) {
            StringBuilder json = new StringBuilder("[");
            for (Object o : reading) {
                Map<?, ?> m = (Map<?, ?>) o;
                json.append(json.length() > 1 ? "," : "").append("{\"endpoint\":").append(m.get("endpoint"))
                        .append(",\"cluster\":\"").append(m.get("cluster")).append("\",\"frame\":\"").append(m.get("frame"))
                        .append("\"}");
            }
            parsed.add((List<?>) JsonReader.parse(json.append(']').toString()));
        }
        return parsed;
    }

    /** The first 3 bytes of AES-128 of a zero block under the key, as key ceremonies compare keys. */
    private static String checkValue(String key) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(key), "AES"));
        return HexFormat.of().withUpperCase().formatHex(aes.doFinal(new byte[16]), 0, 3);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Builds the host device as examples/esp-idf/README.md says, for netz_noe_p1 (meter.h's default). */
    private static Path build(boolean sanitized) throws IOException {
        Files.createDirectories(OUT);
        Path program = OUT.resolve(sanitized ? "host_device_sanitized" : "host_device");
        // the sanitized build with clang, the other with the system's cc: both at -Werror -pedantic
        List<String> command = new ArrayList<>(List.of(sanitized ? CToolchain.tool("clang", "clang").toString() : "cc"));
        command.addAll(CToolchain.STRICT);
        if (sanitized) {
            command.addAll(List.of("-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"));
        }
        command.addAll(List.of("-I", "generated-c/include", "-I", "generated-c/meters", "-I", "examples/esp-idf/main",
                "-I", "examples/esp-idf/host", "examples/esp-idf/host/host_device.c", "examples/esp-idf/host/storage_file.c",
                "examples/esp-idf/main/smartmeter.c", "examples/esp-idf/main/configuration_console.c"));
        try (Stream<Path> runtime = Files.list(Path.of("generated-c/runtime"))) {
            runtime.filter(p -> p.toString().endsWith(".c")).sorted().forEach(p -> command.add(p.toString()));
        }
        command.addAll(List.of("generated-c/port/ms_port_mbedtls.c", "generated-c/meters/netz_noe_p1.c", "-lmbedcrypto",
                "-o", program.toString()));
        CToolchain.run(command, 120);
        assertTrue(Files.isExecutable(program));
        assertTrue(Files.isDirectory(EXAMPLE));
        return program;
    }

    /** One run of the host device: its stdout, line by line, and its stdin. */
    private static final class Device implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final List<String> lines = new ArrayList<>();
        final OutputStream stdin;

        Device(Path program, Path storage, Path meter) throws IOException {
            List<String> command = new ArrayList<>(List.of(program.toString(), "--storage", storage.toString()));
            if (meter != null) {
                command.addAll(List.of("--meter", meter.toString()));
            }
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            stdin = process.getOutputStream();
            Thread lineReader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        queue.add(l);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            lineReader.setDaemon(true);
            lineReader.start();
        }

        void send(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Waits for a line that matches, unless one came already (replies and telegrams interleave). */
        String await(Predicate<String> wanted) throws InterruptedException {
            for (String l : lines) {
                if (wanted.test(l)) {
                    return l;
                }
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < end) {
                String l = queue.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    lines.add(l);
                    if (wanted.test(l)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("the host device did not write the line awaited; it wrote:\n" + String.join("\n", lines));
        }

        /** Ends stdin, waits for the exit (0) and returns every line written. */
        List<String> finish() throws IOException, InterruptedException {
            if (process.isAlive()) {
                stdin.close();
                assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the host device does not end");
            }
            assertEquals(0, process.exitValue(), "the host device's exit code; it wrote:\n" + String.join("\n", lines));
            Thread.sleep(50);
            queue.drainTo(lines);
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
