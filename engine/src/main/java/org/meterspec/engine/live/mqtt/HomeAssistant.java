package org.meterspec.engine.live.mqtt;

import java.util.Map;
import org.meterspec.engine.TelegramLine;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;
import org.meterspec.runtime.Json;
import org.meterspec.runtime.Obis;

/**
 * Home Assistant MQTT discovery for the values of a reading: one sensor per value, on
 * {@code homeassistant/sensor/<unique id>/config}, with the value's own topic as its state topic.
 * Numeric values get a device class from their unit where Home Assistant has one that takes that
 * unit, and a state class ({@code total_increasing} for energies and other counters,
 * {@code measurement} for the rest); text values (serial numbers, list versions, clocks) are plain
 * sensors. The device is the meter: identified by the telegram's system title, else its meter
 * number, else the spec's meter name.
 */
public final class HomeAssistant {
    /** A unit's device class (null: Home Assistant has none that takes it) and state class. */
    record Kind(String deviceClass, String stateClass) {
    }

    private static final Map<String, Kind> UNITS = Map.ofEntries(
            Map.entry("Wh", new Kind("energy", "total_increasing")),
            Map.entry("kWh", new Kind("energy", "total_increasing")),
            Map.entry("MWh", new Kind("energy", "total_increasing")),
            // reactive_energy (varh) is new in Home Assistant (2025); older versions reject the whole
            // config for an unknown device class, so these counters go without one
            Map.entry("varh", new Kind(null, "total_increasing")),
            Map.entry("kvarh", new Kind(null, "total_increasing")),
            Map.entry("VAh", new Kind(null, "total_increasing")),
            Map.entry("kVAh", new Kind(null, "total_increasing")),
            Map.entry("m³", new Kind(null, "total_increasing")),
            Map.entry("W", new Kind("power", "measurement")),
            Map.entry("kW", new Kind("power", "measurement")),
            Map.entry("var", new Kind("reactive_power", "measurement")),
            Map.entry("VA", new Kind("apparent_power", "measurement")),
            Map.entry("V", new Kind("voltage", "measurement")),
            Map.entry("A", new Kind("current", "measurement")),
            Map.entry("Hz", new Kind("frequency", "measurement")),
            Map.entry("°C", new Kind("temperature", "measurement")));

    /** Meter numbers, in the order they identify a device without a system title. */
    private static final long[] METER_NUMBERS = {Obis.parse("0.0.96.1.0.255"), Obis.parse("0.0.96.1.1.255"),
            Obis.parse("0.0.42.0.0.255")};

    private HomeAssistant() {
    }

    /** One discovery message: its topic and JSON payload. */
    public record Discovery(String uniqueId, String topic, String json) {
    }

    /** The device id of a reading: system title, else meter number, else the meter's name. */
    public static String deviceId(TelegramLine.Reading r) {
        if (r.systemTitle() != null) {
            return r.systemTitle();
        }
        for (long code : METER_NUMBERS) {
            String obis = Obis.format(code);
            for (TelegramLine.Value v : r.values()) {
                if (obis.equals(v.obis()) && v.value() != null && !v.value().isBlank()) {
                    return v.value().strip();
                }
            }
        }
        return r.meter();
    }

