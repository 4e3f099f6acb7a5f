package org.meterspec.cli;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.inspect.Inspector;
import org.meterspec.engine.inspect.SpecResults;
import org.meterspec.engine.inspect.Telegram;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Transport;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Json;
import org.meterspec.runtime.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Show each telegram of a capture layer by layer, whether or not a spec decodes it.",
        description = {
            "Frames (M-Bus, HDLC or bare APDUs: detected, or the spec's), the frames joined into each telegram, "
                    + "block-transfer blocks, the security header (decrypted with a key), the DATA-NOTIFICATION and "
                    + "its A-XDR tree with offsets. Where a layer breaks it says at which offset and what was "
                    + "expected. With --spec, the spec's decoder runs on each telegram too: each node of the body says "
                    + "which element of the spec (file:line:column) took it, and the node where the decoder stops "
                    + "is marked with the element that was reading and what it expects.",
            "",
            "The capture is read as decode reads it (binary or hex text; - is standard input), at most 16 MiB. "
                    + "Keys may also come from METERSPEC_KEY, METERSPEC_AUTH_KEY and METERSPEC_BROADCAST_KEY; "
                    + "they are never printed.",
            "",
            "Exit codes: 0 every telegram read to its end (and decoded, with --spec), 1 some did not or the "
                    + "capture held none, 2 bad usage, a bad spec or a capture that cannot be read.",
            ""})
