package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.meterspec.cli.Cli.CAPTURE;
import static org.meterspec.cli.Cli.KEY;
import static org.meterspec.cli.Cli.SPEC;
import static org.meterspec.cli.Cli.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meterspec.cli.Cli.Run;

/** What an outside campaign fed the command line, each once a bug: the command ends, says why in a line, keeps keys to itself. */
class HostileInputTest {
    static final Path ZERO = Path.of("/dev/zero");

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cacheInTheBuild() {
        Cli.useCacheIn(cache);
    }

    // ---- unbounded reads ---------------------------------------------------------------------

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceNamedAsACaptureIsRefused() {
        assumeTrue(Files.exists(ZERO));

        Run r = run("decode", "--spec", SPEC, "--key", KEY, ZERO.toString()).assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot read /dev/zero: is not a regular file (a device, FIFO or socket); give - and"
                + " redirect it to read a stream\n", r.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoNamedAsACaptureOrSpecIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = tmp.resolve("capture.fifo");
        assumeTrue(Cli.mkfifo(fifo), "no mkfifo here");

        Run capture = run("decode", "--spec", SPEC, "--key", KEY, fifo.toString()).assertNoStackTrace();
        Run spec = run("check", fifo.toString()).assertNoStackTrace();

        assertEquals(2, capture.code());
        assertTrue(capture.err().contains("is not a regular file"), capture.err());
        assertEquals(2, spec.code());
        assertTrue(spec.err().contains("is not a regular file"), spec.err());
    }

    /** {@code size} zero bytes, made as they are read. */
    static InputStream zeros(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void binaryOnStandardInputIsStreamedHoweverLongItIs() {
        // more than any byte array can hold: reading it whole fails, streaming it does not
        long size = Integer.MAX_VALUE + (64L << 20);

        Run r = run(zeros(size), "decode", "--spec", SPEC, "--key", KEY, "-").assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertEquals("meterspec: no telegram found in -\n", r.err());
    }

    @Test
    void hexTextLongerThanTheLimitIsRefusedWithTheWayOut() {
        byte[] text = "68 ".repeat(6 << 20).getBytes(StandardCharsets.US_ASCII);

        Run r = run(new ByteArrayInputStream(text), "decode", "--spec", SPEC, "--key", KEY, "-").assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot read -: hex text longer than 16 MiB (it is parsed whole); convert it to"
                + " binary, e.g. with xxd -r -p, to decode more\n", r.err());
    }

    @Test
    void standardInputDecodesLikeTheFile() throws IOException {
        Run file = run("decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE);
        Run stdin = run(Files.newInputStream(Path.of(CAPTURE)), "decode", "--json", "--spec", SPEC, "--key", KEY, "-");

        assertEquals(0, stdin.code(), stdin.err());
        assertEquals(file.out(), stdin.out());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aKeyFileThatIsADeviceAFifoOrADirectoryIsRefused() throws Exception {
        List<Path> files = new ArrayList<>(List.of(tmp));
        if (Files.exists(ZERO)) {
            files.add(ZERO);
        }
        Path fifo = tmp.resolve("key.fifo");
        if (Cli.mkfifo(fifo)) {
            files.add(fifo);
        }
        for (Path file : files) {
            Run r = run("decode", "--spec", SPEC, "--key", "@" + file, CAPTURE).assertNoStackTrace();

            assertEquals(2, r.code(), file.toString());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("meterspec: cannot read the encryption key file " + file + ": "), r.err());
            assertTrue(r.err().contains(Files.isDirectory(file) ? "is a directory" : "is not a regular file"), r.err());
        }
    }

    @Test
    void aKeyFileLargerThanAnyKeyIsRefused() throws IOException {
        Path big = Files.writeString(tmp.resolve("big.key"), KEY + " ".repeat(Secrets.MAX_FILE_BYTES));

        Run r = run("decode", "--spec", SPEC, "--key", "@" + big, CAPTURE).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertTrue(r.err().endsWith(": larger than 4096 bytes\n"), r.err());
    }

    // ---- key files are the program's to read -------------------------------------------------

    @Test
    void optionsInAKeyFileAreNotOptions() throws IOException {
        Path file = Files.writeString(tmp.resolve("p1.key"), KEY + " --require-auth\n");

        Run r = run("decode", "--json", "--spec", SPEC, "--key", "@" + file, CAPTURE).assertKeyNeverPrinted()
                .assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("meterspec: the encryption key file " + file + " must hold one key and nothing else: 32 hex"
                + " digits, with spaces or colons between them if you like\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "36 C6 66 39 E4 8A 8C A4 D6 BC 8B 28 2A 79 3B BB\n",
        "36:c6:66:39:e4:8a:8c:a4:\nd6:bc:8b:28:2a:79:3b:bb\r\n",
        "\t36C66639E48A8CA4D6BC8B282A793BBB",
    })
    void aKeyFileHoldsOneKeyInAnyCommonSpelling(String content) throws IOException {
        Path file = Files.writeString(tmp.resolve("p1.key"), content);

        Run r = run("decode", "--json", "--spec", SPEC, "--key", "@" + file, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"telegram\":1,\"status\":\"ok\""), r.out());
    }

