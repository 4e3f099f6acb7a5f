package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.cli.Main;
import org.meterspec.engine.JsonReader;
import org.meterspec.runtime.Captures;

/**
 * {@code meterspec read --mqtt} against a real broker: Mosquitto (installed by toolchain.sh) on a
 * loopback port, {@code read} a process of its own on one end of a socat pty pair, the capture's
 * bytes written into the other. A Paho subscriber checks the state line against
 * {@code decode --json}, every value topic, every Home Assistant discovery message against the
 * rules Home Assistant's schema applies, the availability topic and its last will, and that a
 * broker restart mid-run loses no reading the queue can hold. A second Mosquitto takes only TLS
 * (a certificate for 127.0.0.1 from a CA the test makes with openssl) and a user with a password:
 * {@code read} publishes to it with the CA in the JVM's trust store, and refuses a broker it does
 * not trust or a wrong password, saying so once, never printing the password.
 */
class MqttPublishTest {
    static final Path SPEC = Path.of("examples/sagemcom_t210d/netz_noe_p1.meter");
    static final Path CAPTURE = Path.of("examples/sagemcom_t210d/mbus_netz_noe_p1.hex");
    static final String KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    /** The units Home Assistant takes with each device class meterspec gives (no entry: no unit at all). */
    static final Map<String, Set<String>> HA_UNITS = Map.of(
            "energy", Set.of("Wh", "kWh", "MWh"),
            "power", Set.of("W", "kW"),
            "voltage", Set.of("V"),
            "current", Set.of("A"),
            "frequency", Set.of("Hz"),
            "reactive_power", Set.of("var"),
            "apparent_power", Set.of("VA"),
            "temperature", Set.of("°C"));

    @TempDir
    static Path dir;

    static int brokerPort;
    static Process broker;
    static Gate gate;

    static final String USER = "meter";
    static final String PASSWORD = "pw-4d1f-correct-horse";
    static int tlsPort;
    static Process tlsBroker;
    static Path trustStore;

    @TempDir
    Path tmp;

