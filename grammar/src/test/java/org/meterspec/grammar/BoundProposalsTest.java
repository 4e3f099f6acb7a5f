package org.meterspec.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.meterspec.check.DiagCode;

/**
 * The bounds MS041's hint proposes are the largest that fit: the spec with one of them passes the
 * checks, and with one more it is again too large.
 */
class BoundProposalsTest {
    private static final Pattern PROPOSAL = Pattern.compile("'(\\w+) max (\\d+)' at (\\d+):(\\d+) fits up to max (\\d+)");

    @Property(tries = 40)
    void eachProposalIsTheLargestBoundThatFits(@ForAll @IntRange(min = 50, max = 3000) int repeat,
                                               @ForAll @IntRange(min = 2, max = 400) int string,
                                               @ForAll @IntRange(min = 1, max = 3) int nesting) throws IOException {
        String text = spec(repeat, string, nesting);
        SpecLoader.Result r = load(text);
        if (r.ok()) {
            return; // small enough already
        }
        String hint = r.diagnostics().stream().filter(d -> d.code() == DiagCode.BOUND_TOO_LARGE).findFirst()
                .orElseThrow(() -> new AssertionError(r.diagnostics().toString())).hint();
        Matcher m = PROPOSAL.matcher(hint);
        int found = 0;
        while (m.find()) {
            found++;
            String[] lines = text.split("\n", -1);
            int line = Integer.parseInt(m.group(3)) - 1;
            String original = m.group(1) + " max " + m.group(2);
            int fits = Integer.parseInt(m.group(5));
            assertTrue(lines[line].contains(original), lines[line] + " against " + hint);
            assertTrue(load(with(lines, line, original, m.group(1) + " max " + fits)).ok(),
                    "max " + fits + " should fit: " + hint + "\n" + text);
            SpecLoader.Result more = load(with(lines, line, original, m.group(1) + " max " + (fits + 1)));
            assertTrue(more.diagnostics().stream().anyMatch(d -> d.code() == DiagCode.BOUND_TOO_LARGE),
                    "max " + (fits + 1) + " should not fit: " + hint + "\n" + text);
        }
        assertTrue(found > 0 || hint.contains("no one bound alone"), hint);
    }

    private static String with(String[] lines, int line, String from, String to) {
        String[] copy = lines.clone();
        copy[line] = copy[line].replace(from, to);
        return String.join("\n", copy);
    }

    private static String spec(int repeat, int string, int nesting) {
        StringBuilder sb = new StringBuilder("meter proposals\ntransport raw\nbody structure {\n");
        for (int i = 0; i < nesting; i++) {
            sb.append("array max ").append(1 + i).append(" of structure {\n");
        }
        sb.append("    repeat max ").append(repeat).append(" {\n        obis\n        value max ").append(string)
                .append("\n    }\n");
        sb.append("}\n".repeat(nesting));
        return sb.append("}\n").toString();
    }

    private static SpecLoader.Result load(String text) throws IOException {
        Path dir = Files.createTempDirectory("proposals");
        Path file = dir.resolve("proposals.meter");
        Files.writeString(file, text);
        return SpecLoader.load(file);
    }

    @Property(tries = 1)
    void aBodyThatFitsHasNoProposal(@ForAll @IntRange(min = 1, max = 10) int repeat) throws IOException {
        assertEquals(true, load(spec(repeat, 8, 1)).ok());
    }
}
