package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processes the live tests run beside them: a socat pty pair, and the lines a process prints. */
final class Processes {
    private Processes() {
    }

    /** socat joining two pseudo-terminals at {@code writeEnd} and {@code readEnd}, once it carries data; its log in {@code log}. */
    static Process ptyPair(Path writeEnd, Path readEnd, Path log) throws Exception {
        Process socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + writeEnd,
                "pty,raw,echo=0,link=" + readEnd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(writeEnd) && Files.exists(readEnd) && Files.readString(log)
                .contains("starting data transfer loop"))) {
            assertTrue(System.nanoTime() < end && socat.isAlive(), "socat did not make the pty pair: "
                    + Files.readString(log));
            Thread.sleep(20);
        }
        return socat;
    }

    /** Adds each line {@code in} gives to {@code into} (notifying its waiters), on a daemon thread. */
    static void collect(InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (into) {
                        into.add(line);
                        into.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
