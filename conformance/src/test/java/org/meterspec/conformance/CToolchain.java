package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C runtime's tools and builds for the tests: each program is compiled once per run into
 * {@code conformance/target/c/}; a tool that is missing fails the test naming the Debian package
 * that brings it.
 */
final class CToolchain {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path GENERATED = ROOT.resolve("generated-c");
    static final Path INCLUDE = GENERATED.resolve("include");
    static final Path RUNTIME = GENERATED.resolve("runtime");
    static final Path TEST = GENERATED.resolve("test");
    static final Path OUT = ROOT.resolve("conformance/target/c");

    /** What every compile of the runtime is held to. */
    static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic");

    /** The stream runtime's own files, which the test programs link. */
    static final List<String> STREAM_FILES = List.of("ms_apdu.c", "ms_blocks.c", "ms_hdlc.c", "ms_inorder.c",
            "ms_mbus.c", "ms_raw.c", "ms_segments.c", "ms_stream.c");

    enum Backend {
        MBEDTLS("ms_port_mbedtls.c", "-lmbedcrypto", "libmbedtls-dev"),
        OPENSSL("ms_port_openssl.c", "-lcrypto", "libssl-dev");

        final String source;
        final String library;
        final String debianPackage;

        Backend(String source, String library, String debianPackage) {
            this.source = source;
            this.library = library;
            this.debianPackage = debianPackage;
        }

        Path port() {
            return GENERATED.resolve("port").resolve(source);
        }
    }

    /** What a program built with. */
    enum Flavour {
        /** Address and undefined-behaviour sanitizers, stopping at the first report. */
        SANITIZED(List.of("-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all")),
        /** Sanitized, with the loops a 32-bit target compiles (bytes where a 64-bit host takes words). */
        NARROW(List.of("-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                "-DMS_WIDE_WORDS=0")),
        /** Plain, for valgrind. */
        PLAIN(List.of("-O1", "-g"));

        final List<String> flags;

        Flavour(List<String> flags) {
            this.flags = flags;
        }
    }

    private static final Map<String, Path> BUILT = new HashMap<>();

    private CToolchain() {
    }

    /** The tool's path; fails the test, naming the Debian package, when it is not installed. */
    static Path tool(String name, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail(name + " is not installed: install the Debian package " + debianPackage);
    }

    /** Fails, naming the package, when a header the build needs is missing. */
    static void header(String path, String debianPackage) {
        if (!Files.isRegularFile(Path.of("/usr/include").resolve(path))) {
            fail("/usr/include/" + path + " is missing: install the Debian package " + debianPackage);
        }
    }

    /** The body reader the generated and the test meters call. */
    static Path bodyReader() {
        return RUNTIME.resolve("ms_body.c");
    }

    /** Every C file of generated-c/runtime. */
    static List<Path> runtimeFiles() {
        try (Stream<Path> files = Files.list(RUNTIME)) {
            return files.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stream runtime, the error names, and the body reader: what a decoder of the test meter links. */
    static List<Path> decoderFiles() {
        List<Path> files = new ArrayList<>();
        for (String f : STREAM_FILES) {
            files.add(RUNTIME.resolve(f));
        }
        files.add(RUNTIME.resolve("ms_errors.c"));
        files.add(bodyReader());
        files.add(TEST.resolve("triplets.c"));
        return files;
    }

    /** The test program {@code main} (a file of generated-c/test) linked with the decoder, built once per run. */
    static synchronized Path program(String main, Backend backend, Flavour flavour) {
        String name = main.replace(".c", "") + "-" + backend.name().toLowerCase() + "-" + flavour.name().toLowerCase();
        Path built = BUILT.get(name);
        if (built != null) {
            return built;
        }
        Path gcc = tool("gcc", "gcc");
        header(backend == Backend.MBEDTLS ? "mbedtls/gcm.h" : "openssl/evp.h", backend.debianPackage);
        Path out = OUT.resolve(name);
        List<String> command = new ArrayList<>(List.of(gcc.toString()));
        command.addAll(STRICT);
        command.addAll(flavour.flags);
        command.addAll(List.of("-I" + INCLUDE, "-I" + RUNTIME, "-I" + TEST, "-o", out.toString()));
        command.add(TEST.resolve(main).toString());
        for (Path f : decoderFiles()) {
            command.add(f.toString());
        }
        command.add(backend.port().toString());
        command.add(backend.library);
        run(command, 300);
        BUILT.put(name, out);
        return out;
    }

    /** What a command printed (stdout and stderr); fails the test when it exits other than 0. */
    static String run(List<String> command, int timeoutSeconds) {
        Result r = exec(command, null, timeoutSeconds);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " exited with " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    record Result(int exit, String output) {
    }

    /** Runs a command, stdin from {@code input} (or nothing), stdout and stderr together. */
    static Result exec(List<String> command, Path input, int timeoutSeconds) {
        try {
            Files.createDirectories(OUT);
            Path log = Files.createTempFile(OUT, "run", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.redirectInput(input != null ? ProcessBuilder.Redirect.from(input.toFile())
                    : ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " took longer than " + timeoutSeconds + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
