package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meterspec.engine.JsonReader;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.gen.z2m.Z2mGenerator;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;

/**
 * The generated Zigbee2MQTT converter of a spec whose title holds every character that could end
 * a JavaScript string, comment or template early: Node loads it, and its description is the
 * title, character for character.
 */
class Z2mConverterTest {
    private static final Path Z2M = CToolchain.ROOT.resolve("conformance/z2m");

    @BeforeAll
    static void install() throws Exception {
        Z2mInteropTest.installConverters();
    }

    @Test
    void aHostileTitleStaysTheDescription() throws Exception {
        Path dir = Files.createDirectories(Z2M.resolve("target/hostile"));
        Files.copy(CToolchain.ROOT.resolve("examples/common/zcl.meter"), dir.resolve("zcl.meter"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // JavaScript's line terminators U+2028 and U+2029 stand in the spec as they are
        String title = "A \"quoted\" back\\slash */ </script> ${x} `tick` \u2028 \u2029 \u00d6 end";
        String spelled = title.replace("\\", "\\\\").replace("\"", "\\\"");
        Path spec = dir.resolve("hostile.meter");
        Files.writeString(spec, String.join("\n", "meter hostile_title \"" + spelled + "\"", "import \"zcl.meter\"",
                "transport raw", "security none", "body structure {", "    value 1.0.1.8.0.255 as energy uint32", "}",
                "values {", "    1.0.1.8.0.255 energy unit Wh", "}", ""), StandardCharsets.UTF_8);
        SpecLoader.Result loaded = SpecLoader.load(spec);
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        MeterModel model = loaded.model();
        assertEquals(title, model.title());
        Path converter = dir.resolve(Z2mGenerator.fileName(PlanBuilder.build(model)));
        Files.writeString(converter, Z2mGenerator.converter(PlanBuilder.build(model)), StandardCharsets.UTF_8);

        String script = "const d = (await import(process.argv[1])).default;"
                + "process.stdout.write(JSON.stringify({description: d.description, model: d.model,"
                + " keys: d.extend.flatMap((e) => (e.exposes ?? []).map((x) => x.property))}));";
        Process p = new ProcessBuilder(CToolchain.tool("node", "nodejs").toString(), "--input-type=module", "-e", script,
                converter.toUri().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "node cannot load " + converter);
        Map<?, ?> loadedByNode = (Map<?, ?>) JsonReader.parse(out);
        assertEquals(title, loadedByNode.get("description"));
        assertEquals("meterspec.hostile_title", loadedByNode.get("model"));
        assertEquals(List.of("energy", "check_meter"), loadedByNode.get("keys"));
    }
}
