package org.meterspec.engine.live;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.LineStream;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.model.MeterModel;

/**
 * A meter read live from Java code: what {@code meterspec read} does, with callbacks or a {@link
 * Flow.Publisher} instead of printed lines.
 *
 * <pre>{@code
 * try (MeterReader reader = MeterReader.builder(model)       // a spec SpecLoader loaded
 *         .port("/dev/ttyUSB0")                               // settings default from the transport
 *         .keys(DecoderKeys.ofHex(key, null, null))
 *         .onReading(r -> System.out.println(r.values()))
 *         .onError(e -> System.out.println(e.json()))
 *         .onStatus(System.err::println)
 *         .build()) {
 *     reader.start();                                         // returns at once
 *     reader.join();                                          // until closed (Ctrl-C: closeOnShutdown())
 * }
 * }</pre>
 *
 * <p>The reader is a {@link LiveReader}: bytes go to the Java engine's stream decoder as they
 * arrive, so a reading is handed out as soon as its telegram is complete, exactly as {@code decode}
 * gives it for the same bytes (the same {@link TelegramLine}, the same telegram numbers). A port
 * that cannot be opened or disappears is opened again with backoff; each change of state
 * ({@code reading …}, {@code lost …}, {@code cannot open …}, {@code no data from …}) is one message
 * to {@link Builder#onStatus}. Keys never appear in a message or in {@link #toString()}.
 *
 * <p><b>Threading.</b> {@link #start()} starts one thread of the reader's own ({@code
 * meterspec-reader …}, not a daemon: {@link #close()} ends it). Every callback ({@code onReading},
 * {@code onError}, {@code onStatus}) runs on that thread, one at a time and in order; a callback that
 * takes long holds reading up (the port's own buffer takes what arrives meanwhile). A callback that
 * throws is reported to {@code onStatus} and reading goes on. {@link #publisher()} hands the same
 * lines to its subscribers on the publisher's executor (the common pool) instead, each subscriber
 * buffering at most {@link #PUBLISHER_BUFFER} lines; lines for a subscriber that is that far
 * behind are dropped (and said) rather than holding the reader up. Lines a subscriber gets are in
 * order; subscribe before {@link #start()} to get every one.
 */
public final class MeterReader implements AutoCloseable {
    /** The most lines a subscriber of {@link #publisher()} may have waiting. */
    public static final int PUBLISHER_BUFFER = Flow.defaultBufferSize();

    private final String name;
    private final String meter;
    private final DecoderKeys keys;
    private final Consumer<TelegramLine.Reading> onReading;
    private final Consumer<TelegramLine.Error> onError;
    private final Consumer<String> onStatus;
    private final SubmissionPublisher<TelegramLine> publisher = new SubmissionPublisher<>(
            java.util.concurrent.ForkJoinPool.commonPool(), PUBLISHER_BUFFER);
    private final LineStream stream;
    private final LiveReader reader;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread thread;
    private long dropped; // lines a slow subscriber did not get, since delivery last worked (reader thread)

    private MeterReader(Builder b, SpecDecoder decoder) throws EngineException {
        this.name = b.name;
        this.meter = decoder.meter();
        this.keys = b.keys;
        this.onReading = b.onReading;
        this.onError = b.onError;
        this.onStatus = b.onStatus;
        this.stream = decoder.open(b.keys, DecodeOptions.DEFAULT.withRequireAuthentication(b.requireAuthentication),
                this::line);
        this.reader = new LiveReader(b.name, b.opener, stream, this::status, () -> { }, b.noDataMillis);
    }

