package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.live.Replayer;
import org.meterspec.engine.live.SerialLink;
import org.meterspec.engine.live.SerialPorts;
import org.meterspec.engine.live.SerialSettings;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Transport;
import org.meterspec.runtime.Captures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Write a capture to a serial port as a meter sends it, to test readers without a meter.",
        description = {
            "The capture (hex text or binary, as decode reads it) is cut into telegrams by its framing (the spec's "
                    + "transport with --spec, else the one detected) and written telegram by telegram at the line "
                    + "rate, with --interval seconds between them.",
            "",
            "Exit codes: 0 written, 2 bad usage, or a capture or port that cannot be used.",
            ""})
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "DEV", description = "The serial port to write to.")
    String port;

    @Option(names = "--baud", paramLabel = "N", description = "Baud rate (default: the transport's, 2400).")
    Integer baud;

    @Option(names = "--serial", paramLabel = "FRAME",
            description = "Data bits, parity and stop bits, like 8E1 (default: the transport's; 8N1 without --spec).")
    String serial;

    @Option(names = "--interval", paramLabel = "S", defaultValue = "1",
            description = "Seconds between telegrams (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--spec", paramLabel = "SPEC", description = "Cut the capture by this spec's framing.")
    String spec;

    @Parameters(paramLabel = "CAPTURE", description = "The capture file.")
    String capture;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = command.commandLine().getErr();
        Transport transport = null;
        SerialSettings settings;
        byte[] bytes;
        try {
            if (!(interval >= 0) || interval > 86_400) {
                throw new IllegalArgumentException("--interval must be between 0 and 86400 seconds");
            }
            if (spec != null) {
                MeterModel model = Main.load(Main.path(spec, "spec"), err);
                if (model == null) {
                    return Main.BAD_INPUT;
                }
                transport = model.transport();
            }
            SerialSettings defaults = transport != null ? SerialSettings.forTransport(transport)
                    : new SerialSettings(2400, 8, 'N', "1");
            settings = ReadCommand.settings(defaults, baud, serial);
            try {
                bytes = Captures.read(Main.path(capture, "capture"));
            } catch (IOException e) {
                err.println("meterspec: cannot read " + capture + ": " + Main.describe(e));
                return Main.BAD_INPUT;
            }
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        List<byte[]> telegrams = Replayer.split(bytes, transport);
        SerialLink link;
        try {
            link = SerialPorts.open(port, settings);
        } catch (IOException e) {
            err.println("meterspec: cannot open " + port + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try (link) {
            Replayer.write(link, telegrams, settings, Math.round(interval * 1000));
        } catch (IOException e) {
            err.println("meterspec: cannot write " + port + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }
}
