package org.meterspec.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostic;
import org.meterspec.model.Bounds;
import org.meterspec.model.Element;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Presence;
import org.meterspec.model.SecuritySpec;
import org.meterspec.model.Transport;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Obis;

/** Valid specs under {@code src/test/resources/specs/}, and what the loader builds from them. */
class SpecLoaderTest {
    static final Path DIR = Path.of("src", "test", "resources", "specs");
    static final String PREFIX = DIR.toString().replace('\\', '/') + "/";

    static final long ENERGY_IMPORT = Obis.parse("1.0.1.8.0.255");
    static final long VOLTAGE_L1 = Obis.parse("1.0.32.7.0.255");
    static final long CURRENT_L1 = Obis.parse("1.0.31.7.0.255");
    static final long METER_NUMBER = Obis.parse("0.0.96.1.0.255");

    static MeterModel load(String name) {
        SpecLoader.Result result = SpecLoader.load(DIR.resolve(name));
        assertTrue(result.ok(), name + " does not load:\n" + result.report());
        assertEquals(List.of(), result.diagnostics(), name + " loads, but with diagnostics");
        return result.model();
    }

    // ---- imports -----------------------------------------------------------------------------

    @Test
    void laterEntryRefinesAnImportedOneAndKeepsWhatItDoesNotRestate() {
        MeterModel m = load("refine.meter");

        ValueSpec voltage = m.values().get(VOLTAGE_L1);
        assertEquals("voltage_l1", voltage.name());
        assertEquals("V", voltage.unit());
        assertEquals(0, voltage.scaler(), "the refining entry's scaler replaces the imported -1");
        assertEquals(ValueType.named("uint16"), voltage.type());
        assertEquals("Voltage L1", voltage.doc());
        assertEquals(PREFIX + "refine.meter", voltage.loc().file(), "a refined entry is located where it was refined");
        assertEquals(15, voltage.loc().line());

        ValueSpec energy = m.values().get(ENERGY_IMPORT);
        assertEquals("a_plus", energy.name(), "a name given again renames the value");
        assertEquals("Wh", energy.unit());
        assertEquals(2, energy.scaler(), "the scaler lib/refine_values.meter adds survives the meter's own refinement");
        assertEquals("A+ as this meter's documentation calls it", energy.doc());
    }

    @Test
    void aNameAFileGivesAnotherCodeIsTakenFromWhatItImports() {
        MeterModel m = load("scoped_names.meter");
        long channel1Energy = Obis.parse("1.1.1.8.0.255");
        assertEquals("energy_import", m.values().get(channel1Energy).name());
        assertEquals(1, m.values().get(channel1Energy).scaler());
        assertEquals("voltage_l1", m.values().get(Obis.parse("1.1.32.7.0.255")).name());
        assertEquals("meter_number", m.values().get(Obis.parse("0.0.96.1.1.255")).name());
        // the imported entries that had the names leave the meter: their codes decode unnamed
        assertNull(m.values().get(ENERGY_IMPORT));
        assertNull(m.values().get(VOLTAGE_L1));
        assertNull(m.values().get(METER_NUMBER));
    }

    @Test
    void aPatternIsRefinedAsACodesEntryIsAndMatchedByItsOpenGroups() {
        MeterModel m = load("patterns.meter");
        List<ValueSpec> patterns = m.patterns();
        assertEquals(List.of("1.0.32.7.0.*", "1.*.1.8.0.255", "1.*.1.8.*.255"),
                patterns.stream().map(ValueSpec::code).toList(), "fewer open groups first, then as first written");
        ValueSpec anyTariff = patterns.get(2);
        assertEquals("Wh", anyTariff.unit(), "the import's unit stays");
        assertEquals(3, anyTariff.scaler(), "the meter's scaler refines it");
        assertEquals("active energy import, any channel and tariff", anyTariff.doc());
        assertNull(anyTariff.name());
        assertTrue(m.values().isEmpty(), "a pattern is no code's entry");

        assertEquals(patterns.get(1), m.entryFor(Obis.parse("1.2.1.8.0.255")));
        assertEquals(anyTariff, m.entryFor(Obis.parse("1.2.1.8.3.255")));
        assertEquals(patterns.get(0), m.entryFor(Obis.parse("1.0.32.7.0.101")));
        assertNull(m.entryFor(Obis.parse("1.0.32.7.1.101")), "E is fixed by the pattern");
        assertNull(m.entryFor(Obis.parse("2.0.1.8.0.255")), "so is A");
    }

