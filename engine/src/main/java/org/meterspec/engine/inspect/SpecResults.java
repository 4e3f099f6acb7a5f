package org.meterspec.engine.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.engine.inspect.Telegram.Space;
import org.meterspec.runtime.ErrorCode;

/**
 * What a spec's decoder makes of each telegram of an inspection, next to its tree: the decoder is
 * fed the telegram's own bytes (its frames and what lies between them), and its result is added
 * to the telegram, with the node an error's offset names marked. Transport offsets are given in
 * the capture, as the decoder would give them fed the whole capture.
 */
public final class SpecResults {
    private SpecResults() {
    }

    /** Runs {@code decoder} on every telegram of {@code result}; whether every telegram decoded. */
    public static boolean decode(SpecDecoder decoder, DecoderKeys keys, DecodeOptions options, byte[] capture,
                                 Inspector.Result result) throws EngineException {
        boolean ok = true;
        for (Telegram t : result.telegrams()) {
            List<String> lines = decoder.decodeAll(Arrays.copyOfRange(capture, t.start(), t.end()), keys, options);
            ok &= attach(t, decoder.meter(), lines);
        }
        return ok;
    }

    /** Adds a decoder's lines for one telegram's bytes; whether they are all readings. */
    static boolean attach(Telegram t, String meter, List<String> lines) {
        Node d = t.node.child("decoder", null).put("meter", meter);
        List<String> json = new ArrayList<>();
        boolean ok = !lines.isEmpty();
        if (lines.isEmpty()) {
            d.setText("decoder " + meter + ": no result for these bytes");
        }
        int k = 0;
        for (String line : lines) {
            TelegramLine parsed;
            try {
                parsed = TelegramLine.parse(line);
            } catch (IllegalArgumentException e) {
                d.setText("decoder " + meter + ": a line that is not canonical (" + e.getMessage() + ")");
                ok = false;
                continue;
            }
            String prefix = lines.size() > 1 ? "decoder " + meter + " (" + (++k) + " of " + lines.size() + "): "
                    : "decoder " + meter + ": ";
            if (parsed instanceof TelegramLine.Reading r) {
                Node n = d.item("readings", prefix + "ok, " + r.values().size() + " values, security " + r.security()
                        + (r.systemTitle() != null ? ", system title " + r.systemTitle() + ", frame counter "
                        + r.frameCounter() : "")).put("security", r.security()).put("values_count", r.values().size());
                for (TelegramLine.Value v : r.values()) {
                    n.item("values", String.format("%-18s %-26s %s%s", v.obis() == null ? "-" : v.obis(), v.name() == null ? "" : v.name(),
                            v.value() == null ? "null" : v.value(), v.unit() == null ? "" : " " + v.unit()))
                            .put("obis", v.obis()).put("name", v.name()).put("value", v.value()).put("unit", v.unit());
                }
                json.add(line);
            } else {
                TelegramLine.Error e = (TelegramLine.Error) parsed;
                ok = false;
                boolean transport = e.layer().equals("transport");
                long offset = transport ? e.offset() + t.start() : e.offset();
                Space space = transport ? Space.STREAM : e.layer().equals("security") || !t.ciphered ? Space.APDU
                        : Space.NOTIFICATION;
                String where = switch (space) {
                    case STREAM -> "of the capture";
                    case APDU -> "of the APDU";
                    case NOTIFICATION -> "of the decrypted APDU";
                };
                String description = description(e.error());
                d.item("errors", prefix + "error " + e.layer() + " " + e.error() + " at offset " + offset + " " + where
                        + (description != null ? " (" + description + ")" : ""))
                        .put("layer", e.layer()).put("error", e.error()).put("offset", offset)
                        .put("in", space.name().toLowerCase(java.util.Locale.ROOT));
                t.mark(space, offset, "decoder stops here: " + e.error());
                json.add(transport ? new TelegramLine.Error(e.telegram(), e.layer(), e.error(), offset).json() : line);
            }
        }
        d.put("results", new Node.Raw("[" + String.join(",", json) + "]"));
        return ok;
    }

    private static String description(String code) {
        try {
            return ErrorCode.valueOf(code).description();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
