package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The error table the C runtime is generated from says exactly what the enum says. */
class ErrorCodeTest {

    private static List<String> tableRows() throws IOException {
        try (InputStream in = ErrorCode.class.getResourceAsStream("errors.tsv")) {
            assertNotNull(in, "errors.tsv is missing from the runtime's resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static String row(ErrorCode c) {
        return c.name() + "\t" + c.number() + "\t" + c.layer().jsonName() + "\t" + c.description();
    }

    @Test
    void theTableListsEveryCodeInOrderWithItsNumberLayerAndMessage() throws IOException {
        List<String> rows = tableRows();
        assertEquals("name\tnumber\tlayer\tmessage", rows.get(0));
        ErrorCode[] codes = ErrorCode.values();
        for (int i = 0; i < codes.length; i++) {
            assertTrue(i + 1 < rows.size(), "errors.tsv ends before " + codes[i]);
            assertEquals(row(codes[i]), rows.get(i + 1), "row " + (i + 1) + " of errors.tsv");
        }
        assertEquals(codes.length + 1, rows.size(), "errors.tsv has rows the enum lacks");
    }

    @Test
    void numbersAreUniqueAndInTheirLayersRange() {
        Set<Integer> seen = new HashSet<>();
        int previous = 0;
        for (ErrorCode c : ErrorCode.values()) {
            int base = c.layer().base();
            assertTrue(c.number() > base && c.number() < base + 100, () -> c + " " + c.number() + " outside its layer's range");
            assertTrue(seen.add(c.number()), () -> c + " shares its number " + c.number());
            assertTrue(c.number() > previous, () -> c + " is out of numeric order");
            previous = c.number();
        }
    }

    /** docs/ERRORS.md gives every code a section headed by its name and number, in the enum's order. */
    @Test
    void theErrorDocumentDescribesEveryCode() throws IOException {
        java.nio.file.Path doc = java.nio.file.Path.of("../docs/ERRORS.md");
        if (!java.nio.file.Files.exists(doc)) {
            doc = java.nio.file.Path.of("docs/ERRORS.md");
        }
        List<String> headings = java.nio.file.Files.readAllLines(doc, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("### ")).toList();
        List<String> expected = java.util.Arrays.stream(ErrorCode.values())
                .map(c -> "### " + c.name() + " (" + c.number() + ")").toList();
        assertEquals(expected, headings);
    }

    @Test
    void messagesFitOneTableCell() {
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(!c.description().isEmpty() && c.description().chars().noneMatch(ch -> ch == '\t' || ch == '\n'),
                    () -> c + " has a message that breaks the table");
        }
    }
}
