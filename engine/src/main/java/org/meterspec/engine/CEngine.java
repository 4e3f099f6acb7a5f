package org.meterspec.engine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.meterspec.gen.c.CGenerator;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Version;

/**
 * The generated C decoder, built with the host's C compiler into the component's harness
 * ({@code generated-c/test/ms_harness.c}) and run as a child process. The meter and the decoding
 * runtime are compiled as one unit ({@code unity/ms_one_meter.c}), as a firmware for that one meter
 * builds them, so this is the code a firmware runs. Bytes and keys go to its
 * stdin, its canonical JSON lines come back on stdout. Built harnesses are kept under the user's
 * cache directory, keyed by every source file, the compiler and its flags, so a second run starts
 * at once. Needs a C compiler and mbedTLS (Debian: {@code gcc libmbedtls-dev}).
 */
public final class CEngine implements Engine {
    public static final String NAME = "c";
    /** The compiler, unless {@code METERSPEC_CC} names another. */
    private static final String DEFAULT_CC = "cc";
    private static final List<String> FLAGS = List.of("-std=c99", "-O1", "-Wall", "-Wextra", "-Werror", "-pedantic");
    private static final List<String> LIBRARIES = List.of("-lmbedcrypto");
    /** Bytes per message to the harness, well below what it holds (16 MiB). */
    private static final int MESSAGE = 1 << 20;

    private final Path cache;

    /** The engine with the user's cache directory, or a temporary one when there is no home. */
    public CEngine() {
        this(DecoderCache.userDirectory(NAME));
    }

