package org.meterspec.engine.live;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.LineStream;

/**
 * Reads a port into a stream decoder until {@link #stop()}, unattended: a port that cannot be
 * opened or disappears is opened again with backoff (1 s doubling to 30 s, back to 1 s once data
 * flows), and each change of state (reading, lost, cannot open, silent for too long, data again)
 * is logged once, not once per try. Bytes go to the stream as they arrive, in a buffer of
 * {@link #BUFFER} bytes; the stream itself buffers at most one frame window. When the port is
 * lost the stream is {@linkplain LineStream#finish() finished}, so the telegram in flight is
 * reported incomplete and what comes after the reconnection starts afresh; every telegram that
 * was complete has been handed out by then. The stream is finished once more when the reader
 * stops.
 */
public final class LiveReader {
    static final int BUFFER = 4096;

    private final String name;
    private final SerialLink.Opener opener;
    private final LineStream stream;
    private final Consumer<String> log;
    private final Runnable afterLines;
    private final long noDataMillis;
    private final long firstBackoffMillis;
    private final long maxBackoffMillis;
    private final LongSupplier clock;
    private volatile boolean stopped;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Object sleeper = new Object();

    /**
     * @param name the port as the messages name it
     * @param log gets one message per change of state
     * @param afterLines runs after every feed that may have handed out lines (to flush them)
     * @param noDataMillis how long without a byte before that is logged; 0 never
     */
    public LiveReader(String name, SerialLink.Opener opener, LineStream stream, Consumer<String> log,
                      Runnable afterLines, long noDataMillis) {
        this(name, opener, stream, log, afterLines, noDataMillis, 1000, 30_000, System::currentTimeMillis);
    }

    LiveReader(String name, SerialLink.Opener opener, LineStream stream, Consumer<String> log, Runnable afterLines,
               long noDataMillis, long firstBackoffMillis, long maxBackoffMillis, LongSupplier clock) {
        this.name = name;
        this.opener = opener;
        this.stream = stream;
        this.log = log;
        this.afterLines = afterLines;
        this.noDataMillis = noDataMillis;
        this.firstBackoffMillis = firstBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.clock = clock;
    }

    /** Reads until {@link #stop()}; then finishes the stream and closes the port. */
    public void run() throws EngineException {
        byte[] buf = new byte[BUFFER];
        String state = null;
        long backoff = firstBackoffMillis;
        boolean everOpen = false;
        try {
            while (!stopped) {
                SerialLink link;
                try {
                    link = opener.open();
                } catch (IOException e) {
                    String now = "cannot open " + name + ": " + reason(e);
                    if (!now.equals(state)) {
                        log.accept(now + "; trying again every " + maxBackoffMillis / 1000 + " s at the longest");
                        state = now;
                    }
                    pause(backoff);
                    backoff = Math.min(backoff * 2, maxBackoffMillis);
                    continue;
                }
                log.accept(everOpen ? name + " is back; reading again" : "reading " + name);
                everOpen = true;
                state = "open";
                try {
                    backoff = read(link, buf, backoff);
                } catch (IOException e) {
                    if (stopped) {
                        break; // closed under the reader as the JVM shuts down
                    }
                    state = "lost " + name + ": " + reason(e);
                    log.accept(state + "; opening it again");
                    stream.finish(); // the telegram in flight is reported, and dropped
                    afterLines.run();
                    pause(backoff);
                    backoff = Math.min(backoff * 2, maxBackoffMillis);
                } finally {
                    link.close();
                }
            }
            stream.finish();
            afterLines.run();
        } finally {
            done.countDown();
        }
    }

    /** Reads an open port until it fails or the reader stops; the backoff to go on with. */
    private long read(SerialLink link, byte[] buf, long backoff) throws IOException, EngineException {
        long last = clock.getAsLong();
        boolean silent = false;
        while (!stopped) {
            int n = link.read(buf);
            long now = clock.getAsLong();
            if (n > 0) {
                if (silent) {
                    log.accept("data from " + name + " again");
                    silent = false;
                }
                last = now;
                backoff = firstBackoffMillis;
                stream.feed(buf, 0, n);
                afterLines.run();
            } else if (noDataMillis > 0 && !silent && now - last >= noDataMillis) {
                log.accept("no data from " + name + " for " + seconds(noDataMillis));
                silent = true;
            }
        }
        return backoff;
    }

    /** Asks the reader to stop: it finishes the stream, closes the port and returns from {@link #run()}. */
    public void stop() {
        stopped = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /** Waits until {@link #run()} has returned; whether it did in time. */
    public boolean awaitDone(long millis) throws InterruptedException {
        return done.await(millis, TimeUnit.MILLISECONDS);
    }

    private void pause(long millis) {
        long end = System.currentTimeMillis() + millis;
        synchronized (sleeper) {
            for (long left; !stopped && (left = end - System.currentTimeMillis()) > 0; ) {
                try {
                    sleeper.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                }
            }
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
