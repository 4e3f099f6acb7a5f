package org.meterspec.zcl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ZCL clusters and attributes a meter's values can be mapped onto, under zigbee-herdsman's
 * names (its {@code cluster.ts}), with what the mapping needs to know of each: id, type, whether
 * it reports, the Multiplier/Divisor pair that scales it, and the physical unit its integer
 * counts in (a DLMS unit code and a power of ten: Metering counts kWh and kW, so Wh and W with
 * exponent -3; PowerFactor counts hundredths, exponent 2).
 */
public final class ZclCatalog {
    /** What fills an attribute. */
    public enum Role {
        /** a value of the telegram, or a sum of several, converted to the attribute's unit */
        MEASURED,
        /** the bytes of a string value */
        TEXT,
        /** a number the spec gives */
        CONSTANT,
        /** the meter status the runtime keeps (CheckMeter when telegrams fail or stop) */
        STATUS,
        /** a constant, or by default computed from the attributes mapped next to it */
        MEASUREMENT_TYPE
    }

    /** DLMS unit codes (IEC 62056-6-2) the measured attributes count in. */
    public static final int UNIT_NONE = -1;
    public static final int UNIT_W = 27;
    public static final int UNIT_VA = 28;
    public static final int UNIT_VAR = 29;
    public static final int UNIT_WH = 30;
    public static final int UNIT_A = 33;
    public static final int UNIT_V = 35;
    public static final int UNIT_HZ = 44;

    /** Bits of Electrical Measurement's MeasurementType (ZCL 4.9.2.2.1.1). */
    public static final long ACTIVE = 1, REACTIVE = 2, APPARENT = 4, PHASE_A = 8, PHASE_B = 16, PHASE_C = 32;

    /** Metering's Status bit set when the meter cannot be read (ZCL 10.4.2.2.2). */
    public static final int CHECK_METER = 0x01;

    /** One cluster. */
    public record Cluster(String name, int id, String title, Map<String, Attribute> attributes) {
        public Attribute attribute(String name) {
            return attributes.get(name);
        }

        public String hex() {
            return String.format("0x%04x", id);
        }
    }

    /**
     * One attribute. {@code multiplier}/{@code divisor} name the pair that scales it (null when
     * none); {@code low}/{@code high} narrow the type's range where the ZCL does (PowerFactor);
     * {@code measurement} is its MeasurementType bits; {@code maxLength} bounds a string.
     */
    public record Attribute(String cluster, String name, int id, ZclType type, Role role, boolean reportable,
                            String multiplier, String divisor, int unit, int exponent, Long low, Long high,
                            long measurement, int maxLength) {
        public String hex() {
            return String.format("0x%04x", id);
        }

        public java.math.BigInteger min() {
            return low != null ? java.math.BigInteger.valueOf(low) : type.min();
        }

        public java.math.BigInteger max() {
            return high != null ? java.math.BigInteger.valueOf(high) : type.max();
        }
    }

    private static final Map<String, Cluster> CLUSTERS = new LinkedHashMap<>();

