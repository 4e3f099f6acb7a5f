package org.meterspec.engine.live.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meterspec.engine.JsonReader;
import org.meterspec.engine.TelegramLine;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;

/** Home Assistant discovery messages and the MQTT settings, without a broker. */
class HomeAssistantTest {
    static final Path SPEC = Path.of("..", "examples", "sagemcom_t210d", "netz_noe_p1.meter");
    static final String NOE = "{\"telegram\":1,\"status\":\"ok\",\"meter\":\"netz_noe_p1\",\"system_title\":"
            + "\"4B464D6750000009\",\"frame_counter\":35,\"security\":\"encrypted\",\"values\":["
            + "{\"obis\":\"0.0.1.0.0.255\",\"name\":\"clock\",\"value\":\"2021-09-27T09:47:15.00+02:00\"},"
            + "{\"obis\":\"1.0.1.8.0.255\",\"name\":\"energy_import\",\"value\":\"12937\",\"unit\":\"Wh\"},"
            + "{\"obis\":\"1.0.13.7.0.255\",\"name\":\"power_factor\",\"value\":\"1.000\"},"
            + "{\"obis\":\"0.0.96.1.0.255\",\"name\":\"meter_number\",\"value\":\"181220000009\"}]}";

    static MeterModel model() {
        SpecLoader.Result r = SpecLoader.load(SPEC);
        assertTrue(r.ok(), r.report());
        return r.model();
    }

    static TelegramLine.Reading reading(String line) {
        return (TelegramLine.Reading) TelegramLine.parse(line);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HomeAssistant.Discovery d) {
        return (Map<String, Object>) JsonReader.parse(d.json());
    }

    @Test
    void anEnergyIsATotalIncreasingEnergySensorOfTheMeterItsSystemTitleNames() {
        TelegramLine.Reading r = reading(NOE);
        HomeAssistant.Discovery d = HomeAssistant.discovery(model(), "meterspec/netz_noe_p1", r, r.values().get(1));
        assertEquals("homeassistant/sensor/meterspec_4B464D6750000009_1_0_1_8_0_255/config", d.topic());
        assertEquals("{\"name\":\"Energy import\",\"unique_id\":\"meterspec_4B464D6750000009_1_0_1_8_0_255\","
                + "\"state_topic\":\"meterspec/netz_noe_p1/energy_import\","
                + "\"availability_topic\":\"meterspec/netz_noe_p1/availability\",\"unit_of_measurement\":\"Wh\","
                + "\"device_class\":\"energy\",\"state_class\":\"total_increasing\",\"device\":{\"identifiers\":"
                + "[\"meterspec_4B464D6750000009\"],\"name\":\"Sagemcom T210-D, M-Bus P1 (Netz NÖ)\","
                + "\"manufacturer\":\"KFM\",\"model\":\"Sagemcom T210-D, M-Bus P1 (Netz NÖ)\"}}", d.json());
    }

    @Test
    void powerFactorHasNoUnitAndTextValuesAreNotTyped() {
        MeterModel model = model();
        TelegramLine.Reading r = reading(NOE);
        Map<String, Object> pf = json(HomeAssistant.discovery(model, "p", r, r.values().get(2)));
        assertEquals("power_factor", pf.get("device_class"));
        assertEquals("measurement", pf.get("state_class"));
        assertFalse(pf.containsKey("unit_of_measurement"));
        for (int i : new int[] {0, 3}) { // the clock, the meter number
            Map<String, Object> text = json(HomeAssistant.discovery(model, "p", r, r.values().get(i)));
            assertNull(text.get("device_class"), text.toString());
            assertNull(text.get("state_class"), text.toString());
        }
    }

