package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meterspec.runtime.Version;

/** The {@code meterspec} command run in-process against the real example specs. */
class MainTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path T210D = EXAMPLES.resolve("sagemcom_t210d");
    static final String SPEC = T210D.resolve("netz_noe_p1.meter").toString();
    static final String CAPTURE = T210D.resolve("mbus_netz_noe_p1.hex").toString();
    static final String KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        /** Neither stream holds the key, in any case, nor its first or last half. */
        Run assertKeyNeverPrinted() {
            for (String stream : List.of(out, err)) {
                String upper = stream.toUpperCase(Locale.ROOT);
                assertFalse(upper.contains(KEY), "the key was printed:\n" + stream);
                assertFalse(upper.contains(KEY.substring(0, 16)), "half the key was printed:\n" + stream);
                assertFalse(upper.contains(KEY.substring(16)), "half the key was printed:\n" + stream);
            }
            return this;
        }

        void assertNoStackTrace() {
            assertFalse(err.contains("Exception"), err);
            assertFalse(err.contains("\tat "), err);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            int code = Main.run(args, o, e);
            o.flush();
            e.flush();
            return new Run(code, out.toString(), err.toString());
        }
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }

    @TempDir
    static Path cache;

    @BeforeAll
    static void compiledDecodersAreCachedOutsideTheUsersHome() {
        System.setProperty("meterspec.cache", cache.toString());
    }

    @BeforeAll
    static void keysComeOnlyFromTheCommandLine() {
        assumeTrue(System.getenv("METERSPEC_KEY") == null, "METERSPEC_KEY is set in this environment");
        assumeTrue(System.getenv("METERSPEC_AUTH_KEY") == null, "METERSPEC_AUTH_KEY is set in this environment");
    }

    // ---- check -------------------------------------------------------------------------------

    @Test
    void checkOfAGoodSpecExitsZeroAndSummarisesIt() {
        Run r = run("check", SPEC);

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(1, lines(r.out()).size(), r.out());
        assertTrue(r.out().startsWith("ok " + SPEC.replace('\\', '/') + ": meter netz_noe_p1, "), r.out());
    }

    @Test
    void checkOfTheExamplesDirectoryChecksEveryMeterButNotSharedFiles() {
        Run r = run("check", EXAMPLES.toString());

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(lines(r.out()).stream().allMatch(l -> l.startsWith("ok ")), r.out());
        assertTrue(r.out().contains(": meter netz_noe_p1,"), r.out());
        assertTrue(r.out().contains(": meter t210d_apdu,"), r.out());
        assertFalse(r.out().contains("obis.meter"), "a shared definitions file is not a meter: " + r.out());
        assertFalse(r.out().contains("t210d_layout.meter"), r.out());
    }

    @Test
    void checkOfABadSpecExitsTwoAndPrintsEveryDiagnosticOnErr() throws IOException {
        Path bad = tmp.resolve("bad.meter");
        Files.writeString(bad, String.join("\n",
                "meter bad",
                "transport raw",
                "body structure {",
                "    value 1.0.1.8.0.255 as energy uint32",
                "    value 0.0.96.1.0.255 as serial visible_string",
                "}",
                "values {",
                "    1.0.1.8.0.255 energy_import unit Volts",
                "}",
                ""));

        Run r = run("check", bad.toString());

        assertEquals(2, r.code());
        assertEquals("", r.out());
        String file = bad.toString().replace('\\', '/');
        assertEquals(List.of(
                file + ":5:5: error[MS040]: value can be visible_string, which needs a length bound",
                "    |     value 0.0.96.1.0.255 as serial visible_string",
                "    |     ^",
                "    = hint: add 'max N', the most bytes it may hold (bits for bit_string)",
                file + ":8:38: error[MS022]: 'Volts' is not a DLMS unit",
                "    |     1.0.1.8.0.255 energy_import unit Volts",
                "    |                                      ^"), lines(r.err()).subList(0, 7));
        r.assertNoStackTrace();
    }

    @Test
    void checkOfAGoodAndABadSpecReportsBothAndExitsTwo() throws IOException {
        Path bad = tmp.resolve("nometer.meter");
        Files.writeString(bad, "transport raw\n");

        Run r = run("check", SPEC, bad.toString());

        assertEquals(2, r.code());
        assertTrue(r.out().startsWith("ok "), r.out());
        assertTrue(r.err().startsWith(bad.toString().replace('\\', '/') + ":1:1: error[MS010]: "), r.err());
    }

    // ---- decode ------------------------------------------------------------------------------

    static final String JSON_READING = "{\"telegram\":1,\"status\":\"ok\",\"meter\":\"netz_noe_p1\","
            + "\"system_title\":\"4B464D6750000009\",\"frame_counter\":35,\"security\":";
    static final String JSON_HEAD = JSON_READING + "\"encrypted\",\"values\":[";

    @Test
    void decodeJsonPrintsTheCanonicalLine() {
        Run r = run("decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> out = lines(r.out());
        assertEquals(1, out.size(), r.out());
        String line = out.get(0);
        assertTrue(line.startsWith(JSON_HEAD), line);
        assertTrue(line.endsWith("]}"), line);
        assertTrue(line.contains("{\"obis\":\"0.0.1.0.0.255\",\"name\":\"clock\",\"value\":\"2021-09-27T09:47:15.00+02:00\"}"), line);
        assertTrue(line.contains("{\"obis\":\"1.0.1.8.0.255\",\"name\":\"energy_import\",\"value\":\"12937\",\"unit\":\"Wh\"}"), line);
        assertTrue(line.contains("{\"obis\":\"1.0.32.7.0.255\",\"name\":\"voltage_l1\",\"value\":\"233.7\",\"unit\":\"V\"}"), line);
        assertTrue(line.contains("{\"obis\":\"1.0.13.7.0.255\",\"name\":\"power_factor\",\"value\":\"1.000\"}"), line);
        assertTrue(line.endsWith("{\"obis\":\"0.0.96.1.0.255\",\"name\":\"meter_number\",\"value\":\"181220000009\"}]}"), line);
        assertEquals(13, line.split("\"obis\":", -1).length - 1, "13 values: " + line);
    }

    @Test
    void decodeWithoutJsonPrintsAReadableTable() {
        Run r = run("decode", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        List<String> out = lines(r.out());
        assertEquals("#1 ok: netz_noe_p1, system title 4B464D6750000009, frame counter 35, security encrypted", out.get(0));
        assertEquals(14, out.size(), r.out());
        assertTrue(out.stream().anyMatch(l -> l.matches("\\s+1\\.0\\.1\\.8\\.0\\.255\\s+energy_import\\s+12937 Wh")), r.out());
    }

    @Test
    void decodeWithoutKeyReportsTheMissingKeyAndExitsOne() {
        Run r = run("decode", "--json", "--spec", SPEC, CAPTURE).assertKeyNeverPrinted();

        assertEquals(1, r.code());
        assertTrue(r.out().matches("\\{\"telegram\":1,\"status\":\"error\",\"layer\":\"security\","
                + "\"error\":\"SECURITY_KEY_MISSING\",\"offset\":\\d+\\}\\R"), r.out());
    }

    @Test
    void decodeWithKeyFromAFileDecodesLikeTheKeyItself() throws IOException {
        Path keyFile = tmp.resolve("p1.key");
        Files.writeString(keyFile, KEY.toLowerCase(Locale.ROOT) + "\n");

        Run fromFile = run("decode", "--json", "--spec", SPEC, "--key", "@" + keyFile, CAPTURE).assertKeyNeverPrinted();
        Run inline = run("decode", "--json", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, fromFile.code(), fromFile.err());
        assertTrue(fromFile.out().startsWith(JSON_HEAD), fromFile.out());
        assertEquals(inline.out(), fromFile.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "36C66639E48A8CA4D6BC8B282A793BB",    // 31 digits
        "36C66639E48A8CA4D6BC8B282A793BBB0",  // 33 digits
        "36C66639E48A8CA4D6BC8B282A793BXB",   // not hex
        "36C66639E48A8CA4-D6BC8B282A793BBB",  // a separator that is not allowed
    })
    void malformedKeyExitsTwoWithoutEchoingIt(String key) {
        Run r = run("decode", "--json", "--spec", SPEC, "--key", key, CAPTURE).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("meterspec: the encryption key "), r.err());
        assertFalse(r.err().contains(key), r.err());
        assertFalse(r.err().toUpperCase(Locale.ROOT).contains("36C66639"), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void malformedKeyInAKeyFileExitsTwoWithoutEchoingIt() throws IOException {
        Path keyFile = tmp.resolve("short.key");
        Files.writeString(keyFile, KEY.substring(0, 30) + "\n");

        Run r = run("decode", "--spec", SPEC, "--key", "@" + keyFile, CAPTURE).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertFalse(r.err().contains(KEY.substring(0, 30)), r.err());
        assertTrue(r.err().contains("must be 16 bytes"), r.err());
    }

    @Test
    void keyFileThatDoesNotExistExitsTwo() {
        Run r = run("decode", "--spec", SPEC, "--key", "@" + tmp.resolve("absent.key"), CAPTURE);

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot read the encryption key file " + tmp.resolve("absent.key") + ": no such file\n",
                r.err().replace("\r\n", "\n"));
    }

    @Test
    void keyMistakenForAKeyFileIsNotEchoed() {
        Run r = run("decode", "--spec", SPEC, "--key", "@" + KEY, CAPTURE);

        assertEquals(2, r.code());
        r.assertKeyNeverPrinted();
    }

    @Test
    void authenticationKeyIsNeverPrintedEither() {
        Run r = run("decode", "--json", "--spec", SPEC, "--key", KEY, "--auth-key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(JSON_READING), r.out());
    }

    @Test
    void captureThatIsNotHexExitsTwoWithAMessageAndNoStackTrace() throws IOException {
        Path capture = tmp.resolve("notes.txt");
        Files.writeString(capture, "68 FA FA 68\nthe meter sent this at 09:47\n");

        Run r = run("decode", "--json", "--spec", SPEC, "--key", KEY, capture.toString()).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("meterspec: " + capture + " is neither binary nor hex text: line 2"), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void captureThatDoesNotExistExitsTwoWithAMessage() {
        String missing = tmp.resolve("absent.hex").toString();

        Run r = run("decode", "--spec", SPEC, "--key", KEY, missing).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("meterspec: cannot read " + missing), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void captureWithoutTelegramsExitsOne() throws IOException {
        Path empty = tmp.resolve("empty.hex");
        Files.writeString(empty, "# nothing captured\n");

        Run r = run("decode", "--spec", SPEC, "--key", KEY, empty.toString()).assertKeyNeverPrinted();

        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("meterspec: no telegram found in " + empty + "\n", r.err().replace("\r\n", "\n"));
    }

    @Test
    void decodeWithABadSpecExitsTwoWithItsDiagnostics() throws IOException {
        Path bad = tmp.resolve("bad.meter");
        Files.writeString(bad, "meter bad\nbody structure { value 1.0.1.8.0.255 as e uint32 }\n");

        Run r = run("decode", "--spec", bad.toString(), "--key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith(bad.toString().replace('\\', '/') + ":1:1: error[MS012]: meter 'bad' has no transport section"),
                r.err());
    }

    // ---- generate ----------------------------------------------------------------------------

    @Test
    void generatedJavaStartsWithTheBannerAndIsTheSameEveryTime() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");

        Run a = run("generate", "--lang", "java", "-o", first.toString(), SPEC);
        Run b = run("generate", "--lang", "java", "-o", second.toString(), SPEC);

        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        Path file = only(first);
        assertEquals("generated " + file, a.out().strip());
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(Version.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), "version " + Version.VERSION);
        assertEquals("// Code generated by meterspec " + Version.VERSION + " from " + SPEC.replace('\\', '/')
                + ". DO NOT EDIT.", text.get(0));
        Path other = second.resolve(first.relativize(file));
        assertEquals(List.of(other), List.of(only(second)));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(other), "generating twice gives other bytes");
    }

    @Test
    void generatingAgainIntoTheSameDirectoryLeavesTheBytesAlone() throws IOException {
        Path out = tmp.resolve("gen");
        assertEquals(0, run("generate", "--lang", "java", "-o", out.toString(), SPEC).code());
        Path file = only(out);
        byte[] before = Files.readAllBytes(file);

        assertEquals(0, run("generate", "--lang", "java", "-o", out.toString(), SPEC).code());

        assertEquals(List.of(file), List.of(only(out)));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void z2mConverterStartsWithTheBannerMatchesTheReadersModelIdAndIsTheSameEveryTime() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");

        Run a = run("generate", "--lang", "z2m", "-o", first.toString(), SPEC);
        Run b = run("generate", "--lang", "z2m", "-o", second.toString(), SPEC);

        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        Path file = only(first);
        assertEquals("netz_noe_p1.mjs", file.getFileName().toString());
        assertEquals("generated " + file, a.out().strip());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("// Code generated by meterspec " + Version.VERSION + " from " + SPEC.replace('\\', '/')
                + ". DO NOT EDIT.\n"), text.lines().findFirst().orElse(""));
        assertTrue(text.contains("zigbeeModel: [\"meterspec.netz_noe_p1\"]"), text);
        assertTrue(text.contains("export default {"), text);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(only(second)), "generating twice gives other bytes");
    }

    @Test
    void z2mConverterOfASpecWithoutZigbeeExitsTwoAndWritesNothing() throws IOException {
        Path plain = tmp.resolve("plain.meter");
        Files.writeString(plain, String.join("\n", "meter plain", "transport raw", "security none",
                "body structure {", "    value 1.0.1.8.0.255 as energy uint32", "}", ""));
        Path out = tmp.resolve("out");

        Run r = run("generate", "--lang", "z2m", "-o", out.toString(), SPEC, plain.toString());

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("plain.meter has no zigbee section"), r.err());
        assertTrue(r.err().contains("import \"../common/zcl.meter\""), r.err());
        assertFalse(Files.exists(out), "written although a spec failed: " + (Files.exists(out) ? listFiles(out) : ""));
    }

    @Test
    void generateWithAnUnknownLanguageExitsTwo() {
        Run r = run("generate", "--lang", "cobol", "-o", tmp.toString(), SPEC);

        assertEquals(2, r.code());
        assertTrue(r.err().contains("cobol"), r.err());
        assertEquals(List.of(), listFiles(tmp));
    }

    private static Path only(Path dir) throws IOException {
        List<Path> files = listFiles(dir);
        assertEquals(1, files.size(), "files under " + dir + ": " + files);
        return files.get(0);
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- test --------------------------------------------------------------------------------

    @Test
    void testOfTheExamplesPassesEveryExample() {
        Run r = run("test", EXAMPLES.toString()).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.out() + r.err());
        List<String> out = lines(r.out());
        List<String> results = out.subList(0, out.size() - 1);
        assertFalse(results.isEmpty());
        assertTrue(results.stream().allMatch(l -> l.startsWith("PASS ")), r.out());
        assertTrue(results.contains("PASS " + SPEC.replace('\\', '/') + ": netz-noe-p1"), r.out());
        assertEquals(results.size() + " passed, 0 failed", out.get(out.size() - 1));
    }

    @Test
    void testOfASpecWhoseExampleFailsExitsOneAndSaysWhy() throws IOException {
        // the example's layout and the names it imports, next to a spec whose example expects too much
        Files.createDirectories(tmp.resolve("common"));
        Files.createDirectories(tmp.resolve("t210d"));
        Files.copy(EXAMPLES.resolve("common/obis.meter"), tmp.resolve("common/obis.meter"));
        Files.copy(T210D.resolve("t210d_layout.meter"), tmp.resolve("t210d/t210d_layout.meter"));
        Files.copy(Path.of(CAPTURE), tmp.resolve("t210d/p1.hex"));
        Path spec = tmp.resolve("t210d/wrong.meter");
        Files.writeString(spec, String.join("\n",
                "meter wrong",
                "import \"t210d_layout.meter\"",
                "transport mbus",
                "security glo",
                "notification { datetime required }",
                "example \"off by one\" {",
                "    capture file \"p1.hex\"",
                "    key \"" + KEY + "\"",
                "    expect ok { frame_counter 36 }",
                "}",
                ""));

        Run r = run("test", spec.toString()).assertKeyNeverPrinted();

        assertEquals(1, r.code(), r.err());
        List<String> out = lines(r.out());
        assertTrue(out.get(0).startsWith("FAIL " + spec.toString().replace('\\', '/') + ": off by one ("), r.out());
        assertEquals("    telegram 1: frame counter is 35, expected 36", out.get(1));
        assertEquals("0 passed, 1 failed", out.get(out.size() - 1));
    }

    @Test
    void anUntypedSkipAsAnAlternativeTakesAStructureAsTheCheckerAllows() throws IOException {
        Path spec = tmp.resolve("skip.meter");
        Files.writeString(spec, String.join("\n",
                "meter skipping",
                "transport raw",
                "security none",
                "body one of { skip max 20 }",
                "example \"a structure skipped\" {",
                "    capture hex \"0F 00000001 00 02 01 11 05\"",
                "    expect ok { security none }",
                "}",
                ""));

        Run r = run("test", spec.toString());

        assertEquals(0, r.code(), r.out() + r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "c"})
    void aFailedExampleThatStopsInTheBodyNamesTheElementReading(String engine) throws IOException {
        Path spec = tmp.resolve("stops.meter");
        Files.writeString(spec, String.join("\n",
                "meter stops",
                "transport raw",
                "security none",
                "body structure {",
                "    value 1.0.1.8.0.255 as energy uint32",
                "    value 1.0.2.8.0.255 as export uint32",
                "}",
                "example \"the second value is a uint16\" {",
                "    capture hex \"0F 00000001 00 02 02 06 00000001 12 0002\"",
                "    expect ok { security none }",
                "}",
                ""));

        Run r = run("test", "--engine", engine, spec.toString());

        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("telegram 1: expected a reading, got body error BODY_TYPE at offset 13, where"
                + " value 1.0.2.8.0.255 uint32 (" + spec + ":6:5) expects a value of type uint32\n"), r.out());
    }

    // ---- usage -------------------------------------------------------------------------------

    @Test
    void unknownSubcommandExitsTwo() {
        Run r = run("frobnicate", SPEC);

        assertEquals(2, r.code());
        assertTrue(r.err().contains("'frobnicate'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionExitsTwo() {
        Run r = run("check", "--strict", SPEC);

        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--strict'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void decodeWithoutSpecExitsTwo() {
        Run r = run("decode", CAPTURE);

        assertEquals(2, r.code());
        assertTrue(r.err().contains("--spec"), r.err());
    }

    @Test
    void versionNamesTheBuild() {
        Run r = run("--version");

        assertEquals(0, r.code());
        assertEquals("meterspec " + Version.VERSION, r.out().strip());
    }
}
