package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.meterspec.engine.BodyRun;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.LineStream;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.inspect.Inspector;
import org.meterspec.engine.inspect.Node;
import org.meterspec.engine.inspect.SpecResults;
import org.meterspec.engine.inspect.Telegram;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;

/**
 * What {@code decode} says on stderr when a spec decodes none of a capture's telegrams, so that
 * the way to the fix is short: what the telegram holds where decoding stopped (as {@code inspect}
 * reads it), the ciphering the telegram uses when the security layer refused it, and another spec
 * next to this one that does decode the capture.
 */
final class DecodeHints {
    /** How far from the spec other specs are looked for: its folder's parent, two levels down. */
    private static final int SEARCH_DEPTH = 3;
    private static final int SEARCH_ENTRIES = 5000;
    private static final int SEARCH_SPECS = 64;
    private static final String MARK = "   <<< ";
    private static final String TAKEN = "   <- ";
    private static final java.util.regex.Pattern SECURITY_CONTROL = java.util.regex.Pattern.compile("^\\s*@\\d+ security control ");
    private static final java.util.regex.Pattern CIPHERING_FORM = java.util.regex.Pattern.compile("^\\s*general-(glo|ded)-ciphering ");

    private DecodeHints() {
    }

    static void explain(MeterModel model, SpecDecoder decoder, byte[] sample, DecoderKeys keys, DecodeOptions options,
                        Engine engine, PrintWriter err) {
        if (sample.length == 0) {
            return;
        }
        try {
            for (Telegram t : traced(model, decoder, sample, keys, options).telegrams()) {
                Node stop = marked(t.node());
                if (stop != null) {
                    String stopsAt = String.valueOf(stop.field("decoder_stops_here"));
                    err.println("meterspec: hint: where the first telegram stops decoding (" + code(stop) + "), it holds: "
                            + plain(stop.text()));
                    if (stop.field("stopped_by") != null) {
                        err.println("meterspec: hint: the spec expects there what its " + stop.field("stopped_by") + " ("
                                + stop.field("stopped_at") + ") reads: " + stop.field("expected"));
                    }
                    // a telegram the spec's security section refuses: what it sends against what the spec allows
                    if (stopsAt.endsWith("SECURITY_NOT_ALLOWED") || stopsAt.endsWith("SECURITY_CONTROL")
                            || stopsAt.endsWith("SECURITY_PLAINTEXT")) {
                        String form = find(t.node(), CIPHERING_FORM);
                        String control = find(t.node(), SECURITY_CONTROL);
                        err.println("meterspec: hint: the telegram is " + (form == null ? "not ciphered" : plain(form))
                                + (control == null ? "" : ", " + plain(control).replaceFirst("^@\\d+ ", ""))
                                + "; the spec (" + model.security().loc() + ") allows " + allowed(model.security()));
                    }
                    err.println("meterspec: hint: meterspec inspect --spec " + model.file()
                            + " shows the whole telegram, layer by layer");
                    break;
                }
            }
        } catch (EngineException | RuntimeException e) {
            // a hint is a help; a failure to give one must not change what decode reports
        }
        otherSpec(model, sample, keys, options, engine, err);
    }

    /**
     * Where some telegrams decode and others stop in the body: which element of the spec stopped
     * the first such telegram of the capture's start, and what it expected there.
     */
    static void explainBody(MeterModel model, SpecDecoder decoder, byte[] sample, DecoderKeys keys,
                            DecodeOptions options, PrintWriter err) {
        if (sample.length == 0) {
            return;
        }
        try {
            for (Telegram t : traced(model, decoder, sample, keys, options).telegrams()) {
                Node stop = marked(t.node());
                if (stop != null && stop.field("stopped_by") != null) {
                    err.println("meterspec: hint: telegram " + t.node().field("telegram") + " stops in the body ("
                            + code(stop) + "), where it holds " + plain(stop.text()) + " and the spec's " + stop.field("stopped_by")
                            + " (" + stop.field("stopped_at") + ") reads " + stop.field("expected")
                            + "; meterspec inspect --spec " + model.file() + " shows it whole");
                    return;
                }
            }
        } catch (EngineException | RuntimeException e) {
            // a hint is a help; a failure to give one must not change what decode reports
        }
    }

    /** The capture's start as inspect reads it with the spec, each telegram's decoder result and trace added. */
    private static Inspector.Result traced(MeterModel model, SpecDecoder decoder, byte[] sample, DecoderKeys keys,
                                           DecodeOptions options) throws EngineException {
        Inspector.Result result = Inspector.inspect(sample, InspectCommand.options(model)
                .withKeys(keys.encryption(), keys.authentication(), keys.broadcast()));
        SpecResults.decode(decoder, tracer(model, decoder), keys, options, sample, result);
        return result;
    }

    /** The error code the decoder stopped with at a marked node. */
    private static String code(Node stop) {
        return String.valueOf(stop.field("decoder_stops_here")).replace("decoder stops here: ", "");
    }

