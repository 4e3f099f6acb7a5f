package org.meterspec.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.LineStream;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Decode captures with a spec: one line per telegram, good or damaged.",
        description = {
            "Each capture is read as one byte stream: binary, or hex text in any common layout (plain hex, xxd, "
                    + "hexdump -C, Wireshark's hex view, C arrays; # and // start comments). - reads standard input. "
                    + "Binary is decoded as it arrives, at any length; hex text is read whole, up to 16 MiB.",
            "",
            "Keys may also come from METERSPEC_KEY, METERSPEC_AUTH_KEY and METERSPEC_BROADCAST_KEY. @FILE reads a "
                    + "key from a file that holds that key and nothing else. Keys are never printed.",
            "",
            "Exit codes: 0 every telegram decoded, 1 some did not or a capture held none, 2 bad usage, a bad spec "
                    + "or a capture that cannot be read.",
            ""})
final class DecodeCommand implements Callable<Integer> {
    private static final int CHUNK = 64 << 10;
    /** How much of the first capture a directory's specs try, to find the one that fits (and the hints read). */
    private static final int SAMPLE = 64 << 10;

    /** The spec a file names (not one chosen from a directory), and its engine: what the hints need. */
    private MeterModel hintModel;
    private Engine hintEngine;

    @Option(names = "--spec", required = true, paramLabel = "SPEC",
            description = "The meter's spec file; or a directory, to take the one spec under it that fits the "
                    + "first capture.")
    String spec;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--require-auth", description = "Reject telegrams whose GCM tag is absent or cannot be verified.")
    boolean requireAuth;

    @Option(names = "--json", description = "Print the canonical JSON line of each telegram.")
    boolean json;

    @Option(names = "--zcl", description = "End each line with the ZigBee Report Attributes frames the reading makes"
            + " (all mapped attributes of the first reading, the changed ones after it).")
    boolean zcl;

