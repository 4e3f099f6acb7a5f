package org.meterspec.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostic;

/**
 * Every invalid spec under {@code src/test/resources/errors/} carries the diagnostics it must
 * produce as comment lines:
 *
 * <pre>
 * // expect: 12:5: error[MS050]: value has no OBIS code
 * // hint: fix it (value 1.0.1.8.0.255) or add an 'obis' field to its group
 * </pre>
 *
 * An {@code expect} line is a headline without the file name (a diagnostic in another file, an
 * imported one, names that file relative to {@code errors/}); paths inside messages are also
 * relative to {@code errors/}. An optional {@code hint} line right after it fixes that
 * diagnostic's hint. Loading the file must give exactly the expected headlines, each as often as
 * expected, and nothing else. Only the files directly in {@code errors/} are cases; files they
 * import live in {@code errors/lib/}.
 */
class ErrorFilesTest {
    static final Path DIR = Path.of("src", "test", "resources", "errors");
    private static final String PREFIX = DIR.toString().replace('\\', '/') + "/";
    private static final Pattern EXPECT = Pattern.compile("^// expect: (.*)$");
    private static final Pattern HINT = Pattern.compile("^// hint: (.*)$");
    private static final Pattern CODE = Pattern.compile("\\[(MS\\d{3})\\]");

    /** Codes no error file can show, and why. */
    private static final Set<DiagCode> UNREACHABLE = EnumSet.of(
            DiagCode.SPEC_NOT_FOUND); // a file that does not exist cannot carry its expectations (SpecLoaderTest)

    /** The cases: the .meter files directly in errors/. */
    static Stream<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".meter")).sorted().toList().stream();
        }
    }

    /** What one error file expects: headline → hint (null when the file does not fix the hint), in order. */
    record Expected(List<String> headlines, Map<String, String> hints) {
    }

    static Expected expected(Path file) throws IOException {
        List<String> headlines = new ArrayList<>();
        Map<String, String> hints = new LinkedHashMap<>();
        String previous = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher e = EXPECT.matcher(line);
            Matcher h = HINT.matcher(line);
            if (e.matches()) {
                previous = e.group(1).strip();
                headlines.add(previous);
            } else if (h.matches()) {
                assertNotNull(previous, file + ": a '// hint:' line must follow an '// expect:' line");
                hints.put(previous, h.group(1).strip());
                previous = null;
            } else {
                previous = null;
            }
        }
        return new Expected(headlines, hints);
    }

    /** A headline as an expect line writes it: relative to errors/, without the case's own file name. */
    static String relative(Diagnostic d, Path caseFile) {
        String own = PREFIX + caseFile.getFileName() + ":";
        String h = d.headline();
        if (h.startsWith(own)) {
            h = h.substring(own.length());
        }
        return h.replace(PREFIX, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedDiagnostics(Path file) throws IOException {
        Expected expected = expected(file);
        assertFalse(expected.headlines().isEmpty(), file + " has no '// expect:' line");

        SpecLoader.Result result = SpecLoader.load(file);

        assertNull(result.model(), file + " loaded although it expects errors");
        List<String> actual = result.diagnostics().stream().map(d -> relative(d, file)).sorted().toList();
        List<String> wanted = expected.headlines().stream().sorted().toList();
        assertEquals(String.join("\n", wanted), String.join("\n", actual),
                file + ": diagnostics differ; full report:\n" + result.report());

        for (Map.Entry<String, String> hint : expected.hints().entrySet()) {
            Diagnostic d = result.diagnostics().stream().filter(x -> relative(x, file).equals(hint.getKey()))
                    .findFirst().orElseThrow();
            assertEquals(hint.getValue(), d.hint(), file + ": hint of " + hint.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyDiagnosticShowsItsSourceLineWithTheCaretOnIt(Path file) {
        for (Diagnostic d : SpecLoader.load(file).diagnostics()) {
            assertNotNull(d.sourceLine(), d.headline() + ": no context line");
            assertTrue(d.loc().column() >= 1 && d.loc().column() <= d.sourceLine().length() + 1,
                    d.headline() + ": column is outside its line '" + d.sourceLine() + "'");
            String[] lines = d.format().split("\n");
            assertEquals(d.headline(), lines[0]);
            assertEquals("    | " + d.sourceLine().replace('\t', ' '), lines[1]);
            assertEquals("    | " + " ".repeat(d.loc().column() - 1) + "^", lines[2]);
            if (d.hint() != null) {
                assertEquals("    = hint: " + d.hint(), lines[3]);
            }
        }
    }

    @Test
    void errorFilesCoverEveryReachableDiagnosticCode() throws IOException {
        Set<String> covered = new java.util.TreeSet<>();
        for (Path file : cases().toList()) {
            for (String headline : expected(file).headlines()) {
                Matcher m = CODE.matcher(headline);
                if (m.find()) {
                    covered.add(m.group(1));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (DiagCode c : DiagCode.values()) {
            if (!UNREACHABLE.contains(c) && !covered.contains(c.id())) {
                missing.add(c + " (" + c.id() + ")");
            }
        }
        assertEquals(List.of(), missing, "diagnostic codes no error file expects");
    }

    @Test
    void everyHelperFileIsUsedByACase() throws IOException {
        String all;
        try (Stream<Path> files = Files.walk(DIR)) {
            all = files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        try (Stream<Path> helpers = Files.list(DIR.resolve("lib"))) {
            for (Path helper : helpers.toList()) {
                String name = helper.getFileName().toString();
                if (!all.contains("\"" + name + "\"") && !all.contains("\"lib/" + name + "\"")) {
                    fail("errors/lib/" + name + " is used by no error file");
                }
            }
        }
    }
}