    @Test
    void theTransportStatesTheSerialLine() {
        org.meterspec.model.Transport.Serial s = load("serial.meter").transport().serial();
        assertEquals(115200, s.baud());
        assertEquals("8E1.5", s.frame());
        assertNull(load("refine.meter").transport().serial(), "no serial line stated: the transport's usual one");
    }

    @Test
    void importedEntriesTheMeterDoesNotMentionArriveUnchanged() {
        MeterModel m = load("refine.meter");

        ValueSpec number = m.values().get(METER_NUMBER);
        assertEquals("meter_number", number.name());
        assertEquals(Format.TEXT, number.format());
        assertEquals(ValueType.named("octet_string"), number.type());
        assertNull(number.unit());
        assertNull(number.scaler());
        assertEquals(PREFIX + "lib/base_values.meter", number.loc().file());
        assertEquals(5, number.loc().line());

        ValueSpec current = m.values().get(CURRENT_L1);
        assertEquals("current_l1", current.name());
        assertEquals("A", current.unit());
        assertEquals(-2, current.scaler());
        assertEquals(List.of(METER_NUMBER, ENERGY_IMPORT, CURRENT_L1, VOLTAGE_L1), List.copyOf(m.values().keySet()),
                "values are sorted by OBIS code");
    }

    @Test
    void meterWithoutBodyUsesTheBodyItsImportShares() {
        MeterModel m = load("shared_body.meter");

        Element.Structure body = assertInstanceOf(Element.Structure.class, m.body());
        assertEquals(PREFIX + "lib/shared_body.meter", body.loc().file(), "the shared body keeps its own location");
        assertEquals(4, body.loc().line());
        assertEquals(2, body.items().size());
        Element.Value serial = assertInstanceOf(Element.Value.class, body.items().get(0));
        assertEquals(METER_NUMBER, serial.obis());
        Element.Repeat repeat = assertInstanceOf(Element.Repeat.class, body.items().get(1));
        assertEquals(4, repeat.max());
        assertEquals(List.of(Element.ObisField.class, Element.Value.class, Element.ScalerUnit.class),
                repeat.items().stream().map(Object::getClass).toList());
        assertEquals("meter_number", m.values().get(METER_NUMBER).name(),
                "values the shared body's file imports reach the meter");
    }

    @Test
    void meterWithItsOwnBodyIgnoresTheSharedOne() {
        MeterModel m = load("own_body.meter");

        Element.Structure body = assertInstanceOf(Element.Structure.class, m.body());
        assertEquals(PREFIX + "own_body.meter", body.loc().file());
        Element.Value only = assertInstanceOf(Element.Value.class, body.items().get(0));
        assertEquals(ENERGY_IMPORT, only.obis());
        assertEquals(1, body.items().size());
    }

    @Test
    void fingerprintChangesWithAnImportedFileAndOnlyWithIt(@TempDir Path dir) throws IOException {
        Path lib = dir.resolve("lib.meter");
        Path spec = dir.resolve("main.meter");
        Files.writeString(spec, "meter main\nimport \"lib.meter\"\ntransport raw\n"
                + "body structure { value 1.0.1.8.0.255 uint32 }\n");
        Files.writeString(lib, "values { 1.0.1.8.0.255 energy_import }\n");
        String before = SpecLoader.load(spec).model().fingerprint();
        String again = SpecLoader.load(spec).model().fingerprint();

        Files.writeString(lib, "values { 1.0.1.8.0.255 energy_import doc \"A+\" }\n");
        String changed = SpecLoader.load(spec).model().fingerprint();

        assertTrue(before.matches("[0-9a-f]{16}"), before);
        assertEquals(before, again, "the same files give the same fingerprint");
        assertNotEquals(before, changed, "an edit in an imported file changes the fingerprint");
    }

    // ---- defaults ----------------------------------------------------------------------------

    @Test
    void specWithoutSecurityOrNotificationGetsPlainAndOptionalDateTime() {
        MeterModel m = load("defaults.meter");

        SecuritySpec s = m.security();
        assertTrue(s.plain(), "no security section means plain telegrams");
        assertFalse(s.glo());
        assertFalse(s.ded());
        assertFalse(s.ciphered());
        assertEquals(List.of(), s.controls());
        assertFalse(s.authenticationRequired());

        assertEquals(Presence.OPTIONAL, m.notification().dateTime());
        assertNull(m.notification().dateTimeObis());
        assertEquals(0, m.notification().maxBlocks(), "no block transfer unless named");

        Transport.Hdlc hdlc = assertInstanceOf(Transport.Hdlc.class, m.transport());
        assertNull(hdlc.maxFrames());
        assertNull(hdlc.destinationLength());
        assertNull(hdlc.sourceLength());
        assertEquals(Presence.OPTIONAL, hdlc.llc());
        assertEquals(16, m.bounds().maxFrames(), "the default frame limit");

        assertEquals(List.of(), m.tolerances());
        assertEquals(List.of(), m.examples());
        assertEquals("defaults", m.name());
        assertNull(m.title());
        assertEquals(PREFIX + "defaults.meter", m.file());
    }