    Process socat;
    Process reader;
    Path writeEnd;
    Path readEnd;
    OutputStream meter;
    final List<String> out = new ArrayList<>();
    final List<String> err = new ArrayList<>();
    final List<String[]> received = new ArrayList<>(); // topic, payload, retained
    final List<MqttClient> subscribers = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        System.setProperty("meterspec.cache", dir.resolve("cache").toString());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            brokerPort = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + brokerPort + " 127.0.0.1\n"
                + "allow_anonymous true\npersistence false\n");
        broker = startMosquitto();
        gate = new Gate(brokerPort);
        startTlsBroker();
    }

    /** A CA, a server certificate for 127.0.0.1 it signs, a trust store holding the CA, a password file. */
    static void startTlsBroker() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Path ext = tls.resolve("san.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\n");
        tool(tls, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=meterspec test CA");
        tool(tls, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        tool(tls, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", ext.toString());
        trustStore = tls.resolve("trust.p12");
        tool(tls, "keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12",
                "-storetype", "PKCS12", "-storepass", "changeit");
        tool(tls, "mosquitto_passwd", "-b", "-c", "passwd", USER, PASSWORD);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = s.getLocalPort();
        }
        Files.writeString(tls.resolve("mosquitto.conf"), "listener " + tlsPort + " 127.0.0.1\n"
                + "cafile " + tls.resolve("ca.crt") + "\ncertfile " + tls.resolve("server.crt") + "\nkeyfile "
                + tls.resolve("server.key") + "\nallow_anonymous false\npassword_file " + tls.resolve("passwd")
                + "\npersistence false\n"
                // started as root, mosquitto would become user mosquitto, who cannot read the test's files
                + "user " + System.getProperty("user.name") + "\n");
        tlsBroker = startMosquitto(tls, tlsPort);
    }

    private static void tool(Path in, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + output);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (gate != null) {
            gate.close();
        }
        if (tlsBroker != null) {
            tlsBroker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static Process startMosquitto() throws Exception {
        return startMosquitto(dir, brokerPort);
    }

    /** Mosquitto with the mosquitto.conf in {@code in}, once it takes connections on {@code port}. */
    static Process startMosquitto(Path in, int port) throws Exception {
        String exe = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        Process p = new ProcessBuilder(exe, "-c", in.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(in.resolve("mosquitto.log").toFile())).start();
        long end = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException e) {
                assertTrue(p.isAlive() && System.currentTimeMillis() < end,
                        "mosquitto did not start: " + Files.readString(in.resolve("mosquitto.log")));
                Thread.sleep(20);
            }
        }
    }

    @BeforeEach
    void ptyPair() throws Exception {
        writeEnd = tmp.resolve("meter");
        readEnd = tmp.resolve("reader");
        socat = Processes.ptyPair(writeEnd, readEnd, tmp.resolve("socat.log"));
        gate.open(true);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : subscribers) {
            try {
                c.disconnectForcibly(0, 500);
                c.close(true);
            } catch (Exception e) {
                // the broker is gone
            }
        }
        if (meter != null) {
            meter.close();
        }
        for (Process p : new Process[] {reader, socat}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (!broker.isAlive()) {
            broker = startMosquitto();
        }
    }

    // ---- the end to end run --------------------------------------------------------------------

    @Test
    void publishesStateValuesDiscoveryAndAvailability() throws Exception {
        String prefix = "meterspec/t1";
        subscribe(prefix + "/#", "homeassistant/#");
        startReader("--mqtt", "tcp://127.0.0.1:" + brokerPort, "--topic", prefix);
        String expected = decode().get(0);
        writeTelegram();
        awaitMessage(m -> m[0].equals(prefix + "/state"));
        awaitMessage(m -> m[0].equals(prefix + "/availability") && m[1].equals("online"));

        Map<String, String> last = lastByTopic();
        assertEquals(expected, last.get(prefix + "/state"), "the state is the line decode --json prints");
        assertEquals(expected, out.get(0), "read still prints what decode prints");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> values = (List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(expected))
                .get("values");
        int discoveries = 0;
        for (Map<String, Object> v : values) {
            String topic = prefix + "/" + (v.get("name") != null ? v.get("name") : v.get("obis"));
            assertEquals(v.get("value") == null ? "None" : v.get("value"), last.get(topic), topic);
        }
        for (Map.Entry<String, String> e : last.entrySet()) {
            if (e.getKey().startsWith("homeassistant/")) {
                discoveries++;
                checkDiscovery(e.getKey(), e.getValue(), prefix, values);
            }
        }
        assertEquals(values.size(), discoveries, "one discovery message per value");
        // retained: a subscriber that comes later gets every topic's last message
        synchronized (received) {
            received.clear();
        }
        subscribe(prefix + "/#", "homeassistant/#");
        awaitMessage(m -> m[0].equals(prefix + "/state"));
        Thread.sleep(200);
        Map<String, String> retained = lastByTopic();
        assertEquals(last, retained, "every topic retained");
        synchronized (received) {
            for (String[] m : received) {
                assertEquals("true", m[2], "sent as retained: " + m[0]);
            }
        }

        // the typed entities of this meter, as Home Assistant sees them
        Map<String, Object> energy = config(last, "1_0_1_8_0_255");
        assertEquals("energy", energy.get("device_class"));
        assertEquals("Wh", energy.get("unit_of_measurement"));
        assertEquals("total_increasing", energy.get("state_class"));
        assertEquals(prefix + "/energy_import", energy.get("state_topic"));
        assertEquals("power", config(last, "1_0_1_7_0_255").get("device_class"));
        assertEquals("voltage", config(last, "1_0_32_7_0_255").get("device_class"));
        assertEquals("current", config(last, "1_0_31_7_0_255").get("device_class"));
        Map<String, Object> pf = config(last, "1_0_13_7_0_255");
        assertEquals("power_factor", pf.get("device_class"));
        assertEquals("measurement", pf.get("state_class"));
        Map<String, Object> number = config(last, "0_0_96_1_0_255");
        assertNull(number.get("device_class"), "the meter number is text");
        assertNull(number.get("state_class"));
        @SuppressWarnings("unchecked")
        Map<String, Object> device = (Map<String, Object>) energy.get("device");
        assertEquals(List.of("meterspec_4B464D6750000009"), device.get("identifiers"), "the system title");
        assertEquals("KFM", device.get("manufacturer"), "the FLAG id");
        assertEquals("Sagemcom T210-D, M-Bus P1 (Netz NÖ)", device.get("model"));
        assertEquals("meterspec_4B464D6750000009_1_0_1_8_0_255", energy.get("unique_id"));

        // killed without a word: the broker says the last will
        reader.destroyForcibly();
        awaitMessage(m -> m[0].equals(prefix + "/availability") && m[1].equals("offline"));
        assertFalse(String.join("\n", err).contains(KEY), "no key on standard error");
    }

    /** The rules Home Assistant's MQTT sensor schema applies, and what the value says. */
    private static void checkDiscovery(String topic, String json, String prefix, List<Map<String, Object>> values) {
        assertTrue(topic.matches("homeassistant/sensor/[A-Za-z0-9_-]+/config"), topic);
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) JsonReader.parse(json);
        assertTrue(c.get("name") instanceof String || c.get("object_id") instanceof String, json);
        assertTrue(c.get("unique_id") instanceof String, json);
        assertEquals("homeassistant/sensor/" + c.get("unique_id") + "/config", topic);
        assertTrue(c.get("state_topic") instanceof String s && s.startsWith(prefix + "/"), json);
        assertEquals(prefix + "/availability", c.get("availability_topic"));
        assertTrue(c.get("device") instanceof Map<?, ?> d && d.get("identifiers") instanceof List<?> ids
                && !ids.isEmpty(), json);
        Set<String> known = Set.of("name", "unique_id", "state_topic", "availability_topic", "unit_of_measurement",
                "device_class", "state_class", "device", "value_template");
        assertTrue(known.containsAll(c.keySet()), "keys Home Assistant knows: " + json);
        Object deviceClass = c.get("device_class");
        Object unit = c.get("unit_of_measurement");
        Object stateClass = c.get("state_class");
        if ("power_factor".equals(deviceClass)) {
            assertTrue(unit == null || unit.equals("%"), json);
        } else if (deviceClass != null) {
            assertTrue(HA_UNITS.containsKey(deviceClass), "a device class meterspec means to give: " + json);
            assertTrue(HA_UNITS.get(deviceClass).contains(unit), "a unit Home Assistant takes with it: " + json);
        }
        if ("total_increasing".equals(stateClass)) {
            assertTrue("energy".equals(deviceClass) || deviceClass == null && Set.of("varh", "kvarh", "VAh", "kVAh")
                    .contains(unit), "total_increasing only for energies: " + json);
        } else {
            assertTrue(stateClass == null || stateClass.equals("measurement"), json);
        }
        assertFalse("energy".equals(deviceClass) && !"total_increasing".equals(stateClass), json);
        // against the value itself
        String level = ((String) c.get("state_topic")).substring(prefix.length() + 1);
        Map<String, Object> v = values.stream().filter(x -> level.equals(x.get("name")) || level.equals(x.get("obis")))
                .findFirst().orElseThrow(() -> new AssertionError("no value on " + level));
        assertTrue(((String) c.get("unique_id")).endsWith("_" + ((String) v.get("obis")).replace('.', '_')), json);
        assertEquals(v.get("unit"), unit, json);
        if (deviceClass != null || stateClass != null) {
            assertTrue(v.get("value") == null || ((String) v.get("value")).matches("-?[0-9.]+"),
                    "only numbers are typed: " + json);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, String> last, String obis) {
        String topic = "homeassistant/sensor/meterspec_4B464D6750000009_" + obis + "/config";
        assertNotNull(last.get(topic), topic);
        return (Map<String, Object>) JsonReader.parse(last.get(topic));
    }

    // ---- a broker restart mid-run -----------------------------------------------------------------

    @Test
    void brokerRestartLosesNothingTheQueueHolds() throws Exception {
        restart("meterspec/t2", 1000, 5, List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L));
        assertTrue(err.stream().anyMatch(l -> l.contains("is back; publishing 5 queued readings")), String.join("\n", err));
    }

    @Test
    void aFullQueueDropsTheOldest() throws Exception {
        restart("meterspec/t3", 2, 5, List.of(5L, 6L, 7L, 8L));
        assertEquals(1, err.stream().filter(l -> l.contains("MQTT queue full (2 readings)")).count(),
                "said once per outage: " + String.join("\n", err));
        assertTrue(err.stream().anyMatch(l -> l.contains("publishing 2 queued readings (3 dropped while it was away)")),
                String.join("\n", err));
    }

    /**
     * One telegram with the broker there, {@code whileAway} with Mosquitto stopped, two after it
     * is back: the states that must arrive, by telegram number, in order. The publisher reaches
     * the broker through {@link Gate}, opened once the subscriber is back, so the subscriber
     * sees every message published after the restart.
     */
    private void restart(String prefix, int queue, int whileAway, List<Long> expected) throws Exception {
        subscribe(prefix + "/state");
        startReader("--mqtt", "tcp://127.0.0.1:" + gate.port(), "--topic", prefix, "--mqtt-queue", String.valueOf(queue));
        writeTelegram();
        awaitMessage(m -> m[0].equals(prefix + "/state") && m[1].startsWith("{\"telegram\":1,"));

        gate.open(false);
        broker.destroy();
        assertTrue(broker.waitFor(5, TimeUnit.SECONDS));
        awaitLine(err, l -> l.contains("lost MQTT broker"), 10);
        for (int i = 0; i < whileAway; i++) {
            writeTelegram();
        }
        broker = startMosquitto();
        synchronized (received) {
            received.clear();
        }
        subscribe(prefix + "/state");
        gate.open(true);
        awaitLine(err, l -> l.contains(" is back; publishing"), 15);
        awaitMessage(m -> m[1].startsWith("{\"telegram\":" + (1 + whileAway) + ",")); // the queue is drained
        writeTelegram();
        writeTelegram();
        long last = expected.get(expected.size() - 1);
        awaitMessage(m -> m[1].startsWith("{\"telegram\":" + last + ","));
        Thread.sleep(200); // nothing more, nothing twice
        List<Long> got = new ArrayList<>();
        synchronized (received) {
            for (String[] m : received) {
                got.add(((Number) ((Map<?, ?>) JsonReader.parse(m[1])).get("telegram")).longValue());
            }
        }
        assertEquals(expected, got, "stderr:\n" + String.join("\n", err));
    }

    // ---- TLS and a password ---------------------------------------------------------------------

    @Test
    void tlsWithAPasswordFromAFile() throws Exception {
        String prefix = "meterspec/tls";
        subscribeTls(prefix + "/#");
        Path password = tmp.resolve("mqtt-password");
        Files.writeString(password, PASSWORD + "\n");
        startReader(trusting(), true, "--mqtt", "ssl://127.0.0.1:" + tlsPort, "--mqtt-user", USER, "--mqtt-password",
                "@" + password, "--topic", prefix);
        String expected = decode().get(0);
        writeTelegram();
        awaitMessage(m -> m[0].equals(prefix + "/state"));
        assertEquals(expected, lastByTopic().get(prefix + "/state"));
        assertEquals("online", lastByTopic().get(prefix + "/availability"));
        assertNeverPrinted(PASSWORD);
    }

    @Test
    void aWrongPasswordIsRefusedSaidOnceAndNeverPrinted() throws Exception {
        Path password = tmp.resolve("wrong-password");
        String wrong = "not-" + PASSWORD;
        Files.writeString(password, wrong + "\n");
        startReader(trusting(), false, "--mqtt", "ssl://127.0.0.1:" + tlsPort, "--mqtt-user", USER, "--mqtt-password",
                "@" + password, "--topic", "meterspec/wrong");
        awaitLine(err, l -> l.contains("cannot connect to"), 20);
        writeTelegram();
        writeTelegram();
        assertEquals(decode().get(0), out.get(0), "read goes on printing the lines while the broker refuses it");
        synchronized (err) {
            assertEquals(1, err.stream().filter(l -> l.contains("cannot connect to")).count(), "said once: " + err);
            assertTrue(err.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("not authori")), "" + err);
        }
        assertNeverPrinted(wrong);
    }

    @Test
    void aBrokerTheJvmDoesNotTrustIsRefused() throws Exception {
        Path password = tmp.resolve("mqtt-password");
        Files.writeString(password, PASSWORD + "\n");
        startReader(List.of(), false, "--mqtt", "ssl://127.0.0.1:" + tlsPort, "--mqtt-user", USER, "--mqtt-password",
                "@" + password, "--topic", "meterspec/untrusted");
        awaitLine(err, l -> l.contains("cannot connect to"), 20);
        writeTelegram();
        assertEquals(decode().get(0), out.get(0));
        assertNeverPrinted(PASSWORD);
    }

    /** The reader's JVM trusts the test's CA, as a user's would with -Djavax.net.ssl.trustStore. */
    private static List<String> trusting() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit");
    }

    private void assertNeverPrinted(String secret) {
        synchronized (out) {
            assertTrue(out.stream().noneMatch(l -> l.contains(secret)), "stdout shows the password");
        }
        synchronized (err) {
            assertTrue(err.stream().noneMatch(l -> l.contains(secret)), "stderr shows the password");
        }
    }

    private void subscribeTls(String... topics) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setSocketFactory(context.getSocketFactory());
        o.setUserName(USER);
        o.setPassword(PASSWORD.toCharArray());
        subscribe("ssl://127.0.0.1:" + tlsPort, o, topics);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void subscribe(String... topics) throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        subscribe("tcp://127.0.0.1:" + brokerPort, o, topics);
    }

    private void subscribe(String url, MqttConnectOptions o, String... topics) throws Exception {
        MqttClient c = new MqttClient(url, MqttClient.generateClientId(), new MemoryPersistence());
        c.connect(o);
        for (String t : topics) {
            c.subscribe(t, 1, (topic, message) -> {
                synchronized (received) {
                    received.add(new String[] {topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            String.valueOf(message.isRetained())});
                    received.notifyAll();
                }
            });
        }
        subscribers.add(c);
    }

    private Map<String, String> lastByTopic() {
        Map<String, String> last = new LinkedHashMap<>();
        synchronized (received) {
            for (String[] m : received) {
                last.put(m[0], m[1]);
            }
        }
        return last;
    }

    private void awaitMessage(Predicate<String[]> match) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        synchronized (received) {
            while (received.stream().noneMatch(match)) {
                long left = end - System.currentTimeMillis();
                assertTrue(left > 0, "no such message; got " + received.stream().map(m -> m[0] + " " + m[1]).toList()
                        + "\nstderr:\n" + String.join("\n", err));
                received.wait(Math.min(left, 100));
            }
        }
    }

    private void startReader(String... args) throws Exception {
        startReader(List.of(), true, args);
    }

    /** {@code read} with these JVM options and arguments; with {@code publishing}, until it publishes. */
    private void startReader(List<String> jvm, boolean publishing, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmeterspec.cache=" + System.getProperty("meterspec.cache")));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "read", "--json",
                "--port", readEnd.toString(), "--spec", SPEC.toString(), "--key", KEY));
        command.addAll(List.of(args));
        reader = new ProcessBuilder(command).start();
        Processes.collect(reader.getInputStream(), out);
        Processes.collect(reader.getErrorStream(), err);
        awaitLine(err, l -> l.startsWith("meterspec: reading "), 30);
        if (publishing) {
            awaitLine(err, l -> l.contains("publishing to MQTT broker"), 15);
        }
    }

    /** Writes the capture (one telegram) into the pty and waits until read has printed it. */
    private void writeTelegram() throws Exception {
        int before;
        synchronized (out) {
            before = out.size();
        }
        if (meter == null) {
            meter = Files.newOutputStream(writeEnd); // kept open: socat ends when the last writer closes
        }
        meter.write(Captures.read(CAPTURE));
        meter.flush();
        long end = System.currentTimeMillis() + 10_000;
        synchronized (out) {
            while (out.size() <= before) {
                long left = end - System.currentTimeMillis();
                assertTrue(left > 0, "read printed no line; stderr:\n" + String.join("\n", err));
                out.wait(Math.min(left, 100));
            }
        }
    }

    private static List<String> decode() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new String[] {"decode", "--json", "--spec", SPEC.toString(), "--key", KEY,
            CAPTURE.toString()}, InputStream.nullInputStream(), o, e);
        assertEquals(0, code, e.toString());
        return o.toString().lines().toList();
    }

    private void awaitLine(List<String> lines, Predicate<String> match, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        synchronized (lines) {
            while (lines.stream().noneMatch(match)) {
                long left = end - System.currentTimeMillis();
                assertTrue(left > 0, "no such line in time; stdout:\n" + String.join("\n", out) + "\nstderr:\n"
                        + String.join("\n", err));
                lines.wait(Math.min(left, 100));
            }
        }
    }

    /**
     * A TCP forwarder in front of the broker for the publisher: closed, it hangs up on every
     * connection at once, so the test decides when the publisher may reach a restarted broker.
     */
    static final class Gate implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private volatile boolean open;

        Gate(int target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "mqtt-gate");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void open(boolean open) {
            this.open = open;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (!open) {
                        client.close();
                        continue;
                    }
                    Socket up;
                    try {
                        up = new Socket(InetAddress.getLoopbackAddress(), target);
                    } catch (IOException e) {
                        client.close();
                        continue;
                    }
                    pump(client, up);
                    pump(up, client);
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (from; to) {
                    InputStream in = from.getInputStream();
                    OutputStream o = to.getOutputStream();
                    for (int n; (n = in.read(buf)) > 0; ) {
                        o.write(buf, 0, n);
                        o.flush();
                    }
                } catch (IOException e) {
                    // one side is gone: both are closed
                }
            }, "mqtt-gate-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
