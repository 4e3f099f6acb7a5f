package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.cli.Cli.CAPTURE;
import static org.meterspec.cli.Cli.EXAMPLES;
import static org.meterspec.cli.Cli.KEY;
import static org.meterspec.cli.Cli.SPEC;
import static org.meterspec.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meterspec.cli.Cli.Run;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Json;

/** {@code meterspec infer} end to end: the draft it writes checks, passes its test, and decodes as the example spec. */
class InferCommandTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cacheInTheBuild() {
        Cli.useCacheIn(cache);
    }

    /** OBIS code to value (and unit) of each value of a decode --json line, in order; placeholders by place. */
    static Map<String, String> values(String jsonLine) {
        Map<String, String> out = new LinkedHashMap<>();
        // by code, or "name:" and the name for a value without one
        Matcher m = Pattern.compile("\\{(?:\"obis\":\"([0-9.]+)\",)?(?:\"name\":\"([^\"]*)\",)?\"value\":(null|\"[^\"]*\")"
                + "(?:,\"unit\":\"([^\"]*)\")?\\}").matcher(jsonLine);
        while (m.find()) {
            out.putIfAbsent(m.group(1) != null ? m.group(1) : "name:" + m.group(2),
                    m.group(3) + (m.group(4) != null ? " " + m.group(4) : ""));
        }
        return out;
    }

    static void assertNoKeyIn(String text) {
        String digits = text.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X", " ").replaceAll("[^0-9A-F]", "");
        for (int i = 0; i + 8 <= KEY.length(); i += 2) {
            assertFalse(digits.contains(KEY.substring(i, i + 8)), "the key is in:\n" + text);
        }
    }

    @Test
    void netzNoeDraftChecksPassesItsTestAndDecodesAsTheExampleSpec() throws Exception {
        Path draft = tmp.resolve("netz_draft.meter");
        Run infer = run("infer", "--key", KEY, CAPTURE, "-o", draft.toString()).assertKeyNeverPrinted()
                .assertNoStackTrace();
        assertEquals(0, infer.code(), infer.out() + infer.err());
        assertTrue(infer.out().contains("wrote " + draft), infer.out());
        String spec = Files.readString(draft);
        assertNoKeyIn(spec);
        assertTrue(spec.startsWith("// Draft spec written by 'meterspec infer'"), spec);
        assertTrue(spec.contains("meter netz_draft "), spec);

        Run check = run("check", draft.toString());
        assertEquals(0, check.code(), check.err());
        Run test = run("test", draft.toString());
        assertEquals(0, test.code(), test.out() + test.err());
        assertTrue(test.out().contains("1 passed, 0 failed"), test.out());

        Run hand = run("decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE);
        Run mine = run("decode", "--json", "--spec", draft.toString(), "--key", KEY, CAPTURE).assertKeyNeverPrinted();
        assertEquals(0, mine.code(), mine.err());
        Map<String, String> expected = values(hand.out());
        Map<String, String> got = values(mine.out());
        int byCode = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (got.containsKey(e.getKey())) {
                assertEquals(e.getValue(), got.get(e.getKey()), e.getKey());
                byCode++;
            } else {
                // a positional value: without a code, under a placeholder name, with the same value
                assertTrue(got.entrySet().stream().anyMatch(g -> g.getKey().startsWith("name:unknown_")
                        && g.getValue().equals(e.getValue())), e + " not in " + got);
            }
        }
        assertEquals(12, byCode, got.toString());
    }

    @Test
    void theKeyFromAFileIsNotWrittenEither() throws Exception {
        Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, KEY.toLowerCase(Locale.ROOT).replaceAll("(..)", "$1:").replaceFirst(":$", "\n"));
        Path draft = tmp.resolve("d.meter");
        Run r = run("infer", "--key", "@" + keyFile, CAPTURE, "-o", draft.toString(), "--name", "my_meter")
                .assertKeyNeverPrinted();
        assertEquals(0, r.code(), r.err());
        String spec = Files.readString(draft);
        assertNoKeyIn(spec);
        assertTrue(spec.contains("meter my_meter "), spec);
        assertTrue(spec.contains("TODO key"), spec);
    }

    @ParameterizedTest
    @CsvSource({
        "kamstrup_omnipower/hdlc_kamstrup_norway_plain.hex, transport hdlc",
        "aidon_han/hdlc_norway_han_3phase.hex, body array max",
        "kaifa_ma304/elwiz_kaifa_lists.hex, body one of {",
        "energomera_ce/raw_energomera.hex, push_objects max",
    })
    void plainCapturesGiveDraftsThatCheckAndPass(String capture, String says) throws Exception {
        Path draft = tmp.resolve("draft.meter");
        Run r = run("infer", EXAMPLES.resolve(capture).toString(), "-o", draft.toString()).assertNoStackTrace();
        assertEquals(0, r.code(), r.out() + r.err());
        String spec = Files.readString(draft);
        assertTrue(spec.contains(says), spec);
        assertEquals(0, run("check", draft.toString()).code());
        Run test = run("test", draft.toString());
        assertEquals(0, test.code(), test.out());
    }

    @ParameterizedTest
    @CsvSource({
        "kamstrup_omnipower/hdlc_kamstrup_norway_plain.hex, common/zcl_channel1.meter\"",
        "aidon_han/hdlc_norway_han_3phase.hex, common/zcl.meter\"",
        "kaifa_ma304/elwiz_kaifa_lists.hex, ",
    })
    void aDraftWhoseBodyNamesItsCodesGetsTheZigbeeMappingForItsChannel(String capture, String imports) throws Exception {
        // named after a keyword of the spec language, which the meter's name cannot be as it is
        Path draft = tmp.resolve("body.meter");
        Run r = run("infer", EXAMPLES.resolve(capture).toString(), "-o", draft.toString()).assertNoStackTrace();
        assertTrue(Files.readString(draft).contains("\nmeter body_meter "), Files.readString(draft));
        assertEquals(0, r.code(), r.out() + r.err());
        String spec = Files.readString(draft);
        Run zcl = run("zcl", "--spec", draft.toString());
        if (imports == null) {
            // positional values under placeholder codes map onto nothing
            assertTrue(!spec.contains("zcl"), spec);
            assertEquals(2, zcl.code(), zcl.out());
        } else {
            assertTrue(spec.contains(imports), spec);
            assertEquals(0, zcl.code(), zcl.err());
            assertTrue(zcl.out().contains("currentSummDelivered"), zcl.out());
        }
    }

    @Test
    void aDraftFarFromTheStandardNamesNamesTheHeaderClockItself() throws Exception {
        // a capture and a draft where no common/obis.meter is above either, as in a user's own folder
        Path capture = tmp.resolve("iskra.hex");
        Files.copy(EXAMPLES.resolve("iskra_am550/hdlc_iskra550.hex"), capture);
        Path draft = tmp.resolve("iskra.meter");
        Run r = run("infer", capture.toString(), "-o", draft.toString()).assertNoStackTrace();
        assertEquals(0, r.code(), r.out() + r.err());
        String spec = Files.readString(draft);
        assertTrue(spec.contains("TODO: import the standard OBIS names"), spec);
        assertTrue(spec.contains("    datetime required as 0.0.1.0.0.255"), spec);
        assertTrue(spec.contains("    0.0.1.0.0.255 clock datetime"), spec);
        assertEquals(0, run("check", draft.toString()).code());
        assertEquals(0, run("test", draft.toString()).code());
    }

    @Test
    void severalListsOfOneMeterGiveOneLayout() throws Exception {
        Path draft = tmp.resolve("kamstrup.meter");
        Path k = EXAMPLES.resolve("kamstrup_omnipower");
        Run r = run("infer", k.resolve("hdlc_kamstrup_norway_plain.hex").toString(),
                k.resolve("hdlc_kamstrup_norway_2017.hex").toString(),
                k.resolve("hdlc_kamstrup_amsreader_lists.hex").toString(), "-o", draft.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        String spec = Files.readString(draft);
        assertEquals(3, spec.split("\nexample \"", -1).length - 1, spec);
        assertTrue(spec.contains("tolerate tagged_notification_datetime"), spec); // the 2017 firmware's header
        assertTrue(spec.contains("    repeat max 32 {\n        obis\n        value max 32\n    }"), spec); // lists 2 and 3
        Run test = run("test", draft.toString());
        assertEquals(0, test.code(), test.out());
        assertTrue(test.out().contains("3 passed, 0 failed"), test.out());
    }

    @Test
    void aCaptureItCannotReadSaysWhyWithoutAStackTrace() throws IOException {
        // the XT211's first descriptor names class 0x2A00, which is none, nor is 0x2A a tag: neither reading takes it
        byte[] b = Captures.readFile(EXAMPLES.resolve("sagemcom_xt211/raw_sagemcom_xt211.hex"), 1 << 20);
        b[14] = 0x2A;
        b[15] = 0x00;
        Path capture = Files.writeString(tmp.resolve("untagged.hex"), Json.hex(b));
        Run r = run("infer", capture.toString(), "-o", tmp.resolve("x.meter").toString()).assertNoStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Read also with OBIS headers sent 06 09 and with untagged attribute descriptors"),
                r.err());
        assertFalse(Files.exists(tmp.resolve("x.meter")));
    }

    @Test
    void aCipheredCaptureWithoutTheKeySaysSo() {
        Run r = run("infer", CAPTURE, "-o", tmp.resolve("x.meter").toString()).assertNoStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --key"), r.err());
    }

    @Test
    void badUsage() {
        assertEquals(2, run("infer", CAPTURE).code()); // no -o
        assertEquals(2, run("infer", tmp.resolve("missing.hex").toString(), "-o", tmp.resolve("x.meter").toString())
                .code());
        assertEquals(2, run("infer", CAPTURE, "-o", tmp.toString()).code()); // a directory
        Run badKey = run("infer", "--key", "00112233", CAPTURE, "-o", tmp.resolve("x.meter").toString());
        assertEquals(2, badKey.code());
        // nothing written on bad usage
        assertFalse(Files.exists(tmp.resolve("x.meter")));
    }
}
