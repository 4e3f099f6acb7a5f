package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meterspec.cli.Main;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.live.Replayer;
import org.meterspec.engine.live.SerialLink;
import org.meterspec.engine.live.SerialPorts;
import org.meterspec.engine.live.SerialSettings;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;

/**
 * {@code meterspec read} end to end through a pseudo-terminal pair made by socat (installed by
 * toolchain.sh): what {@code replay} or the test writes into one end, {@code read} (a process of
 * its own, stopped with SIGTERM) reads on the other, and must print what {@code decode --json}
 * prints for the same bytes.
 */
class LiveReadTest {
    static final Path EXAMPLES = Path.of("examples");
    static final String NOE_KEY = "36C66639E48A8CA4D6BC8B282A793BBB";
    static final Path AIDON_SPEC = EXAMPLES.resolve("aidon_han/aidon_han.meter");
    static final Path AIDON_LISTS = EXAMPLES.resolve("aidon_han/elwiz_aidon_lists.hex");

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    Path writeEnd;
    Path readEnd;
    Process socat;
    Process reader;
    final List<String> out = new ArrayList<>();
    final List<String> err = new ArrayList<>();

    @BeforeAll
    static void cacheInTheBuild() {
        System.setProperty("meterspec.cache", cache.toString());
    }

    @BeforeEach
    void ptyPair() throws Exception {
        writeEnd = tmp.resolve("meter");
        readEnd = tmp.resolve("reader");
        startSocat();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : new Process[] {reader, socat}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private void startSocat() throws Exception {
        socat = Processes.ptyPair(writeEnd, readEnd, tmp.resolve("socat.log"));
    }

    private void stopSocat() throws InterruptedException {
        socat.destroy();
        assertTrue(socat.waitFor(5, TimeUnit.SECONDS));
    }

    /** Starts {@code meterspec read … --json} on the read end and waits until it reads. */
    private void startReader(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmeterspec.cache=" + cache, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "read", "--json", "--port", readEnd.toString()));
        command.addAll(List.of(args));
        reader = new ProcessBuilder(command).start();
        Processes.collect(reader.getInputStream(), out);
        Processes.collect(reader.getErrorStream(), err);
        awaitLine(err, l -> l.startsWith("meterspec: reading "), 30);
    }

    /** Waits until a line of {@code lines} matches; fails after {@code seconds}. */
    private void awaitLine(List<String> lines, Predicate<String> match, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        synchronized (lines) {
            while (lines.stream().noneMatch(match)) {
                long left = end - System.currentTimeMillis();
                assertTrue(left > 0, "no such line in time; stdout:\n" + String.join("\n", out) + "\nstderr:\n"
                        + String.join("\n", err));
                lines.wait(Math.min(left, 100));
            }
        }
    }

    private void awaitLines(int count, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        synchronized (out) {
            while (out.size() < count) {
                long left = end - System.currentTimeMillis();
                assertTrue(left > 0, "read printed " + out.size() + " of " + count + " lines; stdout:\n"
                        + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err));
                out.wait(Math.min(left, 100));
            }
        }
    }

    /**
     * SIGTERM; the reader closes the port, prints what is left and ends. Through the process
     * handle: Process.destroy() would also close this end of its pipes at once, losing what it
     * prints while it shuts down.
     */
    private void terminateReader() throws InterruptedException {
        reader.toHandle().destroy();
        assertTrue(reader.waitFor(10, TimeUnit.SECONDS), "read did not end on SIGTERM");
        Thread.sleep(100); // the collectors read to the end
    }

    private static List<String> decode(Path capture, String... args) {
        List<String> command = new ArrayList<>(List.of("decode", "--json"));
        command.addAll(List.of(args));
        command.add(capture.toString());
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(command.toArray(String[]::new), InputStream.nullInputStream(), o, e);
        assertTrue(code <= 1, e.toString());
        return o.toString().lines().toList();
    }

    private static int replay(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        List<String> command = new ArrayList<>(List.of("replay"));
        command.addAll(List.of(args));
        int code = Main.run(command.toArray(String[]::new), InputStream.nullInputStream(), o, e);
        assertEquals(0, code, e.toString());
        assertEquals("", e.toString());
        return code;
    }

    private List<String> stderrWithoutStart() {
        synchronized (err) {
            return err.stream().filter(l -> !l.startsWith("meterspec: reading ")).toList();
        }
    }

    // ---- replay into read ----------------------------------------------------------------------