    /**
     * The spec's Java decoder, which can say which element of the spec was reading; the engine's
     * own when it is the Java one. Both engines decode alike, so its steps are the other's too.
     */
    /**
     * The decoder, tracing with the Java decoder where it cannot trace itself; that decoder is
     * built only when a trace is asked for.
     */
    static SpecDecoder tracing(MeterModel model, SpecDecoder decoder) {
        return new SpecDecoder() {
            @Override
            public String meter() {
                return decoder.meter();
            }

            @Override
            public LineStream open(DecoderKeys keys, DecodeOptions options, java.util.function.Consumer<String> lines)
                    throws EngineException {
                return decoder.open(keys, options, lines);
            }

            @Override
            public String zclTable() throws EngineException {
                return decoder.zclTable();
            }

            @Override
            public List<BodyRun> trace(byte[] capture, DecoderKeys keys, DecodeOptions options) throws EngineException {
                List<BodyRun> own = decoder.trace(capture, keys, options);
                return own != null ? own : tracer(model, decoder).trace(capture, keys, options);
            }
        };
    }

    private static SpecDecoder tracer(MeterModel model, SpecDecoder decoder) {
        try {
            return Engines.named(JavaEngine.NAME).load(model);
        } catch (EngineException | RuntimeException e) {
            return decoder;
        }
    }

    /** Says which spec near this one reads telegrams of the capture, if one does. */
    private static void otherSpec(MeterModel model, byte[] sample, DecoderKeys keys, DecodeOptions options,
                                  Engine engine, PrintWriter err) {
        Path file = Path.of(model.file()).toAbsolutePath();
        Path near = file.getParent() == null ? null : file.getParent().getParent();
        if (near == null) {
            return;
        }
        List<MeterModel> others = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(near, SEARCH_DEPTH)) {
            Iterator<Path> it = walk.limit(SEARCH_ENTRIES).iterator();
            while (it.hasNext() && others.size() < SEARCH_SPECS) {
                Path p = it.next();
                if (p.toString().endsWith(".meter") && Files.isRegularFile(p) && !p.toAbsolutePath().equals(file)
                        && SpecLoader.declaresMeter(p)) {
                    SpecLoader.Result r = SpecLoader.load(p);
                    if (r.ok()) {
                        others.add(r.model());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        // the most telegrams read wins; among those, a spec whose example this capture is
        List<MeterModel> best = new ArrayList<>();
        int bestReadings = 0;
        for (MeterModel other : others) {
            try {
                int readings = SpecChooser.fit(other, engine.load(other), sample, keys, options).readings();
                if (readings > 0 && readings >= bestReadings) {
                    if (readings > bestReadings) {
                        best.clear();
                    }
                    best.add(other);
                    bestReadings = readings;
                }
            } catch (EngineException | RuntimeException e) {
                // that spec cannot say
            }
        }
        if (best.isEmpty()) {
            return;
        }
        List<MeterModel> byExample = best.stream().filter(m -> SpecChooser.anExampleIs(m, sample)).toList();
        List<MeterModel> shown = byExample.isEmpty() ? best : byExample;
        MeterModel first = shown.get(0);
        String also = shown.size() > 1 ? " (so do " + String.join(", ", shown.subList(1, shown.size()).stream()
                .map(m -> shown(Path.of(m.file()))).toList()) + ")" : "";
        err.println("meterspec: hint: " + shown(Path.of(first.file())) + " (meter " + first.name() + ")"
                + (byExample.isEmpty() ? "" : ", whose example this capture is,") + " decodes " + bestReadings
                + " telegram" + (bestReadings == 1 ? "" : "s") + " of it" + also + "; decode --spec " + shown(near)
                + " chooses the spec that fits");
    }

    /** A path as the user would type it from here: relative when it lies under the working folder. */
    private static String shown(Path p) {
        Path here = Path.of("").toAbsolutePath();
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(here) && !a.equals(here) ? here.relativize(a).toString() : a.toString();
    }

    /** A node's line without the decoder's mark and the element that took it. */
    private static String plain(String text) {
        int mark = text.indexOf(MARK);
        String t = mark >= 0 ? text.substring(0, mark) : text;
        int taken = t.indexOf(TAKEN);
        return (taken >= 0 ? t.substring(0, taken) : t).strip();
    }

    /** The security section in the spec's own words: forms and control bytes. */
    private static String allowed(org.meterspec.model.SecuritySpec s) {
        List<String> forms = new ArrayList<>();
        if (s.plain()) {
            forms.add("none");
        }
        if (s.glo()) {
            forms.add("glo");
        }
        if (s.ded()) {
            forms.add("ded");
        }
        List<String> controls = s.controls().stream().map(c -> String.format("0x%02X", c)).toList();
        return "security " + String.join(" ", forms) + (s.ciphered() ? " with control " + String.join(", ", controls) : "")
                + (s.authenticationRequired() ? ", authentication required" : "");
    }

    /** The node a decoder error was marked on, depth first. */
    private static Node marked(Node n) {
        if (n.field("decoder_stops_here") != null) {
            return n;
        }
        for (Node c : n.children()) {
            Node m = marked(c);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** The text of the first node whose text starts as {@code what} says, depth first. */
    private static String find(Node n, java.util.regex.Pattern what) {
        if (n.text() != null && what.matcher(n.text()).find()) {
            return n.text();
        }
        for (Node c : n.children()) {
            String t = find(c, what);
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
