package org.meterspec.engine;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Obis;

/**
 * Runs a spec's examples on any engine: decodes each capture as one byte stream, and holds the
 * canonical JSON lines the engine printed against what the example expects, telegram by
 * telegram. The same capture fed one byte at a time must print the same lines, and every line
 * must be canonical, so two engines that pass the same examples print the same bytes for them.
 */
public final class ExampleRunner {
    /** The outcome of one example: the lines the engine printed; {@code problems} is empty when it passed. */
    public record Outcome(ExampleSpec example, List<String> problems, List<String> lines) {
        public Outcome {
            problems = List.copyOf(problems);
            lines = List.copyOf(lines);
        }

        public boolean passed() {
            return problems.isEmpty();
        }

        /** The lines read back; those that are not canonical lines are left out (and are problems). */
        public List<TelegramLine> telegrams() {
            List<TelegramLine> out = new ArrayList<>();
            for (String line : lines) {
                try {
                    out.add(TelegramLine.parse(line));
                } catch (IllegalArgumentException e) {
                    // reported among the problems when the example ran
                }
            }
            return out;
        }
    }

    private ExampleRunner() {
    }

    public static List<Outcome> run(MeterModel model, SpecDecoder decoder) {
        return run(model, decoder, decoder);
    }

    /**
     * Runs the examples with {@code decoder}; where a telegram stops in the body unexpectedly, the
     * problem names the element of the spec that was reading, as {@code tracer} (which decodes
     * alike and can trace, the Java engine's decoder) says.
     */
    public static List<Outcome> run(MeterModel model, SpecDecoder decoder, SpecDecoder tracer) {
        List<Outcome> out = new ArrayList<>();
        for (ExampleSpec example : model.examples()) {
            out.add(run(example, decoder, tracer));
        }
        return out;
    }

    /** The capture an example holds: its file's bytes (bounded, regular files only) or its inline hex. */
    public static byte[] capture(ExampleSpec example) throws IOException {
        return example.captureFile() != null ? Captures.readFile(example.captureFile(), Captures.MAX_TEXT_BYTES)
                : Captures.parseHex(example.captureHex());
    }

    public static Outcome run(ExampleSpec example, SpecDecoder decoder) {
        return run(example, decoder, decoder);
    }

