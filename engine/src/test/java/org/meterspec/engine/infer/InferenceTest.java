package org.meterspec.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.Engines;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.engine.TelegramLine;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;

/**
 * Inference on the captures of examples/: the draft checks, passes its own examples, and decodes
 * every value the hand-written spec decodes, by OBIS code where the telegram names the code, by
 * place (under a placeholder) where it does not.
 */
class InferenceTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final String NETZ_NOE_KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    @TempDir
    static Path cache;

    @BeforeAll
    static void cacheInBuild() {
        System.setProperty("meterspec.cache", cache.toString());
    }

    /** How a draft's decode compares with the hand-written spec's. */
    record Comparison(int exact, int scaled, int positional, List<String> mismatches, List<String> scaledCodes,
                      List<String> unitOnly) {
        boolean same() {
            return mismatches.isEmpty();
        }
    }

    static SpecDecoder decoder(MeterModel m) throws Exception {
        return Engines.named(JavaEngine.NAME).load(m);
    }

    static MeterModel load(Path spec) {
        SpecLoader.Result r = SpecLoader.load(spec);
        assertTrue(r.ok(), () -> spec + " does not check:\n" + r.report());
        return r.model();
    }

    /** Whether two decimals differ by a power of ten only: the same register, one with a scaler from documentation. */
    static boolean scaledSame(String a, String b) {
        if (a == null || b == null || !a.matches("-?[0-9]+(\\.[0-9]+)?") || !b.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return false;
        }
        java.math.BigDecimal x = new java.math.BigDecimal(a).stripTrailingZeros();
        java.math.BigDecimal y = new java.math.BigDecimal(b).stripTrailingZeros();
        return x.signum() == y.signum() && x.unscaledValue().equals(y.unscaledValue());
    }

    /** Every value of each hand-written reading, found in the draft's reading of the same telegram. */
    static Comparison compare(List<String> hand, List<String> draft) {
        int exact = 0;
        int scaled = 0;
        int positional = 0;
        List<String> bad = new ArrayList<>();
        List<String> scaledCodes = new ArrayList<>();
        List<String> unitOnly = new ArrayList<>();
        if (hand.size() != draft.size()) {
            bad.add("hand-written spec gives " + hand.size() + " lines, the draft " + draft.size());
            return new Comparison(0, 0, 0, bad, scaledCodes, List.of());
        }
        for (int i = 0; i < hand.size(); i++) {
            TelegramLine h = TelegramLine.parse(hand.get(i));
            TelegramLine d = TelegramLine.parse(draft.get(i));
            if (!(h instanceof TelegramLine.Reading hr)) {
                continue; // the hand-written spec does not decode it either
            }
            if (!(d instanceof TelegramLine.Reading dr)) {
                bad.add("telegram " + (i + 1) + ": the draft gives " + draft.get(i));
                continue;
            }
            assertEquals(hr.security(), dr.security(), "security of telegram " + (i + 1));
            List<TelegramLine.Value> left = new ArrayList<>(dr.values());
            for (TelegramLine.Value v : hr.values()) {
                // a value the hand-written spec names without a code is matched by place below
                TelegramLine.Value byCode = v.obis() == null ? null
                        : left.stream().filter(x -> v.obis().equals(x.obis())).findFirst().orElse(null);
                if (byCode != null) {
                    left.remove(byCode);
                    if (java.util.Objects.equals(byCode.value(), v.value()) && java.util.Objects.equals(byCode.unit(), v.unit())) {
                        exact++;
                    } else if (java.util.Objects.equals(byCode.value(), v.value()) && byCode.unit() == null) {
                        exact++;
                        unitOnly.add(v.obis()); // the unit is the hand-written spec's, from documentation
                    } else if (scaledSame(byCode.value(), v.value())) {
                        scaled++;
                        scaledCodes.add(v.obis());
                    } else {
                        bad.add("telegram " + (i + 1) + " " + v.obis() + ": hand-written " + v.value() + " " + v.unit()
                                + ", draft " + byCode.value() + " " + byCode.unit());
                    }
                    continue;
                }
                // a positional value the draft names by place: no code, a placeholder name
                TelegramLine.Value byPlace = left.stream().filter(x -> x.obis() == null && x.name().startsWith("unknown_")
                        && (java.util.Objects.equals(x.value(), v.value()) || scaledSame(x.value(), v.value())))
                        .findFirst().orElse(null);
                if (byPlace != null) {
                    left.remove(byPlace);
                    positional++;
                } else {
                    bad.add("telegram " + (i + 1) + " " + v.obis() + " " + v.value() + ": not in the draft's reading");
                }
            }
        }
        return new Comparison(exact, scaled, positional, bad, scaledCodes, unitOnly);
    }

    /** Infers a spec for one capture of an example and compares it with the example's spec. */
    static Comparison roundTrip(Path handSpec, String exampleName, Path dir) throws Exception {
        MeterModel hand = load(handSpec);
        ExampleSpec ex = hand.examples().stream().filter(e -> e.name().equals(exampleName)).findFirst().orElseThrow();
        return roundTrip(hand, ex, dir);
    }

    static Comparison roundTrip(MeterModel hand, ExampleSpec ex, Path dir) throws Exception {
        DecoderKeys keys = DecoderKeys.ofHex(ex.key(), ex.authKey(), null);
        byte[] bytes = ExampleRunner.capture(ex);
        Path out = dir.resolve("draft.meter");
        Path file = ex.captureFile();
        if (file == null) {
            // a capture written in the spec: the draft's example needs a file to name
            file = Files.writeString(dir.resolve("capture.hex"), java.util.HexFormat.of().withUpperCase().formatHex(bytes));
        }
        Inference.Result r = Inference.infer(List.of(new Inference.Capture(file, bytes)),
                new Inference.Options(null, out, null, keys));
        assertTrue(r.ok(), () -> "draft for " + ex.name() + " not ok: " + r.notes() + "\n" + r.spec());
        String text = Files.readString(out);
        for (String k : new String[] {ex.key(), ex.authKey()}) {
            if (k != null) {
                assertKeyAbsent(text, k);
            }
        }
        // its examples pass as written (checked by infer), and again here, through the loader and runner
        MeterModel draft = load(out);
        for (ExampleRunner.Outcome o : ExampleRunner.run(draft, decoder(draft))) {
            assertTrue(o.passed(), () -> o.problems() + "\n" + text);
        }
        List<String> handLines = decoder(hand).decodeAll(bytes, keys, DecodeOptions.DEFAULT);
        List<String> draftLines = decoder(draft).decodeAll(bytes, keys, DecodeOptions.DEFAULT);
        return compare(handLines, draftLines);
    }

    /** No 8 hex digits of the key in a row, once everything but hex digits is dropped. */
    static void assertKeyAbsent(String text, String key) {
        String k = key.toUpperCase(Locale.ROOT).replaceAll("[^0-9A-F]", "");
        String digits = text.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X", " ").replaceAll("[^0-9A-F]", "");
        for (int i = 0; i + 8 <= k.length(); i += 2) {
            assertFalse(digits.contains(k.substring(i, i + 8)), "the key is in the draft:\n" + text);
        }
    }

    @Test
    void netzNoeEncryptedMbus(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("sagemcom_t210d/netz_noe_p1.meter"), "netz-noe-p1", dir);
        assertTrue(c.same(), c.mismatches().toString());
        assertEquals(0, c.scaled(), "the telegram carries every scaler-unit: " + c.scaledCodes());
        assertEquals(12, c.exact()); // the clock (from the header) and the registers by OBIS code
        assertEquals(List.of(), c.unitOnly());
        assertEquals(1, c.positional()); // the meter number, by place
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("transport mbus {"), spec);
        assertTrue(spec.contains("sap 0x01 0x67"), spec);
        assertTrue(spec.contains("security glo {"), spec);
        assertTrue(spec.contains("control 0x20"), spec);
        assertTrue(spec.contains("repeat max 16 {\n        obis\n        value max 32\n        scaler_unit\n"), spec);
        assertTrue(spec.contains("common/obis.meter\"   // the standard OBIS names"), spec);
        assertTrue(spec.contains("expect error security SECURITY_KEY_MISSING at 12"), spec);
    }

    /** The commented expect-ok block of a ciphered capture holds: with the key put in, the example passes. */
    @Test
    void commentedValuesPassWithTheKey(@TempDir Path dir) throws Exception {
        Path capture = EXAMPLES.resolve("sagemcom_t210d/mbus_netz_noe_p1.hex");
        Path out = dir.resolve("netz.meter");
        Inference.infer(List.of(new Inference.Capture(capture, Captures.readFile(capture, 1 << 20))),
                new Inference.Options("netz_draft", out, null, DecoderKeys.ofHex(NETZ_NOE_KEY, null, null)));
        String text = Files.readString(out);
        String keyed = text.replaceAll("    expect error security SECURITY_KEY_MISSING at \\d+\n", "")
                .replace("\n//  ", "\n    ")
                .replaceFirst("(capture file \"[^\"]*\"\n)", "$1    key \"" + NETZ_NOE_KEY + "\"\n");
        Path withKey = dir.resolve("netz_keyed.meter");
        Files.writeString(withKey, keyed);
        MeterModel m = load(withKey);
        List<ExampleRunner.Outcome> outcomes = ExampleRunner.run(m, decoder(m));
        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).passed(), () -> outcomes.get(0).problems() + "\n" + keyed);
        assertTrue(keyed.matches("(?s).*\n +1\\.0\\.32\\.7\\.0\\.255 +\"233\\.7\" V\n.*"), keyed);
        assertTrue(keyed.matches("(?s).*\n +unknown_2 +\"181220000009\"\n.*"), keyed);
    }

    @Test
    void kamstrupPlainHdlcPairs(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("kamstrup_omnipower/kamstrup_omnipower.meter"), "norway-list-2-plain",
                dir);
        assertTrue(c.same(), c.mismatches().toString());
        // Kamstrup's resolutions (0.01 A) come from its documentation, not the telegram
        assertEquals(List.of("1.1.31.7.0.255", "1.1.51.7.0.255", "1.1.71.7.0.255"), c.scaledCodes());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("transport hdlc"), spec);
        assertTrue(spec.contains("security none"), spec);
        assertTrue(spec.contains("repeat max 16 {\n        obis\n        value max 32\n    }"), spec);
    }

    @Test
    void kamstrupEncryptedAndTagged(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("kamstrup_omnipower/kamstrup_omnipower.meter"), "corpus", dir);
        assertTrue(c.same(), c.mismatches().toString());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("control 0x30"), spec);
    }

    @Test
    void aidonArrayOfObisStructures(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("aidon_han/aidon_han.meter"), "corpus-3-phase", dir);
        assertTrue(c.same(), c.mismatches().toString());
        assertEquals(0, c.scaled());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("body array max "), spec);
    }

    @Test
    void kaifaPositionalListsByCount(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("kaifa_ma304/kaifa_ma304.meter"), "elwiz-lists-1-2-3", dir);
        assertTrue(c.same(), c.mismatches().toString());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("body one of {"), spec);
        assertTrue(spec.contains("value as unknown_1 uint32"), spec);
        assertFalse(spec.contains("0.0.128."), "no invented codes:\n" + spec);
        assertTrue(spec.contains("tolerate tagged_notification_datetime"), spec);
        // list 2's elements keep their placeholders in list 3
        assertEquals(2, spec.split("value as unknown_14 uint32", -1).length - 1, spec);
    }

    @Test
    void energomeraRawSelfDescribing(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("energomera_ce/energomera_ce.meter"), "corpus", dir);
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("transport raw"), spec);
        assertTrue(spec.contains("push_objects max 16"), spec);
        assertTrue(spec.contains("tolerate nul_padded_strings"), spec);
        assertTrue(c.same(), c.mismatches().toString());
        // the last event's logical name looks like an OBIS code, and is printed as one
        assertTrue(spec.contains("0.0.96.5.135.255 obis_0_0_96_5_135_255 obis"), spec);
    }

    /**
     * A flat OBIS / value pair among positional values (Siemens IM350, Wels): a group of the
     * body's own items cannot hold the values beside it, so the pair goes by place too.
     */
    @Test
    void aLonePairAmongPositionalValuesGoesByPlace(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("siemens_im350/siemens_im350_wels.meter"), "shrdzm-wels", dir);
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("value as unknown_1 octet_string max 16      // TODO unknown_1: octet_string OBIS"
                + " 0.6.25.9.0.255\n"), spec);
        assertFalse(spec.contains("    obis\n"), spec);
        // the OBIS code, date and time written as the hand-written spec writes them
        assertTrue(spec.contains("    as unknown_1 obis   // "), spec);
        assertTrue(spec.contains("    as unknown_4 datetime   // its value is a 5-byte octet-string that reads as a COSEM"
                + " date"), spec);
        assertTrue(c.same(), c.mismatches().toString());
        assertEquals(2, c.exact(), "each telegram's header clock, by code");
        assertEquals(20, c.positional(), "the body's ten values of each telegram, by place");
    }

    /** Registers with their status and a list of structures: structured values, in groups and by place. */
    @Test
    void structuredValues(@TempDir Path dir) throws Exception {
        Path feature = EXAMPLES.resolve("../conformance/src/test/resources/features/structured_values.meter").normalize();
        Comparison c = roundTrip(feature, "register with status", dir);
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("obis\n            value structure leaves 8 max 16\n"), spec);
        assertTrue(spec.contains("value as unknown_1 array leaves 8 max 16"), spec);
        assertTrue(c.same(), c.mismatches().toString());
        assertEquals(3, c.exact(), "the registers' leaves, by code");
        assertEquals(3, c.positional(), "the list's leaves, by place");
    }

    /** Every example capture the hand-written specs decode: which infer handles, and why not the others. */
    @Test
    void everyExampleCapture(@TempDir Path dir) throws Exception {
        Map<String, String> outcome = new LinkedHashMap<>();
        List<Path> specs;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            specs = walk.filter(p -> p.toString().endsWith(".meter") && SpecLoader.declaresMeter(p)).sorted().toList();
        }
        int k = 0;
        for (Path spec : specs) {
            MeterModel hand = load(spec);
            for (ExampleSpec ex : hand.examples()) {
                if (ex.captureFile() == null) {
                    continue;
                }
                String id = EXAMPLES.relativize(spec) + " " + ex.name();
                Path d = Files.createDirectories(dir.resolve("d" + k++));
                try {
                    Comparison c = roundTrip(hand, ex, d);
                    outcome.put(id, c.same() ? "ok (" + c.exact() + " by code, " + c.positional() + " by place; from the"
                            + " hand-written spec's documentation: " + c.scaled() + " scalers, " + c.unitOnly().size()
                            + " units)" : "differs: " + c.mismatches());
                } catch (InferException e) {
                    outcome.put(id, "not inferred: " + e.getMessage());
                } catch (AssertionError e) {
                    outcome.put(id, "draft not ok: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        StringBuilder report = new StringBuilder();
        outcome.forEach((id, o) -> report.append(id).append(": ").append(o).append('\n'));
        System.out.println(report);
        Files.writeString(Path.of("target", "infer-examples.txt"), report);
        List<String> notInferred = outcome.entrySet().stream().filter(e -> !e.getValue().startsWith("ok"))
                .map(Map.Entry::getKey).toList();
        // each of these is damaged, cut off, or lacks its key
        assertEquals(List.of(
                "iskra_am550/iskra_am550.meter first-frame-only",
                "kaifa_ma309m/kaifa_ma309m.meter dlms-parser-ewr-damaged",
                "kamstrup_omnipower/kamstrup_omnipower.meter corpus-wrong-authentication-key",
                "landis_gyr_e450/landis_gyr_e450.meter blocks-out-of-order",
                "sagemcom_t210d/netz_noe_p1.meter seed-uart-damaged",
                "sagemcom_t210d/netz_noe_p1.meter first-frame-of-257-bytes"), notInferred, report.toString());
        assertTrue(outcome.values().stream().filter(o -> !o.startsWith("ok")).allMatch(o -> o.startsWith("not inferred")),
                report.toString());
        assertEquals(31, outcome.size() - notInferred.size(), report.toString());
    }

    /** Sagemcom XT211: a structure of an enum and an array of {untagged attribute descriptor, value} pairs. */
    @Test
    void xt211UntaggedDescriptors(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("sagemcom_xt211/sagemcom_xt211.meter"), "corpus-xt211", dir);
        assertTrue(c.same(), c.mismatches().toString());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("    array max 32 of structure {\n        descriptor\n        value max "), spec);
        assertTrue(spec.contains("an array of {attribute descriptor, value} structures"), spec);
    }

    /** Groups whose values are arrays of 20 numbers: bounds as tight as what was seen, so the draft fits the decoder. */
    @Test
    void longStructuredValuesGetBoundsThatFit(@TempDir Path dir) throws Exception {
        StringBuilder hex = new StringBuilder("0F0000000100" + "0202");
        for (String code : List.of("0100010800FF", "0100020800FF")) {
            hex.append("0202" + "0906").append(code).append("0114");
            for (int i = 0; i < 20; i++) {
                hex.append(String.format("12%04X", i * 7));
            }
        }
        Path capture = Files.writeString(dir.resolve("arrays.hex"), hex + "\n");
        Path out = dir.resolve("arrays.meter");
        Inference.Result r = Inference.infer(List.of(new Inference.Capture(capture, Captures.readFile(capture, 1 << 20))),
                new Inference.Options(null, out, null, DecoderKeys.NONE));
        assertTrue(r.ok(), r.notes() + "\n" + r.spec());
        assertTrue(r.spec().contains("value array leaves 24 max 16\n"), r.spec());
    }

    /** Landis+Gyr ZMF100: OBIS headers sent 06 09, and a wrong FCS, each tolerated by name. */
    @Test
    void zmf100SwappedObisHeaders(@TempDir Path dir) throws Exception {
        Comparison c = roundTrip(EXAMPLES.resolve("landis_gyr_zmf100/landis_gyr_zmf100.meter"), "corpus", dir);
        assertTrue(c.same(), c.mismatches().toString());
        String spec = Files.readString(dir.resolve("draft.meter"));
        assertTrue(spec.contains("\ntolerate swapped_obis_header "), spec);
        assertTrue(spec.contains("\ntolerate bad_fcs "), spec);
        assertTrue(spec.contains("    obis\n"), spec);
    }

    /** Three captures of one meter (lists 1-3, one- and three-phase) give one layout that decodes them all. */
    @Test
    void severalAidonCapturesGiveOneLayout(@TempDir Path dir) throws Exception {
        Path a = EXAMPLES.resolve("aidon_han");
        List<Inference.Capture> caps = new ArrayList<>();
        for (String f : List.of("hdlc_norway_han_1phase.hex", "hdlc_norway_han_3phase.hex", "elwiz_aidon_lists.hex")) {
            caps.add(new Inference.Capture(a.resolve(f), Captures.readFile(a.resolve(f), 1 << 20)));
        }
        Path out = dir.resolve("aidon.meter");
        Inference.Result r = Inference.infer(caps, new Inference.Options(null, out, null, DecoderKeys.NONE));
        assertTrue(r.ok(), r.notes() + "\n" + r.spec());
        MeterModel hand = load(a.resolve("aidon_han.meter"));
        MeterModel draft = load(out);
        for (Inference.Capture c : caps) {
            Comparison cmp = compare(decoder(hand).decodeAll(c.bytes(), DecoderKeys.NONE, DecodeOptions.DEFAULT),
                    decoder(draft).decodeAll(c.bytes(), DecoderKeys.NONE, DecodeOptions.DEFAULT));
            assertTrue(cmp.same(), c.file() + ": " + cmp.mismatches());
        }
    }

    @Test
    void pathsRelativeToTheDraft() {
        Path dir = Path.of("/work/x/specs");
        assertEquals("../examples/common/obis.meter", Inference.relative(dir, Path.of("/work/x/examples/common/obis.meter")));
        assertEquals("/tmp/a.hex", Inference.relative(dir, Path.of("/tmp/a.hex")));
        assertEquals("a.hex", Inference.relative(dir, Path.of("/work/x/specs/a.hex")));
    }
}
