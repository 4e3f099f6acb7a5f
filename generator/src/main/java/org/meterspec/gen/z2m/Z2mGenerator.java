package org.meterspec.gen.z2m;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meterspec.gen.c.RecordAdaptor;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.ValueEntry;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Version;
import org.meterspec.zcl.ZclCatalog;
import org.meterspec.zcl.ZclTable;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;

/**
 * Renders a plan's ZigBee mapping as a Zigbee2MQTT 2.x external converter (an ES module whose
 * default export is one definition). Every state key comes from one attribute through
 * zigbee-herdsman-converters' {@code modernExtend.numeric}, scaled by the divisor and multiplier
 * the table fixes, so the state is right without Zigbee2MQTT reading them; the net power is
 * Metering's InstantaneousDemand alone, so {@code power} never shows phase A. Names follow
 * Zigbee2MQTT's own exposes, whose names and units Home Assistant's device classes hang on.
 */
public final class Z2mGenerator {
    private Z2mGenerator() {
    }

    /**
     * What Zigbee2MQTT shows of a measured attribute: state key, unit, the power of ten between
     * the DLMS unit and the unit shown (Wh to kWh: 3), a description, and the Home Assistant
     * device class the key does not get by its name or unit (null when it does or none fits).
     */
    record Shown(String key, String unit, int exponent, String what, String deviceClass) {
    }

    private static final Map<String, Shown> SHOWN = new LinkedHashMap<>();

    static {
        SHOWN.put("currentSummDelivered", new Shown("energy", "kWh", 3, "Active energy imported", null));
        SHOWN.put("currentSummReceived", new Shown("produced_energy", "kWh", 3, "Active energy exported", null));
        for (int t = 1; t <= 4; t++) {
            SHOWN.put("currentTier" + t + "SummDelivered",
                    new Shown("energy_tier_" + t, "kWh", 3, "Active energy imported, tariff " + t, null));
            SHOWN.put("currentTier" + t + "SummReceived",
                    new Shown("produced_energy_tier_" + t, "kWh", 3, "Active energy exported, tariff " + t, null));
        }
        SHOWN.put("instantaneousDemand", new Shown("power", "W", 0, "Net active power, import minus export", null));
        SHOWN.put("acFrequency", new Shown("ac_frequency", "Hz", 0, "Mains frequency", null));
        String[][] phases = {{"", "a", "A"}, {"PhB", "b", "B"}, {"PhC", "c", "C"}};
        for (String[] p : phases) {
            String suffix = p[0].isEmpty() ? "" : "_phase_" + p[1];
            String phase = ", phase " + p[2];
            SHOWN.put("rmsVoltage" + p[0], new Shown("voltage" + suffix, "V", 0, "RMS voltage" + phase, "voltage"));
            SHOWN.put("rmsCurrent" + p[0], new Shown("current" + suffix, "A", 0, "RMS current" + phase, null));
            SHOWN.put("activePower" + p[0],
                    new Shown("power_phase_" + p[1], "W", 0, "Active power" + phase + ", import minus export", null));
            SHOWN.put("reactivePower" + p[0], new Shown("power_reactive" + suffix, "VAR", 0, "Reactive power" + phase,
                    "reactive_power"));
            SHOWN.put("apparentPower" + p[0], new Shown("power_apparent" + suffix, "VA", 0, "Apparent power" + phase,
                    "apparent_power"));
            SHOWN.put("powerFactor" + p[0], new Shown("power_factor" + suffix, null, 0,
                    "Power factor" + (p[0].isEmpty() ? "" : phase),
                    "power_factor"));
        }
    }

