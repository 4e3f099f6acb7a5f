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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meterspec.cli.Cli.Run;

/** The command line as a new user tries it: help, usage, a directory of specs, a spec with errors. */
class UsageTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cacheInTheBuild() {
        Cli.useCacheIn(cache);
    }

    @ParameterizedTest
    @CsvSource({"check,--help", "check,-h", "generate,--help", "generate,-h", "decode,--help", "decode,-h",
            "inspect,--help", "inspect,-h", "infer,--help", "infer,-h",
            "test,--help", "test,-h", "read,--help", "read,-h", "ports,--help", "ports,-h", "replay,--help",
            "replay,-h"})
    void everyCommandPrintsItsHelpAndExitsZero(String command, String flag) {
        Run r = run(command, flag);

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("Usage: meterspec " + command + " "), r.out());
        assertTrue(r.out().contains("-h, --help"), r.out());
    }

    @Test
    void noArgumentsPrintsTheUsageOnStandardErrorAndExitsTwo() {
        Run r = run();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("Usage: meterspec "), r.err());
        assertTrue(r.err().contains("decode"), r.err());
    }

    @Test
    void theTopLevelHelpSaysWhatEachCommandDoesInWholeSentences() {
        Run r = run("--help");

        assertEquals(0, r.code(), r.err());
        List<String> commands = r.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1).toList();
        assertEquals(11, commands.size(), r.out()); // 7, infer, and read, ports, replay (registered in Main)
        for (String line : commands) {
            assertTrue(line.matches("  [a-z]+ +[A-Z].*\\.$"), "not one whole sentence: '" + line + "'\n" + r.out());
        }
    }

    // ---- decode --spec DIR -------------------------------------------------------------------

    @Test
    void decodeWithADirectoryTakesTheSpecWhoseExampleIsTheCapture() {
        Run viaDirectory = run("decode", "--json", "--spec", EXAMPLES.toString(), "--key", KEY, CAPTURE)
                .assertKeyNeverPrinted();
        Run viaFile = run("decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE);

        assertEquals(0, viaDirectory.code(), viaDirectory.err());
        assertEquals(viaFile.out(), viaDirectory.out());
        assertEquals("meterspec: decoding with " + SPEC.replace('\\', '/') + ", whose example is this capture\n",
                viaDirectory.err());
    }

    /** The Kamstrup capture with three bytes of noise before it: no example begins like it. */
    private Path shiftedKamstrupCapture() throws IOException {
        Path capture = tmp.resolve("kamstrup.hex");
        Files.writeString(capture, "00 11 22\n" + Files.readString(
                EXAMPLES.resolve("kamstrup_omnipower").resolve("hdlc_kamstrup_norway_plain.hex")));
        return capture;
    }

    @Test
    void decodeWithADirectoryTakesTheOneSpecWhoseLayersFit() throws IOException {
        Path specs = tmp.resolve("specs");
        Cli.copyExamples(specs, "common", "kamstrup_omnipower", "sagemcom_t210d");
        Files.delete(specs.resolve("kamstrup_omnipower/kamstrup_omnipower_ct.meter"));
        Files.delete(specs.resolve("kamstrup_omnipower/kamstrup_omnipower_se.meter"));

        Run r = run("decode", "--json", "--spec", specs.toString(), shiftedKamstrupCapture().toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"telegram\":1,\"status\":\"ok\",\"meter\":\"kamstrup_omnipower\","), r.out());
        String spec = specs.resolve("kamstrup_omnipower/kamstrup_omnipower.meter").toString().replace('\\', '/');
        assertEquals("meterspec: decoding with " + spec + ", the spec under " + specs
                + " that fits this capture best (of 3)\n", r.err());
    }

    @Test
    void decodeWithADirectoryLeavesOutSpecsWhoseDecoderCannotBeMade() throws IOException {
        Path specs = tmp.resolve("specs");
        Cli.copyExamples(specs, "common", "kamstrup_omnipower", "sagemcom_t210d");
        Files.delete(specs.resolve("kamstrup_omnipower/kamstrup_omnipower_ct.meter"));
        Files.delete(specs.resolve("kamstrup_omnipower/kamstrup_omnipower_se.meter"));

        Run r = run("decode", "--engine", FailingEngine.NAME, "--json", "--spec", specs.toString(),
                shiftedKamstrupCapture().toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"telegram\":1,\"status\":\"ok\",\"meter\":\"kamstrup_omnipower\","), r.out());
        List<String> err = r.err().lines().toList();
        assertEquals(3, err.size(), r.err());
        assertTrue(err.get(0).matches("meterspec: the decoder generated from .*netz_noe_p1.meter does not compile"
                + " \\(a meterspec bug\\): .*; left out"), err.get(0));
        assertTrue(err.get(1).matches("meterspec: the decoder generated from .*t210d_apdu.meter does not compile"
                + " \\(a meterspec bug\\): .*; left out"), err.get(1));
        assertTrue(err.get(2).startsWith("meterspec: decoding with "), err.get(2));
    }

    @Test
    void decodeWithADirectoryWhereSeveralSpecsFitSaysItNeedsOneAndNamesThem() throws IOException {
        Path specs = tmp.resolve("specs");
        Cli.copyExamples(specs, "common", "kamstrup_omnipower", "sagemcom_t210d");

        Run r = run("decode", "--spec", specs.toString(), shiftedKamstrupCapture().toString());

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("meterspec: decode needs one spec, and 3 of the 5 specs under " + specs
                + " fit this capture equally well: "), r.err());
        for (String name : List.of("kamstrup_omnipower.meter", "kamstrup_omnipower_ct.meter", "kamstrup_omnipower_se.meter")) {
            assertTrue(r.err().contains(name), r.err());
        }
        assertFalse(r.err().contains("netz_noe_p1"), r.err());
        assertTrue(r.err().endsWith("; give one spec file with --spec\n"), r.err());
    }

    @Test
    void decodeWithADirectoryNoSpecFitsSaysSo() throws IOException {
        Path specs = tmp.resolve("specs");
        Cli.copyExamples(specs, "common", "kamstrup_omnipower");
        Path noise = Files.writeString(tmp.resolve("noise.hex"), "68 01 02 03 04 05\n");

        Run r = run("decode", "--spec", specs.toString(), noise.toString());

        assertEquals(2, r.code());
        assertEquals("meterspec: decode needs one spec, and none of the 3 specs under " + specs
                + " fits this capture; give one spec file with --spec\n", r.err());
    }

    // ---- test --------------------------------------------------------------------------------

    @Test
    void testOfASpecWithErrorsPrintsItsDiagnosticsAndNoCount() throws IOException {
        Path bad = tmp.resolve("bad.meter");
        Files.writeString(bad, "meter bad\ntransport raw\n");

        Run r = run("test", bad.toString());

        assertEquals(2, r.code());
        assertEquals("", r.out(), "nothing ran, so nothing passed or failed");
        assertTrue(r.err().startsWith(bad.toString().replace('\\', '/') + ":1:1: error[MS012]: "), r.err());
        assertTrue(r.err().endsWith("meterspec: 1 spec has errors; its examples did not run\n"), r.err());
    }

    @Test
    void testOfAGoodAndABadSpecCountsTheGoodOnesAndExitsTwo() throws IOException {
        Path bad = tmp.resolve("bad.meter");
        Files.writeString(bad, "meter bad\ntransport raw\n");

        Run r = run("test", SPEC, bad.toString());

        assertEquals(2, r.code());
        assertTrue(r.out().matches("(?s)(PASS [^\n]*\n)+\\d+ passed, 0 failed\n"), r.out());
        assertTrue(r.err().contains("error[MS012]"), r.err());
    }
}
