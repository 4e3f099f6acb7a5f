package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JsonReader;
import org.meterspec.engine.TelegramLine;
import org.meterspec.engine.live.mqtt.HomeAssistant;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;

/**
 * Every value of every example meter, as {@code read --mqtt} announces it to Home Assistant: one
 * discovery message per value, each a sensor Home Assistant accepts, typed by its unit (the
 * device classes and units of Home Assistant's sensor documentation), with a unique id of its own.
 */
class HomeAssistantDiscoveryTest {
    /** The device class each unit must give, and the state class. */
    private static final Map<String, String[]> BY_UNIT = Map.ofEntries(
            Map.entry("Wh", new String[] {"energy", "total_increasing"}),
            Map.entry("kWh", new String[] {"energy", "total_increasing"}),
            Map.entry("W", new String[] {"power", "measurement"}),
            Map.entry("kW", new String[] {"power", "measurement"}),
            Map.entry("V", new String[] {"voltage", "measurement"}),
            Map.entry("A", new String[] {"current", "measurement"}),
            Map.entry("Hz", new String[] {"frequency", "measurement"}),
            Map.entry("var", new String[] {"reactive_power", "measurement"}),
            Map.entry("VA", new String[] {"apparent_power", "measurement"}),
            Map.entry("varh", new String[] {null, "total_increasing"}));

    /** The units Home Assistant accepts with each device class used here. */
    private static final Map<String, Set<String>> UNITS_OF = Map.of(
            "energy", Set.of("Wh", "kWh", "MWh"), "power", Set.of("W", "kW"), "voltage", Set.of("V"),
            "current", Set.of("A"), "frequency", Set.of("Hz"), "reactive_power", Set.of("var"),
            "apparent_power", Set.of("VA"), "power_factor", Set.of("%"));

    @TestFactory
    Stream<DynamicTest> everyValueOfEveryExampleIsATypedEntity() {
        List<DynamicTest> tests = new ArrayList<>();
        for (MeterModel model : Specs.all()) {
            for (ExampleSpec example : model.examples()) {
                if (example.expectations().stream().anyMatch(e -> e instanceof ExampleSpec.ExpectReading)) {
                    tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name(), () -> check(model, example)));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    private static void check(MeterModel model, ExampleSpec example) throws Exception {
        List<String> lines = Specs.decoder(model).decodeAll(ExampleRunner.capture(example),
                DecoderKeys.ofHex(example.key(), example.authKey(), null), DecodeOptions.DEFAULT);
        int typed = 0;
        for (String line : lines) {
            if (!(TelegramLine.parse(line) instanceof TelegramLine.Reading r)) {
                continue;
            }
            Set<String> ids = new HashSet<>();
            Set<String> topics = new HashSet<>();
            int[] occurrence = HomeAssistant.occurrences(r);
            for (int i = 0; i < occurrence.length; i++) {
                TelegramLine.Value v = r.values().get(i);
                HomeAssistant.Discovery d = HomeAssistant.discovery(model, "meterspec/" + model.name(), r, v, occurrence[i]);
                String where = model.name() + " " + example.name() + " " + v.obis() + " " + v.name();
                assertTrue(ids.add(d.uniqueId()), where + ": unique id " + d.uniqueId() + " twice in one reading");
                assertEquals("homeassistant/sensor/" + d.uniqueId() + "/config", d.topic(), where);
                Map<?, ?> config = (Map<?, ?>) JsonReader.parse(d.json());
                for (String key : List.of("name", "unique_id", "state_topic", "device")) {
                    assertTrue(config.containsKey(key), where + ": no " + key + " in " + d.json());
                }
                assertTrue(topics.add(config.get("state_topic").toString()), where + ": state topic "
                        + config.get("state_topic") + " twice in one reading");
                assertFalse(((List<?>) ((Map<?, ?>) config.get("device")).get("identifiers")).isEmpty(), where);
                Object deviceClass = config.get("device_class");
                Object unit = config.get("unit_of_measurement");
                if (deviceClass != null) {
                    typed++;
                    Set<String> allowed = UNITS_OF.get(deviceClass.toString());
                    assertTrue(allowed != null, where + ": device class " + deviceClass + " not one this test knows");
                    assertTrue(unit == null ? deviceClass.equals("power_factor") : allowed.contains(unit.toString()),
                            where + ": unit " + unit + " with device class " + deviceClass);
                }
                String[] expected = v.unit() == null || v.value() == null && v.unit() == null ? null : BY_UNIT.get(v.unit());
                if (expected != null && (v.value() == null || v.value().matches("-?[0-9.]+"))) {
                    assertEquals(expected[0], deviceClass, where + ": device class for " + v.unit());
                    assertEquals(expected[1], config.get("state_class"), where + ": state class for " + v.unit());
                }
                if ("total_increasing".equals(config.get("state_class"))) {
                    assertTrue(unit != null && unit.toString().endsWith("h"), where + ": total_increasing without an energy");
                }
            }
        }
        assertTrue(typed > 0 || model.name().equals("energomera_ce"), model.name() + " " + example.name()
                + ": no value gets a device class");
    }
}
