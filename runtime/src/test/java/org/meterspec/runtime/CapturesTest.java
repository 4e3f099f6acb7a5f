package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Captures as people paste them: plain hex in its many spellings, dumps with offsets, binary files. */
class CapturesTest {
    /** The first 23 bytes of the Netz NÖ capture. */
    private static final String BYTES = "68FAFA6853FF000167DB084B464D67500000000981F820";

    private static String parsed(String text) {
        return Json.hex(Captures.parseHex(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "68FAFA6853FF000167DB084B464D67500000000981F820",
        "68 fa fa 68 53 ff 00 01 67 db 08 4b 46 4d 67 50 00 00 00 09 81 f8 20",
        "68FAFA68 53FF0001\n67DB084B\r\n464D6750 00000009\r81F820\n",
        "0x68, 0xFA, 0xFA, 0x68, 0x53, 0xFF, 0x00, 0x01, 0x67, 0xDB, 0x08, 0x4B, 0x46, 0x4D, 0x67, 0x50, 0x00, 0x00, 0x00, 0x09, 0x81, 0xF8, 0x20",
        "{0x68,0xfa,0xfa,0x68,0x53,0xff,0x00,0x01,\n 0x67,0xdb,0x08,0x4b,0x46,0x4d,0x67,0x50,\n 0x00,0x00,0x00,0x09,0x81,0xf8,0x20};",
        "68:fa:fa:68:53:ff:00:01:67:db:08:4b:46:4d:67:50:00:00:00:09:81:f8:20",
        "68-FA-FA-68-53-FF-00-01-67-DB-08-4B-46-4D-67-50-00-00-00-09-81-F8-20",
        "[68 FA FA 68] (53 FF 00 01 67) DB;08;4B;46;4D;67;50 0000000981F820",
        "# Netz NÖ, first frame\n68FAFA68 // start\n53FF000167 # C A CI SAPs\nDB084B464D6750\n0000000981F820",
    })
    void plainHexInItsSpellings(String text) {
        assertEquals(BYTES, parsed(text));
    }

    @Test
    void xxd() {
        assertEquals(BYTES, parsed(
                "00000000: 68fa fa68 53ff 0001 67db 084b 464d 6750  h..hS...g..KFMgP\n"
                + "00000010: 0000 0009 81f8 20                        ...... \n"));
    }

    @Test
    void hexdumpCanonical() {
        assertEquals(BYTES, parsed(
                "00000000  68 fa fa 68 53 ff 00 01  67 db 08 4b 46 4d 67 50  |h..hS...g..KFMgP|\n"
                + "00000010  00 00 00 09 81 f8 20                              |...... |\n"
                + "00000017\n"));
    }

    @Test
    void wiresharkHexView() {
        assertEquals(BYTES, parsed(
                "0000   68 fa fa 68 53 ff 00 01 67 db 08 4b 46 4d 67 50   h..hS...g..KFMgP\n"
                + "0010   00 00 00 09 81 f8 20                              ...... \n"));
    }

    /** An ASCII column that happens to look like hex must not be read as bytes. */
    @Test
    void anAsciiColumnThatLooksLikeHexIsIgnored() {
        String dump = "00000000: 4142 4344 4546 3031 3233 3435 3637 3839  ABCDEF0123456789\n"
                + "00000010: 6162 6364                                abcd\n";
        assertEquals("4142434445463031323334353637383961626364", parsed(dump));
    }

    @Test
    void aDumpOfOneLine() {
        assertArrayEquals(Frames.hex("41424344"), Captures.parseHex("00000000: 4142 4344                      ABCD\n"));
        assertArrayEquals(Frames.hex("41424344"),
                Captures.parseHex("00000000  41 42 43 44                                       |ABCD|\n"));
        // without a colon or an ASCII column, a line starting with 0000 is plain hex
        assertArrayEquals(Frames.hex("0000414243"), Captures.parseHex("0000 41 42 43\n"));
    }

    @Test
    void aCArrayWithItsDeclaration() {
        assertArrayEquals(Frames.hex("68FA16"),
                Captures.parseHex("static const unsigned char frame[] = {\n    0x68, 0xFA, 0x16,\n};\n"));
    }

    @Test
    void emptyAndCommentOnlyInputHasNoBytes() {
        assertEquals("", parsed(""));
        assertEquals("", parsed("# nothing here\n\n// or here\n"));
    }

    private static void error(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Captures.parseHex(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void errorsNameLineAndColumn() {
        error("68 FG", "line 1, column 5: 'G' is not a hex digit");
        error("68 6", "line 1, column 4: odd number of hex digits in '6'");
        error("68FA\nzz", "line 2, column 1: 'z' is not a hex digit");
        error("68FA\r\n  0x6", "line 2, column 5: odd number of hex digits in '6'");
        error("68 FA 16 ok", "line 1, column 10: 'o' is not a hex digit");
    }

    @Test
    void binaryDetection() {
        assertFalse(Captures.isBinary("68 FA\r\n\t16\f".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(Captures.isBinary(new byte[0]));
        assertTrue(Captures.isBinary(new byte[] {0x68, 0x00}));
        assertTrue(Captures.isBinary(new byte[] {0x7F}));
        assertTrue(Captures.isBinary(new byte[] {(byte) 0xFA}));
        assertTrue(Captures.isBinary(new byte[] {0x1B}));
        // UTF-8 text, as in a comment naming Netz NÖ, is text; a lone 0xD6 is not UTF-8
        assertFalse(Captures.isBinary("# Netz N\u00d6\n68 FA".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Captures.isBinary("# Netz N\u00d6\n68 FA".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void filesAreReadAsBinaryOrAsHex(@TempDir Path dir) throws IOException {
        byte[] bytes = Frames.hex(BYTES);
        Path binary = Files.write(dir.resolve("capture.bin"), bytes);
        assertArrayEquals(bytes, Captures.read(binary));
        Path text = Files.writeString(dir.resolve("capture.hex"), "68FAFA68 53FF000167DB084B464D6750\n0000000981F820\n");
        assertArrayEquals(bytes, Captures.read(text));
        // binary that happens to be all printable is text: say so by content, not by file name
        Path printable = Files.write(dir.resolve("ascii.bin"), "6816".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {0x68, 0x16}, Captures.read(printable));
    }
}
