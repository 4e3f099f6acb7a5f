package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.meterspec.runtime.Captures;

/**
 * The host example {@code examples/c/read_meter.c} builds against {@code generated-c/} as its
 * comment says, reads the Netz NÖ capture in chunks of 120 bytes, and prints its values.
 */
class CExampleProgramTest {
    private static final Path OUT = Path.of("conformance/target/c-example");

    @Test
    void theHostExampleReadsTheNetzNoeCapture() throws Exception {
        Files.createDirectories(OUT);
        List<String> command = new ArrayList<>(List.of("cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                "-I", "generated-c/include", "-I", "generated-c/meters", "examples/c/read_meter.c"));
        try (Stream<Path> runtime = Files.list(Path.of("generated-c/runtime"))) {
            runtime.filter(p -> p.toString().endsWith(".c")).sorted().forEach(p -> command.add(p.toString()));
        }
        command.addAll(List.of("generated-c/port/ms_port_mbedtls.c", "generated-c/meters/netz_noe_p1.c", "-lmbedcrypto",
                "-o", OUT.resolve("read_meter").toString()));
        Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(2, TimeUnit.MINUTES) && cc.exitValue() == 0, () -> "the example does not build:\n" + log);

        Path capture = OUT.resolve("netz_noe_p1.bin");
        Files.write(capture, Captures.read(Path.of("examples/sagemcom_t210d/mbus_netz_noe_p1.hex")));
        ProcessBuilder run = new ProcessBuilder(OUT.resolve("read_meter").toString(), capture.toString());
        run.environment().put("METERSPEC_KEY", "36C66639E48A8CA4D6BC8B282A793BBB");
        Process p = run.redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), () -> String.join("\n", lines));
        assertEquals("telegram 1: 13 values", lines.get(0));
        assertTrue(lines.contains("  energy_import            12937 Wh"), () -> String.join("\n", lines));
        assertTrue(lines.contains("  voltage_l1               233.7 V"), () -> String.join("\n", lines));
        assertTrue(lines.contains("  clock                    2021-09-27T09:47:15.00+02:00"), () -> String.join("\n", lines));
        assertEquals(14, lines.size(), () -> String.join("\n", lines));
    }
}
