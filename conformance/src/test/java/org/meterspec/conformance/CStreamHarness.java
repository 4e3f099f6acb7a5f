package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The C test meter's harness (generated-c/test/harness.c) as a running process, one per crypto
 * back end, built with the sanitizers: a case goes in, the lines of its results come out.
 */
final class CStreamHarness implements AutoCloseable {
    private static final Map<CToolchain.Backend, CStreamHarness> RUNNING = new EnumMap<>(CToolchain.Backend.class);

    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;
    private final Path errors;

    private CStreamHarness(Path program, CToolchain.Backend backend) {
        try {
            errors = CToolchain.OUT.resolve("harness-" + backend.name().toLowerCase() + ".stderr");
            process = new ProcessBuilder(program.toString()).redirectError(errors.toFile()).start();
            in = process.getOutputStream();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The harness for the back end, started once per run. */
    static synchronized CStreamHarness of(CToolchain.Backend backend) {
        CStreamHarness h = RUNNING.get(backend);
        if (h == null || !h.process.isAlive()) {
            h = new CStreamHarness(CToolchain.program("harness.c", backend, CToolchain.Flavour.SANITIZED), backend);
            RUNNING.put(backend, h);
        }
        return h;
    }

    /** Ends every harness started, failing when one reported an error on its way out (a leak, say). */
    static synchronized void stopAll() {
        for (CStreamHarness h : RUNNING.values()) {
            h.close();
        }
        RUNNING.clear();
    }

    /** The C decoder's lines for the case. */
    synchronized List<String> run(StreamCase c) {
        List<String> lines = new ArrayList<>();
        try {
            in.write(c.harnessInput().getBytes(StandardCharsets.US_ASCII));
            in.flush();
            for (String line = out.readLine(); ; line = out.readLine()) {
                if (line == null) {
                    fail("the C harness ended on this case:\n" + c + "\n" + stderr());
                }
                lines.add(line);
                if (line.startsWith("end ") || line.startsWith("init error") || line.equals("bad line")) {
                    return lines;
                }
            }
        } catch (IOException e) {
            return fail("the C harness failed on this case:\n" + c + "\n" + stderr(), e);
        }
    }

    private String stderr() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            return Files.exists(errors) ? Files.readString(errors) : "";
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public synchronized void close() {
        try {
            in.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the C harness did not end");
            }
            if (process.exitValue() != 0) {
                fail("the C harness exited with " + process.exitValue() + ":\n" + stderr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