    /** One numeric state key. */
    record Numeric(String name, String cluster, String attribute, String unit, String scale, int precision,
                   String description, String deviceClass, String endpoint) {
        String literal() {
            StringBuilder sb = new StringBuilder("{\n");
            field(sb, "name", name);
            field(sb, "cluster", cluster);
            field(sb, "attribute", attribute);
            field(sb, "unit", unit);
            field(sb, "scale", scale);
            field(sb, "precision", Integer.toString(precision));
            field(sb, "endpointNames", endpoint == null ? null : "[" + endpoint + "]");
            field(sb, "homeassistant", deviceClass == null ? null : "{deviceClass: " + deviceClass + "}");
            field(sb, "description", description);
            return sb.append('}').toString();
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append("    ").append(name).append(": ").append(value).append(",\n");
        }
    }

    /** The Metering Status of an endpoint, shown as {@code check_meter}. */
    record Status(String cluster, String endpoint, String key) {
    }

    /** The serial number string of an endpoint. */
    record Serial(String cluster, String attribute, String endpoint, String key, String description) {
    }

    /** What Zigbee2MQTT configures reporting for (and reads) on one endpoint's cluster, and what it only reads. */
    record Setup(int endpoint, String cluster, List<String> reported, List<String> read) {
        String literal() {
            StringBuilder sb = new StringBuilder("{\n");
            field(sb, "endpoint", Integer.toString(endpoint));
            field(sb, "cluster", cluster);
            field(sb, "reported", reported.isEmpty() ? "[]"
                    : "[\n" + reported.stream().map(r -> "        " + r + ",\n").collect(java.util.stream.Collectors.joining()) + "    ]");
            field(sb, "read", "[" + String.join(", ", read) + "]");
            return sb.append('}').toString();
        }
    }

    /** The converter's file name for a plan: {@code <meter>.mjs}. */
    public static String fileName(DecodePlan plan) {
        return plan.meter() + ".mjs";
    }

    /** The converter's source; the plan must have a ZigBee mapping. */
    public static String converter(DecodePlan plan) {
        ZclTable table = plan.zcl();
        if (table == null) {
            throw new IllegalArgumentException(plan.meter() + " has no zigbee section");
        }
        boolean multi = table.endpoints().size() > 1;
        List<Numeric> numerics = new ArrayList<>();
        List<Status> statuses = new ArrayList<>();
        List<Serial> serials = new ArrayList<>();
        List<Setup> setups = new ArrayList<>();
        List<String> endpointMap = new ArrayList<>();
        for (ZclTable.Endpoint ep : table.endpoints()) {
            String epName = multi ? js(Integer.toString(ep.number())) : null;
            String epNumber = multi ? Integer.toString(ep.number()) : null;
            String postfix = multi ? "_" + ep.number() : "";
            endpointMap.add(js(Integer.toString(ep.number())) + ": " + ep.number());
            for (ZclTable.Cluster c : ep.clusters()) {
                String cluster = js(c.cluster().name());
                List<String> reported = new ArrayList<>();
                List<String> readOnly = new ArrayList<>();
                for (ZclTable.Entry a : c.attributes()) {
                    ZclCatalog.Attribute attr = a.attribute();
                    Shown shown = SHOWN.get(attr.name());
                    boolean shows = true;
                    if (a.fill() == ZclTable.Fill.MEASURED && shown != null) {
                        BigDecimal scale = new BigDecimal(a.num()).multiply(BigDecimal.TEN.pow(shown.exponent()));
                        numerics.add(new Numeric(js(shown.key()), cluster, js(attr.name()),
                                shown.unit() == null ? null : js(shown.unit()), scale(scale, a.den()),
                                precision(scale, a.den()), js(shown.what() + " (" + describe(plan, a) + ")"),
                                shown.deviceClass() == null ? null : js(shown.deviceClass()), epName));
                    } else if (a.fill() == ZclTable.Fill.STATUS) {
                        statuses.add(new Status(cluster, epNumber, js("check_meter" + postfix)));
                    } else if (a.fill() == ZclTable.Fill.TEXT) {
                        serials.add(new Serial(cluster, js(attr.name()), epNumber, js("meter_serial_number" + postfix),
                                js("Meter serial number (" + describe(plan, a) + ")")));
                    } else {
                        shows = false;
                    }
                    if (shows && a.report() != null) {
                        reported.add("{attribute: " + js(attr.name()) + ", min: " + a.report().min() + ", max: "
                                + a.report().max() + ", change: " + (a.report().change() == null ? 0 : a.report().change())
                                + "}");
                    } else if (shows) {
                        readOnly.add(js(attr.name()));
                    }
                }
                if (!reported.isEmpty() || !readOnly.isEmpty()) {
                    setups.add(new Setup(ep.number(), cluster, reported, readOnly));
                }
            }
        }
        STGroup g = new STGroupFile(Z2mGenerator.class.getResource("converter.stg"), "UTF-8", '$', '$');
        g.registerModelAdaptor(Record.class, new RecordAdaptor());
        ST st = g.getInstanceOf("converter");
        String model = ZclCatalog.modelIdentifier(plan.meter());
        st.add("version", comment(Version.VERSION));
        st.add("file", comment(plan.file()));
        st.add("meter", comment(plan.meter()));
        st.add("title", comment(plan.title() == null ? plan.meter() : plan.title()));
        st.add("fingerprint", comment(plan.fingerprint()));
        st.add("model", js(model));
        st.add("description", js(plan.title() == null ? plan.meter() : plan.title()));
        st.add("numerics", numerics.stream().map(Numeric::literal).toList());
        st.add("setups", setups.stream().map(Setup::literal).toList());
        List<String> extend = new ArrayList<>();
        if (multi) {
            extend.add("m.deviceEndpoints({endpoints: {" + String.join(", ", endpointMap) + "}})");
        }
        extend.add("...NUMERIC.map(value)");
        for (Status x : statuses) {
            extend.add("checkMeter(" + x.cluster() + ", " + (x.endpoint() == null ? "null" : x.endpoint()) + ", " + x.key() + ")");
        }
        for (Serial x : serials) {
            extend.add("serialNumber(" + x.cluster() + ", " + x.attribute() + ", " + (x.endpoint() == null ? "null" : x.endpoint())
                    + ", " + x.key() + ", " + x.description() + ")");
        }
        extend.add("reporting()");
        st.add("extend", extend);
        return st.render().replace("\r\n", "\n");
    }

