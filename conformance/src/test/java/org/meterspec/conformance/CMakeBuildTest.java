package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    /** -DMETERSPEC_ONE_METER builds the library and harness of that meter alone; a meter that is not there stops it. */
    @Test
    void aBuildForOneMeterHasThatMeterAlone() throws Exception {
        Path one = Path.of("conformance/target/cmake-one");
        run(List.of("cmake", "-S", "generated-c", "-B", one.toString(), "-DCMAKE_BUILD_TYPE=Release",
                "-DMETERSPEC_ONE_METER=netz_noe_p1"));
        run(List.of("cmake", "--build", one.toString(), "--parallel", "2"));
        assertTrue(Files.isExecutable(one.resolve("ms_harness_netz_noe_p1")));
        assertFalse(Files.exists(one.resolve("ms_harness_aidon_han")));
        Process p = new ProcessBuilder("cmake", "-S", "generated-c", "-B", "conformance/target/cmake-none",
                "-DMETERSPEC_ONE_METER=no_such_meter").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertNotEquals(0, p.exitValue(), log);
        assertTrue(log.contains("no meter no_such_meter"), log);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, () -> String.join(" ", command) + ":\n" + log);
    }
}