    /** The engine building into {@code cache}; null builds into a temporary directory every time. */
    public CEngine(Path cache) {
        // absolute: the compiler runs in the build directory
        this.cache = cache == null ? null : cache.toAbsolutePath();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SpecDecoder load(MeterModel model) throws EngineException {
        org.meterspec.gen.plan.DecodePlan plan = PlanBuilder.build(model);
        Map<String, String> files = CGenerator.component(List.of(plan));
        String cc = compiler();
        String meter = model.name();
        try {
            Path dir = Files.createTempDirectory("meterspec-c-");
            try {
                CGenerator.write(dir, files);
                Path runtime = runtime(files, cc, dir);
                String key = key(files, cc, meter);
                Path cached = cache == null ? null : cache.resolve(meter + "-" + key.substring(0, 20)).resolve("harness");
                if (cached != null && Files.isExecutable(cached)) {
                    return new Decoder(meter, cached, plan.zcl() != null);
                }
                // the meter and the decoding runtime as one unit, as a firmware for this meter builds them
                List<String> unit = new ArrayList<>(List.of(cc));
                unit.addAll(FLAGS);
                unit.addAll(List.of("-I" + dir.resolve("include"), "-I" + dir.resolve("meters"), "-DMS_ONE_METER=" + meter,
                        "-c", dir.resolve("unity/ms_one_meter.c").toString(), "-o", dir.resolve("meter.o").toString()));
                run(unit, dir);
                List<String> command = new ArrayList<>();
                command.add(cc);
                command.addAll(FLAGS);
                command.add("-I" + dir.resolve("include"));
                command.add("-I" + dir.resolve("meters"));
                command.add("-DMETER=" + meter);
                command.add("-DMETER_HEADER=\"" + meter + ".h\"");
                if (plan.zcl() != null) {
                    command.add("-DMETER_ZCL_ATTRIBUTES=" + meter.toUpperCase(java.util.Locale.ROOT) + "_ZCL_ATTRIBUTES");
                }
                command.add(dir.resolve("test/ms_harness.c").toString());
                command.add(dir.resolve("meter.o").toString());
                command.add(runtime.toString());
                Path out = dir.resolve("harness");
                command.add("-o");
                command.add(out.toString());
                command.addAll(LIBRARIES);
                run(command, dir);
                if (cached == null) {
                    return new Decoder(meter, keep(out), plan.zcl() != null);
                }
                return new Decoder(meter, publish(out, cached), plan.zcl() != null);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new EngineException("cannot build the C decoder of " + meter + ": " + e.getMessage(), (String) null);
        }
    }

    /**
     * What the one-meter unit leaves out, as a static library built once for all meters (its key is
     * every file of the component but the meters) and kept in the cache: the runtime files that
     * present a reading (those unity/ms_one_meter.c does not include) and the mbedTLS port.
     */
    private Path runtime(Map<String, String> files, String cc, Path dir) throws EngineException, IOException {
        Map<String, String> shared = new java.util.TreeMap<>(files);
        shared.keySet().removeIf(path -> path.startsWith("meters/"));
        String key = key(shared, cc, "runtime");
        Path cached = cache == null ? null : cache.resolve("runtime-" + key.substring(0, 20)).resolve("libmeterspec.a");
        if (cached != null && Files.isRegularFile(cached)) {
            return cached;
        }
        Path objects = Files.createDirectories(dir.resolve("objects"));
        List<String> command = new ArrayList<>();
        command.add(cc);
        command.addAll(FLAGS);
        command.add("-I" + dir.resolve("include"));
        command.add("-c");
        java.util.Set<String> decoding = CGenerator.oneMeterRuntime(files);
        try (java.util.stream.Stream<Path> runtime = Files.list(dir.resolve("runtime"))) {
            runtime.filter(p -> p.toString().endsWith(".c") && !decoding.contains(p.getFileName().toString())).sorted()
                    .forEach(p -> command.add(p.toString()));
        }
        command.add(dir.resolve("port/ms_port_mbedtls.c").toString());
        run(command, objects);
        List<String> archive = new ArrayList<>(List.of("ar", "rcs", "libmeterspec.a"));
        try (java.util.stream.Stream<Path> o = Files.list(objects)) {
            o.filter(p -> p.toString().endsWith(".o")).sorted().forEach(p -> archive.add(p.getFileName().toString()));
        }
        run(archive, objects);
        Path library = objects.resolve("libmeterspec.a");
        return cached == null ? keep(library) : publish(library, cached);
    }

    /** A built file kept outside the build directory, which is deleted: for a run without a cache. */
    private static Path keep(Path built) throws IOException {
        Path dir = Files.createTempDirectory("meterspec-c-built-");
        dir.toFile().deleteOnExit();
        Path kept = dir.resolve(built.getFileName());
        Files.move(built, kept);
        kept.toFile().deleteOnExit();
        return kept;
    }

    /** Moves a built file into the cache as its own directory, atomically; a concurrent run's copy wins. */
    private static Path publish(Path built, Path cached) throws IOException {
        Path root = cached.getParent().getParent();
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, ".build-");
        Files.move(built, staging.resolve(cached.getFileName()));
        try {
            Files.move(staging, cached.getParent(), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(staging); // a concurrent run built the same file first: use that one
        } catch (AtomicMoveNotSupportedException e) {
            Path kept = keep(staging.resolve(cached.getFileName()));
            deleteTree(staging);
            return kept;
        }
        return cached;
    }

    private static String compiler() {
        String cc = System.getenv("METERSPEC_CC");
        return cc == null || cc.isBlank() ? DEFAULT_CC : cc.strip();
    }

    private static String key(Map<String, String> files, String cc, String meter) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            update(d, "meterspec c engine 2\n" + Version.VERSION + "\n" + cc + "\n" + FLAGS + LIBRARIES + "\n" + meter);
            for (Map.Entry<String, String> f : files.entrySet()) {
                update(d, "\n" + f.getKey() + "\n");
                update(d, f.getValue());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
        d.update(b);
    }

    private static void run(List<String> command, Path dir) throws EngineException, IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EngineException("the C engine needs a C compiler ('" + command.get(0) + "' did not start) and"
                    + " mbedTLS: apt-get install gcc libmbedtls-dev", (String) null);
        }
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String log = new String(output, StandardCharsets.UTF_8);
                throw new EngineException("the generated C does not compile (a meterspec bug, or mbedTLS is missing:"
                        + " apt-get install libmbedtls-dev)", log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while compiling the C decoder", (String) null);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** One spec's built harness. */
    private static final class Decoder implements SpecDecoder {
        private final String meter;
        private final Path harness;
        private final boolean zcl;

        Decoder(String meter, Path harness, boolean zcl) {
            this.meter = meter;
            this.harness = harness;
            this.zcl = zcl;
        }

        @Override
        public String meter() {
            return meter;
        }

        @Override
        public String zclTable() throws EngineException {
            if (!zcl) {
                return null;
            }
            List<String> lines = new ArrayList<>();
            try (Harness h = new Harness(harness, DecoderKeys.NONE, DecodeOptions.DEFAULT, lines::add)) {
                h.table();
            }
            if (lines.size() != 1) {
                throw new EngineException("the C harness of " + meter + " printed " + lines.size()
                        + " lines for its ZigBee table", (String) null);
            }
            return lines.get(0);
        }

        @Override
        public LineStream open(DecoderKeys keys, DecodeOptions options, Consumer<String> lines) throws EngineException {
            if (options.zclPayload() != 0 && !zcl) {
                throw new EngineException("the spec of " + meter + " has no zigbee section: add"
                        + " import \"../common/zcl.meter\" or a mapping of its own", (String) null);
            }
            return new Harness(harness, keys, options, lines);
        }
    }

    /** A running harness, fed message by message. */
    private static final class Harness implements LineStream {
        private final Process process;
        private final DataOutputStream in;
        private final BufferedReader out;
        private final Consumer<String> lines;
        private long count;

        Harness(Path harness, DecoderKeys keys, DecodeOptions options, Consumer<String> lines) throws EngineException {
            this.lines = lines;
            try {
                this.process = new ProcessBuilder(harness.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new EngineException("cannot start the C decoder: " + e.getMessage(), (String) null);
            }
            this.in = new DataOutputStream(new java.io.BufferedOutputStream(process.getOutputStream()));
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            ByteArrayOutputStream k = new ByteArrayOutputStream();
            byte[][] given = {keys.encryption(), keys.authentication(), keys.broadcast()};
            int flags = options.requireAuthentication() ? 8 : 0;
            for (int i = 0; i < 3; i++) {
                if (given[i] != null) {
                    flags |= 1 << i;
                }
            }
            k.write(flags);
            for (byte[] key : given) {
                if (key != null) {
                    k.writeBytes(key);
                    java.util.Arrays.fill(key, (byte) 0);
                }
            }
            int chunk = options.chunkSize();
            k.writeBytes(new byte[] {(byte) (chunk >>> 24), (byte) (chunk >>> 16), (byte) (chunk >>> 8), (byte) chunk});
            int zcl = options.zclPayload();
            k.writeBytes(new byte[] {(byte) (zcl >>> 24), (byte) (zcl >>> 16), (byte) (zcl >>> 8), (byte) zcl});
            byte[] message = k.toByteArray();
            try {
                send('K', message, 0, message.length);
                in.flush();
            } catch (IOException e) {
                throw failed(e);
            } finally {
                java.util.Arrays.fill(message, (byte) 0);
            }
        }

        private void send(int op, byte[] b, int off, int len) throws IOException {
            in.writeByte(op);
            in.writeInt(len);
            in.write(b, off, len);
        }

        /** Asks for the ZigBee endpoint table, which comes as one line. */
        void table() throws EngineException {
            exchange('Z', new byte[0], 0, 0);
        }

        /** Sends one message and hands on the lines the harness answers with, up to its "." line. */
        private void exchange(int op, byte[] b, int off, int len) throws EngineException {
            try {
                send(op, b, off, len);
                in.flush();
                for (String line = out.readLine(); ; line = out.readLine()) {
                    if (line == null) {
                        throw new EngineException("the C decoder ended early (exit " + exit() + ")", (String) null);
                    }
                    if (line.equals(".")) {
                        return;
                    }
                    count++;
                    lines.accept(line);
                }
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private String exit() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "none";
            }
        }

        private EngineException failed(IOException e) {
            return new EngineException("the C decoder stopped: " + e.getMessage() + " (exit " + exit() + ")", (String) null);
        }

        @Override
        public void feed(byte[] b, int off, int len) throws EngineException {
            // the harness takes messages of a bounded size
            for (int at = 0; at < len; at += MESSAGE) {
                exchange('F', b, off + at, Math.min(MESSAGE, len - at));
            }
        }

        @Override
        public void finish() throws EngineException {
            exchange('E', new byte[0], 0, 0);
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void close() throws EngineException {
            try {
                in.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new EngineException("the C decoder did not end", (String) null);
                }
                if (process.exitValue() != 0) {
                    throw new EngineException("the C decoder ended with exit " + process.exitValue(), (String) null);
                }
            } catch (IOException e) {
                process.destroyForcibly();
                throw failed(e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while closing the C decoder", (String) null);
            }
        }
    }
}
