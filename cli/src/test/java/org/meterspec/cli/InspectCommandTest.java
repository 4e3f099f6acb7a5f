package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.cli.Cli.CAPTURE;
import static org.meterspec.cli.Cli.EXAMPLES;
import static org.meterspec.cli.Cli.KEY;
import static org.meterspec.cli.Cli.SPEC;
import static org.meterspec.cli.Cli.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meterspec.cli.Cli.Run;
import org.meterspec.engine.JsonReader;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Json;

/** {@code meterspec inspect}: every example capture, damaged captures, keys, JSON. */
class InspectCommandTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cacheInTheBuild() {
        Cli.useCacheIn(cache);
    }

    @Test
    void netzNoeWithItsKeyShowsTheDecryptedTree() {
        Run r = run("inspect", "--key", KEY, CAPTURE).assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("capture: 282 bytes, M-Bus (detected), 1 telegram", lines.get(0));
        assertEquals("#1 telegram at 0: 2 frames joined", lines.get(1));
        assertTrue(r.out().contains("  general-glo-ciphering (0xDB)\n"
                + "    @2 system title 4B464D6750000009 (manufacturer KFM, serial 6750000009)\n"), r.out());
        assertTrue(r.out().contains("    decrypted; no tag to check; 243 bytes of DATA-NOTIFICATION"), r.out());
        assertTrue(r.out().contains("      @34 09 octet_string [6] 0100010800FF  = OBIS 1.0.1.8.0.255\n"
                + "      @42 06 uint32 12937\n"), r.out());
    }

    @Test
    void withTheSpecTheDecodersReadingComesAfterTheTree() {
        Run r = run("inspect", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("capture: 282 bytes, M-Bus (the spec's transport), 1 telegram\n"), r.out());
        assertTrue(r.out().contains("  decoder netz_noe_p1: ok, 13 values, security encrypted, system title"
                + " 4B464D6750000009, frame counter 35\n"), r.out());
        assertTrue(r.out().contains("    1.0.1.8.0.255      energy_import              12937 Wh\n"), r.out());
    }

    @Test
    void withTheSpecEachNodeOfTheBodySaysWhichElementOfTheSpecTookIt() {
        Run r = run("inspect", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        // the body is the imported layout's: its file and positions are named, the folders left out
        assertTrue(r.out().contains("    @18 02 structure, 35 elements   <- structure (t210d_layout.meter:7:6)\n"
                + "      @20 09 octet_string [12] 07E5091B01092F0F00FF8880  = date-time 2021-09-27T09:47:15.00+02:00"
                + "   <- value 0.0.1.0.0.255 datetime (t210d_layout.meter:8:5)\n"
                + "      @34 09 octet_string [6] 0100010800FF  = OBIS 1.0.1.8.0.255   <- obis (t210d_layout.meter:10:9)\n"
                + "      @42 06 uint32 12937   <- value number (t210d_layout.meter:11:9)\n"
                + "      @47 02 structure, 2 elements   <- scaler_unit (t210d_layout.meter:12:9)\n"
                + "        @49 0F int8 0\n"), r.out());
        assertTrue(r.out().contains("@229 09 octet_string [12] 313831323230303030303039  = text \"181220000009\""
                + "   <- value 0.0.96.1.0.255 octet_string max 16 (t210d_layout.meter:14:5)\n"), r.out());
    }

    @Test
    void withAnotherMetersSpecTheNodeWhereItStopsSaysWhichElementExpectedWhat() {
        Run r = run("inspect", "--spec", EXAMPLES.resolve("iskra_am550/iskra_am550.meter").toString(),
                EXAMPLES.resolve("kamstrup_omnipower/hdlc_kamstrup_norway_plain.hex").toString()).assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        // iskra's layout wants {OBIS, value} structures where Kamstrup sends its list version
        assertTrue(r.out().contains("@18 02 structure, 25 elements   <- structure (iskra_am550.meter:17:6)\n"), r.out());
        assertTrue(r.out().contains("@20 0A visible_string [14] \"Kamstrup_V0001\"   <<< decoder stops here: BODY_TYPE,"
                + " where structure ("), r.out());
        assertTrue(r.out().contains("iskra_am550.meter:19:9) expects a structure (02) of 2 to 3 elements\n"), r.out());
    }

    @Test
    void untaggedAttributeDescriptorsAreReadWithoutASpec() {
        Run r = run("inspect", EXAMPLES.resolve("sagemcom_xt211/raw_sagemcom_xt211.hex").toString()).assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("capture: 355 bytes, bare APDUs (detected), 1 telegram, read with untagged attribute"
                + " descriptors\n"), r.out());
        assertTrue(r.out().contains("        @12 02 structure, 2 elements\n"
                + "          @14 descriptor (untagged) 00010000600101FF02: class 1 (data), OBIS 0.0.96.1.1.255, attribute 2\n"
                + "          @23 09 octet_string [10] 35313030303035313439  = text \"5100005149\"\n"), r.out());
        // the enum leading the body is no descriptor: class 0x1601 is none
        assertTrue(r.out().contains("      @8 16 enum 1\n"), r.out());
        assertFalse(r.out().contains("!! breaks"), r.out());

        Run json = run("inspect", "--json", EXAMPLES.resolve("sagemcom_xt211/raw_sagemcom_xt211.hex").toString());
        Map<?, ?> t = assertInstanceOf(Map.class, JsonReader.parse(json.out().lines().findFirst().orElseThrow()));
        assertEquals("descriptor", t.get("read_with"));
        assertEquals("complete", t.get("status"));
    }

    @Test
    void obisHeadersSentSwappedAreReadAsTheSpecTolerates() {
        Run r = run("inspect", "--spec", EXAMPLES.resolve("landis_gyr_zmf100/landis_gyr_zmf100.meter").toString(),
                EXAMPLES.resolve("landis_gyr_zmf100/hdlc_landis_gyr_zmf100.hex").toString()).assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("capture: 396 bytes, HDLC (the spec's transport), 1 telegram, read with OBIS headers"
                + " sent 06 09\n"), r.out());
        assertTrue(r.out().matches("(?s).*\n +@\\d+ 06 09 octet_string \\[6\\] \\(header sent swapped, 06 09\\)"
                + " 01001F0700FF  = OBIS 1\\.0\\.31\\.7\\.0\\.255   <- obis \\(landis_gyr_zmf100\\.meter:18:5\\)\n.*"), r.out());
        assertFalse(r.out().contains("!! breaks"), r.out());
    }

    @Test
    void withoutAKeyItSaysTheApduIsEncrypted() {
        Run r = run("inspect", CAPTURE).assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("encrypted; no key given, so the DATA-NOTIFICATION inside is not shown"), r.out());
        assertFalse(r.out().contains("data-notification"), r.out());
    }

    // ---- damaged captures ---------------------------------------------------------------------

    private static byte[] netzNoe() throws IOException {
        return Captures.readFile(Path.of(CAPTURE), 1 << 20);
    }

    @Test
    void aTruncatedCaptureOnStandardInputShowsWhatThereIsAndWhereItEnds() throws IOException {
        byte[] cut = java.util.Arrays.copyOf(netzNoe(), 150);
        String hex = Json.hex(cut) + "\n";

        Run r = run(new ByteArrayInputStream(hex.getBytes(StandardCharsets.US_ASCII)), "inspect", "--spec", SPEC,
                "--key", KEY, "-").assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("frame at 0, 150 bytes: M-Bus long frame, L 0xFA (250), C 0x53, A 0xFF, CI 0x00"
                + " (segment 0, more follow), STSAP 0x01, DTSAP 0x67; cut off: L says 256 bytes, the capture has 150"),
                r.out());
        assertTrue(r.out().contains("!! breaks at offset 150 of the capture: "), r.out());
        assertTrue(r.out().contains("decoder netz_noe_p1: error transport TELEGRAM_INCOMPLETE at offset 0 of the"
                + " capture"), r.out());
    }

    @Test
    void aFlippedBitIsABadChecksumWhereTheDecoderStopsToo() throws IOException {
        byte[] capture = netzNoe();
        capture[100] ^= 0x04;
        Path file = Files.writeString(tmp.resolve("flipped.hex"), Json.hex(capture));

        Run r = run("inspect", "--spec", SPEC, "--key", KEY, file.toString()).assertKeyNeverPrinted()
                .assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("checksum 0x17 BAD (sum is 0x1B), stop 0x16 ok   <<< decoder stops here:"
                + " MBUS_CHECKSUM"), r.out());
        assertTrue(r.out().contains("!! breaks at offset 254 of the capture: checksum 0x1B"), r.out());
        assertTrue(r.out().contains("decoder netz_noe_p1: error transport MBUS_CHECKSUM at offset 254 of the"
                + " capture"), r.out());
    }

    @Test
    void aFlippedBitInABareApduMarksTheNodeTheDecoderStopsAt() throws IOException {
        Path original = EXAMPLES.resolve("energomera_ce").resolve("raw_energomera.hex");
        byte[] capture = Captures.readFile(original, 1 << 20);
        capture[24] ^= 0x01; // uint16 (0x12) becomes 0x13, no A-XDR type
        Path file = Files.writeString(tmp.resolve("flipped.hex"), Json.hex(capture));

        Run r = run("inspect", "--spec", EXAMPLES.resolve("energomera_ce").resolve("energomera_ce.meter").toString(),
                file.toString()).assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("@24 13 tag-19   <<< decoder stops here: BODY_TYPE, where push_objects ("), r.out());
        assertTrue(r.out().contains("energomera_ce.meter:20:5) expects a capture-object list (array of at most 16"
                + " {class-id, OBIS code, attribute, data index} structures), then one value per entry\n"), r.out());
        assertTrue(r.out().contains("!! breaks at offset 24 of the APDU: an A-XDR data tag"), r.out());
        assertTrue(r.out().contains("error body "), r.out());
    }

    // ---- keys ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {KEY, "36c66639e48a8ca4d6bc8b282a793bbb", "36:C6:66:39:E4:8A:8C:A4:D6:BC:8B:28:2A:79:3B:BB",
            "0x36, 0xC6, 0x66, 0x39, 0xE4, 0x8A, 0x8C, 0xA4, 0xD6, 0xBC, 0x8B, 0x28, 0x2A, 0x79, 0x3B, 0xBB"})
    void aKeyGivenAsTheCaptureIsNeverPrinted(String spelling) {
        Run withKey = run("inspect", "--key", KEY, spelling).assertKeyNeverPrinted().assertNoStackTrace();
        Run without = run("inspect", spelling).assertKeyNeverPrinted().assertNoStackTrace();
        Run asSpec = run("inspect", "--spec", spelling, CAPTURE).assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(2, withKey.code(), withKey.err());
        assertEquals(2, without.code(), without.err());
        assertEquals(2, asSpec.code(), asSpec.err());
        assertTrue(withKey.err().contains("<redacted>"), withKey.err());
    }

    @Test
    void aKeyAsTheCapturesContentIsNeverPrinted() {
        Run r = run(new ByteArrayInputStream((KEY + "\n").getBytes(StandardCharsets.US_ASCII)), "inspect", "--key",
                KEY, "--json", "-").assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
    }

    @Test
    void aKeyInTheTelegramIsNotPrintedEither() throws IOException {
        // a bare data-notification whose only value is an octet string holding the key
        String hex = "0F0000000100" + "0910" + KEY;
        Path file = Files.writeString(tmp.resolve("key.hex"), hex);

        Run r = run("inspect", "--key", KEY, file.toString()).assertKeyNeverPrinted().assertNoStackTrace();
        Run json = run("inspect", "--json", "--key", KEY, file.toString()).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("<redacted>"), r.out());
        assertEquals(0, json.code(), json.err());
    }

    @Test
    void aBadKeyIsRefusedWithoutEchoingIt() {
        Run r = run("inspect", "--key", KEY.substring(2), CAPTURE).assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: the encryption key must be 16 bytes (32 hex digits), got 30 digits\n", r.err());
    }

    // ---- JSON ---------------------------------------------------------------------------------

    @Test
    void jsonIsOneObjectPerTelegram() {
        Run r = run("inspect", "--json", "--spec", SPEC, "--key", KEY, CAPTURE).assertKeyNeverPrinted();

        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        Map<?, ?> t = assertInstanceOf(Map.class, JsonReader.parse(lines.get(0)));
        assertEquals(1L, ((Number) t.get("telegram")).longValue());
        assertEquals("mbus", t.get("transport"));
        assertEquals("complete", t.get("status"));
        assertEquals(2, ((List<?>) t.get("frames")).size());
        Map<?, ?> security = (Map<?, ?>) t.get("security");
        assertEquals("4B464D6750000009", security.get("system_title"));
        assertEquals(35L, ((Number) security.get("frame_counter")).longValue());
        Map<?, ?> body = (Map<?, ?>) ((Map<?, ?>) t.get("notification")).get("body");
        assertEquals("structure", body.get("type"));
        List<?> items = (List<?>) body.get("items");
        assertEquals("1.0.1.8.0.255", ((Map<?, ?>) items.get(1)).get("obis"));
        assertEquals("obis", ((Map<?, ?>) items.get(1)).get("taken_by"));
        assertTrue(String.valueOf(((Map<?, ?>) items.get(1)).get("taken_at")).endsWith("t210d_layout.meter:10:9"),
                String.valueOf(items.get(1)));
        assertEquals(12937L, ((Number) ((Map<?, ?>) items.get(2)).get("value")).longValue());
        Map<?, ?> decoder = (Map<?, ?>) t.get("decoder");
        Map<?, ?> reading = (Map<?, ?>) ((List<?>) decoder.get("results")).get(0);
        assertEquals("ok", reading.get("status"));
    }

    // ---- every example ------------------------------------------------------------------------

    record Example(Path spec, Path capture, String key, String authKey, boolean ok, String meter) {
        @Override
        public String toString() {
            return EXAMPLES.relativize(capture) + " (" + meter + (key != null ? ", with its key" : "") + ")";
        }
    }

    /** Every example of every spec under examples/ that names a capture file. */
    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".meter")).sorted().toList()) {
                if (!SpecLoader.declaresMeter(p)) {
                    continue;
                }
                MeterModel m = SpecLoader.load(p).model();
                for (ExampleSpec e : m.examples()) {
                    if (e.captureFile() != null) {
                        out.add(new Example(p, e.captureFile(), e.key(), e.authKey(),
                                e.expectations().stream().anyMatch(x -> x instanceof ExampleSpec.ExpectReading),
                                m.name()));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleInspectsWithItsSpecAndKeys(Example e) {
        List<String> args = new ArrayList<>(List.of("inspect", "--spec", e.spec().toString()));
        if (e.key() != null) {
            args.addAll(List.of("--key", e.key()));
        }
        if (e.authKey() != null) {
            args.addAll(List.of("--auth-key", e.authKey()));
        }
        args.add(e.capture().toString());
        Run r = run(args.toArray(String[]::new)).assertNoStackTrace();

        assertTrue(r.code() == 0 || r.code() == 1, r.code() + ": " + r.err());
        for (String key : new String[] {e.key(), e.authKey()}) {
            if (key != null) {
                String digits = r.out().toUpperCase(Locale.ROOT).replaceAll("[^0-9A-F]", "");
                assertFalse(digits.contains(key.toUpperCase(Locale.ROOT).replaceAll("[^0-9A-F]", "")), r.out());
            }
        }
        assertTrue(r.out().startsWith("capture: "), r.out());
        if (e.ok()) {
            assertTrue(r.out().matches("(?s).*decoder " + e.meter() + "( \\(\\d+ of \\d+\\))?: ok,.*"), r.out());
            if (e.key() != null) {
                assertTrue(r.out().contains("data-notification (0x0F)"), "decrypted:\n" + r.out());
            }
        }
        args.add(1, "--json");
        Run json = run(args.toArray(String[]::new));
        assertEquals(r.code(), json.code(), json.err());
        for (String line : json.out().lines().toList()) {
            assertInstanceOf(Map.class, JsonReader.parse(line), line);
        }
    }
}