    /** {@code scale} / {@code den} as a JavaScript number: a decimal when it is one, else a quotient. */
    private static String scale(BigDecimal scale, BigInteger den) {
        try {
            return scale.divide(new BigDecimal(den)).stripTrailingZeros().toPlainString();
        } catch (ArithmeticException notDecimal) {
            return scale.toBigInteger() + " / " + den;
        }
    }

    /** Decimals that show one step of the attribute: the least p with 10^p ≥ scale, at most 12. */
    private static int precision(BigDecimal scale, BigInteger den) {
        BigDecimal perStep = scale.divide(new BigDecimal(den), MathContext.DECIMAL64);
        int p = 0;
        while (p < 12 && BigDecimal.TEN.pow(p).compareTo(perStep) < 0) {
            p++;
        }
        return p;
    }

    /** The source of an attribute with the names of its values: {@code energy_import 1.0.1.8.0.255}. */
    private static String describe(DecodePlan plan, ZclTable.Entry a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.terms().size(); i++) {
            ZclTable.Term t = a.terms().get(i);
            sb.append(i == 0 ? (t.negative() ? "- " : "") : t.negative() ? " - " : " + ");
            String name = plan.values().entries().stream().filter(v -> v.obis() == t.obis()).map(ValueEntry::name)
                    .filter(n -> n != null).findFirst().orElse(null);
            sb.append(name == null ? "" : name + " ").append("OBIS ").append(Obis.format(t.obis()));
        }
        return sb.toString();
    }

    /** A JavaScript string literal: printable ASCII as is, everything else escaped. */
    static String js(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.append('"').toString();
    }

    /** Text for a line comment: control characters and JavaScript's line terminators become spaces. */
    static String comment(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 ? ' ' : c));
        return sb.toString();
    }
}