    /** A builder of a reader of the meter {@code model} describes (a model {@code SpecLoader} loaded without errors). */
    public static Builder builder(MeterModel model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /** Starts reading on the reader's own thread and returns at once. {@link IllegalStateException} when started or closed before. */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("the reader of " + name + " is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the reader of " + name + " has been started already");
        }
        Thread t = new Thread(this::run, "meterspec-reader " + name);
        thread = t;
        t.start();
    }

    private void run() {
        Throwable failure = null;
        try {
            reader.run();
        } catch (EngineException | RuntimeException e) {
            failure = e;
            status("reading " + name + " stopped: " + e.getMessage());
        } finally {
            try {
                stream.close();
            } catch (EngineException | RuntimeException e) {
                status("closing the decoder failed: " + e.getMessage());
            }
            if (failure != null) {
                publisher.closeExceptionally(failure);
            } else {
                publisher.close();
            }
            done.countDown();
        }
    }

    /**
     * The lines read, readings and errors, to every subscriber in order, on the common pool.
     * {@code onComplete} follows the last line once the reader is closed; {@code onError} if
     * reading stopped on a decoder failure.
     */
    public Flow.Publisher<TelegramLine> publisher() {
        return publisher;
    }

    /**
     * Stops reading: the telegram in flight is reported (incomplete), the port closed, the
     * publisher completed, and the reader's thread ended; waits up to 10 s for that (not when
     * called from a callback, on the reader's thread itself). Idempotent; a reader never started
     * just lets its decoder go.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitUnlessSelf();
            return;
        }
        if (!started.compareAndSet(false, true)) {
            reader.stop();
            awaitUnlessSelf();
            return;
        }
        // never started: nothing reads, so this thread lets the stream and publisher go
        try {
            stream.close();
        } catch (EngineException | RuntimeException e) {
            status("closing the decoder failed: " + e.getMessage());
        }
        publisher.close();
        done.countDown();
    }

    private void awaitUnlessSelf() {
        Thread t = thread;
        if (Thread.currentThread() == t) {
            return;
        }
        try {
            // the reader's last act is to count down; joining it too means its thread has ended
            if (await(Duration.ofSeconds(10)) && t != null) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the reader when the JVM shuts down (SIGTERM, Ctrl-C), before jSerialComm closes the
     * ports it opened. There is no undoing it; returns this reader.
     */
    public MeterReader closeOnShutdown() {
        SerialPorts.beforeShutdown(new Thread(this::close, "meterspec-reader-stop " + name));
        return this;
    }

    /** Waits until the reader has stopped (it was closed); whether it did within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the reader has stopped, however long that is. */
    public void join() throws InterruptedException {
        done.await();
    }

    /** Whether the reader has stopped: it was closed and its thread ended (or it was never started). */
    public boolean isStopped() {
        return done.getCount() == 0;
    }

    /** The meter, the port and which keys are set (never the keys). */
    @Override
    public String toString() {
        return "MeterReader[meter=" + meter + ", port=" + name + ", keys=" + keys + "]";
    }

    // ---- on the reader thread ------------------------------------------------------------------

    private void line(String json) {
        TelegramLine t;
        try {
            t = TelegramLine.parse(json);
        } catch (IllegalArgumentException e) {
            status("the decoder gave a line that is not canonical (" + e.getMessage() + "); it is left out");
            return;
        }
        if (t instanceof TelegramLine.Reading r) {
            call(onReading, r, "onReading");
        } else if (t instanceof TelegramLine.Error e) {
            call(onError, e, "onError");
        }
        publish(t);
    }

    private void publish(TelegramLine t) {
        if (publisher.isClosed()) {
            return;
        }
        int lag = publisher.offer(t, (subscriber, item) -> false);
        if (lag < 0) {
            if (dropped == 0) {
                status("a subscriber is more than " + PUBLISHER_BUFFER + " lines behind; dropping lines for it");
            }
            dropped -= lag;
        } else if (dropped > 0) {
            status("subscribers keep up again; " + dropped + " line" + (dropped == 1 ? "" : "s") + " dropped");
            dropped = 0;
        }
    }

    private <T> void call(Consumer<T> callback, T item, String which) {
        if (callback == null) {
            return;
        }
        try {
            callback.accept(item);
        } catch (Exception e) {
            status("the " + which + " callback failed (" + e + "); reading goes on");
        }
    }

    private void status(String message) {
        try {
            onStatus.accept(message);
        } catch (Exception e) {
            // a status callback that fails has nowhere to be reported; reading goes on
        }
    }

    /** Builds a {@link MeterReader}; {@link #port} or {@link #link} is required, the rest optional. */
    public static final class Builder {
        private final MeterModel model;
        private String name;
        private String path;
        private SerialLink.Opener opener;
        private SerialSettings settings;
        private DecoderKeys keys = DecoderKeys.NONE;
        private boolean requireAuthentication;
        private long noDataMillis = 60_000;
        private Consumer<TelegramLine.Reading> onReading;
        private Consumer<TelegramLine.Error> onError;
        private Consumer<String> onStatus = message -> System.getLogger(MeterReader.class.getName())
                .log(System.Logger.Level.INFO, message);

        private Builder(MeterModel model) {
            this.model = model;
        }

        /** The serial port to read: {@code /dev/ttyUSB0}, {@code /dev/serial/by-id/…}, {@code COM3}, a pty. */
        public Builder port(String path) {
            this.path = Objects.requireNonNull(path, "path");
            this.opener = null;
            return this;
        }

        /** Reads what {@code opener} opens instead of a serial port (a test's scripted port, say); {@code name} names it in messages. */
        public Builder link(String name, SerialLink.Opener opener) {
            this.name = Objects.requireNonNull(name, "name");
            this.opener = Objects.requireNonNull(opener, "opener");
            this.path = null;
            return this;
        }

        /** The port's settings; by default the transport's (M-Bus 2400 8E1, HDLC and bare APDUs 2400 8N1). */
        public Builder settings(SerialSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The keys for encrypted or authenticated telegrams; none by default. */
        public Builder keys(DecoderKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Rejects telegrams whose GCM tag is absent or cannot be verified (off by default). */
        public Builder requireAuthentication(boolean required) {
            this.requireAuthentication = required;
            return this;
        }

        /** How long without a byte before {@code onStatus} is told (once); zero never; 60 s by default. */
        public Builder noDataTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("the no-data timeout must not be negative");
            }
            this.noDataMillis = timeout.toMillis();
            return this;
        }

        /** Gets each telegram decoded, on the reader's thread. */
        public Builder onReading(Consumer<TelegramLine.Reading> callback) {
            this.onReading = callback;
            return this;
        }

        /** Gets each telegram that could not be decoded (or was incomplete when the port went), on the reader's thread. */
        public Builder onError(Consumer<TelegramLine.Error> callback) {
            this.onError = callback;
            return this;
        }

        /** Gets one message per change of state, on the reader's thread; by default they go to a {@link System.Logger}. */
        public Builder onStatus(Consumer<String> callback) {
            this.onStatus = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /** Makes the reader: loads the spec's decoder (compiled the first time, cached after). It does not read until {@link #start()}. */
        public MeterReader build() throws EngineException {
            SerialSettings s = settings != null ? settings : SerialSettings.forTransport(model.transport());
            if (path != null) {
                name = path + " (" + s + ")";
                opener = SerialPorts.opener(path, s);
            } else if (opener == null) {
                throw new IllegalStateException("a reader needs a port (or a link)");
            }
            return new MeterReader(this, Engines.named("java").load(model));
        }
    }
}