    @Test
    void cipheringWithoutControlValuesAcceptsTheFourRealMetersSend() {
        MeterModel m = load("glo_defaults.meter");

        assertFalse(m.security().plain(), "'security glo' alone does not accept plain telegrams");
        assertTrue(m.security().glo());
        assertEquals(List.of(0x20, 0x21, 0x30, 0x31), m.security().controls());
        assertFalse(m.security().authenticationRequired());
    }

    // ---- bounds ------------------------------------------------------------------------------

    @Test
    void boundsOfASmallMbusLayoutMatchTheHandCount() {
        MeterModel m = load("bounds_small.meter");
        // body: structure tag 1 + count 1 (10 elements: serial + 3 x 3)
        //       serial octet_string max 8: 1 + 1 + 8 = 10
        //       repeat 3 x (obis 8 + uint32 5 + scaler_unit 6 = 19) = 57         -> 69
        // plain APDU: 0F 1 + invoke id 4 + date-time 13 + body 69               -> 87
        // glo: tag 1 + title length 1 + title 8 + length 1 (104) + SC 1 + FC 4 + 87 + tag 12 -> 115
        Bounds b = m.bounds();
        assertEquals(87, b.maxPlainApdu());
        assertEquals(115, b.maxApdu(), "plain and glo allowed: the larger, ciphered, form");
        assertEquals(115, b.maxTelegram(), "no block transfer: the telegram is the APDU");
        assertEquals(16, b.maxFrames());
        assertEquals(4, b.maxValues(), "the serial and three repeated values");
        assertEquals(1, b.maxDepth());
    }

    @Test
    void boundsWithLongLengthsBlockTransferAndReportedDateTime() {
        MeterModel m = load("bounds_array.meter");
        // body: array tag 1 + length 2 (200 >= 0x80) + 200 x structure (1 + 1 + obis 8 + uint16 3 = 13) -> 2603
        // plain APDU: 1 + 4 + tagged date-time 14 + 2603                         -> 2622
        // glo: 1 + 1 + 8 + length 3 (2639 >= 0x100) + 5 + 2622 + 12               -> 2652
        Bounds b = m.bounds();
        assertEquals(2622, b.maxPlainApdu());
        assertEquals(2652, b.maxApdu(), "glo only");
        assertEquals(2661, b.maxTelegram(), "block transfer adds its 9-byte header");
        assertEquals(3, b.maxFrames());
        assertEquals(201, b.maxValues(), "200 array values and the reported notification date-time");
        assertEquals(2, b.maxDepth(), "an array of structures");
    }

