package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON strings, hex, and UTF-8 with invalid sequences. */
class JsonTest {

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder();
        Json.appendString(sb, s);
        return sb.toString();
    }

    @Test
    void escaping() {
        assertEquals("\"plain\"", quoted("plain"));
        assertEquals("\"a\\\"b\\\\c\"", quoted("a\"b\\c"));
        assertEquals("\"\\u000A\\u000D\\u0009\\u0000\\u001F\\u007F\"", quoted("\n\r\t\u0000\u001F\u007F"));
        assertEquals("\"/°C m³ Ω €\"", quoted("/°C m³ Ω €"));
        assertEquals("\"\uD83D\uDE00\"", quoted("\uD83D\uDE00"));
        assertEquals("\"\"", quoted(""));
    }

    /** Reads back what {@link Json#appendString} writes: the escapes it uses and nothing else. */
    private static String unquote(String json) {
        assertTrue(json.length() >= 2 && json.charAt(0) == '"' && json.charAt(json.length() - 1) == '"', json);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            assertTrue(c >= 0x20 && c != 0x7F && c != '"', () -> "raw control or quote in " + json);
            if (c == '\\') {
                char e = json.charAt(++i);
                if (e == 'u') {
                    sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    assertTrue(e == '"' || e == '\\', () -> "escape \\" + e);
                    sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Property(tries = 500)
    void everyStringSurvivesQuoting(@ForAll String s) {
        assertEquals(s, unquote(quoted(s)));
    }

    @Test
    void hex() {
        assertEquals("00017F80FF", Json.hex(new byte[] {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF}));
        assertEquals("7F80", Json.hex(new byte[] {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF}, 2, 2));
        assertEquals("", Json.hex(new byte[0]));
    }

    @Test
    void printableAndLatin1() {
        byte[] b = " ~A\u007F".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(Json.printable(b, 0, 3));
        assertFalse(Json.printable(b, 0, 4));
        assertFalse(Json.printable(new byte[] {0x1F}, 0, 1));
        assertTrue(Json.printable(new byte[0], 0, 0));
        assertEquals("é", Json.latin1(new byte[] {(byte) 0xE9}, 0, 1));
    }

    @ParameterizedTest
    @CsvSource({
        "41, A",
        "C3A9, é",
        "E282AC, €",
        "F09F9880, \uD83D\uDE00",
        "F48FBFBF, \uDBFF\uDFFF",
        "80, \uFFFD",
        "BF41, \uFFFDA",
        "C080, \uFFFD\uFFFD",
        "C1BF, \uFFFD\uFFFD",
        "E080AF, \uFFFD\uFFFD\uFFFD",
        "EDA080, \uFFFD\uFFFD\uFFFD",
        "F4908080, \uFFFD\uFFFD\uFFFD\uFFFD",
        "F5808080, \uFFFD\uFFFD\uFFFD\uFFFD",
        "FF, \uFFFD",
        "E282, \uFFFD\uFFFD",
        "E28241, \uFFFD\uFFFDA",
        "C3, \uFFFD",
        "41C3A9E282ACF09F9880, Aé€\uD83D\uDE00",
    })
    void utf8WithInvalidSequences(String hex, String text) {
        byte[] b = Frames.hex(hex);
        assertEquals(text, Json.utf8(b, 0, b.length));
    }

    @Test
    void utf8AtAnOffsetStopsAtItsLength() {
        byte[] b = Frames.hex("41E282AC42");
        assertEquals("€", Json.utf8(b, 1, 3));
        assertEquals("\uFFFD\uFFFD", Json.utf8(b, 1, 2), "a sequence cut by the length is not read past it");
    }

    @Property(tries = 500)
    void utf8OfAnyBytes(@ForAll byte[] b) {
        assertEquals(Reference.utf8(b), Json.utf8(b, 0, b.length));
    }

    @Property(tries = 500)
    void wellFormedUtf8ReadsBack(@ForAll String s) {
        String wellFormed = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        byte[] b = wellFormed.getBytes(StandardCharsets.UTF_8);
        assertEquals(wellFormed, Json.utf8(b, 0, b.length));
    }
}
