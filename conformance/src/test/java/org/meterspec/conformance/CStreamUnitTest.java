package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The C stream runtime's stages one by one (generated-c/test/unit_tests.c): the Java runtime
 * tests' vectors for the CRC, the checksum, the telegram buffer, stream order, M-Bus, HDLC and
 * bare-APDU reassembly and block transfer; the crypto port against published vectors; the
 * decoder's set-up. Built with the sanitizers, once per crypto back end, and once more with the
 * byte loops of a 32-bit target (MS_WIDE_WORDS=0).
 */
class CStreamUnitTest {

    @ParameterizedTest
    @EnumSource(CToolchain.Backend.class)
    void everyStageDoesWhatItsJavaTestSays(CToolchain.Backend backend) {
        run(backend, CToolchain.Flavour.SANITIZED);
    }

    @ParameterizedTest
    @EnumSource(CToolchain.Backend.class)
    void theLoopsOfA32BitTargetDoTheSame(CToolchain.Backend backend) {
        run(backend, CToolchain.Flavour.NARROW);
    }

    private static void run(CToolchain.Backend backend, CToolchain.Flavour flavour) {
        CToolchain.Result r = CToolchain.exec(List.of(CToolchain.program("unit_tests.c", backend, flavour).toString()),
                null, 120);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().endsWith(" checks, 0 failed\n"), r.output());
    }
}