    @Option(names = "--zcl-payload", paramLabel = "BYTES", defaultValue = "82",
            description = "The most bytes of one ZCL frame; longer reports are split (default: ${DEFAULT-VALUE}).")
    int zclPayload;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "java", completionCandidates = EngineNames.class,
            description = "What runs the decoder: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String engine;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "Capture files (hex text or binary), or - for "
            + "standard input.")
    List<String> captures;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    /** The engine names, for the help. */
    static final class EngineNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Engines.names().iterator();
        }
    }

    /** A capture opened for reading, with what was read of it already to choose a spec. */
    private record Opened(String name, InputStream in, byte[] start) {
    }

    /** Thrown out of the decode loop once its message has been printed. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = command.commandLine().getErr();
        DecoderKeys keys;
        Engine chosen;
        try {
            keys = keyOptions.keys();
            chosen = Engines.named(engine);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        DecodeOptions options;
        try {
            options = DecodeOptions.DEFAULT.withRequireAuthentication(requireAuth).withZcl(zcl ? zclPayload : 0);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: --zcl-payload: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        Path specPath = Main.path(spec, "spec");
        Opened first = null;
        try {
            SpecDecoder decoder;
            if (Files.isDirectory(specPath)) {
                first = open(captures.get(0), err, true);
                SpecChooser.Choice choice = SpecChooser.choose(specPath, first.start(), keys, options, chosen, err);
                if (choice == null) {
                    return Main.BAD_INPUT;
                }
                decoder = choice.decoder();
            } else {
                MeterModel model = Main.load(specPath, err);
                if (model == null) {
                    return Main.BAD_INPUT;
                }
                decoder = chosen.load(model);
                hintModel = model;
                hintEngine = chosen;
            }
            return decode(decoder, keys, options, first, err);
        } catch (Stop e) {
            return Main.BAD_INPUT;
        } catch (EngineException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        } finally {
            if (first != null) {
                first.in().close();
            }
        }
    }

    private int decode(SpecDecoder decoder, DecoderKeys keys, DecodeOptions options, Opened first, PrintWriter err)
            throws EngineException, Stop, IOException {
        PrintWriter data = main.data();
        boolean[] errors = {false};
        boolean[] bodyErrors = {false};
        int[] readings = {0};
        byte[] buf = new byte[CHUNK];
        // the start of the first capture, for the hints when no telegram decodes
        java.io.ByteArrayOutputStream sample = new java.io.ByteArrayOutputStream();
        try (LineStream stream = decoder.open(keys, options, line -> {
            boolean reading = print(line, data, err);
            errors[0] |= !reading;
            bodyErrors[0] |= !reading && line.contains("\"layer\":\"body\"");
            readings[0] += reading ? 1 : 0;
        })) {
            for (int i = 0; i < captures.size(); i++) {
                Opened capture = i == 0 && first != null ? first : open(captures.get(i), err, false);
                long before = stream.count();
                try (InputStream in = capture.in()) {
                    stream.feed(capture.start(), 0, capture.start().length);
                    if (i == 0) {
                        sample.write(capture.start(), 0, Math.min(capture.start().length, SAMPLE));
                    }
                    for (int n; (n = read(in, buf, capture.name(), err)) >= 0; ) {
                        if (i == 0 && sample.size() < SAMPLE) {
                            sample.write(buf, 0, Math.min(n, SAMPLE - sample.size()));
                        }
                        stream.feed(buf, 0, n);
                        data.flush();
                        if (main.outputFailed()) {
                            return Main.BAD_INPUT; // said once by Main
                        }
                    }
                }
                stream.finish();
                data.flush();
                if (stream.count() == before) {
                    err.println("meterspec: no telegram found in " + capture.name());
                    errors[0] = true;
                }
            }
        }
        if (readings[0] == 0 && errors[0] && hintModel != null) {
            DecodeHints.explain(hintModel, decoder, sample.toByteArray(), keys, options, hintEngine, err);
        } else if (bodyErrors[0] && hintModel != null) {
            DecodeHints.explainBody(hintModel, decoder, sample.toByteArray(), keys, options, err);
        }
        return errors[0] ? Main.DECODE_ERRORS : Main.OK;
    }

    /** Prints a line as asked; whether it is a reading. */
    private boolean print(String line, PrintWriter data, PrintWriter err) {
        TelegramLine t;
        try {
            t = TelegramLine.parse(line);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: the " + engine + " engine printed a line that is not canonical ("
                    + e.getMessage() + ")");
            data.println(line);
            return false;
        }
        data.println(json ? line : Table.render(t));
        return t instanceof TelegramLine.Reading;
    }

    /** Opens a capture; with {@code sample}, reads its start (to choose a spec with) too. */
    private Opened open(String name, PrintWriter err, boolean sample) throws Stop {
        InputStream in;
        try {
            in = name.equals("-") ? Captures.decoding(new KeepOpen(main.stdin()), Captures.MAX_TEXT_BYTES)
                    : Captures.open(Main.path(name, "capture"), Captures.MAX_TEXT_BYTES);
        } catch (IOException e) {
            err.println("meterspec: cannot read " + name + ": " + Main.describe(e));
            throw new Stop();
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            throw new Stop();
        }
        if (!sample) {
            return new Opened(name, in, new byte[0]);
        }
        byte[] start = new byte[SAMPLE];
        int n = 0;
        try {
            for (int r; n < SAMPLE && (r = read(in, start, n, SAMPLE - n, name, err)) >= 0; ) {
                n += r;
            }
        } catch (Stop e) {
            close(in);
            throw e;
        }
        return new Opened(name, in, Arrays.copyOf(start, n));
    }

    private static int read(InputStream in, byte[] buf, String name, PrintWriter err) throws Stop {
        return read(in, buf, 0, buf.length, name, err);
    }

    private static int read(InputStream in, byte[] buf, int off, int len, String name, PrintWriter err) throws Stop {
        try {
            return in.read(buf, off, len);
        } catch (IOException e) {
            err.println("meterspec: cannot read " + name + ": " + Main.describe(e));
            throw new Stop();
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + name + " is neither binary nor hex text: " + e.getMessage());
            throw new Stop();
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // a capture we only read from
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
