package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.cli.Main;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engines;
import org.meterspec.engine.TelegramLine;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.runtime.Captures;

/**
 * examples/java/ReadMeter.java, the library reader's example, compiled against the build and run
 * on one end of a socat pty pair while {@code replay} writes the Netz NÖ capture into the other:
 * it prints each reading's values as decode gives them, and SIGTERM (as Ctrl-C) ends it.
 */
class JavaExampleTest {
    static final Path EXAMPLE = Path.of("examples", "java", "ReadMeter.java");
    static final Path SPEC = Path.of("examples", "sagemcom_t210d", "netz_noe_p1.meter");
    static final Path CAPTURE = Path.of("examples", "sagemcom_t210d", "mbus_netz_noe_p1.hex");
    static final String KEY = LiveReadTest.NOE_KEY;

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void cacheInTheBuild() {
        System.setProperty("meterspec.cache", cache.toString());
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What the example prints for a reading (its format, from the lines decode gives). */
    static String printed(TelegramLine.Reading r) {
        StringBuilder sb = new StringBuilder("telegram " + r.telegram() + ":");
        for (TelegramLine.Value v : r.values()) {
            sb.append("\n  ").append(v.name() != null ? v.name() : v.obis()).append(" = ")
                    .append(v.value() != null ? v.value() : "(none)").append(v.unit() != null ? " " + v.unit() : "");
        }
        return sb.toString();
    }

    private static void awaitText(ByteArrayOutputStream buf, String text, Process p, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!text(buf).contains(text)) {
            assertTrue(System.nanoTime() < end && p.isAlive(), "no '" + text + "' in time:\n" + text(buf));
            Thread.sleep(20);
        }
    }

    private static String text(ByteArrayOutputStream buf) {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    private static ByteArrayOutputStream collect(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            byte[] b = new byte[4096];
            try (in) {
                for (int n; (n = in.read(b)) > 0; ) {
                    synchronized (buf) {
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        t.setDaemon(true);
        t.start();
        return buf;
    }

    @Test
    void theExampleCompilesAndPrintsEachReadingAsDecodeGivesIt() throws Exception {
        // compiled as a user would, against the build's class path
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, "-Xlint:all,-path,-processing", "-Werror", "-classpath",
                System.getProperty("java.class.path"), "-d", classes.toString(), EXAMPLE.toString());
        assertEquals(0, code, diagnostics.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(classes.resolve("ReadMeter.class")));

        // the capture's telegram twice: the reader numbers them on as decode does
        SpecLoader.Result spec = SpecLoader.load(SPEC);
        assertTrue(spec.ok(), spec.report());
        byte[] once = Captures.read(CAPTURE);
        byte[] twice = new byte[once.length * 2];
        System.arraycopy(once, 0, twice, 0, once.length);
        System.arraycopy(once, 0, twice, once.length, once.length);
        List<String> lines = Engines.named("java").load(spec.model()).decodeAll(twice, DecoderKeys.ofHex(KEY, null, null),
                DecodeOptions.DEFAULT);
        assertEquals(2, lines.size());
        StringBuilder expected = new StringBuilder();
        for (String l : lines) {
            expected.append(printed((TelegramLine.Reading) TelegramLine.parse(l))).append('\n');
        }

        Path writeEnd = tmp.resolve("meter");
        Path readEnd = tmp.resolve("reader");
        processes.add(Processes.ptyPair(writeEnd, readEnd, tmp.resolve("socat.log")));

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process example = new ProcessBuilder(javaBin,
                "-Dmeterspec.cache=" + cache, "-cp", classes + java.io.File.pathSeparator
                + System.getProperty("java.class.path"), "ReadMeter", SPEC.toString(), readEnd.toString(), KEY).start();
        processes.add(example);
        ByteArrayOutputStream out = collect(example.getInputStream());
        ByteArrayOutputStream err = collect(example.getErrorStream());
        awaitText(err, "ReadMeter: reading " + readEnd + " (2400 8E1)", example, 60);

        // one replay: socat ends the pair soon after its writing end is closed
        Path file = Files.write(tmp.resolve("twice.bin"), twice);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        assertEquals(0, Main.run(new String[] {"replay", "--port", writeEnd.toString(), "--spec", SPEC.toString(),
            "--interval", "0.2", file.toString()}, InputStream.nullInputStream(), o, e), e.toString());
        assertEquals("", o + e.toString());
        awaitText(out, "telegram 2:", example, 20);
        Thread.sleep(300); // the rest of the second reading's lines
        // SIGTERM, as Ctrl-C: the reader closes the port and the program ends (through the handle:
        // Process.destroy() would close our end of its pipes and lose what it prints meanwhile)
        example.toHandle().destroy();
        assertTrue(example.waitFor(10, TimeUnit.SECONDS), "the example did not end on SIGTERM:\n" + text(err));
        Thread.sleep(100);

        assertEquals(expected.toString(), text(out));
        assertEquals("ReadMeter: reading " + readEnd + " (2400 8E1)\n", text(err), "only the start is said");
        assertFalse((text(out) + text(err)).contains(KEY), "the key was printed");
    }
}