    @Test
    void unitsGiveTheDeviceClassesHomeAssistantTakesWithThem() {
        MeterModel model = model();
        String[][] cases = {
            {"kWh", "energy", "total_increasing"}, {"W", "power", "measurement"}, {"kW", "power", "measurement"},
            {"V", "voltage", "measurement"}, {"A", "current", "measurement"}, {"Hz", "frequency", "measurement"},
            {"var", "reactive_power", "measurement"}, {"VA", "apparent_power", "measurement"},
            {"varh", null, "total_increasing"}, {"VAh", null, "total_increasing"}, {"Ah", null, "measurement"},
        };
        for (String[] c : cases) {
            TelegramLine.Reading r = new TelegramLine.Reading(1, "m", null, null, "none",
                    List.of(new TelegramLine.Value("1.0.3.8.0.255", "x", "12.5", c[0])));
            Map<String, Object> j = json(HomeAssistant.discovery(model, "p", r, r.values().get(0)));
            assertEquals(c[0], j.get("unit_of_measurement"), c[0]);
            assertEquals(c[1], j.get("device_class"), c[0]);
            assertEquals(c[2], j.get("state_class"), c[0]);
        }
        // a value with a unit that is not a number is not typed
        TelegramLine.Reading r = new TelegramLine.Reading(1, "m", null, null, "none",
                List.of(new TelegramLine.Value("1.0.3.8.0.255", "x", "n/a", "W")));
        assertNull(json(HomeAssistant.discovery(model, "p", r, r.values().get(0))).get("device_class"));
    }

    @Test
    void withoutASystemTitleTheMeterNumberElseTheMeterNameIdentifiesTheDevice() {
        MeterModel model = model();
        TelegramLine.Reading numbered = new TelegramLine.Reading(1, "aidon", null, null, "none", List.of(
                new TelegramLine.Value("1.0.1.7.0.255", "power", "5", "W"),
                new TelegramLine.Value("0.0.96.1.0.255", "meter_id", "7359992890941742", null)));
        Map<String, Object> j = json(HomeAssistant.discovery(model, "p", numbered, numbered.values().get(0)));
        assertEquals("meterspec_7359992890941742_1_0_1_7_0_255", j.get("unique_id"));
        assertEquals(List.of("meterspec_7359992890941742"), ((Map<?, ?>) j.get("device")).get("identifiers"));
        assertFalse(((Map<?, ?>) j.get("device")).containsKey("manufacturer"), "no FLAG id without a system title");
        TelegramLine.Reading bare = new TelegramLine.Reading(1, "aidon", null, null, "none", List.of(
                new TelegramLine.Value("1.0.1.7.0.255", "power", "5", "W")));
        assertEquals("meterspec_aidon_1_0_1_7_0_255", HomeAssistant.uniqueId(bare, bare.values().get(0)));
    }

    @Test
    void namesAreEscapedInTheJsonAndMadeSafeInTopics() {
        TelegramLine.Reading r = new TelegramLine.Reading(1, "m", null, null, "none", List.of(
                new TelegramLine.Value("1.0.1.7.0.255", "a\"b\\c/d+#", "5", "W"),
                new TelegramLine.Value("1.0.2.7.0.255", "state", "5", "W")));
        HomeAssistant.Discovery d = HomeAssistant.discovery(model(), "p", r, r.values().get(0));
        Map<String, Object> j = json(d);
        assertEquals("A\"b\\c/d+#", j.get("name"));
        assertEquals("p/a\"b\\c_d__", j.get("state_topic"));
        assertEquals("p/1.0.2.7.0.255", json(HomeAssistant.discovery(model(), "p", r, r.values().get(1)))
                .get("state_topic"), "a value named state does not take the state topic");
        assertTrue(d.topic().matches("homeassistant/sensor/[A-Za-z0-9_-]+/config"), d.topic());
    }

    @Test
    void settingsTakeTcpAndSslUrlsAndNeverShowThePassword() {
        MqttSettings s = new MqttSettings("ssl://broker.example:8883", "u", "s3cret", "meterspec/m", 10);
        assertFalse(s.toString().contains("s3cret"), s.toString());
        new MqttSettings("tcp://127.0.0.1:1883", null, null, "meterspec/m", 1);
        for (String bad : new String[] {"http://h:1", "tcp://u:pw@h:1883", "tcp://h:1883/x", "h:1883"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MqttSettings(bad, null, null, "p", 10), bad);
            assertFalse(e.getMessage().contains("pw"), e.getMessage());
        }
        for (String prefix : new String[] {"", "a/+", "a/#", "/a", "a/", "a//b"}) {
            assertThrows(IllegalArgumentException.class, () -> new MqttSettings("tcp://h:1", null, null, prefix, 10),
                    prefix);
        }
        assertThrows(IllegalArgumentException.class, () -> new MqttSettings("tcp://h:1", null, null, "p", 0));
        assertEquals("meterspec/netz_noe_p1", MqttSettings.defaultPrefix("netz_noe_p1"));
    }
}
