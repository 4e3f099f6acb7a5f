package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;

/**
 * {@code decode --spec DIR}: the one spec under a directory that fits a capture. A spec one of
 * whose examples is this capture (or the capture begins with it) fits best; otherwise each spec
 * decodes the start of the capture, and the one that reads the most telegrams, or else gets
 * furthest into them (transport, then security, then the APDU, then the body), fits. When
 * several fit equally, none is taken: decoding needs one spec, and the user is told which fit.
 */
final class SpecChooser {
    /** Common prefix an example capture and the capture must share, unless one is shorter. */
    private static final int EXAMPLE_PREFIX = 32;

    record Choice(MeterModel model, SpecDecoder decoder) {
    }

    record Fit(MeterModel model, SpecDecoder decoder, int readings, int depth) {
        boolean sameAs(Fit o) {
            return readings == o.readings && depth == o.depth;
        }

        boolean betterThan(Fit o) {
            return readings != o.readings ? readings > o.readings : depth > o.depth;
        }
    }

    private SpecChooser() {
    }

    /** The spec to decode with, or null after saying on {@code err} why there is not one. */
    static Choice choose(Path dir, byte[] sample, DecoderKeys keys, DecodeOptions options, Engine engine,
                         PrintWriter err) throws IOException, EngineException {
        List<MeterModel> models = new ArrayList<>();
        int broken = 0;
        List<Path> files = Main.specFiles(List.of(dir));
        for (Path file : files) {
            SpecLoader.Result r = SpecLoader.load(file);
            if (r.ok()) {
                models.add(r.model());
            } else {
                broken++;
            }
        }
        String under = " under " + dir;
        if (models.isEmpty()) {
            err.println("meterspec: no spec" + under + " can decode: " + (files.isEmpty() ? "none declares a meter"
                    : files.size() + " declare a meter and every one has errors (see meterspec check " + dir + ")"));
            return null;
        }
        String skipped = broken == 0 ? "" : " (" + broken + " with errors left out)";
        if (models.size() == 1) {
            err.println("meterspec: decoding with " + models.get(0).file() + ", the one spec" + under + skipped);
            return new Choice(models.get(0), engine.load(models.get(0)));
        }
        List<MeterModel> byExample = models.stream().filter(m -> anExampleIs(m, sample)).toList();
        if (byExample.size() == 1) {
            MeterModel m = byExample.get(0);
            err.println("meterspec: decoding with " + m.file() + ", whose example is this capture" + skipped);
            return new Choice(m, engine.load(m));
        }
        List<MeterModel> candidates = byExample.isEmpty() ? models : byExample;
        List<Fit> fits = new ArrayList<>();
        try {
            List<SpecDecoder> decoders = engine.loadAll(candidates);
            for (int i = 0; i < candidates.size(); i++) {
                fits.add(fit(candidates.get(i), decoders.get(i), sample, keys, options));
            }
        } catch (EngineException e) {
            // one spec's decoder that cannot be made must not keep the others from being tried
            for (MeterModel m : candidates) {
                try {
                    fits.add(fit(m, engine.load(m), sample, keys, options));
                } catch (EngineException notThisOne) {
                    err.println("meterspec: " + notThisOne.getMessage() + "; left out");
                }
            }
            if (fits.isEmpty()) {
                throw e;
            }
        }
        Fit best = fits.get(0);
        for (Fit f : fits) {
            if (f.betterThan(best)) {
                best = f;
            }
        }
        Fit top = best;
        List<Fit> tied = fits.stream().filter(f -> f.sameAs(top)).toList();
        if (tied.size() > 1 || top.depth == 0) {
            String names = String.join(", ", tied.stream().map(f -> f.model.file()).toList());
            err.println("meterspec: decode needs one spec, and " + (top.depth == 0
                    ? "none of the " + models.size() + " specs" + under + " fits this capture" + skipped
                    : tied.size() + " of the " + models.size() + " specs" + under + " fit this capture equally well"
                            + skipped + ": " + names
                            + (top.readings == 0 && top.depth == 1 ? " (with the right key, one may decode it)" : ""))
                    + "; give one spec file with --spec");
            return null;
        }
        err.println("meterspec: decoding with " + top.model.file() + ", the spec" + under + " that fits this capture"
                + " best (of " + models.size() + ")" + skipped);
        return new Choice(top.model, top.decoder);
    }

    /** Whether the capture is one of the spec's example captures, or they begin alike. */
    static boolean anExampleIs(MeterModel model, byte[] sample) {
        for (ExampleSpec example : model.examples()) {
            byte[] capture;
            try {
                capture = ExampleRunner.capture(example);
            } catch (IOException | IllegalArgumentException e) {
                continue;
            }
            int common = Math.min(capture.length, sample.length);
            if (common > 0 && (common >= EXAMPLE_PREFIX || capture.length == sample.length)
                    && java.util.Arrays.equals(capture, 0, common, sample, 0, common)) {
                return true;
            }
        }
        return false;
    }

    /** How far a spec's decoder gets into the sample: readings, else the deepest layer an error names. */
    static Fit fit(MeterModel model, SpecDecoder decoder, byte[] sample, DecoderKeys keys,
                           DecodeOptions options) throws EngineException {
        int readings = 0;
        int depth = 0;
        for (String line : decoder.decodeAll(sample, keys, options)) {
            TelegramLine t;
            try {
                t = TelegramLine.parse(line);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (t instanceof TelegramLine.Reading) {
                readings++;
            }
            depth = Math.max(depth, depth(t));
        }
        return new Fit(model, decoder, readings, depth);
    }

    /** How far into a telegram a spec got: 4 a reading, 3 into its body, 2 its APDU, 1 its security (keys aside), 0 not past its transport. */
    private static int depth(TelegramLine t) {
        if (!(t instanceof TelegramLine.Error e)) {
            return 4;
        }
        return switch (e.layer()) {
            case "body" -> 3;
            case "apdu" -> 2;
            // not ciphered as the spec says is a mismatch; the other security errors are the keys' or the cipher's
            case "security" -> e.error().equals("SECURITY_NOT_ALLOWED") || e.error().equals("SECURITY_PLAINTEXT") ? 0 : 1;
            default -> 0;
        };
    }
}