    @Test
    void twoKeysInOneFileAreRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("p1.key"), KEY + "\n" + KEY + "\n");

        Run r = run("decode", "--spec", SPEC, "--key", "@" + file, CAPTURE).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertEquals("meterspec: the encryption key must be 16 bytes (32 hex digits), got 64 digits\n", r.err());
    }

    @Test
    void anEmptyKeyFileIsAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("p1.key"), "\n");

        Run r = run("decode", "--spec", SPEC, "--key", "@" + file, CAPTURE);

        assertEquals(2, r.code());
        assertEquals("meterspec: the encryption key file " + file + " is empty\n", r.err());
    }

    @Test
    void argumentFilesAreNotExpanded() throws IOException {
        // were @FILE expanded, this would be the --json option and the capture
        Path args = Files.writeString(tmp.resolve("args"), "--json\n" + CAPTURE + "\n");

        Run r = run("decode", "--spec", SPEC, "--key", KEY, "@" + args).assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot read @" + args + ": no such file\n", r.err());
    }

    // ---- keys never printed ------------------------------------------------------------------

    static Stream<String> spellings() {
        return Stream.of(KEY, KEY.toLowerCase(java.util.Locale.ROOT), "36 C6 66 39 E4 8A 8C A4 D6 BC 8B 28 2A 79 3B BB",
                "36:c6:66:39:e4:8a:8c:a4:d6:bc:8b:28:2a:79:3b:bb", "0x36,0xC6,0x66,0x39,0xE4,0x8A,0x8C,0xA4,0xD6,0xBC,"
                        + "0x8B,0x28,0x2A,0x79,0x3B,0xBB", "/tmp/keys/" + KEY + ".key");
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void aKeyWhereAPathBelongsIsNeverPrinted(String key) {
        List<String[]> placements = List.of(
                new String[] {"decode", "--spec", SPEC, "--key", "@" + key, CAPTURE},
                new String[] {"decode", "--spec", SPEC, "--key", KEY, key},
                new String[] {"decode", "--spec", key, "--key", KEY, CAPTURE},
                new String[] {"decode", "--spec", SPEC, "--kee", key, CAPTURE},
                new String[] {"check", key},
                new String[] {"test", key},
                new String[] {"generate", "--lang", "java", "-o", tmp.toString(), "--package", key, SPEC},
                new String[] {key});
        for (String[] args : placements) {
            Run r = run(args).assertKeyNeverPrinted().assertNoStackTrace();
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        }
    }

    @Test
    void aDiagnosticQuotingAKeyLineDoesNotPrintTheKey() throws IOException {
        Path spec = tmp.resolve("keyed.meter");
        Files.writeString(spec, String.join("\n", "meter keyed", "transport raw", "security glo",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }", "example \"e\" {",
                "    capture hex \"0F\"", "    key \"36 C6 66 39 E4 8A 8C A4 D6 BC 8B 28 2A 79 3B BB 00\"",
                "    expect ok { }", "}", ""));

        Run r = run("check", spec.toString()).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertTrue(r.err().contains("key \"" + Redaction.MARK + "\""), r.err());
    }

    // ---- generate --package ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "class", "a..b", "a.class.b", ".a", "a.", "1a", "a-b", "", "a/b", "org.null"})
    void aPackageThatIsNotAJavaPackageIsRefusedAndNothingIsWritten(String name) throws IOException {
        Path out = tmp.resolve("out");

        Run r = run("generate", "--lang", "java", "--package", name, "-o", out.toString(), SPEC).assertNoStackTrace();

        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("meterspec: --package '" + name + "' is not a Java package name: "), r.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> walk = Files.walk(tmp)) {
            assertEquals(List.of(tmp), walk.toList());
        }
    }

    @Test
    void aPackageWithKeywordsInsideOtherWordsIsAPackage() throws IOException {
        Path out = tmp.resolve("out");

        Run r = run("generate", "--lang", "java", "--package", "org.classy.interfaces", "-o", out.toString(), SPEC);

        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("org/classy/interfaces/NetzNoeP1Decoder.java")));
    }

    // ---- failures of the output and of the engine --------------------------------------------

    /** Standard output that fails as a closed pipe does. */
    static final class BrokenPipe extends Writer {
        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            throw new IOException("Broken pipe");
        }

        @Override
        public void flush() throws IOException {
            throw new IOException("Broken pipe");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anOutputThatFailsEndsTheRunWithOneLine() {
        Run r = Cli.run(new BrokenPipe(), "decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE).assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot write the output: Broken pipe\n", r.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOutputThatFailsWhileStreamingStopsReading() {
        // endless input: the run only ends because the output is gone
        InputStream endless = new InputStream() {
            private final byte[] telegram;

            {
                try {
                    telegram = org.meterspec.runtime.Captures.read(Path.of(CAPTURE));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            private int at;

            @Override
            public int read() {
                int b = telegram[at] & 0xFF;
                at = (at + 1) % telegram.length;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, telegram.length - at);
                System.arraycopy(telegram, at, b, off, n);
                at = (at + n) % telegram.length;
                return n;
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"decode", "--json", "--spec", SPEC, "--key", KEY, "-"}, endless,
                new BrokenPipe(), err);

        assertEquals(2, code);
        assertEquals("meterspec: cannot write the output: Broken pipe\n", err.toString());
    }

    @Test
    void aDecoderThatDoesNotCompileIsOneLine() {
        Run r = run("decode", "--engine", FailingEngine.NAME, "--spec", SPEC, "--key", KEY, CAPTURE)
                .assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: the decoder generated from " + SPEC.replace('\\', '/') + " does not compile"
                + " (a meterspec bug): NetzNoeP1Decoder.java:2: ';' expected\n", r.err());
    }

    @Test
    void anEngineThatIsNotThereIsNamedWithThoseThatAre() {
        Run r = run("decode", "--engine", "cobol", "--spec", SPEC, CAPTURE);

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("meterspec: no engine 'cobol'; there are "), r.err());
        assertTrue(r.err().contains("java"), r.err());
    }
}
