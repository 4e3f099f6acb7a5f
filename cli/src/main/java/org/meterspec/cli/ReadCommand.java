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
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        PrintWriter data = main.data();
        boolean[] errors = {false};
        try {
            SpecDecoder decoder = Engines.named("java").load(model);
            try (LineStream stream = decoder.open(keys,
                    DecodeOptions.DEFAULT.withRequireAuthentication(requireAuth),
                    line -> errors[0] |= !print(line, data, err))) {
                LiveReader reader = new LiveReader(port + " (" + settings + ")", SerialPorts.opener(port, settings),
                        stream, message -> err.println("meterspec: " + message), data::flush,
                        Math.round(noDataTimeout * 1000));
                Thread hook = new Thread(() -> {
                    reader.stop();
                    try {
                        reader.awaitDone(5000);
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

    /** Prints a line as decode does; whether it is a reading. */
    private boolean print(String line, PrintWriter data, PrintWriter err) {
        TelegramLine t;
        try {
            t = TelegramLine.parse(line);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: the java engine printed a line that is not canonical (" + e.getMessage() + ")");
            data.println(line);
            return false;
        }
        data.println(json ? line : Table.render(t));
        return t instanceof TelegramLine.Reading;
    }
}
