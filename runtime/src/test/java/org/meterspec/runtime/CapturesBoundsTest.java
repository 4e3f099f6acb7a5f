package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Captures read with bounded memory: only regular files, text up to a limit, binary streamed. */
class CapturesBoundsTest {
    @TempDir
    Path dir;

    /** Hands out at most {@code step} bytes per read, as a slow pipe does. */
    private static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static byte[] drain(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4096, 1 << 20})
    void streamedCapturesAreDecidedAsWholeFilesAre(int step) throws IOException {
        byte[][] inputs = {
            "# Netz N\u00d6\n68 FA FA 68\n".getBytes(StandardCharsets.UTF_8), // text; Ö split at step 1
            "# Netz N\u00d6\n68 FA".getBytes(StandardCharsets.ISO_8859_1),   // not UTF-8: binary
            "68 FA // caf\u00e9 \u20ac\n16".getBytes(StandardCharsets.UTF_8),
            {0x68, (byte) 0xFA, (byte) 0xFA, 0x68, 0x00, 0x16},
            "00000000: 6816 0a                                h..\n".getBytes(StandardCharsets.US_ASCII),
            "68 16 \u00c3".getBytes(StandardCharsets.ISO_8859_1),               // a sequence cut at the end
            {},
        };
        for (byte[] input : inputs) {
            byte[] whole = Captures.parse(input);
            assertArrayEquals(whole, drain(Captures.decoding(trickle(input, step), Captures.MAX_TEXT_BYTES)),
                    () -> new String(input, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void hexThatIsNotHexFailsAsParseHexDoes() {
        byte[] text = "68 FA\nthe meter sent this\n".getBytes(StandardCharsets.US_ASCII);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> drain(Captures.decoding(new ByteArrayInputStream(text), 1000)));

        assertTrue(e.getMessage().startsWith("line 2, column 1: "), e.getMessage());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void endlessBinaryIsStreamedNotBuffered() throws IOException {
        // zeros forever, as /dev/zero gives: bytes come out long before any end
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        InputStream in = Captures.decoding(zeros, Captures.MAX_TEXT_BYTES);
        byte[] buf = new byte[65536];
        long total = 0;
        while (total < (256L << 20)) {
            total += in.read(buf, 0, buf.length);
        }
        assertTrue(total >= 256L << 20);
    }

    @Test
    void textLongerThanTheLimitIsRefused() {
        byte[] text = "68 ".repeat(1000).getBytes(StandardCharsets.US_ASCII);

        IOException e = assertThrows(IOException.class, () -> drain(Captures.decoding(trickle(text, 100), 1000)));

        assertTrue(e.getMessage().startsWith("hex text longer than 1000 bytes"), e.getMessage());
    }

    @Test
    void textUpToTheLimitIsParsed() throws IOException {
        byte[] text = "68 ".repeat(333).getBytes(StandardCharsets.US_ASCII); // 999 bytes

        assertEquals(333, drain(Captures.decoding(trickle(text, 100), 999)).length);
    }

    @Test
    void binaryLongerThanTheTextLimitStreams() throws IOException {
        byte[] binary = new byte[5000];
        binary[0] = 0x68;
        binary[4999] = 0x16;

        assertArrayEquals(binary, drain(Captures.decoding(trickle(binary, 64), 1000)));
    }

    @Test
    void aFileLargerThanTheBoundIsRefusedWithItsReason() throws IOException {
        Path file = Files.write(dir.resolve("big.bin"), new byte[101]);

        FileSystemException e = assertThrows(FileSystemException.class, () -> Captures.readFile(file, 100));

        assertEquals("larger than 100 bytes", e.getReason());
        assertEquals(101, Captures.readFile(file, 101).length);
    }

    @Test
    void aDirectoryIsRefused() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> Captures.readFile(dir, 100));

        assertEquals("is a directory", e.getReason());
    }

    @Test
    // a broken check blocks in open() or reads forever: a thread of its own lets the test fail instead
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceIsRefusedWithoutReadingIt() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");

        for (var read : java.util.List.<Read>of(f -> Captures.read(f), f -> Captures.readBytes(f, 1 << 30),
                f -> Captures.open(f, Captures.MAX_TEXT_BYTES))) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> read.from(zero));
            assertTrue(e.getReason().startsWith("is not a regular file"), e.getReason());
        }
    }

    @Test
    // a broken check blocks in open() or reads forever: a thread of its own lets the test fail instead
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("capture.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

        // opening a FIFO with no writer blocks: refusing it must not open it
        FileSystemException e = assertThrows(FileSystemException.class, () -> Captures.readFile(fifo, 100));
        assertTrue(e.getReason().startsWith("is not a regular file"), e.getReason());
        assertThrows(FileSystemException.class, () -> Captures.open(fifo, 100));
    }

    @FunctionalInterface
    private interface Read {
        Object from(Path file) throws IOException;
    }
}
