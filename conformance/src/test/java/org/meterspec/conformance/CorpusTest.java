package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.TelegramLine;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Obis;

/**
 * Every real capture of the corpus (copied next to its spec as {@code <case>.hex} with its
 * {@code <case>.case.json}) is the capture of an example that names the case; and every value the
 * case states is decoded exactly by one of those examples, unless one of their notes names the
 * value's OBIS code, saying why the statement is wrong.
 */
class CorpusTest {
    private static final Pattern ENTRY = Pattern.compile("\"(\\d+\\.\\d+\\.\\d+\\.\\d+\\.\\d+\\.\\d+)\"\\s*:\\s*\\{\\s*\"value\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[-0-9.eE]+)");

    @TestFactory
    Stream<DynamicTest> everyCorpusCaseIsAnExampleAndDecodesToItsStatedValues() throws IOException {
        List<Path> cases;
        try (Stream<Path> walk = Files.walk(Specs.EXAMPLES)) {
            cases = walk.filter(p -> p.getFileName().toString().endsWith(".case.json")).sorted().toList();
        }
        assertFalse(cases.isEmpty(), "no corpus cases under examples/");
        List<MeterModel> specs = Specs.all();
        return cases.stream().map(file -> DynamicTest.dynamicTest(caseId(file), () -> check(file, specs)));
    }

    private static String caseId(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".case.json".length());
    }

    private static void check(Path caseFile, List<MeterModel> specs) throws IOException {
        String id = caseId(caseFile);
        Path capture = caseFile.resolveSibling(id + ".hex");
        List<String> decoded = new ArrayList<>();
        List<ExampleSpec> naming = new ArrayList<>();
        boolean capturedByExample = false;
        List<TelegramLine.Reading> readings = new ArrayList<>();
        for (MeterModel model : specs) {
            for (ExampleSpec example : model.examples()) {
                if (!example.corpus().contains(id)) {
                    continue;
                }
                naming.add(example);
                capturedByExample |= capture.toAbsolutePath().normalize().equals(
                        example.captureFile() == null ? null : example.captureFile().toAbsolutePath().normalize());
                ExampleRunner.Outcome outcome = ExampleRunner.run(example, Specs.decoder(model));
                for (TelegramLine t : outcome.telegrams()) {
                    if (t instanceof TelegramLine.Reading reading) {
                        readings.add(reading);
                    }
                }
                decoded.addAll(outcome.lines());
            }
        }
        assertFalse(naming.isEmpty(), "no example names corpus case " + id);
        assertTrue(capturedByExample, "no example of case " + id + " decodes its capture " + capture);

        String json = Files.readString(caseFile);
        List<String> unexplained = new ArrayList<>();
        for (Map.Entry<String, String> stated : stated(json).entrySet()) {
            if (!decodedSomewhere(stated.getKey(), stated.getValue(), readings)
                    && naming.stream().noneMatch(e -> notes(e, stated.getKey()))) {
                unexplained.add(stated.getKey() + " = " + stated.getValue());
            }
        }
        assertTrue(unexplained.isEmpty(), "case " + id + " states values no example decodes, and no example's note"
                + " names their OBIS codes to say why: " + unexplained + "\ndecoded: " + decoded);
    }

    /** Whether the example's note names the OBIS code (as a code of its own, not part of a longer one). */
    static boolean notes(ExampleSpec example, String obis) {
        return example.note() != null && Pattern.compile("(?<![\\d.])" + Pattern.quote(obis) + "(?!\\.?\\d)")
                .matcher(example.note()).find();
    }

    /** The case's expected_numbers and expected_strings: OBIS code to stated value. */
    private static Map<String, String> stated(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static boolean decodedSomewhere(String obis, String stated, List<TelegramLine.Reading> readings) {
        String code = Obis.format(Obis.parse(obis));
        for (TelegramLine.Reading r : readings) {
            for (TelegramLine.Value v : r.values()) {
                if (v.obis().equals(code) && v.value() != null && same(stated, v.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean same(String stated, String text) {
        if (stated.startsWith("\"")) {
            String s = stated.substring(1, stated.length() - 1);
            return text.equals(s) || text.replace('T', ' ').startsWith(s) && !s.isEmpty();
        }
        try {
            return new BigDecimal(stated).compareTo(new BigDecimal(text)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
