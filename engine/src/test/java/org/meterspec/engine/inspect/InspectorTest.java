package org.meterspec.engine.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JsonReader;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Keys;

/** The annotating reader on every example capture, and on damaged ones. */
class InspectorTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path NETZ_NOE = EXAMPLES.resolve("sagemcom_t210d").resolve("mbus_netz_noe_p1.hex");
    static final byte[] KEY = Keys.parse("36C66639E48A8CA4D6BC8B282A793BBB", "test");

    static Inspector.Result inspect(byte[] capture, byte[] key) {
        return Inspector.inspect(capture, Inspector.Options.DETECT.withKeys(key, null, null));
    }

    static String text(Inspector.Result r) {
        StringBuilder sb = new StringBuilder();
        for (Telegram t : r.telegrams()) {
            sb.append(t.node().render());
        }
        return sb.toString();
    }

    @Test
    void netzNoeWithTheKeyShowsFramesSecurityAndTheDecryptedTree() throws IOException {
        Inspector.Result r = inspect(Captures.readFile(NETZ_NOE, 1 << 20), KEY);

        assertEquals(Inspector.Transport.MBUS, r.transport());
        assertEquals(1, r.telegrams().size());
        Telegram t = r.telegrams().get(0);
        assertFalse(t.broken(), text(r));
        String text = text(r);
        assertTrue(text.contains("frame at 0, 256 bytes: M-Bus long frame, L 0xFA (250), C 0x53, A 0xFF, CI 0x00"
                + " (segment 0, more follow), STSAP 0x01, DTSAP 0x67"), text);
        assertTrue(text.contains("CI 0x11 (segment 1, last)"), text);
        assertTrue(text.contains("checksum 0x17 ok, stop 0x16 ok"), text);
        assertTrue(text.contains("@2 system title 4B464D6750000009 (manufacturer KFM"), text);
        assertTrue(text.contains("security control 0x20: suite 0, not authenticated, encrypted, unicast key"), text);
        assertTrue(text.contains("frame counter 35 "), text);
        assertTrue(text.contains("@5 date-time 07E5091B01092F0F00FF8880 = 2021-09-27T09:47:15.00+02:00"), text);
        assertTrue(text.contains("@34 09 octet_string [6] 0100010800FF  = OBIS 1.0.1.8.0.255"), text);
        assertTrue(text.contains("@42 06 uint32 12937"), text);
        assertTrue(text.contains("        @49 0F int8 0"), "nested nodes are indented further:\n" + text);
        assertTrue(text.contains("= text \"181220000009\""), text);

        Node security = t.node().find("security");
        assertEquals("4B464D6750000009", security.field("system_title"));
        assertEquals("KFM", security.field("manufacturer"));
        assertEquals(35L, security.field("frame_counter"));
        assertEquals(false, security.field("tag_present"));
        assertNotNull(t.node().find("notification"));
    }

    @Test
    void withoutAKeyItSaysTheApduIsEncryptedAndStops() throws IOException {
        Inspector.Result r = inspect(Captures.readFile(NETZ_NOE, 1 << 20), null);

        Telegram t = r.telegrams().get(0);
        String text = text(r);
        assertTrue(text.contains("encrypted; no key given"), text);
        assertNull(t.node().find("notification"), text);
        assertEquals("no key", t.node().find("security").field("decryption"));
        assertFalse(t.broken(), "an APDU we have no key for is not damaged");
    }

    @Test
    void theWrongKeySaysTheDecryptedContentIsNoNotification() throws IOException {
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        Inspector.Result r = inspect(Captures.readFile(NETZ_NOE, 1 << 20), wrong);

        Telegram t = r.telegrams().get(0);
        assertTrue(t.broken());
        assertTrue(t.breakNode().text().contains("the wrong key, or damaged ciphertext"), text(r));
        assertEquals(17, t.breakNode().field("offset"));
    }

    @Test
    void aTruncatedCaptureShowsItsFramesAndWhereItIsCutOff() throws IOException {
        byte[] whole = Captures.readFile(NETZ_NOE, 1 << 20);
        byte[] cut = Arrays.copyOf(whole, 270); // inside the second frame

        Inspector.Result r = inspect(cut, KEY);

        assertEquals(2, r.telegrams().size(), text(r));
        Telegram first = r.telegrams().get(0);
        assertTrue(first.broken());
        assertEquals(270, first.breakNode().field("offset"), text(r));
        assertTrue(text(r).contains("frame at 0, 256 bytes: M-Bus long frame"), text(r));
        assertTrue(text(r).contains("!! breaks at offset 270 of the capture: segment 1; the capture ends"), text(r));
        Telegram second = r.telegrams().get(1);
        assertTrue(second.node().render().contains("cut off: L says 26 bytes, the capture has 14"), text(r));
        assertEquals(270, second.breakNode().field("offset"));
    }

    @Test
    void aFlippedBitInAFrameIsItsBadChecksum() throws IOException {
        byte[] capture = Captures.readFile(NETZ_NOE, 1 << 20);
        capture[100] ^= 0x10;

        Inspector.Result r = inspect(capture, KEY);

        Telegram t = r.telegrams().get(0);
        assertTrue(t.broken());
        assertEquals(254, t.breakNode().field("offset"), "the checksum byte, frame + 4 + L");
        assertTrue(t.node().render().contains("checksum 0x17 BAD (sum is "), text(r));
    }

    @Test
    void aFlippedBitInABareApduBreaksTheTreeAtThatByte() throws IOException {
        byte[] capture = Captures.readFile(EXAMPLES.resolve("energomera_ce").resolve("raw_energomera.hex"), 1 << 20);
        assertEquals(0x12, capture[24], "a uint16 tag at 24");
        capture[24] ^= 0x01; // 0x13 is no A-XDR type

        Inspector.Result r = inspect(capture, null);

        Telegram t = r.telegrams().get(0);
        assertTrue(t.broken());
        assertEquals(24, t.breakNode().field("offset"));
        assertEquals("apdu", t.breakNode().field("in"));
        String text = text(r);
        assertTrue(text.contains("@22 02 structure, 6 elements"), "what comes before is shown:\n" + text);
        assertTrue(text.contains("@24 13 tag-19"), text);
        assertTrue(text.contains("!! breaks at offset 24 of the APDU: an A-XDR data tag"), text);
    }

    @Test
    void aBlockTransferShowsItsBlocksAndTheJoinedApdu() throws IOException {
        Inspector.Result r = inspect(Captures.readFile(EXAMPLES.resolve("landis_gyr_e450")
                .resolve("e450_cyprus_registers.hex"), 1 << 20), null);

        assertEquals(1, r.telegrams().size(), text(r));
        Telegram t = r.telegrams().get(0);
        assertEquals(3, t.node().count("blocks"));
        String text = text(r);
        assertTrue(text.contains("general-block-transfer (E0): control 0x40 (more blocks follow), block 1,"
                + " acknowledged 0, 112 data bytes"), text);
        assertTrue(text.contains("control 0xC0 (last block), block 3"), text);
        assertTrue(text.contains("APDU of 335 bytes (3 blocks joined)"), text);
    }

    @Test
    void blocksOutOfOrderAreBreaks() throws IOException {
        Inspector.Result r = inspect(Captures.readFile(EXAMPLES.resolve("landis_gyr_e450")
                .resolve("e450_blocks_swapped.hex"), 1 << 20), null);

        assertTrue(r.telegrams().stream().allMatch(Telegram::broken), text(r));
        assertTrue(text(r).contains("block 1 first; this is block 3"), text(r));
    }

    @Test
    void anHdlcFrameShowsItsFieldsAndLlcHeader() throws IOException {
        Inspector.Result r = inspect(Captures.readFile(EXAMPLES.resolve("kamstrup_omnipower")
                .resolve("hdlc_kamstrup_norway_plain.hex"), 1 << 20), null);

        assertEquals(Inspector.Transport.HDLC, r.transport());
        String text = text(r);
        assertTrue(text.contains("HDLC frame type 3, format 0xA0E2 (length 226, segmentation bit 0: last segment),"
                + " destination 2B (21), source 21 (16), control 0x13, HCS 239A ok"), text);
        assertTrue(text.contains("FCS 8446 ok, LLC E6E700 (response)"), text);
        assertTrue(text.contains("@20 0A visible_string [14] \"Kamstrup_V0001\""), text);
        assertFalse(r.telegrams().get(0).broken(), text);
    }

    @Test
    void stringsAreQuotedWithWhatIsUnprintableEscaped() {
        StringBuilder sb = new StringBuilder();
        ApduInspector.quoted(sb, "a\"b\\c\nd\u0000");
        assertEquals("\"a\\\"b\\\\c\\x0Ad\\x00\"", sb.toString());
    }

    // ---- every example ------------------------------------------------------------------------

    record Capture(Path file, String key, String authKey, ExampleSpec example) {
        @Override
        public String toString() {
            return EXAMPLES.relativize(file) + (key != null ? " with its key" : "");
        }
    }

    /** Every .hex capture under examples/, with the key of an example that names it. */
    static List<Capture> captures() throws IOException {
        List<Capture> out = new ArrayList<>();
        List<ExampleSpec> examples = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".meter")).sorted().toList()) {
                if (SpecLoader.declaresMeter(p)) {
                    MeterModel m = SpecLoader.load(p).model();
                    if (m != null) {
                        examples.addAll(m.examples());
                    }
                }
            }
        }
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".hex") && !f.toString().contains("esp-idf"))
                    .sorted().toList()) {
                ExampleSpec withKey = null;
                for (ExampleSpec e : examples) {
                    if (e.captureFile() != null && Files.isSameFile(e.captureFile(), p)
                            && (withKey == null || withKey.key() == null)) {
                        withKey = e;
                    }
                }
                out.add(new Capture(p, withKey == null ? null : withKey.key(), withKey == null ? null
                        : withKey.authKey(), withKey));
            }
        }
        assertTrue(out.size() >= 30, "the examples: " + out);
        return out;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyExampleCaptureInspectsAndItsJsonParses(Capture c) throws IOException {
        byte[] bytes = c.example() != null ? ExampleRunner.capture(c.example()) : Captures.readFile(c.file(), 16 << 20);
        Inspector.Result r = Inspector.inspect(bytes, Inspector.Options.DETECT.withKeys(
                Keys.parse(c.key(), "encryption"), Keys.parse(c.authKey(), "authentication"), null));

        assertFalse(r.telegrams().isEmpty(), c.toString());
        for (Telegram t : r.telegrams()) {
            Object json = JsonReader.parse(t.node().json());
            Map<?, ?> object = assertInstanceOf(Map.class, json);
            assertEquals(t.node().field("telegram"), ((Number) object.get("telegram")).intValue());
            assertTrue(List.of("complete", "broken").contains(object.get("status")), t.node().json());
            for (String line : t.node().render().split("\n")) {
                assertFalse(line.isBlank() || line.strip().startsWith("null"), "a line left unset:\n" + t.node().render());
            }
            if (c.key() != null && t.node().find("security") != null && !t.broken()) {
                assertNotNull(t.node().find("notification"), "decrypted with the example's key:\n"
                        + t.node().render());
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(600)];
            random.nextBytes(b);
            if (b.length > 4) {
                b[0] = (byte) new int[] {0x68, 0x7E, 0x0F, 0xDB, 0xE0}[random.nextInt(5)];
            }
            Inspector.Result r = inspect(b, KEY);
            for (Telegram t : r.telegrams()) {
                JsonReader.parse(t.node().json());
                t.node().render();
            }
        }
    }
}
