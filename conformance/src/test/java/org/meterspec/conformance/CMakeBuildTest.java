package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code generated-c/CMakeLists.txt} builds on a host, as its comment says: the library and a harness per meter. */
class CMakeBuildTest {
    private static final Path BUILD = Path.of("conformance/target/cmake");

    @Test
    void theComponentBuildsWithCMake() throws Exception {
        run(List.of("cmake", "-S", "generated-c", "-B", BUILD.toString(), "-DCMAKE_BUILD_TYPE=Release"));
        run(List.of("cmake", "--build", BUILD.toString(), "--parallel", "2"));
        assertTrue(Files.isRegularFile(BUILD.resolve("libmeterspec.a")));
        assertTrue(Files.isExecutable(BUILD.resolve("ms_harness_netz_noe_p1")));
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, () -> String.join(" ", command) + ":\n" + log);
    }
}