final class InspectCommand implements Callable<Integer> {
    /** The most capture bytes inspected: the whole of a hex capture, the start of a longer binary one. */
    static final int MAX_BYTES = (int) Captures.MAX_TEXT_BYTES;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "A spec file: read its transport, and run its decoder on each telegram.")
    String spec;

    @Option(names = "--json", description = "Print one JSON object per telegram, one a line.")
    boolean json;

    @Parameters(paramLabel = "CAPTURE", arity = "1", description = "A capture file (hex text or binary), or - for "
            + "standard input.")
    String capture;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = command.commandLine().getErr();
        DecoderKeys keys;
        try {
            keys = keyOptions.keys();
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Inspector.Options options = Inspector.Options.DETECT;
        SpecDecoder decoder = null;
        if (spec != null) {
            Path specPath = Main.path(spec, "spec");
            MeterModel model = Main.load(specPath, err);
            if (model == null) {
                return Main.BAD_INPUT;
            }
            options = options(model);
            try {
                decoder = Engines.named(JavaEngine.NAME).load(model);
            } catch (EngineException e) {
                err.println("meterspec: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        options = options.withKeys(keys.encryption(), keys.authentication(), keys.broadcast());
        byte[] bytes = read(err);
        if (bytes == null) {
            return Main.BAD_INPUT;
        }
        Inspector.Result result = Inspector.inspect(bytes, options);
        boolean ok = true;
        if (decoder != null) {
            try {
                ok = SpecResults.decode(decoder, keys, DecodeOptions.DEFAULT, bytes, result);
            } catch (EngineException e) {
                err.println("meterspec: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        KeyFilter filter = new KeyFilter(keys);
        PrintWriter data = main.data();
        if (!json) {
            data.println(filter.apply("capture: " + bytes.length + " bytes, " + result.transport().title()
                    + (result.detected() ? " (detected)" : " (the spec's transport)") + ", "
                    + result.telegrams().size() + " telegram" + (result.telegrams().size() == 1 ? "" : "s")
                    + (result.skippedBytes() > 0 ? ", " + result.skippedBytes() + " bytes in no frame" : "")
                    + untagged(result)));
        }
        for (Telegram t : result.telegrams()) {
            // with a spec its decoder has the last word: a layout may send elements untagged, which the
            // self-describing tree cannot follow
            ok &= decoder != null || !t.broken();
            String out = json ? t.node().json() : t.node().render();
            for (String line : out.split("\n", -1)) {
                if (!line.isEmpty()) {
                    data.println(filter.apply(line));
                }
            }
            data.flush();
            if (main.outputFailed()) {
                return Main.BAD_INPUT; // said once by Main
            }
        }
        data.flush();
        if (result.telegrams().isEmpty()) {
            err.println("meterspec: no telegram found in " + capture + " (" + bytes.length + " bytes, read as "
                    + result.transport().title() + ")");
            return Main.DECODE_ERRORS;
        }
        return ok ? Main.OK : Main.DECODE_ERRORS;
    }

    /** How untagged elements were read, for the first line: the spec's layout, or what reading found. */
    static String untagged(Inspector.Result r) {
        List<String> ways = new ArrayList<>();
        if (r.swappedObis()) {
            ways.add("OBIS headers sent 06 09");
        }
        if (r.descriptors()) {
            ways.add("untagged attribute descriptors");
        }
        return ways.isEmpty() ? "" : ", read with " + String.join(" and ", ways);
    }

    /** How the spec says to read its captures. */
    static Inspector.Options options(MeterModel model) {
        Transport t = model.transport();
        Inspector.Transport transport = t instanceof Transport.Mbus ? Inspector.Transport.MBUS
                : t instanceof Transport.Hdlc ? Inspector.Transport.HDLC : Inspector.Transport.RAW;
        boolean descriptors = org.meterspec.model.Element.all(model.body()).stream()
                .anyMatch(e -> e instanceof org.meterspec.model.Element.Descriptor);
        return new Inspector.Options(transport, model.tolerates(Tolerance.MBUS_LENGTH_WRAP),
                model.tolerates(Tolerance.BAD_FCS), null, null, null, model.tolerates(Tolerance.SWAPPED_OBIS_HEADER),
                descriptors);
    }

    /** The whole capture (at most {@link #MAX_BYTES}), or null after saying why it cannot be read. */
    private byte[] read(PrintWriter err) {
        InputStream in;
        try {
            if (!capture.equals("-")) {
                Path file = Main.path(capture, "capture");
                if (Files.isDirectory(file)) {
                    err.println("meterspec: " + capture + " is a directory; inspect reads one capture");
                    return null;
                }
            }
            in = capture.equals("-") ? Captures.decoding(new KeepOpen(main.stdin()), Captures.MAX_TEXT_BYTES)
                    : Captures.open(Main.path(capture, "capture"), Captures.MAX_TEXT_BYTES);
        } catch (IOException e) {
            err.println("meterspec: cannot read " + capture + ": " + Main.describe(e));
            return null;
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 << 10];
        try (in) {
            for (int r; out.size() < MAX_BYTES && (r = in.read(buf, 0, Math.min(buf.length, MAX_BYTES - out.size())))
                    >= 0; ) {
                out.write(buf, 0, r);
            }
            if (out.size() >= MAX_BYTES && in.read() >= 0) {
                err.println("meterspec: " + capture + " holds more than " + (MAX_BYTES >> 20) + " MiB; inspecting its"
                        + " first " + (MAX_BYTES >> 20) + " MiB");
            }
        } catch (IOException e) {
            err.println("meterspec: cannot read " + capture + ": " + Main.describe(e));
            return null;
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + capture + " is neither binary nor hex text: " + e.getMessage());
            return null;
        }
        return out.toByteArray();
    }

    /**
     * A last guard on what inspect prints, which is data (hex of the telegram) and cannot go
     * through {@link Redaction} whole: a line whose hex digits hold a key given on the command
     * line, in any spelling, is printed redacted.
     */
    static final class KeyFilter {
        private final List<String> keys = new ArrayList<>();

        KeyFilter(DecoderKeys k) {
            for (byte[] key : new byte[][] {k.encryption(), k.authentication(), k.broadcast()}) {
                if (key != null) {
                    keys.add(Json.hex(key));
                }
            }
        }

        String apply(String line) {
            if (keys.isEmpty()) {
                return line;
            }
            String digits = line.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X", " ").replaceAll("[^0-9A-F]", "");
            for (String k : keys) {
                if (digits.contains(k)) {
                    String redacted = Redaction.redact(line);
                    String left = redacted.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X", " ")
                            .replaceAll("[^0-9A-F]", "");
                    return left.contains(k) ? Redaction.MARK + " (a line holding a key)" : redacted;
                }
            }
            return line;
        }
    }

    /** Standard input stays open for whatever reads it after this command. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // not ours to close
        }
    }
}
