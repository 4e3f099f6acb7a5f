package org.meterspec.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engines;
import org.meterspec.engine.TelegramLine;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;

/** The library reader with a scripted port fed the Netz NÖ capture: what it hands out, how it stops. */
class MeterReaderTest {
    static final Path DIR = Path.of("..", "examples", "sagemcom_t210d");
    static final String KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    @TempDir
    static Path cache;

    static MeterModel model;
    static byte[] capture;

    @BeforeAll
    static void load() throws Exception {
        System.setProperty("meterspec.cache", cache.toString());
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("netz_noe_p1.meter"));
        assertTrue(r.ok(), r.report());
        model = r.model();
        capture = Captures.read(DIR.resolve("mbus_netz_noe_p1.hex"));
    }

    /** The capture {@code times} times over, and the lines decode gives for it. */
    static byte[] repeated(int times) {
        byte[] out = new byte[capture.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(capture, 0, out, i * capture.length, capture.length);
        }
        return out;
    }

    static List<String> decoded(byte[] bytes) throws Exception {
        return Engines.named("java").load(model).decodeAll(bytes, DecoderKeys.ofHex(KEY, null, null), DecodeOptions.DEFAULT);
    }

    /** A port that hands out {@code bytes} in chunks of 37, then nothing (a short wait per read) until closed. */
    static final class Scripted implements SerialLink {
        final byte[] bytes;
        int off;
        final AtomicBoolean closed = new AtomicBoolean();

        Scripted(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(byte[] b) throws java.io.IOException {
            if (off >= bytes.length) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            int n = Math.min(37, bytes.length - off);
            System.arraycopy(bytes, off, b, 0, n);
            off += n;
            return n;
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static MeterReader.Builder builder(Scripted port, List<String> status) {
        return MeterReader.builder(model).link("scripted", () -> port).keys(DecoderKeys.ofHex(KEY, null, null))
                .onStatus(status::add);
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (list.size() < size) {
            assertTrue(System.nanoTime() < end, "got " + list.size() + " of " + size + ": " + list);
            Thread.sleep(5);
        }
    }

    @Test
    void callbacksGetWhatDecodeGivesOnTheReaderThreadAndCloseStopsIt() throws Exception {
        byte[] bytes = repeated(3);
        List<String> expected = decoded(bytes);
        assertEquals(3, expected.size(), String.join("\n", expected));
        assertTrue(expected.stream().allMatch(l -> l.contains("\"status\":\"ok\"")), String.join("\n", expected));

        Scripted port = new Scripted(bytes);
        List<String> status = new CopyOnWriteArrayList<>();
        List<String> got = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> on = new AtomicReference<>();
        MeterReader reader = builder(port, status)
                .onReading(r -> {
                    on.set(Thread.currentThread());
                    got.add(r.json());
                })
                .onError(e -> got.add(e.json()))
                .build();
        assertFalse(reader.toString().contains(KEY), reader.toString());
        reader.start();
        awaitSize(got, expected.size());
        assertFalse(reader.isStopped());
        reader.close();

        assertEquals(expected, got, "readings as decode gives them, nothing more at the close");
        assertTrue(on.get().getName().startsWith("meterspec-reader scripted"), on.get().getName());
        assertFalse(on.get().isAlive(), "close() returned before the reader's thread ended");
        assertTrue(reader.isStopped());
        assertTrue(port.closed.get(), "the port was not closed");
        assertEquals(List.of("reading scripted"), status);
        assertThrows(IllegalStateException.class, reader::start);
    }

    @Test
    void closeIsIdempotentStartedOrNot() throws Exception {
        List<String> status = new CopyOnWriteArrayList<>();
        MeterReader never = builder(new Scripted(new byte[0]), status).build();
        never.close();
        never.close();
        assertTrue(never.isStopped());
        assertThrows(IllegalStateException.class, never::start);

        Scripted port = new Scripted(capture);
        List<String> got = new CopyOnWriteArrayList<>();
        MeterReader reader = builder(port, status).onReading(r -> got.add(r.json())).build();
        reader.start();
        assertThrows(IllegalStateException.class, reader::start);
        awaitSize(got, 1);
        reader.close();
        assertTrue(reader.isStopped(), "close() returned before the reader stopped");
        reader.close();
        assertTrue(reader.await(Duration.ZERO));
        assertTrue(port.closed.get());
        assertEquals(1, got.size());
        assertEquals(List.of("reading scripted"), status);
    }

    @Test
    void aCallbackThatThrowsIsReportedAndLaterReadingsStillCome() throws Exception {
        byte[] bytes = repeated(3);
        List<String> expected = decoded(bytes);
        List<String> status = new CopyOnWriteArrayList<>();
        List<String> got = new CopyOnWriteArrayList<>();
        MeterReader reader = builder(new Scripted(bytes), status)
                .onReading(r -> {
                    got.add(r.json());
                    if (r.telegram() <= 2) {
                        throw new IllegalStateException("a callback's bug " + r.telegram());
                    }
                })
                .build();
        reader.start();
        awaitSize(got, 3);
        reader.close();

        assertEquals(expected, got);
        assertEquals(List.of("reading scripted",
                "the onReading callback failed (java.lang.IllegalStateException: a callback's bug 1); reading goes on",
                "the onReading callback failed (java.lang.IllegalStateException: a callback's bug 2); reading goes on"),
                status);
        assertTrue(status.stream().noneMatch(s -> s.contains(KEY)));
    }

    @Test
    void thePublisherDeliversTheSameLinesInOrderAndCompletesAtTheClose() throws Exception {
        byte[] bytes = repeated(5);
        List<String> expected = decoded(bytes);
        List<String> status = new CopyOnWriteArrayList<>();
        MeterReader reader = builder(new Scripted(bytes), status).build();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> completed = new CompletableFuture<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        reader.publisher().subscribe(new Flow.Subscriber<TelegramLine>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
                subscribed.countDown();
            }

            @Override
            public void onNext(TelegramLine line) {
                got.add(line.json());
            }

            @Override
            public void onError(Throwable t) {
                completed.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                completed.complete(null);
            }
        });
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        reader.start();
        awaitSize(got, expected.size());
        reader.close();
        completed.get(10, TimeUnit.SECONDS);

        assertEquals(expected, got);
        assertEquals(List.of("reading scripted"), status);
    }
}