    @ParameterizedTest(name = "{1} at {0} baud")
    @CsvSource({
        "2400,   sagemcom_t210d/netz_noe_p1.meter, sagemcom_t210d/mbus_netz_noe_p1.hex, " + NOE_KEY,
        "115200, sagemcom_t210d/netz_noe_p1.meter, sagemcom_t210d/mbus_netz_noe_p1.hex, " + NOE_KEY,
        "2400,   aidon_han/aidon_han.meter,        aidon_han/elwiz_aidon_lists.hex,",
        "115200, aidon_han/aidon_han.meter,        aidon_han/elwiz_aidon_lists.hex,",
        "2400,   energomera_ce/energomera_ce.meter, energomera_ce/raw_energomera.hex,",
        "115200, kamstrup_omnipower/kamstrup_omnipower.meter, kamstrup_omnipower/hdlc_kamstrup_amsreader_lists.hex,",
    })
    void replayIntoReadPrintsWhatDecodePrints(int baud, String spec, String capture, String key) throws Exception {
        Path specPath = EXAMPLES.resolve(spec);
        Path capturePath = EXAMPLES.resolve(capture);
        String[] keyArgs = key == null ? new String[0] : new String[] {"--key", key};
        List<String> expected = decode(capturePath, concat(new String[] {"--spec", specPath.toString()}, keyArgs));
        assertFalse(expected.isEmpty());

        startReader(concat(new String[] {"--spec", specPath.toString(), "--baud", String.valueOf(baud)}, keyArgs));
        long start = System.nanoTime();
        replay("--port", writeEnd.toString(), "--baud", String.valueOf(baud), "--interval", "0.2", "--spec",
                specPath.toString(), capturePath.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        awaitLines(expected.size(), 10);
        terminateReader();

        assertEquals(expected, out);
        assertEquals(List.of(), stderrWithoutStart());
        String all = String.join("\n", out) + String.join("\n", err);
        if (key != null) {
            assertFalse(all.contains(key), "the key was printed");
        }
        long bytes = Captures.read(capturePath).length;
        if (baud == 2400) {
            // paced at the line rate: 2400 baud at 10 or 11 bits a byte is at most 240 bytes a second
            assertTrue(millis >= bytes * 1000 / 240 - 50, "replay wrote " + bytes + " bytes in " + millis + " ms");
        }
    }

    /**
     * Every example's capture, replayed at 2400 and at 115200 baud into {@code read} of its spec
     * (with the example's keys), prints what {@code decode} prints for it: damaged captures and
     * their errors too, the last ones when SIGTERM ends the stream.
     */
    @TestFactory
    Stream<DynamicTest> everyExampleCaptureReplayedPrintsWhatDecodePrints() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] n = {0};
        for (int baud : new int[] {115200, 2400}) {
            for (MeterModel model : Specs.all()) {
                for (ExampleSpec example : model.examples()) {
                    int k = n[0]++;
                    tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name() + " at " + baud + " baud",
                            () -> replayExample(model, example, baud, false, k)));
                }
            }
        }
        for (MeterModel model : Specs.all()) {
            for (ExampleSpec example : model.examples()) {
                int k = n[0]++;
                tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name() + ", split at random, with noise",
                        () -> replayExample(model, example, 115200, true, k)));
            }
        }
        return tests.stream();
    }

    /**
     * The capture's telegrams with random bytes before, between and after them, written in random
     * chunks with random pauses; the seed is in the failure message.
     */
    private static void writeNoisily(Path port, byte[] capture, MeterModel model, long seed, Path copy)
            throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] t : Replayer.split(capture, model.transport())) {
            byte[] noise = new byte[random.nextInt(12)];
            random.nextBytes(noise);
            s.write(noise);
            s.write(t);
        }
        byte[] tail = new byte[random.nextInt(12)];
        random.nextBytes(tail);
        s.write(tail);
        byte[] stream = s.toByteArray();
        Files.write(copy, stream);
        writeInRandomChunks(port, stream, random, 200, 10);
    }

    /** Writes {@code stream} at 115200 baud in chunks of 1 to 200 bytes, pausing up to {@code shortPause} ms (now and then {@code longPause}). */
    private static void writeInRandomChunks(Path port, byte[] stream, Random random, int longPause, int shortPause)
            throws Exception {
        try (SerialLink link = SerialPorts.open(port.toString(), new SerialSettings(115200, 8, 'N', "1"))) {
            for (int off = 0; off < stream.length; ) {
                int n = Math.min(stream.length - off, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
                link.write(stream, off, n);
                off += n;
                Thread.sleep(random.nextInt(random.nextInt(10) == 0 ? longPause : shortPause));
            }
            link.drain();
        }
    }

    private void replayExample(MeterModel model, ExampleSpec example, int baud, boolean noisy, int k) throws Exception {
        stop();
        out.clear();
        err.clear();
        // a pty pair of its own: a killed socat may leave its links behind
        writeEnd = tmp.resolve("meter-" + k);
        readEnd = tmp.resolve("reader-" + k);
        startSocat();
        Path capture = tmp.resolve("capture-" + k + ".bin");
        Files.write(capture, ExampleRunner.capture(example));
        List<String> keys = new ArrayList<>();
        if (example.key() != null) {
            keys.addAll(List.of("--key", example.key()));
        }
        if (example.authKey() != null) {
            keys.addAll(List.of("--auth-key", example.authKey()));
        }
        String spec = model.path().toString();
        long seed = System.nanoTime();
        Path written = capture;
        startReader(concat(new String[] {"--spec", spec, "--baud", String.valueOf(baud)}, keys.toArray(String[]::new)));
        if (noisy) {
            written = tmp.resolve("noisy-" + k + ".bin");
            writeNoisily(writeEnd, Files.readAllBytes(capture), model, seed, written);
        } else {
            replay("--port", writeEnd.toString(), "--baud", String.valueOf(baud), "--interval", "0.05", "--spec", spec,
                    capture.toString());
        }
        List<String> expected = decode(written, concat(new String[] {"--spec", spec}, keys.toArray(String[]::new)));
        // replay has drained the port: every line but those of a telegram left open at the end
        // (which come when SIGTERM ends the stream) follows at once; 2 s without one is the end
        long quietSince = System.currentTimeMillis();
        synchronized (out) {
            int seen = out.size();
            while (out.size() < expected.size() && System.currentTimeMillis() - quietSince < 2_000) {
                out.wait(100);
                if (out.size() != seen) {
                    seen = out.size();
                    quietSince = System.currentTimeMillis();
                }
            }
        }
        terminateReader();
        assertEquals(expected, out, () -> "seed " + seed + "; stderr:\n" + String.join("\n", err));
        assertEquals(List.of(), stderrWithoutStart());
        String all = String.join("\n", out) + String.join("\n", err);
        for (String key : new String[] {example.key(), example.authKey()}) {
            if (key != null) {
                assertFalse(all.toUpperCase(java.util.Locale.ROOT).contains(key.toUpperCase(java.util.Locale.ROOT)),
                        "a key was printed");
            }
        }
    }

    @Test
    void replayCutsACaptureIntoItsTelegrams() throws IOException {
        byte[] lists = Captures.read(AIDON_LISTS);
        List<byte[]> telegrams = Replayer.split(lists, null);
        assertEquals(3, telegrams.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] t : telegrams) {
            assertEquals(0x7E, t[0] & 0xFF);
            joined.write(t);
        }
        assertEquals(java.util.HexFormat.of().formatHex(lists), java.util.HexFormat.of().formatHex(joined.toByteArray()));
    }

    // ---- bytes as a port delivers them ---------------------------------------------------------

    /** The Aidon lists three times, with noise before, between and after them. */
    private byte[] noisyStream() throws IOException {
        byte[] lists = Captures.read(AIDON_LISTS);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[] noise = {0x00, (byte) 0xFF, 0x7E, 0x12, 0x68, 0x55};
        s.write(noise);
        for (int i = 0; i < 3; i++) {
            for (byte[] t : Replayer.split(lists, null)) {
                s.write(t);
                s.write(noise, 0, 1 + i);
            }
        }
        s.write(noise);
        return s.toByteArray();
    }

    @Test
    void bytesSplitAtRandomAndDelayedWithNoiseDecodeAsDecodeDoes() throws Exception {
        byte[] stream = noisyStream();
        Path file = Files.write(tmp.resolve("noisy.bin"), stream);
        List<String> expected = decode(file, "--spec", AIDON_SPEC.toString());
        assertTrue(expected.size() >= 9, String.join("\n", expected));

        startReader("--spec", AIDON_SPEC.toString(), "--baud", "115200");
        long seed = System.nanoTime();
        writeInRandomChunks(writeEnd, stream, new Random(seed), 300, 15);
        // the last telegram's line may wait for what follows it: SIGTERM finishes the stream
        awaitLines(expected.size() - 1, 15);
        terminateReader();

        assertEquals(expected, out, "seed " + seed);
        assertEquals(List.of(), stderrWithoutStart(), "seed " + seed);
    }

    @Test
    void theWritingEndClosedAndReopenedMidStreamLosesNothing() throws Exception {
        byte[] lists = Captures.read(AIDON_LISTS);
        List<byte[]> telegrams = Replayer.split(lists, null);
        List<String> expected = decode(AIDON_LISTS, "--spec", AIDON_SPEC.toString());

        startReader("--spec", AIDON_SPEC.toString());
        SerialSettings settings = new SerialSettings(115200, 8, 'N', "1");
        byte[] second = telegrams.get(1);
        int half = second.length / 2;
        try (SerialLink link = SerialPorts.open(writeEnd.toString(), settings)) {
            link.write(telegrams.get(0), 0, telegrams.get(0).length);
            link.write(second, 0, half);
            link.drain();
        }
        awaitLines(1, 10);
        Thread.sleep(300);
        try (SerialLink link = SerialPorts.open(writeEnd.toString(), settings)) {
            link.write(second, half, second.length - half);
            link.write(telegrams.get(2), 0, telegrams.get(2).length);
            link.drain();
        }
        awaitLines(expected.size(), 10);
        terminateReader();

        assertEquals(expected, out);
        assertEquals(List.of(), stderrWithoutStart());
    }

    @Test
    void aPortThatVanishesIsOpenedAgainSaidOnceAndOnlyTheTelegramInFlightIsLost() throws Exception {
        byte[] lists = Captures.read(AIDON_LISTS);
        List<byte[]> telegrams = Replayer.split(lists, null);
        List<String> readings = decode(AIDON_LISTS, "--spec", AIDON_SPEC.toString()).stream()
                .map(LiveReadTest::withoutNumber).toList();
        assertEquals(3, readings.size());

        startReader("--spec", AIDON_SPEC.toString(), "--no-data-timeout", "1");
        SerialSettings settings = new SerialSettings(115200, 8, 'N', "1");
        try (SerialLink link = SerialPorts.open(writeEnd.toString(), settings)) {
            link.write(telegrams.get(0), 0, telegrams.get(0).length);
            link.write(telegrams.get(1), 0, telegrams.get(1).length);
            awaitLines(1, 10);
            link.write(telegrams.get(2), 0, telegrams.get(2).length / 2); // in flight when the port goes
            Thread.sleep(200);
        }
        stopSocat(); // the adapter is unplugged: the links go, the reader's reads fail
        awaitLine(err, l -> l.contains("lost "), 10);
        Thread.sleep(3500); // several tries to open it fail meanwhile (1 s, 2 s)
        startSocat();
        awaitLine(err, l -> l.contains(" is back; reading again"), 15);
        try (SerialLink link = SerialPorts.open(writeEnd.toString(), settings)) {
            for (byte[] t : telegrams) {
                link.write(t, 0, t.length);
            }
            link.drain();
        }
        awaitLines(2 + 1 + 2, 10); // two readings, the one lost, two of the three after
        Thread.sleep(1500); // silent for longer than --no-data-timeout
        terminateReader();

        List<String> got = out.stream().map(LiveReadTest::withoutNumber).toList();
        // before: the first two; the third's first half is reported incomplete; after: all three
        assertEquals(readings.subList(0, 2), got.subList(0, 2), String.join("\n", out));
        assertTrue(got.get(2).contains("\"status\":\"error\""), String.join("\n", out));
        assertEquals(readings, got.subList(3, got.size()), String.join("\n", out));
        for (int i = 0; i < out.size(); i++) {
            assertTrue(out.get(i).startsWith("{\"telegram\":" + (i + 1) + ","), out.get(i));
        }
        List<String> said = stderrWithoutStart();
        assertEquals(1, said.stream().filter(l -> l.contains("lost ")).count(), String.join("\n", err));
        assertEquals(1, said.stream().filter(l -> l.contains("cannot open ")).count(), String.join("\n", err));
        assertEquals(1, said.stream().filter(l -> l.contains(" is back")).count(), String.join("\n", err));
        long silent = said.stream().filter(l -> l.contains("no data from ") && l.endsWith(" for 1 s")).count();
        assertTrue(silent >= 1 && silent <= 3, String.join("\n", err));
    }

    private static String withoutNumber(String line) {
        return line.replaceFirst("^\\{\"telegram\":\\d+,", "{");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
