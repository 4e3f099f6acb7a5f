package org.meterspec.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.LineStream;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.engine.live.LiveReader;
import org.meterspec.engine.live.SerialPorts;
import org.meterspec.engine.live.SerialSettings;
import org.meterspec.engine.live.mqtt.MqttPublisher;
import org.meterspec.engine.live.mqtt.MqttSettings;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "read", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Read a meter's serial port live: one line per telegram, as decode prints it.",
        description = {
            "Bytes are decoded as they arrive and each telegram is printed as soon as it is complete. The port "
                    + "settings default from the spec's transport: M-Bus 2400 8E1, HDLC and bare APDUs 2400 8N1.",
            "",
            "Runs until it is stopped (SIGTERM, Ctrl-C), which closes the port and prints what is left. A port that "
                    + "cannot be opened or disappears is opened again, after 1 s, then up to every 30 s; each change "
                    + "is said once on standard error.",
            "",
            "Keys may also come from METERSPEC_KEY, METERSPEC_AUTH_KEY and METERSPEC_BROADCAST_KEY. @FILE reads a "
                    + "key from a file that holds that key and nothing else. Keys are never printed.",
            "",
            "With --mqtt each reading is also published to an MQTT broker: the JSON line on PREFIX/state, each value "
                    + "on PREFIX/NAME (retained), with Home Assistant discovery on homeassistant/sensor/ID/config and "
                    + "online/offline on PREFIX/availability (a last will). Readings wait in a bounded queue while the "
                    + "broker is away. The password comes from @FILE or METERSPEC_MQTT_PASSWORD and is never printed.",
            "",
            "Exit codes: 0 every telegram decoded, 1 some did not, 2 bad usage or a bad spec.",
            ""})
