package org.meterspec.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostic;
import org.meterspec.model.ExampleSpec;

/**
 * Spec-language behaviour that is wrong or unclear today, written as it should be. Each test is
 * disabled with the bug it shows; enable it with the fix.
 */
class DiagnosticBugsTest {
    @TempDir
    Path dir;

    private SpecLoader.Result load(String... lines) throws IOException {
        Path file = dir.resolve("spec.meter");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return SpecLoader.load(file);
    }

    private static String summary(SpecLoader.Result r) {
        return r.diagnostics().stream().map(d -> d.loc().line() + ":" + d.loc().column() + " " + d.code().id() + " "
                + d.message() + (d.hint() != null ? " [hint: " + d.hint() + "]" : "")).toList().toString();
    }

    private static Diagnostic only(SpecLoader.Result r) {
        assertEquals(1, r.diagnostics().size(), summary(r));
        return r.diagnostics().get(0);
    }

    @Test
    void exampleFrameCounterTakesTheWholeUint32Range() throws IOException {
        SpecLoader.Result ok = load(
                "meter fc",
                "transport raw",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }",
                "example \"late in the meter's life\" {",
                "    capture hex \"00\"",
                "    expect ok { frame_counter 4294967295 }",
                "}");
        assertTrue(ok.ok(), summary(ok));
        ExampleSpec.ExpectReading reading = (ExampleSpec.ExpectReading) ok.model().examples().get(0).expectations().get(0);
        assertEquals(4294967295L, reading.frameCounter());