    /** The FLAG manufacturer id of a system title (its first three bytes, when they are letters), or null. */
    static String manufacturer(String systemTitle) {
        if (systemTitle == null || systemTitle.length() < 6) {
            return null;
        }
        StringBuilder sb = new StringBuilder(3);
        for (int i = 0; i < 6; i += 2) {
            int b = Integer.parseInt(systemTitle.substring(i, i + 2), 16);
            if (b < 'A' || b > 'Z') {
                return null;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** The unique id of a value: {@code meterspec_<device id>_<OBIS code>}, in the characters HA takes. */
    public static String uniqueId(TelegramLine.Reading r, TelegramLine.Value v) {
        return uniqueId(r, v, 1);
    }

    /** The same for the {@code occurrence}-th value of its code in the reading: {@code _2} and so on after the first. */
    public static String uniqueId(TelegramLine.Reading r, TelegramLine.Value v, int occurrence) {
        return Topics.id("meterspec_" + deviceId(r) + "_" + v.label() + (occurrence > 1 ? "_" + occurrence : ""));
    }

    /**
     * Which occurrence of its code and name each value of the reading is, from 1: a self-describing
     * push may list one code twice (two attributes of an object), and each needs a topic and an
     * entity of its own. The meter sends its list in the same order every time, so the numbers stay.
     */
    public static int[] occurrences(TelegramLine.Reading r) {
        int[] out = new int[r.values().size()];
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < out.length; i++) {
            TelegramLine.Value v = r.values().get(i);
            out[i] = seen.merge(v.label() + "|" + Topics.valueLevel(v), 1, Integer::sum);
        }
        return out;
    }

    /** The discovery message of one value of a reading, the first of its code. */
    public static Discovery discovery(MeterModel model, String prefix, TelegramLine.Reading r, TelegramLine.Value v) {
        return discovery(model, prefix, r, v, 1);
    }

    /** The discovery message of one value of a reading, the {@code occurrence}-th of its code. */
    public static Discovery discovery(MeterModel model, String prefix, TelegramLine.Reading r, TelegramLine.Value v,
                                      int occurrence) {
        String uniqueId = uniqueId(r, v, occurrence);
        StringBuilder sb = new StringBuilder(512);
        sb.append('{');
        String name = v.name() != null ? label(v.name()) : v.label();
        field(sb, "name", occurrence > 1 ? name + " " + occurrence : name);
        field(sb, "unique_id", uniqueId);
        field(sb, "state_topic", prefix + "/" + Topics.valueLevel(v, occurrence));
        field(sb, "availability_topic", prefix + "/" + Topics.AVAILABILITY);
        String unit = v.unit();
        if (numeric(model, v)) {
            Kind kind = unit == null ? null : UNITS.get(unit);
            if ((unit == null || unit.equals("%")) && powerFactor(v.obis())) {
                if (unit != null) {
                    field(sb, "unit_of_measurement", unit);
                }
                field(sb, "device_class", "power_factor");
                field(sb, "state_class", "measurement");
            } else {
                if (unit != null) {
                    field(sb, "unit_of_measurement", unit);
                }
                if (kind != null && kind.deviceClass() != null) {
                    field(sb, "device_class", kind.deviceClass());
                }
                field(sb, "state_class", kind != null ? kind.stateClass() : "measurement");
            }
        } else if (unit != null) {
            field(sb, "unit_of_measurement", unit);
        }
        sb.append(",\"device\":{\"identifiers\":[");
        Json.appendString(sb, "meterspec_" + Topics.id(deviceId(r)));
        sb.append(']');
        field(sb, "name", model.title() != null ? model.title() : r.meter());
        String maker = manufacturer(r.systemTitle());
        if (maker != null) {
            field(sb, "manufacturer", maker);
        }
        field(sb, "model", model.title() != null ? model.title() : r.meter());
        sb.append("}}");
        return new Discovery(uniqueId, Topics.DISCOVERY_PREFIX + "/sensor/" + uniqueId + "/config", sb.toString());
    }

    /**
     * Whether a value is a number Home Assistant should type: it has a unit and its text is a
     * number (or null-data), or it is a power factor, or its spec entry types it as a number and
     * it is not an identifier (C group 0, 42 or 96 of abstract objects).
     */
    static boolean numeric(MeterModel model, TelegramLine.Value v) {
        if (v.value() != null && !isNumber(v.value())) {
            return false;
        }
        if (v.unit() != null || powerFactor(v.obis())) {
            return true;
        }
        if (v.obis() == null) {
            return v.value() != null; // a number the spec names without a code
        }
        long code;
        try {
            code = Obis.parse(v.obis());
        } catch (IllegalArgumentException e) {
            return false;
        }
        int c = Obis.group(code, 2);
        if (Obis.group(code, 0) == 0 && (c == 0 || c == 42 || c == 96)) {
            return false;
        }
        ValueSpec entry = model.values().get(code);
        return entry != null && entry.type() != null && !entry.type().isUnknown() && entry.type().isNumeric();
    }

    /** Power factor: 1.x.13.7, 33.7, 53.7, 73.7. */
    static boolean powerFactor(String obis) {
        if (obis == null) {
            return false;
        }
        try {
            long code = Obis.parse(obis);
            int c = Obis.group(code, 2);
            return Obis.group(code, 0) == 1 && Obis.group(code, 3) == 7 && (c == 13 || c == 33 || c == 53 || c == 73);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isNumber(String s) {
        return s.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    }

    /** A spec name as an entity name: {@code energy_import} is "Energy import". */
    static String label(String name) {
        String s = name.replace('_', ' ').strip();
        return s.isEmpty() ? name : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static void field(StringBuilder sb, String key, String value) {
        if (sb.length() > 1 && sb.charAt(sb.length() - 1) != '{' && sb.charAt(sb.length() - 1) != '[') {
            sb.append(',');
        }
        Json.appendString(sb, key);
        sb.append(':');
        Json.appendString(sb, value);
    }
}
