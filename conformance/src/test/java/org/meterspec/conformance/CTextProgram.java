package org.meterspec.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The running check program: sends it lines, reads its answer up to the "." it prints for the
 * "." that ends each batch. Writing happens on another thread, so that neither side blocks on a
 * full pipe. Not thread-safe.
 */
final class CTextProgram implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "c-text-writer");
        t.setDaemon(true);
        return t;
    });

    CTextProgram(List<String> command) {
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutputStream stdin = process.getOutputStream();
        in = new java.io.BufferedWriter(new java.io.OutputStreamWriter(stdin, StandardCharsets.US_ASCII), 1 << 16);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII), 1 << 16);
    }

    /** The program's lines for {@code lines}. */
    List<String> send(List<String> lines) {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                for (String l : lines) {
                    in.write(l);
                    in.write('\n');
                }
                in.write(".\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writer);
        List<String> answer = new ArrayList<>();
        try {
            for (String l = out.readLine(); ; l = out.readLine()) {
                if (l == null) {
                    throw new AssertionError("the check program ended (exit " + exit() + ") after " + answer.size()
                            + " lines");
                }
                if (l.equals(".")) {
                    break;
                }
                answer.add(l);
            }
            writing.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answer;
    }

    private String exit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            in.close();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
            writer.shutdown();
        }
    }
}