    @Test
    void rawTransportIsOneFrame() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("refine.meter"));
        assertInstanceOf(Transport.Raw.class, r.model().transport());
        assertEquals(1, r.model().bounds().maxFrames());
    }

    // ---- diagnostics -------------------------------------------------------------------------

    private static final Comparator<Diagnostic> SOURCE_ORDER = Comparator
            .comparing((Diagnostic d) -> d.loc().file())
            .thenComparingInt(d -> d.loc().line())
            .thenComparingInt(d -> d.loc().column());

    @Test
    void diagnosticsFromPassesThatRunOutOfSourceOrderComeSortedByLineAndColumn() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("invalid/unsorted.meter"));

        assertFalse(r.ok());
        List<Diagnostic> ds = r.diagnostics();
        assertEquals(ds.stream().sorted(SOURCE_ORDER).toList(), ds);
        assertEquals(List.of("4:1", "9:5", "9:69", "15:33", "16:5", "20:13"),
                ds.stream().map(d -> d.loc().line() + ":" + d.loc().column()).toList());
    }

    @Test
    void severalErrorsOfOneFileAreReportedTogether() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("invalid/unsorted.meter"));

        assertNull(r.model());
        assertEquals(List.of(DiagCode.EXAMPLE_EXPECTATION, DiagCode.UNBOUNDED, DiagCode.BAD_NAME,
                        DiagCode.UNKNOWN_UNIT, DiagCode.DUPLICATE_NAME, DiagCode.SECURITY_CONTROL),
                r.diagnostics().stream().map(Diagnostic::code).toList());
        assertTrue(r.diagnostics().stream().allMatch(Diagnostic::isError));
        assertTrue(r.diagnostics().stream().allMatch(d -> d.loc().file().equals(PREFIX + "invalid/unsorted.meter")));
    }

    @Test
    void diagnosticsOfSeveralFilesComeSortedByFile() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("invalid/a_two_files.meter"));

        List<Diagnostic> ds = r.diagnostics();
        assertEquals(ds.stream().sorted(SOURCE_ORDER).toList(), ds);
        assertEquals(List.of(PREFIX + "invalid/a_two_files.meter:5:8", PREFIX + "invalid/lib/duplicates.meter:4:5"),
                ds.stream().map(d -> d.loc().toString()).toList());
        assertEquals(List.of(DiagCode.IMPORT_NOT_FOUND, DiagCode.DUPLICATE_VALUE),
                ds.stream().map(Diagnostic::code).toList());
    }

    @Test
    void missingImportHintNamesTheDirectoryPathsAreRelativeTo() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("invalid/a_two_files.meter"));

        Diagnostic notFound = r.diagnostics().get(0);
        assertEquals("cannot find imported file 'lib/missing.meter'", notFound.message());
        assertEquals("the path is relative to '" + PREFIX + "invalid/'", notFound.hint());
    }

    @Test
    void reportFormatsEveryDiagnosticWithContextAndHint() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("invalid/a_two_files.meter"));

        assertEquals(PREFIX + "invalid/a_two_files.meter:5:8: error[MS002]: cannot find imported file 'lib/missing.meter'\n"
                + "    | import \"lib/missing.meter\"\n"
                + "    |        ^\n"
                + "    = hint: the path is relative to '" + PREFIX + "invalid/'\n"
                + PREFIX + "invalid/lib/duplicates.meter:4:5: error[MS030]: 1.0.1.8.0.255 is already defined at "
                + PREFIX + "invalid/lib/duplicates.meter:3:5\n"
                + "    |     1.0.1.8.0.255 energy_import_again\n"
                + "    |     ^\n"
                + "    = hint: define each OBIS code once per file\n"
                + "    = note: imported at " + PREFIX + "invalid/a_two_files.meter:4:8\n", r.report());
    }

    @Test
    void missingSpecFileIsADiagnosticNotAnException() {
        SpecLoader.Result r = SpecLoader.load(DIR.resolve("no_such_spec.meter"));

        assertNull(r.model());
        assertEquals(1, r.diagnostics().size());
        Diagnostic d = r.diagnostics().get(0);
        assertTrue(d.message().startsWith("cannot read '" + PREFIX + "no_such_spec.meter'"), d.message());
        assertEquals(1, d.loc().line());
        assertNull(d.sourceLine());
    }

    @Test
    void sharedDefinitionFilesDoNotDeclareAMeter() {
        assertTrue(SpecLoader.declaresMeter(DIR.resolve("refine.meter")));
        assertFalse(SpecLoader.declaresMeter(DIR.resolve("lib/base_values.meter")));
        assertFalse(SpecLoader.declaresMeter(DIR.resolve("no_such_spec.meter")));
    }

    @Test
    void loadingTheSameSpecTwiceGivesEqualModels() {
        MeterModel a = load("bounds_array.meter");
        MeterModel b = load("bounds_array.meter");
        assertNotNull(a.bounds());
        assertEquals(a, b);
    }

    @Test
    void aStructuredValueIsMappedOntoZigbeeByItsLeaves(@TempDir Path dir) throws IOException {
        // the mapping takes the first leaf; what the body says of the value's container is not the leaves' type
        Path spec = dir.resolve("structured.meter");
        Files.writeString(spec, "meter structured \"a register with its status\"\ntransport raw\nsecurity none\n"
                + "body structure { value 1.0.1.8.0.255 as energy structure leaves 2 max 8 }\n"
                + "zigbee { endpoint 1 { seMetering.multiplier = 1  seMetering.divisor = 1000"
                + "  seMetering.currentSummDelivered = 1.0.1.8.0.255 } }\n");

        SpecLoader.Result r = SpecLoader.load(spec);

        assertTrue(r.ok(), r.report());
        assertEquals(List.of(), r.diagnostics(), r.report());
    }

    @Test
    void aMeterMayBeNamedLikeAZigbeeKeyword(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("zigbee.meter");
        Files.writeString(spec, "meter zigbee \"a reader\"\ntransport raw\nsecurity none\n"
                + "body structure { value 1.0.1.8.0.255 as energy uint32 }\n");

        SpecLoader.Result r = SpecLoader.load(spec);

        assertTrue(r.ok(), r.report());
        assertEquals("zigbee", r.model().name());
        assertTrue(SpecLoader.declaresMeter(spec));
    }
}
