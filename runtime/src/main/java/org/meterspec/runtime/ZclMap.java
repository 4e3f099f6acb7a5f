package org.meterspec.runtime;

import java.util.List;

/**
 * A spec's ZigBee endpoints as plain data, as generated code states them: per endpoint its
 * clusters, per cluster its attributes in id order with their ZCL type, how each is filled, its
 * reporting and how a value converts (see {@link ZclState}). The C side holds the same table.
 */
public final class ZclMap {
    public static final int FILL_CONSTANT = 0;
    public static final int FILL_MEASURED = 1;
    public static final int FILL_TEXT = 2;
    public static final int FILL_STATUS = 3;

    /** An attribute's unit when it takes unitless values only. */
    public static final int UNIT_NONE = -1;
    /** A reportable change left out: discrete types report every change. */
    public static final long NO_CHANGE = -1;

    /**
     * One attribute. {@code width} is the bytes of its value (0: a string, at most {@code max}
     * bytes); {@code initial} a constant's value or the value before the first reading; {@code
     * terms} the OBIS codes summed, {@code negative} bit {@code i} set where term {@code i} is
     * subtracted; the value is {@code sum × num / den}, rounded half away from zero and clamped to
     * [{@code min}, {@code max}]; values must carry {@code unit} (a DLMS unit code) or none.
     */
    public record Attribute(int id, String name, int type, int width, int fill, boolean reportable, long initial,
                            long[] terms, int negative, long num, long den, int unit, long min, long max,
                            int minInterval, int maxInterval, long change) {
    }

    public record Cluster(int id, String name, List<Attribute> attributes) {
        public Cluster {
            attributes = List.copyOf(attributes);
        }
    }

    public record Endpoint(int number, int profile, int device, List<Cluster> clusters) {
        public Endpoint {
            clusters = List.copyOf(clusters);
        }
    }

    private final List<Endpoint> endpoints;

    public ZclMap(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The table as {@code meterspec zcl --json} prints it: one JSON object, without newline. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"endpoints\":[");
        for (int e = 0; e < endpoints.size(); e++) {
            Endpoint ep = endpoints.get(e);
            sb.append(e == 0 ? "" : ",").append("{\"endpoint\":").append(ep.number)
                    .append(",\"profile\":\"").append(hex16(ep.profile)).append("\",\"device\":\"")
                    .append(hex16(ep.device)).append("\",\"clusters\":[");
            for (int c = 0; c < ep.clusters.size(); c++) {
                Cluster cl = ep.clusters.get(c);
                sb.append(c == 0 ? "" : ",").append("{\"cluster\":\"").append(hex16(cl.id)).append("\",\"name\":\"")
                        .append(cl.name).append("\",\"attributes\":[");
                for (int a = 0; a < cl.attributes.size(); a++) {
                    Attribute at = cl.attributes.get(a);
                    sb.append(a == 0 ? "" : ",").append("{\"id\":\"").append(hex16(at.id)).append("\",\"name\":\"")
                            .append(at.name).append("\",\"type\":\"0x").append(hex2(at.type)).append("\",\"access\":\"")
                            .append(at.reportable ? "rp" : "r").append("\",\"value\":\"")
                            .append(at.width == 0 ? "" : Long.toString(at.initial)).append('"');
                    if (at.reportable) {
                        sb.append(",\"report\":{\"min\":").append(at.minInterval).append(",\"max\":")
                                .append(at.maxInterval);
                        if (at.change != NO_CHANGE) {
                            sb.append(",\"change\":\"").append(at.change).append('"');
                        }
                        sb.append('}');
                    }
                    sb.append('}');
                }
                sb.append("]}");
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    static String hex16(int v) {
        return "0x" + hex2(v >>> 8) + hex2(v);
    }

    static String hex2(int v) {
        final String digits = "0123456789abcdef";
        return "" + digits.charAt((v >>> 4) & 0xF) + digits.charAt(v & 0xF);
    }
}
