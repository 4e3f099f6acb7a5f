package org.meterspec.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Value;

/**
 * Runs a spec's examples: decodes each capture as one byte stream and compares every telegram
 * with what the example expects, in order. A reading must list exactly the expected values.
 */
public final class ExampleRunner {
    /** The outcome of one example; {@code problems} is empty when it passed. */
    public record Outcome(ExampleSpec example, List<String> problems, List<TelegramResult> results) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    private ExampleRunner() {
    }

    public static List<Outcome> run(MeterModel model, DecoderCompiler.Factory factory) {
        List<Outcome> out = new ArrayList<>();
        for (ExampleSpec example : model.examples()) {
            out.add(run(example, factory));
        }
        return out;
    }

    public static Outcome run(ExampleSpec example, DecoderCompiler.Factory factory) {
        List<String> problems = new ArrayList<>();
        byte[] capture;
        try {
            capture = example.captureFile() != null ? Captures.read(example.captureFile())
                    : Captures.parseHex(example.captureHex());
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(example, List.of("cannot read capture: " + e.getMessage()), List.of());
        }
        MeterDecoder decoder = factory.create(Keys.ofHex(example.key(), example.authKey()), false);
        List<TelegramResult> results = decoder.decodeAll(capture);
        // the same stream fed one byte at a time must give the same telegrams
        List<TelegramResult> chunked = new ArrayList<>();
        var stream = decoder.newStream((n, r) -> chunked.add(r));
        for (byte b : capture) {
            stream.feed(new byte[] {b});
        }
        stream.finish();
        List<String> lines = json(results);
        List<String> chunkedLines = json(chunked);
        if (!lines.equals(chunkedLines)) {
            problems.add("fed byte by byte, the capture decodes differently: " + chunkedLines);
        }
        List<ExampleSpec.Expectation> expected = example.expectations();
        if (results.size() != expected.size()) {
            problems.add("the capture holds " + results.size() + " telegram(s), the example expects " + expected.size()
                    + ": " + lines);
        }
        for (int i = 0; i < Math.min(results.size(), expected.size()); i++) {
            compare(i + 1, expected.get(i), results.get(i), problems);
        }
        return new Outcome(example, problems, results);
    }

    private static List<String> json(List<TelegramResult> results) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(results.get(i).toJson(i + 1));
        }
        return out;
    }

    private static void compare(int n, ExampleSpec.Expectation expected, TelegramResult actual, List<String> problems) {
        String at = "telegram " + n + ": ";
        if (expected instanceof ExampleSpec.ExpectError e) {
            if (!(actual instanceof DecodeError error)) {
                problems.add(at + "decoded, but the example expects " + e.code() + "; got " + actual.toJson(n));
                return;
            }
            if (error.code() != e.code() || (e.offset() != null && error.offset() != e.offset())) {
                problems.add(at + "expected " + e.code() + (e.offset() != null ? " at offset " + e.offset() : "")
                        + ", got " + error.code() + " at offset " + error.offset());
            }
            return;
        }
        ExampleSpec.ExpectReading r = (ExampleSpec.ExpectReading) expected;
        if (!(actual instanceof Reading reading)) {
            problems.add(at + "expected a reading, got " + actual);
            return;
        }
        if (r.systemTitle() != null && !r.systemTitle().equals(reading.systemTitle())) {
            problems.add(at + "system title is " + reading.systemTitle() + ", expected " + r.systemTitle());
        }
        if (r.frameCounter() != null && r.frameCounter() != reading.frameCounter()) {
            problems.add(at + "frame counter is " + reading.frameCounter() + ", expected " + r.frameCounter());
        }
        if (r.security() != null && r.security() != reading.security()) {
            problems.add(at + "security is " + reading.security().jsonName() + ", expected " + r.security().jsonName());
        }
        List<Value> values = reading.values();
        if (r.partial()) {
            int next = 0;
            for (ExampleSpec.ExpectValue e : r.values()) {
                while (next < values.size() && !matches(e, values.get(next))) {
                    next++;
                }
                if (next == values.size()) {
                    problems.add(at + "no value " + describe(e) + " (in this order) among " + values);
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
            Value v = values.get(i);
            if (i >= r.values().size()) {
                problems.add(at + "unexpected value " + v);
                continue;
            }
            ExampleSpec.ExpectValue e = r.values().get(i);
            if (!matches(e, v)) {
                problems.add(at + "value " + (i + 1) + " is " + v.obisText() + " " + quote(v.text())
                        + (v.unit() != null ? " " + v.unit() : "") + ", expected " + describe(e));
            }
        }
    }

    private static boolean matches(ExampleSpec.ExpectValue e, Value v) {
        return e.obis() == v.obis() && Objects.equals(e.value(), v.text()) && Objects.equals(e.unit(), v.unit());
    }

    private static String describe(ExampleSpec.ExpectValue e) {
        return Obis.format(e.obis()) + " " + quote(e.value()) + (e.unit() != null ? " " + e.unit() : "");
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
