package org.meterspec.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meterspec.engine.LineStream;

/** The reader's states with ports that a test scripts: what is logged, what reaches the stream. */
class LiveReaderTest {
    /** A stream that records what it is fed, and each finish as a '|'. */
    static final class Recording implements LineStream {
        final ByteArrayOutputStream fed = new ByteArrayOutputStream();

        @Override
        public void feed(byte[] b, int off, int len) {
            fed.write(b, off, len);
        }

        @Override
        public void finish() {
            fed.write('|');
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public void close() {
        }

        String text() {
            return fed.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** A port that hands out its reads in turn, then fails (null) or stops the reader (an empty script). */
    static SerialLink link(Deque<String> reads, LiveReader[] reader) {
        return new SerialLink() {
            @Override
            public int read(byte[] b) throws IOException {
                if (reads.isEmpty()) {
                    reader[0].stop();
                    return 0;
                }
                String r = reads.poll();
                if (r == null || r.equals("FAIL")) {
                    throw new IOException("the port is gone (input/output error)");
                }
                byte[] bytes = r.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                System.arraycopy(bytes, 0, b, 0, bytes.length);
                return bytes.length;
            }

            @Override
            public void write(byte[] b, int off, int len) {
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aPortLostAndNotThereForAWhileIsSaidOncePerChangeAndReadAgain() throws Exception {
        List<String> log = new ArrayList<>();
        Recording stream = new Recording();
        LiveReader[] reader = new LiveReader[1];
        // opened, reads "ab", "c", fails; five opens fail; opened, reads "de", then the test stops it
        Deque<Object> opens = new ArrayDeque<>(List.of(new ArrayDeque<>(List.of("ab", "c", "FAIL")),
                "no such device", "no such device", "no such device", "permission denied", "permission denied",
                new ArrayDeque<>(List.of("de"))));
        List<Long> pauses = new ArrayList<>();
        long[] clock = {0};
        reader[0] = new LiveReader("/dev/ttyUSB0", () -> {
            Object next = opens.poll();
            if (next instanceof String reason) {
                throw new IOException(reason);
            }
            @SuppressWarnings("unchecked")
            Deque<String> reads = (Deque<String>) next;
            return link(reads, reader);
        }, stream, log::add, () -> { }, 0, 1, 4, () -> clock[0]);
        long start = System.nanoTime();
        reader[0].run();

        assertEquals("abc|de|", stream.text(), "the lost telegram is finished, what follows starts afresh");
        assertEquals(List.of(
                "reading /dev/ttyUSB0",
                "lost /dev/ttyUSB0: the port is gone (input/output error); opening it again",
                "cannot open /dev/ttyUSB0: no such device; trying again every 0 s at the longest",
                "cannot open /dev/ttyUSB0: permission denied; trying again every 0 s at the longest",
                "/dev/ttyUSB0 is back; reading again"), log);
        assertTrue(reader[0].awaitDone(0));
        assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }

    @Test
    void silenceLongerThanTheTimeoutIsSaidOnceAndItsEndOnce() throws Exception {
        List<String> log = new ArrayList<>();
        Recording stream = new Recording();
        LiveReader[] reader = new LiveReader[1];
        long[] clock = {0};
        Deque<String> reads = new ArrayDeque<>(List.of("a", "", "", "", "", "b", "", ""));
        reader[0] = new LiveReader("COM3", () -> new SerialLink() {
            @Override
            public int read(byte[] b) {
                clock[0] += 1000;
                if (reads.isEmpty()) {
                    reader[0].stop();
                    return 0;
                }
                String r = reads.poll();
                if (!r.isEmpty()) {
                    b[0] = (byte) r.charAt(0);
                }
                return r.length();
            }

            @Override
            public void write(byte[] b, int off, int len) {
            }

            @Override
            public void close() {
            }
        }, stream, log::add, () -> { }, 2500, 1, 4, () -> clock[0]);
        reader[0].run();

        assertEquals("ab|", stream.text());
        // a read every second: silent from 1 s to 6 s (said at 4 s, once), and from 6 s on (said at 9 s)
        assertEquals(List.of("reading COM3", "no data from COM3 for 2.5 s", "data from COM3 again",
                "no data from COM3 for 2.5 s"), log);
    }

    @Test
    void serialFramesAreParsedAndBadOnesNamed() {
        assertEquals("2400 8E1", new SerialSettings(2400, 8, 'N', "1").withFrame("8e1").toString());
        assertEquals("115200 7O2", new SerialSettings(2400, 8, 'N', "1").withFrame("7O2").withBaud(115200).toString());
        assertEquals(11, new SerialSettings(2400, 8, 'E', "1").bitsPerByte());
        assertEquals(10, new SerialSettings(2400, 8, 'N', "1").bitsPerByte());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SerialSettings(2400, 8, 'N', "1").withFrame("9X1"));
        assertTrue(e.getMessage().contains("like 8E1 or 8N1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SerialSettings(0, 8, 'N', "1"));
    }

    @Test
    void theSpecsSerialLineWinsOverTheTransportsUsualOne() {
        org.meterspec.model.Loc at = new org.meterspec.model.Loc("m.meter", 1, 1);
        org.meterspec.model.Transport.Serial line = new org.meterspec.model.Transport.Serial(at, 115200, 8, 'N', "1");
        assertEquals("115200 8N1", SerialSettings.forTransport(new org.meterspec.model.Transport.Mbus(at, null, null,
                null, null, null, line)).toString());
        assertEquals("2400 8E1", SerialSettings.forTransport(new org.meterspec.model.Transport.Mbus(at, null, null,
                null, null, null, null)).toString());
        assertEquals("2400 8N1", SerialSettings.forTransport(new org.meterspec.model.Transport.Hdlc(at, null, null,
                null, org.meterspec.model.Presence.OPTIONAL, null)).toString());
    }
}
