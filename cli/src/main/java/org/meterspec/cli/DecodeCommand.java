package org.meterspec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.DecoderCompiler;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Value;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "decode", description = {
        "Decode captures with a spec. Each capture is read as one byte stream (hex text in any common layout,",
        "or binary; - reads standard input); every telegram in it gives one line, good or error.",
        "Keys may also come from METERSPEC_KEY, METERSPEC_AUTH_KEY and METERSPEC_BROADCAST_KEY."})
final class DecodeCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "The meter's spec file.")
    Path spec;

    @Option(names = "--key", paramLabel = "HEX|@FILE", description = "AES-128 encryption (global unicast) key.")
    String key;

    @Option(names = "--auth-key", paramLabel = "HEX|@FILE", description = "Authentication key; the GCM tag is verified when given.")
    String authKey;

    @Option(names = "--broadcast-key", paramLabel = "HEX|@FILE", description = "Global broadcast key.")
    String broadcastKey;

    @Option(names = "--require-auth", description = "Reject telegrams whose GCM tag is absent or cannot be verified.")
    boolean requireAuth;

    @Option(names = "--json", description = "Print the canonical JSON line per telegram.")
    boolean json;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "Capture files (hex text or binary), or - for stdin.")
    List<String> captures;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        MeterModel model = Main.load(spec, err);
        if (model == null) {
            return Main.BAD_INPUT;
        }
        Keys keys;
        try {
            keys = Keys.ofHex(secret(key, "METERSPEC_KEY", "encryption"), secret(authKey, "METERSPEC_AUTH_KEY",
                    "authentication"), secret(broadcastKey, "METERSPEC_BROADCAST_KEY", "broadcast"));
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        MeterDecoder decoder = DecoderCompiler.compile(model).create(keys, requireAuth);
        boolean[] errors = {false};
        StreamDecoder stream = decoder.newStream((n, r) -> {
            errors[0] |= !r.isOk();
            out.println(json ? r.toJson(n) : table(n, r));
        });
        for (String capture : captures) {
            byte[] bytes;
            try {
                bytes = read(capture);
            } catch (IOException e) {
                err.println("meterspec: cannot read " + capture + ": " + Main.describe(e));
                return Main.BAD_INPUT;
            } catch (IllegalArgumentException e) {
                err.println("meterspec: " + capture + " is neither binary nor hex text: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            long before = stream.count();
            stream.feed(bytes);
            stream.finish();
            stream.reset();
            if (stream.count() == before) {
                err.println("meterspec: no telegram found in " + capture);
                errors[0] = true;
            }
        }
        out.flush();
        return errors[0] ? Main.DECODE_ERRORS : Main.OK;
    }

    private static byte[] read(String capture) throws IOException {
        if (capture.equals("-")) {
            try (InputStream in = System.in) {
                byte[] data = in.readAllBytes();
                return Captures.parse(data);
            }
        }
        return Captures.read(Path.of(capture));
    }

    /** A key from the option (hex, or @file holding hex) or the environment; never echoed. */
    private static String secret(String option, String variable, String what) throws IOException {
        String value = option != null ? option : System.getenv(variable);
        if (value != null && value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            if (!Files.isReadable(file)) {
                // what follows '@' may be a key typed by mistake: never echo it
                throw new IllegalArgumentException("cannot read the " + what + " key file "
                        + Main.redact(file.toString()));
            }
            value = Files.readString(file).strip();
        }
        return value;
    }

    private static String table(long n, TelegramResult r) {
        StringBuilder sb = new StringBuilder();
        if (r instanceof DecodeError e) {
            return sb.append("#").append(n).append(" error: ").append(e.layer().jsonName()).append(' ')
                    .append(e.code().name()).append(" at offset ").append(e.offset()).append(" (")
                    .append(e.code().description()).append(')').toString();
        }
        Reading reading = (Reading) r;
        sb.append("#").append(n).append(" ok: ").append(reading.meter());
        if (reading.systemTitle() != null) {
            sb.append(", system title ").append(reading.systemTitle()).append(", frame counter ")
                    .append(reading.frameCounter());
        }
        sb.append(", security ").append(reading.security().jsonName());
        for (Value v : reading.values()) {
            String text = v.text();
            sb.append(String.format("%n    %-18s %-26s %s%s", v.obisText(), v.name() == null ? "" : v.name(),
                    text == null ? "null" : text, v.unit() == null ? "" : " " + v.unit()));
        }
        return sb.toString();
    }
}