    static {
        Builder m = new Builder("seMetering", 0x0702, "Metering");
        String[][] summations = {
            {"currentSummDelivered", "0000"}, {"currentSummReceived", "0001"},
            {"currentTier1SummDelivered", "0100"}, {"currentTier1SummReceived", "0101"},
            {"currentTier2SummDelivered", "0102"}, {"currentTier2SummReceived", "0103"},
            {"currentTier3SummDelivered", "0104"}, {"currentTier3SummReceived", "0105"},
            {"currentTier4SummDelivered", "0106"}, {"currentTier4SummReceived", "0107"},
        };
        for (String[] s : summations) {
            m.measured(s[0], Integer.parseInt(s[1], 16), ZclType.UINT48, "multiplier", "divisor", UNIT_WH, -3, 0);
        }
        m.add(new Attribute(m.name, "status", 0x0200, ZclType.BITMAP8, Role.STATUS, true, null, null, UNIT_NONE, 0,
                null, null, 0, 0));
        m.constant("unitOfMeasure", 0x0300, ZclType.ENUM8);
        m.constant("multiplier", 0x0301, ZclType.UINT24);
        m.constant("divisor", 0x0302, ZclType.UINT24);
        m.constant("summaFormatting", 0x0303, ZclType.BITMAP8);
        m.constant("demandFormatting", 0x0304, ZclType.BITMAP8);
        m.constant("meteringDeviceType", 0x0306, ZclType.BITMAP8);
        m.add(new Attribute(m.name, "meterSerialNumber", 0x0308, ZclType.OCTET_STRING, Role.TEXT, false, null, null,
                UNIT_NONE, 0, null, null, 0, 24));
        m.measured("instantaneousDemand", 0x0400, ZclType.INT24, "multiplier", "divisor", UNIT_W, -3, 0);
        m.done();

        Builder e = new Builder("haElectricalMeasurement", 0x0B04, "Electrical Measurement");
        e.add(new Attribute(e.name, "measurementType", 0x0000, ZclType.BITMAP32, Role.MEASUREMENT_TYPE, false, null,
                null, UNIT_NONE, 0, null, null, 0, 0));
        e.measured("acFrequency", 0x0300, ZclType.UINT16, "acFrequencyMultiplier", "acFrequencyDivisor", UNIT_HZ, 0, 0);
        e.constant("acFrequencyMultiplier", 0x0400, ZclType.UINT16);
        e.constant("acFrequencyDivisor", 0x0401, ZclType.UINT16);
        String[] phases = {"", "PhB", "PhC"};
        int[] bases = {0x0500, 0x0900, 0x0A00};
        long[] phaseBits = {PHASE_A, PHASE_B, PHASE_C};
        for (int p = 0; p < 3; p++) {
            String s = phases[p];
            int b = bases[p];
            long ph = phaseBits[p];
            e.measured("rmsVoltage" + s, b + 0x05, ZclType.UINT16, "acVoltageMultiplier", "acVoltageDivisor", UNIT_V, 0, ph);
            e.measured("rmsCurrent" + s, b + 0x08, ZclType.UINT16, "acCurrentMultiplier", "acCurrentDivisor", UNIT_A, 0, ph);
            e.measured("activePower" + s, b + 0x0B, ZclType.INT16, "acPowerMultiplier", "acPowerDivisor", UNIT_W, 0,
                    ph | ACTIVE);
            e.measured("reactivePower" + s, b + 0x0E, ZclType.INT16, "acPowerMultiplier", "acPowerDivisor", UNIT_VAR, 0,
                    ph | REACTIVE);
            e.measured("apparentPower" + s, b + 0x0F, ZclType.UINT16, "acPowerMultiplier", "acPowerDivisor", UNIT_VA, 0,
                    ph | APPARENT);
            e.add(new Attribute(e.name, "powerFactor" + s, b + 0x10, ZclType.INT8, Role.MEASURED, true, null, null,
                    UNIT_NONE, 2, -100L, 100L, ph, 0));
        }
        e.constant("acVoltageMultiplier", 0x0600, ZclType.UINT16);
        e.constant("acVoltageDivisor", 0x0601, ZclType.UINT16);
        e.constant("acCurrentMultiplier", 0x0602, ZclType.UINT16);
        e.constant("acCurrentDivisor", 0x0603, ZclType.UINT16);
        e.constant("acPowerMultiplier", 0x0604, ZclType.UINT16);
        e.constant("acPowerDivisor", 0x0605, ZclType.UINT16);
        e.done();
    }

    private ZclCatalog() {
    }

    /** The cluster of that herdsman name, or null. */
    public static Cluster cluster(String name) {
        return CLUSTERS.get(name);
    }

    public static List<Cluster> clusters() {
        return List.copyOf(CLUSTERS.values());
    }

    /** Longest Basic cluster ModelIdentifier (ZCL 3.2.2.2.5: a character string of at most 32). */
    public static final int MODEL_IDENTIFIER_MAX = 32;

    /**
     * The Basic cluster ModelIdentifier of a reader for {@code meter}, which Zigbee2MQTT's
     * generated converter matches: {@code meterspec.<meter>}, or when that is longer than 32
     * characters its first 23 and a CRC-32 of the whole name, so two long names stay apart.
     */
    public static String modelIdentifier(String meter) {
        String id = "meterspec." + meter;
        if (id.length() <= MODEL_IDENTIFIER_MAX) {
            return id;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(meter.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return id.substring(0, MODEL_IDENTIFIER_MAX - 9) + String.format("~%08x", crc.getValue());
    }

    /** Whether {@code a} is the multiplier or divisor of a pair. */
    public static boolean isScale(Attribute a) {
        Cluster c = CLUSTERS.get(a.cluster());
        return c.attributes().values().stream()
                .anyMatch(x -> a.name().equals(x.multiplier()) || a.name().equals(x.divisor()));
    }

    private static final class Builder {
        final String name;
        final int id;
        final String title;
        final Map<String, Attribute> attributes = new LinkedHashMap<>();

        Builder(String name, int id, String title) {
            this.name = name;
            this.id = id;
            this.title = title;
        }

        void add(Attribute a) {
            attributes.put(a.name(), a);
        }

        void measured(String attr, int attrId, ZclType type, String mul, String div, int unit, int exponent,
                      long measurement) {
            add(new Attribute(name, attr, attrId, type, Role.MEASURED, true, mul, div, unit, exponent, null, null,
                    measurement, 0));
        }

        void constant(String attr, int attrId, ZclType type) {
            add(new Attribute(name, attr, attrId, type, Role.CONSTANT, false, null, null, UNIT_NONE, 0, null, null, 0, 0));
        }

        void done() {
            List<Attribute> sorted = new ArrayList<>(attributes.values());
            sorted.sort(java.util.Comparator.comparingInt(Attribute::id));
            Map<String, Attribute> byId = new LinkedHashMap<>();
            for (Attribute a : sorted) {
                byId.put(a.name(), a);
            }
            CLUSTERS.put(name, new Cluster(name, id, title, Collections.unmodifiableMap(byId)));
        }
    }
}
