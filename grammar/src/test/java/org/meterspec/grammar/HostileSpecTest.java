package org.meterspec.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostic;

/** Specs written to break the checker: each gives diagnostics, never an exception, a hang or a key on screen. */
class HostileSpecTest {
    @TempDir
    Path dir;

    private SpecLoader.Result load(String text) throws IOException {
        Path file = dir.resolve("spec.meter");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return SpecLoader.load(file);
    }

    private static String deep(String open, String leaf, String close, int levels) {
        return "meter deep\ntransport raw\nbody " + open.repeat(levels) + leaf + close.repeat(levels) + "\n";
    }

    @Test
    void bodiesNestedThousandsDeepAreRefusedWithADiagnostic() throws IOException {
        for (String[] shape : new String[][] {{"structure { ", "value 1.0.1.8.0.255 as e uint32 ", "} "},
                {"array max 2 of ", "value 1.0.1.8.0.255 as e uint32", ""},
                {"one of { structure { ", "value 1.0.1.8.0.255 as e uint32 ", "} } "}}) {
            for (int levels : new int[] {1000, 30000}) {
                SpecLoader.Result r = load(deep(shape[0], shape[1], shape[2], levels));
                assertFalse(r.ok());
                assertEquals(1, r.diagnostics().size(), r::report);
                assertEquals(DiagCode.NESTING, r.diagnostics().get(0).code(), r::report);
            }
        }
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws IOException {
        SpecLoader.Result r = load(deep("structure { ", "value 1.0.1.8.0.255 as e uint32 ", "} ", 32));
        assertTrue(r.ok(), r::report);
    }

    @Test
    void aSpecFileThatIsADeviceIsRefused() {
        SpecLoader.Result r = SpecLoader.load(Path.of("/dev/zero"));
        assertFalse(r.ok());
        assertEquals(DiagCode.SPEC_NOT_FOUND, r.diagnostics().get(0).code(), r::report);
        assertTrue(r.report().contains("not a regular file"), r::report);
    }

    @Test
    void aHugeSpecFileIsRefusedUnread() throws IOException {
        Path file = dir.resolve("huge.meter");
        Files.write(file, new byte[(int) SpecLoader.MAX_SPEC_BYTES + 1]);
        SpecLoader.Result r = SpecLoader.load(file);
        assertEquals(DiagCode.TOO_LONG, r.diagnostics().get(0).code(), r::report);
    }

    @Test
    void anExampleCaptureThatIsADeviceIsRefused() throws IOException {
        SpecLoader.Result r = load("meter dev\ntransport raw\nbody structure { value 1.0.1.8.0.255 as e uint32 }\n"
                + "example \"zero\" {\n    capture file \"/dev/zero\"\n    expect error body BODY_TYPE\n}\n");
        assertEquals(DiagCode.EXAMPLE_CAPTURE, r.diagnostics().get(0).code(), r::report);
        assertTrue(r.report().contains("is not a regular file"), r::report);
    }

    @Test
    void aDiagnosticNeverQuotesAKeyItsLineHolds() throws IOException {
        String key = "36 c6 66 39 e4 8a 8c a4 d6 bc 8b 28 2a 79 3b bb";
        SpecLoader.Result r = load("meter keys\ntransport raw\nbody structure { value 1.0.1.8.0.255 as e uint32 }\n"
                + "example \"short\" {\n    capture hex \"00\"\n    key \"" + key + " 00\"\n"
                + "    auth_key \"" + key + "\" key \"" + key + "\n    expect error body BODY_TYPE\n}\n");
        assertFalse(r.ok());
        String report = r.report();
        for (Diagnostic d : r.diagnostics()) {
            assertFalse(d.format().contains("36 c6 66"), d::format);
        }
        assertFalse(report.replace(" ", "").toLowerCase().contains("36c66639"), report);
        assertTrue(report.contains("<redacted>"), report);
    }
}