    public static Outcome run(ExampleSpec example, SpecDecoder decoder, SpecDecoder tracer) {
        byte[] capture;
        try {
            capture = capture(example);
        } catch (FileSystemException e) {
            return new Outcome(example, List.of("cannot read capture: " + e.getReason()), List.of());
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(example, List.of("cannot read capture: " + e.getMessage()), List.of());
        }
        DecoderKeys keys;
        try {
            keys = DecoderKeys.ofHex(example.key(), example.authKey(), null);
        } catch (IllegalArgumentException e) {
            return new Outcome(example, List.of(e.getMessage()), List.of());
        }
        List<String> lines;
        List<String> byteByByte;
        try {
            lines = decoder.decodeAll(capture, keys, DecodeOptions.DEFAULT);
            byteByByte = decoder.decodeAll(capture, keys, DecodeOptions.DEFAULT.withChunkSize(1));
        } catch (EngineException e) {
            return new Outcome(example, List.of("the engine failed: " + e.getMessage()), List.of());
        }
        List<String> problems = new ArrayList<>();
        if (!lines.equals(byteByByte)) {
            problems.add("fed byte by byte, the capture decodes differently: " + byteByByte);
        }
        List<TelegramLine> telegrams = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                TelegramLine t = TelegramLine.parse(lines.get(i));
                if (t.telegram() != i + 1) {
                    problems.add("line " + (i + 1) + " is numbered " + t.telegram() + ": " + lines.get(i));
                }
                telegrams.add(t);
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + " is not a canonical JSON line (" + e.getMessage() + "): "
                        + lines.get(i));
                telegrams.add(null);
            }
        }
        List<ExampleSpec.Expectation> expected = example.expectations();
        if (lines.size() != expected.size()) {
            problems.add("the capture holds " + lines.size() + " telegram(s), the example expects " + expected.size()
                    + ": " + lines);
        }
        Stops stops = new Stops(tracer, capture, keys);
        for (int i = 0; i < Math.min(lines.size(), expected.size()); i++) {
            if (telegrams.get(i) != null) {
                int before = problems.size();
                compare(i + 1, expected.get(i), telegrams.get(i), problems);
                if (problems.size() > before && telegrams.get(i) instanceof TelegramLine.Error e
                        && e.layer().equals("body")) {
                    String where = stops.where(e);
                    if (where != null) {
                        problems.set(problems.size() - 1, problems.get(problems.size() - 1) + ", where " + where);
                    }
                }
            }
        }
        return new Outcome(example, problems, lines);
    }

    /** Where the body stopped, by the tracer's account, for each body error in turn; traced once, when first asked. */
    private static final class Stops {
        private final SpecDecoder tracer;
        private final byte[] capture;
        private final DecoderKeys keys;
        private List<BodyRun.Stop> left;

        Stops(SpecDecoder tracer, byte[] capture, DecoderKeys keys) {
            this.tracer = tracer;
            this.capture = capture;
            this.keys = keys;
        }

        /** {@code element (file:line:col) expects …} of the first stop not yet named with the error's code and offset. */
        String where(TelegramLine.Error e) {
            if (left == null) {
                left = new ArrayList<>();
                try {
                    List<BodyRun> runs = tracer.trace(capture, keys, DecodeOptions.DEFAULT);
                    if (runs != null) {
                        runs.stream().map(BodyRun::stop).filter(s -> s != null && s.step() != null).forEach(left::add);
                    }
                } catch (EngineException | RuntimeException ex) {
                    // naming the element is a help; the problem stands without it
                }
            }
            for (java.util.Iterator<BodyRun.Stop> it = left.iterator(); it.hasNext(); ) {
                BodyRun.Stop s = it.next();
                if (s.error().equals(e.error()) && s.offset() == e.offset()) {
                    it.remove();
                    return s.step().element() + " (" + s.step().at() + ") expects " + s.step().expects();
                }
            }
            return null;
        }
    }

    private static void compare(int n, ExampleSpec.Expectation expected, TelegramLine actual, List<String> problems) {
        String at = "telegram " + n + ": ";
        if (expected instanceof ExampleSpec.ExpectError e) {
            if (!(actual instanceof TelegramLine.Error error)) {
                problems.add(at + "decoded, but the example expects " + e.code() + "; got " + actual.json());
                return;
            }
            if (!error.error().equals(e.code().name()) || (e.offset() != null && error.offset() != e.offset())) {
                problems.add(at + "expected " + e.code() + (e.offset() != null ? " at offset " + e.offset() : "")
                        + ", got " + error.error() + " at offset " + error.offset());
            }
            return;
        }
        ExampleSpec.ExpectReading r = (ExampleSpec.ExpectReading) expected;
        if (actual instanceof TelegramLine.Reading reading) {
            compare(at, r, reading, problems);
        } else {
            TelegramLine.Error e = (TelegramLine.Error) actual;
            problems.add(at + "expected a reading, got " + e.layer() + " error " + e.error() + " at offset "
                    + e.offset());
        }
    }

    private static void compare(String at, ExampleSpec.ExpectReading r, TelegramLine.Reading reading,
                                List<String> problems) {
        if (r.systemTitle() != null && !r.systemTitle().equals(reading.systemTitle())) {
            problems.add(at + "system title is " + reading.systemTitle() + ", expected " + r.systemTitle());
        }
        if (r.frameCounter() != null && !r.frameCounter().equals(reading.frameCounter())) {
            problems.add(at + "frame counter is " + (reading.frameCounter() == null ? "absent (a plain telegram)"
                    : reading.frameCounter()) + ", expected " + r.frameCounter());
        }
        if (r.security() != null && !r.security().jsonName().equals(reading.security())) {
            problems.add(at + "security is " + reading.security() + ", expected " + r.security().jsonName());
        }
        List<TelegramLine.Value> values = reading.values();
        if (r.partial()) {
            int next = 0;
            for (ExampleSpec.ExpectValue e : r.values()) {
                while (next < values.size() && !matches(e, values.get(next))) {
                    next++;
                }
                if (next == values.size()) {
                    problems.add(at + "no value " + describe(e) + " (in this order) among " + json(values));
                    return;
                }
                next++;
            }
            return;
        }
        for (int i = 0; i < Math.max(values.size(), r.values().size()); i++) {
            if (i >= values.size()) {
                problems.add(at + "missing value " + describe(r.values().get(i)));
                continue;
            }
            TelegramLine.Value v = values.get(i);
            if (i >= r.values().size()) {
                problems.add(at + "unexpected value " + json(v));
                continue;
            }
            ExampleSpec.ExpectValue e = r.values().get(i);
            if (!matches(e, v)) {
                problems.add(at + "value " + (i + 1) + " is " + v.label() + " " + quote(v.value())
                        + (v.unit() != null ? " " + v.unit() : "") + ", expected " + describe(e));
            }
        }
    }

    private static boolean matches(ExampleSpec.ExpectValue e, TelegramLine.Value v) {
        boolean same = e.name() != null ? v.obis() == null && e.name().equals(v.name())
                : Obis.format(e.obis()).equals(v.obis());
        return same && Objects.equals(e.value(), v.value()) && Objects.equals(e.unit(), v.unit());
    }

    private static String json(TelegramLine.Value v) {
        StringBuilder sb = new StringBuilder();
        v.appendJson(sb);
        return sb.toString();
    }

    private static String json(List<TelegramLine.Value> values) {
        return values.stream().map(ExampleRunner::json).toList().toString();
    }

    private static String describe(ExampleSpec.ExpectValue e) {
        return (e.name() != null ? e.name() : Obis.format(e.obis())) + " " + quote(e.value())
                + (e.unit() != null ? " " + e.unit() : "");
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