        SpecLoader.Result tooLarge = load(
                "meter fc",
                "transport raw",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }",
                "example \"beyond\" {",
                "    capture hex \"00\"",
                "    expect ok { frame_counter 4294967296 }",
                "}");
        Diagnostic d = only(tooLarge);
        assertEquals(DiagCode.BAD_NUMBER, d.code());
        assertEquals("4294967296 is out of range: it must be between 0 and 4294967295", d.message());
    }

    @Test
    void authenticationWithoutCipheringIsOneError() throws IOException {
        SpecLoader.Result r = load(
                "meter auth",
                "transport hdlc",
                "security none {",
                "    authentication required",
                "}",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }");

        Diagnostic d = only(r);
        assertEquals(DiagCode.SECURITY_MODE, d.code());
        assertEquals("authentication is required, but the meter does not cipher", d.message());
    }

    @Test
    void unitWithAnSiPrefixHintsAtTheBaseUnitAndAScaler() throws IOException {
        SpecLoader.Result r = load(
                "meter units",
                "transport raw",
                "body structure {",
                "    value 1.0.1.7.0.255 uint32",
                "    value 1.0.1.8.0.255 uint32",
                "}",
                "values {",
                "    1.0.1.7.0.255 power_import unit kW",
                "    1.0.1.8.0.255 energy_import unit kWh",
                "}");

        List<Diagnostic> ds = r.diagnostics();
        assertEquals(2, ds.size(), summary(r));
        Diagnostic kw = ds.get(0);
        assertEquals("'kW' is not a DLMS unit", kw.message());
        assertNotNull(kw.hint());
        assertFalse(kw.hint().contains("kg"), kw.hint());
        assertTrue(kw.hint().contains("'W'") && kw.hint().contains("scaler 3"), kw.hint());
        Diagnostic kwh = ds.get(1);
        assertEquals("'kWh' is not a DLMS unit", kwh.message());
        assertNotNull(kwh.hint());
        assertTrue(kwh.hint().contains("'Wh'") && kwh.hint().contains("scaler 3"), kwh.hint());
    }

    @Test
    void transposedTypeNameSuggestsTheTransposition() throws IOException {
        SpecLoader.Result r = load(
                "meter types",
                "transport raw",
                "body structure { value 1.0.1.8.0.255 as energy uint23 }");

        Diagnostic d = only(r);
        assertEquals("unknown type 'uint23'", d.message());
        assertEquals("did you mean 'uint32'?", d.hint());
    }

    @Test
    void sectionPropertyGivenTwiceIsReported() throws IOException {
        SpecLoader.Result r = load(
                "meter twice",
                "transport mbus { frames max 2 frames max 3 }",
                "security glo { authentication required authentication optional }",
                "notification { datetime required datetime absent }",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }");

        assertEquals(List.of("2:31", "3:40", "4:34"),
                r.diagnostics().stream().map(d -> d.loc().line() + ":" + d.loc().column()).toList(), summary(r));
        for (Diagnostic d : r.diagnostics()) {
            assertTrue(d.message().contains("given twice"), d.message());
        }
    }

    @Test
    void nameOnAValueWithoutFixedObisIsNotSilentlyAccepted() throws IOException {
        SpecLoader.Result r = load(
                "meter group_name",
                "transport raw",
                "body array max 4 of structure {",
                "    obis",
                "    value as Bad_Name uint32",
                "}");

        // both problems of the line are reported: the misplaced name, and that it is no name at all
        assertEquals(List.of("5:5 GROUP", "5:14 BAD_NAME"), r.diagnostics().stream()
                .map(d -> d.loc().line() + ":" + d.loc().column() + " " + d.code()).toList(), summary(r));
    }

    @Test
    void badCaptureHexPointsAtTheCaptureInTheSpec() throws IOException {
        SpecLoader.Result r = load(
                "meter odd_capture",
                "transport raw",
                "body structure { value 1.0.1.8.0.255 as energy uint32 }",
                "example \"odd digits\" {",
                "    note \"the capture below ends in half a byte\"",
                "    capture hex \"0F 00 0\"",
                "    expect error body BODY_TRUNCATED",
                "}");

        Diagnostic d = only(r);
        assertEquals(DiagCode.EXAMPLE_CAPTURE, d.code());
        assertEquals(6, d.loc().line(), summary(r));
        assertFalse(d.message().contains("line 1"), d.message());
    }

    @Test
    void builderAndCheckErrorsOfOneFileAreReportedTogether() throws IOException {
        SpecLoader.Result r = load(
                "meter phases",
                "transport raw",
                "tolerate bad_fsc",
                "body structure { value 0.0.96.1.0.255 as serial visible_string }");

        assertEquals(List.of(DiagCode.UNKNOWN_TOLERANCE, DiagCode.UNBOUNDED),
                r.diagnostics().stream().map(Diagnostic::code).toList(), summary(r));
    }

    @Test
    void diagnosticInAFileImportedByAbsolutePathNamesThatFile() throws IOException {
        Path lib = dir.resolve("lib.meter").toAbsolutePath();
        Files.writeString(lib, "values {\n    1.0.1.8.0.255 energy\n    1.0.1.8.0.255 energy_again\n}\n");
        SpecLoader.Result r = load(
                "meter absolute",
                "import \"" + lib.toString().replace('\\', '/') + "\"",
                "transport raw",
                "body structure { value 1.0.1.8.0.255 uint32 }");

        Diagnostic d = only(r);
        assertEquals(DiagCode.DUPLICATE_VALUE, d.code());
        assertEquals(lib, Path.of(d.loc().file()).toAbsolutePath().normalize(), d.headline());
    }

    @Test
    void duplicateNameIsReportedAtTheSecondUseInSourceOrder() throws IOException {
        SpecLoader.Result r = load(
                "meter names",
                "transport raw",
                "body structure { value 1.0.32.7.0.255 uint16 }",
                "values {",
                "    1.0.32.7.0.255 voltage",
                "    1.0.31.7.0.255 voltage",
                "}");

        Diagnostic d = only(r);
        assertEquals(DiagCode.DUPLICATE_NAME, d.code());
        assertEquals(6, d.loc().line(), summary(r));
        assertTrue(d.message().endsWith("spec.meter:5:5"), d.message());
    }
}