final class ReadCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "The meter's spec file.")
    String spec;

    @Option(names = "--port", required = true, paramLabel = "DEV",
            description = "The serial port: /dev/ttyUSB0, /dev/serial/by-id/…, COM3, a pty.")
    String port;

    @Option(names = "--baud", paramLabel = "N", description = "Baud rate (default: the transport's, 2400).")
    Integer baud;

    @Option(names = "--serial", paramLabel = "FRAME",
            description = "Data bits, parity and stop bits, like 8E1 or 8N1 (default: the transport's).")
    String serial;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--require-auth", description = "Reject telegrams whose GCM tag is absent or cannot be verified.")
    boolean requireAuth;

    @Option(names = "--json", description = "Print the canonical JSON line of each telegram.")
    boolean json;

    @Option(names = "--no-data-timeout", paramLabel = "S", defaultValue = "60",
            description = "Say so on standard error when nothing arrives for this many seconds; 0 never "
                    + "(default: ${DEFAULT-VALUE}).")
    double noDataTimeout;

    @Option(names = "--mqtt", paramLabel = "URL",
            description = "Publish to this MQTT broker: tcp://HOST:PORT, or ssl://HOST:PORT for TLS.")
    String mqtt;

    @Option(names = "--mqtt-user", paramLabel = "USER", description = "The MQTT user name.")
    String mqttUser;

    @Option(names = "--mqtt-password", paramLabel = "@FILE",
            description = "A file holding the MQTT password (default: METERSPEC_MQTT_PASSWORD).")
    String mqttPassword;

    @Option(names = "--topic", paramLabel = "PREFIX", description = "The topic prefix (default: meterspec/METER).")
    String topic;

    @Option(names = "--mqtt-queue", paramLabel = "N", defaultValue = "" + MqttSettings.DEFAULT_QUEUE,
            description = "Readings queued while the broker is away, the oldest dropped first (default: "
                    + "${DEFAULT-VALUE}).")
    int mqttQueue;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = command.commandLine().getErr();
        DecoderKeys keys;
        MeterModel model;
        SerialSettings settings;
        MqttSettings mqttSettings;
        try {
            keys = keyOptions.keys();
            if (!(noDataTimeout >= 0) || noDataTimeout > 1e6) {
                throw new IllegalArgumentException("--no-data-timeout must be 0 or more seconds");
            }
            model = Main.load(Main.path(spec, "spec"), err);
            if (model == null) {
                return Main.BAD_INPUT;
            }
            settings = settings(SerialSettings.forTransport(model.transport()), baud, serial);
            mqttSettings = mqttSettings(model);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        PrintWriter data = main.data();
        boolean[] errors = {false};
        MqttPublisher publisher = mqttSettings == null ? null
                : new MqttPublisher(mqttSettings, model, message -> err.println("meterspec: " + message));
        try {
            SpecDecoder decoder = Engines.named("java").load(model);
            try (LineStream stream = decoder.open(keys,
                    DecodeOptions.DEFAULT.withRequireAuthentication(requireAuth),
                    line -> errors[0] |= !print(line, data, err, publisher))) {
                LiveReader reader = new LiveReader(port + " (" + settings + ")", SerialPorts.opener(port, settings),
                        stream, message -> err.println("meterspec: " + message), data::flush,
                        Math.round(noDataTimeout * 1000));
                Thread hook = new Thread(() -> {
                    reader.stop();
                    try {
                        reader.awaitDone(5000);
                        if (publisher != null) {
                            publisher.close(3000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    data.flush();
                    err.flush();
                }, "meterspec-read-stop");
                // runs before jSerialComm's own hook closes the port (once per process: there is no removing it)
                SerialPorts.beforeShutdown(hook);
                try {
                    reader.run();
                } finally {
                    data.flush();
                }
            }
        } catch (EngineException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            if (publisher != null) {
                publisher.close(3000);
            }
        }
        return errors[0] ? Main.DECODE_ERRORS : Main.OK;
    }

    /** The transport's settings with what the options change. */
    static SerialSettings settings(SerialSettings defaults, Integer baud, String frame) {
        SerialSettings s = defaults;
        if (baud != null) {
            s = s.withBaud(baud);
        }
        if (frame != null) {
            s = s.withFrame(frame);
        }
        return s;
    }

    /** The MQTT settings the options give, or null without --mqtt. */
    private MqttSettings mqttSettings(MeterModel model) {
        if (mqtt == null) {
            if (mqttUser != null || mqttPassword != null || topic != null) {
                throw new IllegalArgumentException("--mqtt-user, --mqtt-password and --topic need --mqtt");
            }
            return null;
        }
        // the environment's password only goes with a user name; --mqtt-password without one is an error
        String password = mqttPassword != null ? mqttPassword
                : mqttUser != null ? System.getenv("METERSPEC_MQTT_PASSWORD") : null;
        if (password != null && mqttPassword != null) {
            password = passwordFile(password);
        } else if (password != null && password.startsWith("@")) {
            password = passwordFile(password);
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        return new MqttSettings(mqtt, mqttUser, password, topic != null ? topic : MqttSettings.defaultPrefix(model.name()),
                mqttQueue);
    }

    /** The password in @FILE: the file's text without a final line break. Messages never show it. */
    private static String passwordFile(String option) {
        if (!option.startsWith("@")) {
            throw new IllegalArgumentException("--mqtt-password takes @FILE, a file holding the password (a password on "
                    + "the command line is visible to every user of the machine), or give it in METERSPEC_MQTT_PASSWORD");
        }
        String name = option.substring(1);
        java.nio.file.Path file = Main.path(name, "the MQTT password file");
        byte[] bytes;
        try {
            bytes = org.meterspec.runtime.Captures.readBytes(file, Secrets.MAX_FILE_BYTES);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the MQTT password file " + name + ": " + Main.describe(e));
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty() || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the MQTT password file " + name + " must hold the password on one line");
        }
        return text;
    }

    /** Prints a line as decode does (and queues a reading for MQTT); whether it is a reading. */
    private boolean print(String line, PrintWriter data, PrintWriter err, MqttPublisher publisher) {
        TelegramLine t;
        try {
            t = TelegramLine.parse(line);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: the java engine printed a line that is not canonical (" + e.getMessage() + ")");
            data.println(line);
            return false;
        }
        data.println(json ? line : Table.render(t));
        if (publisher != null) {
            publisher.accept(t);
        }
        return t instanceof TelegramLine.Reading;
    }
}
