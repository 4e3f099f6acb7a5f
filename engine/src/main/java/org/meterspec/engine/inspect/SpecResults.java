package org.meterspec.engine.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meterspec.engine.BodyRun;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.engine.inspect.Telegram.Space;
import org.meterspec.runtime.BodyStep;
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
        return decode(decoder, decoder, keys, options, capture, result);
    }

    /**
     * Runs {@code decoder} on every telegram of {@code result}, and {@code tracer} (the same
     * spec's decoder in an engine that traces, or null) to say which element of the spec took each
     * node of the body and which one stopped; whether every telegram decoded.
     */
    public static boolean decode(SpecDecoder decoder, SpecDecoder tracer, DecoderKeys keys, DecodeOptions options,
                                 byte[] capture, Inspector.Result result) throws EngineException {
        boolean ok = true;
        for (Telegram t : result.telegrams()) {
            byte[] bytes = Arrays.copyOfRange(capture, t.start(), t.end());
            List<String> lines = decoder.decodeAll(bytes, keys, options);
            List<BodyRun> runs = tracer == null ? null : tracer.trace(bytes, keys, options);
            ok &= attach(t, decoder.meter(), lines, runs == null || runs.isEmpty() ? null : runs.get(runs.size() - 1));
        }
        return ok;
    }

    /**
     * Adds a decoder's lines for one telegram's bytes, and what its body layout did ({@code run},
     * or null); whether they are all readings.
     */
    static boolean attach(Telegram t, String meter, List<String> lines, BodyRun run) {
        Space body = t.ciphered ? Space.NOTIFICATION : Space.APDU;
        if (run != null) {
            taken(t, body, run);
        }
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
                Node marked = t.mark(space, offset, "decoder stops here: " + e.error());
                BodyRun.Stop stop = run == null || !e.layer().equals("body") ? null : run.stop();
                if (marked != null && stop != null && stop.step() != null && stop.error().equals(e.error())
                        && stop.offset() == offset) {
                    BodyStep st = stop.step();
                    marked.appendText(", where " + st.element() + " (" + st.at() + ") expects " + st.expects());
                    marked.put("stopped_by", st.element()).put("stopped_at", st.at()).put("expected", st.expects());
                }
                json.add(transport ? new TelegramLine.Error(e.telegram(), e.layer(), e.error(), offset).json() : line);
            }
        }
        d.put("results", new Node.Raw("[" + String.join(",", json) + "]"));
        return ok;
    }

    /**
     * Says beside each node of the body which step of the layout took it: the last one that began
     * at the node's offset (a step that began where an element ends gives way to the next
     * element's).
     */
    private static void taken(Telegram t, Space space, BodyRun run) {
        java.util.Map<Integer, BodyStep> last = new java.util.LinkedHashMap<>();
        for (BodyRun.Taken k : run.taken()) {
            last.put(k.offset(), k.step());
        }
        if (run.stop() != null && !run.taken().isEmpty()) {
            // where the failing step began nothing was taken: the mark says what was expected there
            last.remove(run.taken().get(run.taken().size() - 1).offset());
        }
        java.util.Map<Long, Node> starts = t.startingAt(space);
        for (java.util.Map.Entry<Integer, BodyStep> e : last.entrySet()) {
            Node n = starts.get((long) e.getKey());
            if (n != null && n.field("taken_by") == null) {
                BodyStep st = e.getValue();
                n.appendText("   <- " + st.element() + " (" + shortAt(st.at()) + ")");
                n.put("taken_by", st.element()).put("taken_at", st.at());
            }
        }
    }

    /** {@code file:line:col} with the file's folders left out: the node lines stay short. */
    private static String shortAt(String at) {
        int slash = Math.max(at.lastIndexOf('/'), at.lastIndexOf('\\'));
        return slash >= 0 ? at.substring(slash + 1) : at;
    }

    private static String description(String code) {
        try {
            return ErrorCode.valueOf(code).description();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
