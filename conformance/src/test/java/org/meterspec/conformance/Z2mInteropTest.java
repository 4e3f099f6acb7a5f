package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.CEngine;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JsonReader;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.gen.z2m.Z2mGenerator;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.zcl.ZclTable;

/**
 * The ZigBee mapping proven with Zigbee2MQTT's own code: for every spec with a mapping and every
 * example capture, the Report Attributes frames the generated C produces are parsed by
 * zigbee-herdsman and run through zigbee-herdsman-converters' {@code electricityMeter} extend
 * ({@code conformance/z2m/check.mjs}), and the state Zigbee2MQTT shows must be the values the
 * example expects, within the resolution of the attribute and of Zigbee2MQTT's rounding. So must
 * the state of the converter {@code meterspec generate --lang z2m} writes, loaded as Zigbee2MQTT
 * loads an external converter, for every value it shows (tariffs and phases too). The table's ids
 * and types are checked against herdsman's cluster definitions on the way.
 */
class Z2mInteropTest {
    private static final Path Z2M = CToolchain.ROOT.resolve("conformance/z2m");
    private static final CEngine C = new CEngine(Path.of("conformance/target/c-engine"));

    /** Zigbee2MQTT's state key for each attribute its stock converters show. */
    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("currentSummDelivered", "energy"), Map.entry("currentSummReceived", "produced_energy"),
            Map.entry("instantaneousDemand", "power"), Map.entry("rmsVoltage", "voltage"),
            Map.entry("rmsVoltagePhB", "voltage_phase_b"), Map.entry("rmsVoltagePhC", "voltage_phase_c"),
            Map.entry("rmsCurrent", "current"), Map.entry("rmsCurrentPhB", "current_phase_b"),
            Map.entry("rmsCurrentPhC", "current_phase_c"), Map.entry("acFrequency", "ac_frequency"),
            Map.entry("powerFactor", "power_factor"));

    /**
     * The state key for each attribute the generated converter shows: the stock ones (with
     * {@code power} from InstantaneousDemand alone), the tariffs, and every phase.
     */
    private static final Map<String, String> EXTERNAL_KEYS = new HashMap<>(KEYS);

    static {
        for (int t = 1; t <= 4; t++) {
            EXTERNAL_KEYS.put("currentTier" + t + "SummDelivered", "energy_tier_" + t);
            EXTERNAL_KEYS.put("currentTier" + t + "SummReceived", "produced_energy_tier_" + t);
        }
        String[][] phases = {{"", "_phase_a", ""}, {"PhB", "_phase_b", "_phase_b"}, {"PhC", "_phase_c", "_phase_c"}};
        for (String[] p : phases) {
            EXTERNAL_KEYS.put("activePower" + p[0], "power" + p[1]);
            EXTERNAL_KEYS.put("reactivePower" + p[0], "power_reactive" + p[2]);
            EXTERNAL_KEYS.put("apparentPower" + p[0], "power_apparent" + p[2]);
            EXTERNAL_KEYS.put("powerFactor" + p[0], "power_factor" + p[2]);
        }
    }

    /** The unit Zigbee2MQTT shows a key in, as a power of ten of the DLMS unit: kWh of Wh, else the same. */
    private static int shownExponent(String key) {
        return key.contains("energy") ? 3 : 0;
    }

    /** Examples none of whose values the standard mapping takes: listed so that a fix shows here. */
    private static final java.util.Set<String> UNMAPPED = java.util.Set.of(
            // its capture is an event push: no electricity register (its frames still go through herdsman)
            "energomera_ce: corpus");

    @BeforeAll
    static synchronized void installConverters() throws Exception {
        Path node = CToolchain.tool("node", "nodejs");
        Path npm = CToolchain.tool("npm", "npm");
        Path installed = Z2M.resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(Z2M.resolve("package-lock.json"))) < 0) {
            Process p = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund").directory(Z2M.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("npm ci in " + Z2M + " failed:\n" + out);
            }
        }
        assertTrue(Files.isExecutable(node));
    }

    @TestFactory
    Stream<DynamicTest> zigbee2mqttShowsEveryExpectedValue() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (MeterModel model : Specs.all()) {
            ZclTable table = PlanBuilder.build(model).zcl();
            if (table == null) {
                continue;
            }
            for (ExampleSpec example : model.examples()) {
                if (example.expectations().stream().noneMatch(e -> e instanceof ExampleSpec.ExpectReading)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name(), () -> check(model, table, example)));
            }
        }
        assertFalse(tests.isEmpty(), "no spec in examples/ maps values onto ZigBee");
        return tests.stream();
    }

    private static void check(MeterModel model, ZclTable table, ExampleSpec example) throws Exception {
        SpecDecoder decoder = C.load(model);
        DecoderKeys keys = DecoderKeys.ofHex(example.key(), example.authKey(), null);
        List<String> lines = decoder.decodeAll(ExampleRunner.capture(example), keys,
                DecodeOptions.DEFAULT.withZcl(DecodeOptions.DEFAULT_ZCL_PAYLOAD));
        List<List<?>> frames = new ArrayList<>();
        for (String line : lines) {
            frames.add((List<?>) ((Map<?, ?>) JsonReader.parse(line)).get("zcl"));
        }
        verify(model, table, decoder.zclTable(), example, frames, model.name() + "-" + example.name());
    }

    /**
     * Holds the frames of each telegram of an example ({@code frames.get(i)}: the
     * {@code {"endpoint","cluster","frame"}} objects of telegram i+1) to Zigbee2MQTT's stock
     * converters, the generated converter and zigpy, and the states to the example's values.
     */
    static void verify(MeterModel model, ZclTable table, String tableJson, ExampleSpec example, List<List<?>> frames,
                       String name) throws Exception {
        Path converter = Files.createDirectories(CToolchain.OUT.resolve("z2m")).resolve(Z2mGenerator.fileName(PlanBuilder.build(model)));
        Files.writeString(converter, Z2mGenerator.converter(PlanBuilder.build(model)), StandardCharsets.UTF_8);
        StringBuilder input = new StringBuilder("{\"table\":").append(tableJson).append(",\"converter\":\"")
                .append(converter.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"")).append("\",\"readings\":[");
        for (int i = 0; i < frames.size(); i++) {
            input.append(i == 0 ? "" : ",").append("{\"zcl\":").append(framesJson(frames.get(i))).append('}');
        }
        input.append("]}");
        Map<?, ?> result = runCheck(name.replaceAll("[^A-Za-z0-9-]", "_"), input.toString());
        assertEquals(List.of(), result.get("tableProblems"), "the table against herdsman's cluster definitions");
        assertEquals(List.of(), result.get("frameProblems"), "the frames as herdsman parses them");
        assertEquals(List.of(), result.get("converterProblems"), "the generated converter " + converter);
        for (Object note : (List<?>) result.get("notes")) {
            assertFalse(note.toString().startsWith("external converter:"), "the generated converter " + converter + ": " + note);
        }
        List<?> readings = (List<?>) result.get("readings");
        assertEquals(frames.size(), readings.size());
        zigpyReadsWhatHerdsmanReads(name, tableJson, frames, readings);
        boolean status = table.endpoints().stream().flatMap(ep -> ep.clusters().stream()).flatMap(c -> c.attributes().stream())
                .anyMatch(a -> a.fill() == ZclTable.Fill.STATUS);
        int compared = 0;
        int comparedExternal = 0;
        int line = 0;
        for (ExampleSpec.Expectation e : example.expectations()) {
            if (line >= frames.size()) {
                break;
            }
            if (e instanceof ExampleSpec.ExpectReading r) {
                Map<?, ?> reading = (Map<?, ?>) readings.get(line);
                compared += compare(model, table, r, (Map<?, ?>) reading.get("z2m"), KEYS, true, example, line + 1);
                Map<?, ?> external = (Map<?, ?>) reading.get("external");
                comparedExternal += compare(model, table, r, external, EXTERNAL_KEYS, false, example, line + 1);
                if (status) {
                    assertEquals(false, external.get("check_meter"), model.name() + " " + example.name() + " telegram "
                            + (line + 1) + ": the generated converter's check_meter after a good telegram; its state: " + external);
                }
            }
            line++;
        }
        if (UNMAPPED.contains(model.name() + ": " + example.name())) {
            assertEquals(0, compared + comparedExternal, model.name() + ": " + example.name() + " is mapped now: take it off UNMAPPED");
        } else {
            assertTrue(compared > 0, "no value of " + example.name() + " reaches Zigbee2MQTT's state");
            assertTrue(comparedExternal >= compared, "the generated converter shows fewer values of " + example.name()
                    + " (" + comparedExternal + ") than the stock one (" + compared + ")");
        }
    }

    /** Compares every state key whose sources the example states; returns how many were compared. */
    private static int compare(MeterModel model, ZclTable table, ExampleSpec.ExpectReading r, Map<?, ?> state,
                               Map<String, String> stateKeys, boolean stock, ExampleSpec example, int telegram) {
        Map<Long, BigDecimal> expected = new HashMap<>();
        for (ExampleSpec.ExpectValue v : r.values()) {
            if (v.value() != null) {
                try {
                    expected.put(v.obis(), new BigDecimal(v.value()));
                } catch (NumberFormatException notANumber) {
                    // a date or a string: no electricity value
                }
            }
        }
        // stock Zigbee2MQTT writes "power" from both clusters when phase A's power arrives too
        boolean bothPowers = table.endpoints().stream().flatMap(ep -> ep.clusters().stream())
                .flatMap(c -> c.attributes().stream()).filter(a -> a.attribute().name().equals("activePower"))
                .flatMap(a -> a.terms().stream()).anyMatch(t -> expected.containsKey(t.obis()));
        int compared = 0;
        for (ZclTable.Endpoint ep : table.endpoints()) {
            for (ZclTable.Cluster c : ep.clusters()) {
                for (ZclTable.Entry a : c.attributes()) {
                    String key = stateKeys.get(a.attribute().name());
                    if (key == null || a.terms().isEmpty() || stock && key.equals("power") && bothPowers) {
                        continue;
                    }
                    BigDecimal sum = BigDecimal.ZERO;
                    boolean known = true;
                    for (ZclTable.Term t : a.terms()) {
                        BigDecimal v = expected.get(t.obis());
                        if (v == null) {
                            known = false;
                            break;
                        }
                        sum = t.negative() ? sum.subtract(v) : sum.add(v);
                    }
                    if (!known) {
                        continue;
                    }
                    BigDecimal shown = sum.movePointLeft(shownExponent(key));
                    // resolution of the attribute, in the unit shown: den/num of the DLMS unit
                    BigDecimal resolution = new BigDecimal(a.den()).divide(new BigDecimal(a.num()), MathContext.DECIMAL64)
                            .movePointLeft(shownExponent(key));
                    if (a.attribute().name().startsWith("powerFactor")) {
                        resolution = new BigDecimal("0.01");
                    }
                    BigDecimal tolerance = resolution.divide(BigDecimal.valueOf(2)).add(new BigDecimal("0.005"));
                    Object got = state.get(key);
                    String where = model.name() + " " + example.name() + " telegram " + telegram + " " + key + " ("
                            + (stock ? "electricityMeter, " : "generated converter, ")
                            + a.attribute().name() + " = " + a.source() + ")";
                    if (!(got instanceof Number || got instanceof String)) {
                        fail(where + ": Zigbee2MQTT shows " + got + ", expected " + shown.toPlainString()
                                + "; its state: " + state);
                    }
                    BigDecimal value = new BigDecimal(got.toString());
                    assertTrue(value.subtract(shown).abs().compareTo(tolerance) <= 0,
                            where + ": Zigbee2MQTT shows " + value + ", expected " + shown.toPlainString() + " ± "
                                    + tolerance.stripTrailingZeros().toPlainString());
                    compared++;
                }
            }
        }
        return compared;
    }

    /**
     * ZHA's parser on the same frames: zigpy ({@code zigpy_parse.py}, Debian's python3-zigpy) must
     * take every frame as a Report Attributes whose records have the types of its own attribute
     * definitions, and read the values zigbee-herdsman read (herdsman's non-values aside).
     */
    private static void zigpyReadsWhatHerdsmanReads(String where, String tableJson, List<List<?>> frames, List<?> readings)
            throws IOException, InterruptedException {
        Map<String, String> names = new HashMap<>(); // "0x0702 0x0000" -> herdsman's attribute name
        Map<String, String> clusterNames = new HashMap<>();
        for (Object ep : (List<?>) ((Map<?, ?>) JsonReader.parse(tableJson)).get("endpoints")) {
            for (Object c : (List<?>) ((Map<?, ?>) ep).get("clusters")) {
                Map<?, ?> cluster = (Map<?, ?>) c;
                clusterNames.put(cluster.get("cluster").toString(), cluster.get("name") == null ? null : cluster.get("name").toString());
                for (Object a : (List<?>) cluster.get("attributes")) {
                    Map<?, ?> attribute = (Map<?, ?>) a;
                    names.put(cluster.get("cluster") + " " + attribute.get("id"), attribute.get("name").toString());
                }
            }
        }
        StringBuilder in = new StringBuilder();
        List<Integer> readingOf = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            for (Object f : frames.get(i)) {
                Map<?, ?> frame = (Map<?, ?>) f;
                in.append(frame.get("cluster")).append(' ').append(frame.get("frame")).append('\n');
                readingOf.add(i);
            }
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "zigpy_parse.py").directory(Z2M.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(in.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("/usr/bin/python3 zigpy_parse.py failed (exit " + p.exitValue() + ") on the frames of " + where);
        }
        assertEquals(readingOf.size(), out.size(), "zigpy's lines for the frames of " + where);
        for (int k = 0; k < out.size(); k++) {
            Map<?, ?> parsed = (Map<?, ?>) JsonReader.parse(out.get(k));
            String frame = where + " telegram " + (readingOf.get(k) + 1) + " frame " + parsed.get("cluster");
            assertEquals(null, parsed.get("error"), frame + ": zigpy cannot parse it");
            Map<?, ?> herdsman = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) readings.get(readingOf.get(k))).get("attributes"))
                    .get(clusterNames.get(parsed.get("cluster").toString()));
            for (Object r : (List<?>) parsed.get("records")) {
                Map<?, ?> record = (Map<?, ?>) r;
                String at = frame + " attribute " + record.get("id");
                assertEquals(record.get("type"), record.get("defType"), at + ": the type against zigpy's definition "
                        + record.get("name"));
                assertEquals(null, record.get("normaliseError"), at + ": zigpy's definition does not take the value");
                String name = names.get(parsed.get("cluster") + " " + record.get("id"));
                Object theirs = herdsman == null ? null : herdsman.get(name);
                if (theirs != null) {
                    assertEquals(theirs.toString(), record.get("value").toString(), at + " (" + name + "): zigpy against herdsman");
                }
            }
        }
    }

    private static String framesJson(List<?> frames) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < frames.size(); i++) {
            Map<?, ?> f = (Map<?, ?>) frames.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"endpoint\":").append(f.get("endpoint")).append(",\"cluster\":\"")
                    .append(f.get("cluster")).append("\",\"frame\":\"").append(f.get("frame")).append("\"}");
        }
        return sb.append(']').toString();
    }

    private static Map<?, ?> runCheck(String name, String input) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(CToolchain.OUT.resolve("z2m"));
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, input, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(CToolchain.tool("node", "nodejs").toString(), "check.mjs", file.toString())
                .directory(Z2M.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("node check.mjs " + file + " failed (exit " + p.exitValue() + ")");
        }
        Files.writeString(dir.resolve(name + ".out.json"), out, StandardCharsets.UTF_8);
        return (Map<?, ?>) JsonReader.parse(out.strip());
    }
}
