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
import java.util.LinkedHashMap;
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
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Obis;
import org.meterspec.zcl.ZclTable;

/**
 * The ZigBee mapping proven with Zigbee2MQTT's own code: for every spec with a mapping and every
 * example capture, the Report Attributes frames the generated C produces are parsed by
 * zigbee-herdsman and run through zigbee-herdsman-converters' {@code electricityMeter} extend
 * ({@code conformance/z2m/check.mjs}), and the state Zigbee2MQTT shows must be the values the
 * example expects, within the resolution of the attribute and of Zigbee2MQTT's rounding. The
 * table's ids and types are checked against herdsman's cluster definitions on the way.
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

    /** Keys Zigbee2MQTT rounds to two decimals (utils.js precision), and the unit it shows each in, as a power of ten of the DLMS unit. */
    private static final Map<String, Integer> SHOWN_EXPONENT = Map.ofEntries(
            Map.entry("energy", 3), Map.entry("produced_energy", 3), Map.entry("power", 0), Map.entry("voltage", 0),
            Map.entry("voltage_phase_b", 0), Map.entry("voltage_phase_c", 0), Map.entry("current", 0),
            Map.entry("current_phase_b", 0), Map.entry("current_phase_c", 0), Map.entry("ac_frequency", 0),
            Map.entry("power_factor", 0));

    /**
     * Examples none of whose values the standard mapping takes yet: Kamstrup sends its registers
     * under channel 1 (1.1.x.x.x.255), which zcl.meter does not map. Listed so that a fix shows
     * here: such an example must then be taken off this list.
     */
    private static final java.util.Set<String> UNMAPPED = java.util.Set.of(
            "kamstrup_omnipower: amsreader-lists", "kamstrup_omnipower: corpus",
            "kamstrup_omnipower: corpus-without-authentication-key", "kamstrup_omnipower: norway-list-2-firmware-2017",
            "kamstrup_omnipower: norway-list-2-plain", "kamstrup_omnipower_ct: amsreader-ct-denmark",
            "kamstrup_omnipower_se: amsreader-sweden-list-3",
            // its capture is an event push: no electricity register (its frames still go through herdsman)
            "energomera_ce: corpus");

    @BeforeAll
    static void installConverters() throws Exception {
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
        StringBuilder input = new StringBuilder("{\"table\":").append(decoder.zclTable()).append(",\"converter\":null,\"readings\":[");
        for (int i = 0; i < lines.size(); i++) {
            Map<?, ?> line = (Map<?, ?>) JsonReader.parse(lines.get(i));
            input.append(i == 0 ? "" : ",").append("{\"zcl\":").append(framesJson((List<?>) line.get("zcl"))).append('}');
        }
        input.append("]}");
        Map<?, ?> result = runCheck(model.name() + "-" + example.name().replaceAll("[^A-Za-z0-9]", "_"), input.toString());
        assertEquals(List.of(), result.get("tableProblems"), "the table against herdsman's cluster definitions");
        assertEquals(List.of(), result.get("frameProblems"), "the frames as herdsman parses them");
        List<?> readings = (List<?>) result.get("readings");
        assertEquals(lines.size(), readings.size());
        int compared = 0;
        int line = 0;
        for (ExampleSpec.Expectation e : example.expectations()) {
            if (line >= lines.size()) {
                break;
            }
            if (e instanceof ExampleSpec.ExpectReading r) {
                Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) readings.get(line)).get("z2m");
                compared += compare(model, table, r, state, example, line + 1);
            }
            line++;
        }
        if (UNMAPPED.contains(model.name() + ": " + example.name())) {
            assertEquals(0, compared, model.name() + ": " + example.name() + " is mapped now: take it off UNMAPPED");
        } else {
            assertTrue(compared > 0, "no value of " + example.name() + " reaches Zigbee2MQTT's state");
        }
    }

    /** Compares every state key whose sources the example states; returns how many were compared. */
    private static int compare(MeterModel model, ZclTable table, ExampleSpec.ExpectReading r, Map<?, ?> state,
                               ExampleSpec example, int telegram) {
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
        boolean bothPowers = table.endpoints().stream().flatMap(ep -> ep.clusters().stream())
                .flatMap(c -> c.attributes().stream()).anyMatch(a -> a.attribute().name().equals("activePower"))
                && expected.keySet().stream().anyMatch(o -> Obis.format(o).equals("1.0.21.7.0.255"));
        int compared = 0;
        for (ZclTable.Endpoint ep : table.endpoints()) {
            for (ZclTable.Cluster c : ep.clusters()) {
                for (ZclTable.Entry a : c.attributes()) {
                    String key = KEYS.get(a.attribute().name());
                    if (key == null || a.terms().isEmpty() || key.equals("power") && bothPowers) {
                        // stock Zigbee2MQTT writes "power" from both clusters when both report
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
                    BigDecimal shown = sum.movePointLeft(SHOWN_EXPONENT.get(key));
                    // resolution of the attribute, in the unit shown: den/num of the DLMS unit
                    BigDecimal resolution = new BigDecimal(a.den()).divide(new BigDecimal(a.num()), MathContext.DECIMAL64)
                            .movePointLeft(SHOWN_EXPONENT.get(key));
                    if (a.attribute().name().startsWith("powerFactor")) {
                        resolution = new BigDecimal("0.01");
                    }
                    BigDecimal tolerance = resolution.divide(BigDecimal.valueOf(2)).add(new BigDecimal("0.005"));
                    Object got = state.get(key);
                    String where = model.name() + " " + example.name() + " telegram " + telegram + " " + key + " ("
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
