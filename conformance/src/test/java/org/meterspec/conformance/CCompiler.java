package org.meterspec.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds the C runtime's text check program (generated-c/test/ms_text_check.c) with gcc into
 * target/, once per run, with the flags the firmware build uses; and the other builds the C
 * tests need (sanitizers, clang, the ESP32-C6's RV32IMAC with picolibc), one after another on a
 * thread of their own while the tests run. A missing compiler or tool fails with the Debian
 * package that brings it.
 */
final class CCompiler {
    static final Path C = Path.of("generated-c");
    static final Path OUT = Path.of("conformance", "target", "ctext");
    /** The runtime files the text and JSON line need. */
    static final List<String> RUNTIME = List.of("runtime/ms_text.c", "runtime/ms_decimal.c", "runtime/ms_units.c",
            "runtime/ms_errors.c");
    static final String CHECK = "test/ms_text_check.c";
    static final List<String> STRICT = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic");
    static final List<String> RV32 = List.of("-march=rv32imac", "-mabi=ilp32", "-Os", "--specs=picolibc.specs");

    private static final ExecutorService BUILDS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "c-builds");
        t.setDaemon(true);
        return t;
    });

    /** The check program, built first. */
    private static final CompletableFuture<Path> PROGRAM = inBackground(() -> {
        requireTool("gcc", "gcc");
        return link("gcc", List.of("-O2", "-g"), "ms_text_check");
    });

    private CCompiler() {
    }

    /** Runs a build on the build thread. */
    static <T> CompletableFuture<T> inBackground(Supplier<T> build) {
        return CompletableFuture.supplyAsync(build, BUILDS);
    }

    /** The build's result, or its failure as it was thrown. */
    static <T> T await(CompletableFuture<T> build) {
        try {
            return build.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /** The check program, built with gcc. */
    static Path checkProgram() {
        return await(PROGRAM);
    }

    /** The check program and the runtime linked by {@code compiler} with the strict flags and {@code flags}. */
    static Path link(String compiler, List<String> flags, String name) {
        Path exe = OUT.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(compiler));
        cmd.addAll(STRICT);
        cmd.addAll(flags);
        cmd.addAll(List.of("-I", C.resolve("include").toString(), "-o", exe.toString()));
        for (String f : RUNTIME) {
            cmd.add(C.resolve(f).toString());
        }
        cmd.add(C.resolve(CHECK).toString());
        directory(OUT);
        run(cmd);
        return exe;
    }

    /** Each runtime file compiled (not linked) by {@code compiler} with the strict flags and {@code flags}. */
    static void compileEach(String compiler, List<String> flags, String dir) {
        Path out = directory(OUT.resolve(dir));
        for (String f : RUNTIME) {
            List<String> cmd = new ArrayList<>(List.of(compiler));
            cmd.addAll(STRICT);
            cmd.addAll(flags);
            cmd.addAll(List.of("-I", C.resolve("include").toString(), "-c", C.resolve(f).toString(), "-o",
                    out.resolve(Path.of(f).getFileName().toString().replace(".c", ".o")).toString()));
            run(cmd);
        }
    }

    private static Path directory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails, naming the Debian package to install, when {@code command} does not run. */
    static void requireTool(String command, String debianPackage) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(command + " --version fails: install the Debian package " + debianPackage);
            }
        } catch (IOException e) {
            throw new AssertionError(command + " is not installed: install the Debian package " + debianPackage
                    + " (apt-get install " + debianPackage + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command to its end; fails with its output unless it exits 0. Returns the output. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
