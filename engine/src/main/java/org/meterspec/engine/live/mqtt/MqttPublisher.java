package org.meterspec.engine.live.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.meterspec.engine.TelegramLine;
import org.meterspec.model.MeterModel;

/**
 * Publishes readings to an MQTT broker, with Home Assistant discovery, from a thread of its own:
 * {@link #accept} only queues, so the port is never held up by the broker. Each reading goes out
 * as its canonical JSON line on {@code <prefix>/state} and each value on {@code <prefix>/<name or
 * OBIS code>} (both retained, QoS 1), after the discovery message of every value not announced
 * yet on this connection ({@link HomeAssistant}). {@code <prefix>/availability} is
 * {@code online} while connected, and the broker's last will says {@code offline} when the
 * connection dies.
 *
 * <p>A broker that cannot be reached or goes away is connected to again after 1 s, doubling to
 * 30 s, each change of state logged once. Readings wait in a bounded queue meanwhile; when it is
 * full the oldest is dropped, the drops counted, said once per outage, and the rest published in
 * order once the broker is back. A reading whose publication was cut off is published again
 * whole (at least once). The password is never logged.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final long WAIT_MILLIS = 15_000;

    private final MqttSettings settings;
    private final MeterModel model;
    private final Consumer<String> log;
    private final long firstBackoffMillis;
    private final long maxBackoffMillis;
    private final String clientId;
    private final String where;

    private final Object lock = new Object();
    private final ArrayDeque<TelegramLine.Reading> queue = new ArrayDeque<>();
    private TelegramLine.Reading inFlight;
    private boolean closing;
    private volatile boolean abort;
    private boolean lost;
    private boolean dropLogged;
    private boolean leftLogged;
    private long droppedThisOutage;
    private long dropped;
    private long published;

    private final Set<String> announced = new HashSet<>();
    private volatile MqttAsyncClient client;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Starts publishing; {@code log} gets one message per change of state. */
    public MqttPublisher(MqttSettings settings, MeterModel model, Consumer<String> log) {
        this(settings, model, log, 1000, 30_000);
    }

    MqttPublisher(MqttSettings settings, MeterModel model, Consumer<String> log, long firstBackoffMillis,
                  long maxBackoffMillis) {
        this.settings = settings;
        this.model = model;
        this.log = log;
        this.firstBackoffMillis = firstBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        String id = "meterspec-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        this.clientId = id.length() > 23 ? id.substring(id.length() - 23) : id;
        this.where = "MQTT broker " + MqttSettings.safe(settings.url());
        this.thread = new Thread(this::run, "meterspec-mqtt");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a reading for publication; error lines are not published. Never blocks. */
    public void accept(TelegramLine line) {
        if (!(line instanceof TelegramLine.Reading r)) {
            return;
        }
        synchronized (lock) {
            if (closing) {
                return;
            }
            if (queue.size() >= settings.queue()) {
                queue.removeFirst();
                dropped++;
                droppedThisOutage++;
                if (!dropLogged) {
                    dropLogged = true;
                    log.accept("MQTT queue full (" + settings.queue() + " readings): dropping the oldest until "
                            + where + " takes them again");
                }
            }
            queue.addLast(r);
            lock.notifyAll();
        }
    }

    /** Readings dropped because the queue was full, since the start. */
    public long dropped() {
        synchronized (lock) {
            return dropped;
        }
    }

    /** Readings published whole, since the start. */
    public long published() {
        synchronized (lock) {
            return published;
        }
    }

    /**
     * Publishes what is queued for at most {@code millis} (while the broker is there), then
     * says {@code offline}, disconnects and stops the thread.
     */
    public void close(long millis) throws InterruptedException {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        if (!done.await(millis, TimeUnit.MILLISECONDS)) {
            abort = true;
            synchronized (lock) {
                lock.notifyAll();
            }
            MqttAsyncClient c = client;
            if (c != null) {
                forceClose(c);
            }
            done.await(2000, TimeUnit.MILLISECONDS);
        }
        synchronized (lock) {
            int left = queue.size() + (inFlight != null ? 1 : 0);
            if (left > 0 && !leftLogged) {
                leftLogged = true;
                log.accept(left + (left == 1 ? " reading was" : " readings were") + " not published to " + where);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(5000);
    }

    private void run() {
        String state = null;
        boolean everConnected = false;
        long backoff = firstBackoffMillis;
        try {
            while (!abort) {
                if (client == null) {
                    synchronized (lock) {
                        if (closing) {
                            break; // no broker to flush to
                        }
                    }
                    try {
                        connect();
                    } catch (MqttException e) {
                        String now = "cannot connect to " + where + ": " + reason(e);
                        if (!now.equals(state)) {
                            log.accept(now + "; trying again every " + maxBackoffMillis / 1000 + " s at the longest");
                            state = now;
                        }
                        pause(backoff);
                        backoff = Math.min(backoff * 2, maxBackoffMillis);
                        continue;
                    }
                    backoff = firstBackoffMillis;
                    state = "connected";
                    synchronized (lock) {
                        int waiting = queue.size() + (inFlight != null ? 1 : 0);
                        String msg = everConnected ? where + " is back; publishing " + waiting + " queued reading"
                                + (waiting == 1 ? "" : "s") : "publishing to " + where + " under " + settings.prefix();
                        if (droppedThisOutage > 0) {
                            msg += " (" + droppedThisOutage + " dropped while it was away)";
                        }
                        log.accept(msg);
                        droppedThisOutage = 0;
                        dropLogged = false;
                    }
                    everConnected = true;
                }
                TelegramLine.Reading r;
                synchronized (lock) {
                    while (inFlight == null && queue.isEmpty() && !closing && !lost && !abort) {
                        lock.wait();
                    }
                    if (lost) {
                        r = null;
                    } else if (inFlight == null && queue.isEmpty()) {
                        break; // closing, all published
                    } else {
                        if (inFlight == null) {
                            inFlight = queue.removeFirst();
                        }
                        r = inFlight;
                    }
                }
                if (r != null) {
                    try {
                        publish(r);
                        synchronized (lock) {
                            inFlight = null;
                            published++;
                        }
                        continue;
                    } catch (MqttException e) {
                        if (abort) {
                            break;
                        }
                        state = "lost " + where + ": " + reason(e);
                    }
                } else {
                    state = "lost " + where;
                }
                log.accept(state + "; queueing readings (at most " + settings.queue() + ") until it is back");
                dropClient();
                pause(backoff);
                backoff = Math.min(backoff * 2, maxBackoffMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            MqttAsyncClient c = client;
            if (c != null) {
                goodbye(c);
            }
            done.countDown();
        }
    }

    private void connect() throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(settings.url(), clientId, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                synchronized (lock) {
                    if (client == c) {
                        lost = true;
                        lock.notifyAll();
                    }
                }
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setMaxInflight(1000);
        o.setWill(topic(Topics.AVAILABILITY), bytes("offline"), 1, true);
        if (settings.user() != null) {
            o.setUserName(settings.user());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().toCharArray());
        }
        if (settings.url().startsWith("ssl://")) {
            o.setSocketFactory(SSLSocketFactory.getDefault()); // the JVM's trust store
            o.setHttpsHostnameVerificationEnabled(true);
        }
        try {
            c.connect(o).waitForCompletion(WAIT_MILLIS);
            c.publish(topic(Topics.AVAILABILITY), bytes("online"), 1, true).waitForCompletion(WAIT_MILLIS);
        } catch (MqttException e) {
            forceClose(c);
            throw e;
        }
        synchronized (lock) {
            lost = false;
            client = c;
        }
        announced.clear(); // a restarted broker may have lost the retained configs
    }

    /** Publishes one reading whole: discovery for its new values, each value, then the state line. */
    private void publish(TelegramLine.Reading r) throws MqttException {
        MqttAsyncClient c = client;
        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        List<String> announcing = new ArrayList<>();
        int[] occurrence = HomeAssistant.occurrences(r);
        for (int i = 0; i < occurrence.length; i++) {
            HomeAssistant.Discovery d = HomeAssistant.discovery(model, settings.prefix(), r, r.values().get(i), occurrence[i]);
            if (!announced.contains(d.uniqueId()) && !announcing.contains(d.uniqueId())) {
                tokens.add(c.publish(d.topic(), bytes(d.json()), 1, true));
                announcing.add(d.uniqueId());
            }
        }
        for (int i = 0; i < occurrence.length; i++) {
            TelegramLine.Value v = r.values().get(i);
            tokens.add(c.publish(topic(Topics.valueLevel(v, occurrence[i])), bytes(v.value() == null ? "None" : v.value()),
                    1, true));
            if (tokens.size() >= 200) {
                await(tokens);
            }
        }
        tokens.add(c.publish(topic(Topics.STATE), bytes(r.json()), 1, true));
        await(tokens);
        announced.addAll(announcing);
    }

    private static void await(List<IMqttDeliveryToken> tokens) throws MqttException {
        for (IMqttDeliveryToken t : tokens) {
            t.waitForCompletion(WAIT_MILLIS);
        }
        tokens.clear();
    }

    private void dropClient() {
        MqttAsyncClient c;
        synchronized (lock) {
            c = client;
            client = null;
            lost = false;
        }
        if (c != null) {
            forceClose(c);
        }
    }

    /** A clean goodbye: {@code offline}, then DISCONNECT (so the broker sends no will). */
    private void goodbye(MqttAsyncClient c) {
        try {
            if (c.isConnected() && !abort) {
                c.publish(topic(Topics.AVAILABILITY), bytes("offline"), 1, true).waitForCompletion(2000);
                c.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            // going anyway
        }
        forceClose(c);
        client = null;
    }

    private static void forceClose(MqttAsyncClient c) {
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 500, false);
            }
        } catch (MqttException | RuntimeException e) {
            // closing anyway
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing more to do
        }
    }

    private void pause(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (lock) {
            for (long left; !closing && !abort && (left = end - System.currentTimeMillis()) > 0; ) {
                lock.wait(left);
            }
        }
    }

    private String topic(String level) {
        return settings.prefix() + "/" + level;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What went wrong, in a line: Paho's message and its cause's; no credentials are in either. */
    static String reason(MqttException e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        String c = cause == null ? null : cause.getMessage() != null ? cause.getMessage()
                : cause.getClass().getSimpleName();
        String out = m == null || m.isBlank() ? "error " + e.getReasonCode() : m.strip();
        if (c != null && !c.isBlank() && !out.contains(c)) {
            out += " (" + c.lines().findFirst().orElse("").strip() + ")";
        }
        return out;
    }
}
