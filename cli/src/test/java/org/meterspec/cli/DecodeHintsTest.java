package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.cli.Cli.CAPTURE;
import static org.meterspec.cli.Cli.EXAMPLES;
import static org.meterspec.cli.Cli.KEY;
import static org.meterspec.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a spec decodes none of a capture's telegrams, decode says on stderr what the telegram holds
 * where decoding stopped, what ciphering it uses when the security section refused it, and which
 * spec next to this one decodes it; the lines on stdout stay what they were.
 */
class DecodeHintsTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cache() {
        Cli.useCacheIn(cache);
    }

    @Test
    void aWrongLayoutNamesWhatTheTelegramHoldsAndTheSpecThatFits() {
        Cli.Run r = run("decode", "--spec", EXAMPLES.resolve("iskra_am550/iskra_am550.meter").toString(),
                EXAMPLES.resolve("kamstrup_omnipower/hdlc_kamstrup_norway_plain.hex").toString()).assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertEquals("#1 error: body BODY_TYPE at offset 20 (value has a type the spec does not allow here)",
                r.out().strip());
        assertTrue(r.err().contains("hint: where the first telegram stops decoding (BODY_TYPE), it holds: "
                + "@20 0A visible_string [14] \"Kamstrup_V0001\"\n"), r.err());
        // and which element of the spec wanted what there
        assertTrue(r.err().contains("hint: the spec expects there what its structure ("), r.err());
        assertTrue(r.err().contains("iskra_am550.meter:19:9) reads: a structure (02) of 2 to 3 elements\n"), r.err());
        assertTrue(r.err().contains("kamstrup_omnipower.meter (meter kamstrup_omnipower), whose example this capture is,"
                + " decodes 1 telegram of it"), r.err());
        assertTrue(r.err().contains("hint: meterspec inspect --spec "), r.err());
    }

    @Test
    void aRefusedCipheringSaysWhatTheTelegramSendsAndWhatTheSpecAllows() throws IOException {
        // the Netz NÖ spec with its security section saying the meter sends plain telegrams
        Path dir = Files.createDirectories(tmp.resolve("meters/sagemcom_t210d"));
        copy(EXAMPLES.resolve("common"), Files.createDirectories(tmp.resolve("meters/common")));
        copy(EXAMPLES.resolve("sagemcom_t210d"), dir);
        Path spec = dir.resolve("netz_noe_p1.meter");
        String text = Files.readString(spec);
        assertTrue(text.contains("\nsecurity glo "), "the Netz NÖ spec's security line moved");
        Files.writeString(spec, text.replaceFirst("\nsecurity glo [^\n]*", "\nsecurity none")
                .replaceFirst("meter netz_noe_p1 ", "meter netz_plain "));

        Cli.Run r = run("decode", "--spec", spec.toString(), "--key", KEY, CAPTURE)
                .assertNoStackTrace().assertKeyNeverPrinted();

        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("hint: the telegram is general-glo-ciphering (0xDB), security control 0x20: suite 0,"
                + " not authenticated, encrypted, unicast key, not compressed; the spec ("), r.err());
        assertTrue(r.err().contains("netz_noe_p1.meter:14:1) allows security none"), r.err());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }

    @Test
    void aTelegramThatStopsInTheBodyAmongOthersThatDecodeNamesTheElement() throws IOException {
        byte[] good = org.meterspec.runtime.Captures.readFile(EXAMPLES.resolve("energomera_ce/raw_energomera.hex"), 1 << 20);
        byte[] bad = good.clone();
        bad[24] ^= 0x01; // uint16 (0x12) becomes 0x13, no A-XDR type
        Path capture = Files.writeString(tmp.resolve("two.hex"), org.meterspec.runtime.Json.hex(good) + "\n"
                + org.meterspec.runtime.Json.hex(bad) + "\n");

        Cli.Run r = run("decode", "--spec", EXAMPLES.resolve("energomera_ce/energomera_ce.meter").toString(),
                capture.toString()).assertNoStackTrace();

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("#1 ok: energomera_ce"), r.out());
        assertTrue(r.out().contains("#2 error: body BODY_TYPE at offset 24"), r.out());
        assertTrue(r.err().contains("hint: telegram 2 stops in the body (BODY_TYPE), where it holds @24 13 tag-19 and"
                + " the spec's push_objects ("), r.err());
        assertTrue(r.err().contains("energomera_ce.meter:20:5) reads a capture-object list (array of at most 16"), r.err());
    }

    @Test
    void aTelegramThatDecodesGetsNoHint() {
        Cli.Run r = run("decode", "--spec", Cli.SPEC, "--key", KEY, CAPTURE).assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("hint:"), r.err());
    }
}
