package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.meterspec.gen.c.CGenerator;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.MeterModel;

/**
 * {@code generated-c/} is what the generator makes of {@code examples/}, committed: every generated
 * file is as the generator writes it today, and no meter is left over from a spec that is gone.
 */
class GeneratedCTest {
    private static final Path COMPONENT = Path.of("generated-c");
    private static final boolean UPDATE = Boolean.getBoolean("meterspec.c.update");
    private static final String FIX = "to regenerate it, run: mvn -B -pl conformance -am verify -Dmeterspec.c.update=true";

    @Test
    void generatedCIsTheGeneratorsOutputForTheExamples() throws IOException {
        List<DecodePlan> plans = new ArrayList<>();
        for (MeterModel m : Specs.all()) {
            plans.add(PlanBuilder.build(m));
        }
        // the generated files only: the hand-written runtime beside them is the source, not output
        Map<String, String> files = new java.util.TreeMap<>(CGenerator.errors());
        for (DecodePlan p : plans) {
            files.putAll(CGenerator.meter(p));
        }
        if (UPDATE) {
            try (Stream<Path> old = Files.list(COMPONENT.resolve("meters"))) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            CGenerator.write(COMPONENT, files);
        }
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path committed = COMPONENT.resolve(f.getKey());
            if (!Files.exists(committed) || !Files.readString(committed, StandardCharsets.UTF_8).equals(f.getValue())) {
                differ.add(f.getKey());
            }
        }
        assertEquals(List.of(), differ, "generated-c/ is not what the generator writes for examples/; " + FIX);
        TreeSet<String> meters = new TreeSet<>();
        try (Stream<Path> list = Files.list(COMPONENT.resolve("meters"))) {
            list.forEach(p -> meters.add("meters/" + p.getFileName()));
        }
        meters.removeAll(files.keySet());
        assertTrue(meters.isEmpty(), "generated-c/meters holds files no spec generates: " + meters + "; " + FIX);
    }
}
