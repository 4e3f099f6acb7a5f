package org.meterspec.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.meterspec.runtime.Json;

/**
 * One canonical JSON line, read back: what an engine printed for one telegram, a reading or an
 * error, with the fields DESIGN.md lists. {@link #parse} accepts a line only when writing the
 * fields read from it again gives the same bytes (fixed field order, the one escaping rule), so
 * an engine whose output drifts from the canonical form is caught, not read leniently.
 */
public sealed interface TelegramLine {
    /** The telegram's number in its stream, from 1. */
    long telegram();

    /** The canonical JSON text. */
    String json();

    /** The ZigBee frames the line ends with ({@code decode --zcl}), or null when it has none. */
    List<ZclFrame> zcl();

    /** One ZCL Report Attributes frame: endpoint, cluster id ({@code 0x0702}), the frame's bytes in hex. */
    record ZclFrame(int endpoint, String cluster, String frame) {
        public ZclFrame {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(frame, "frame");
        }
    }

    private static void appendZcl(StringBuilder sb, List<ZclFrame> zcl) {
        if (zcl == null) {
            return;
        }
        sb.append(",\"zcl\":[");
        for (int i = 0; i < zcl.size(); i++) {
            ZclFrame z = zcl.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"endpoint\":").append(z.endpoint()).append(",\"cluster\":");
            Json.appendString(sb, z.cluster());
            sb.append(",\"frame\":");
            Json.appendString(sb, z.frame());
            sb.append('}');
        }
        sb.append(']');
    }

    /** A decoded telegram; {@code systemTitle} and {@code frameCounter} are null for a plain one. */
    record Reading(long telegram, String meter, String systemTitle, Long frameCounter, String security,
                   List<Value> values, List<ZclFrame> zcl) implements TelegramLine {
        public Reading(long telegram, String meter, String systemTitle, Long frameCounter, String security,
                       List<Value> values) {
            this(telegram, meter, systemTitle, frameCounter, security, values, null);
        }

        public Reading {
            Objects.requireNonNull(meter, "meter");
            Objects.requireNonNull(security, "security");
            if ((systemTitle == null) != (frameCounter == null)) {
                throw new IllegalArgumentException("system_title and frame_counter come together");
            }
            values = List.copyOf(values);
            zcl = zcl == null ? null : List.copyOf(zcl);
        }

        @Override
        public String json() {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"telegram\":").append(telegram).append(",\"status\":\"ok\",\"meter\":");
            Json.appendString(sb, meter);
            if (systemTitle != null) {
                sb.append(",\"system_title\":");
                Json.appendString(sb, systemTitle);
                sb.append(",\"frame_counter\":").append(frameCounter);
            }
            sb.append(",\"security\":");
            Json.appendString(sb, security);
            sb.append(",\"values\":[");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                values.get(i).appendJson(sb);
            }
            sb.append(']');
            appendZcl(sb, zcl);
            return sb.append('}').toString();
        }
    }

    /**
     * A value of a reading; {@code value} null is null-data, {@code name} and {@code unit} null
     * when unknown; {@code obis} null for a value the spec names without a code (then it has a name).
     */
    record Value(String obis, String name, String value, String unit) {
        public Value {
            if (obis == null && name == null) {
                throw new IllegalArgumentException("a value without an OBIS code needs a name");
            }
        }

        /** The code, or the name of a value without one: what a table or topic shows it by. */
        public String label() {
            return obis != null ? obis : name;
        }

        void appendJson(StringBuilder sb) {
            sb.append('{');
            if (obis != null) {
                sb.append("\"obis\":");
                Json.appendString(sb, obis);
                sb.append(',');
            }
            if (name != null) {
                sb.append("\"name\":");
                Json.appendString(sb, name);
                sb.append(',');
            }
            sb.append("\"value\":");
            if (value == null) {
                sb.append("null");
            } else {
                Json.appendString(sb, value);
            }
            if (unit != null) {
                sb.append(",\"unit\":");
                Json.appendString(sb, unit);
            }
            sb.append('}');
        }
    }

    /** A telegram that could not be decoded: its layer, error code name and byte offset. */
    record Error(long telegram, String layer, String error, long offset, List<ZclFrame> zcl) implements TelegramLine {
        public Error(long telegram, String layer, String error, long offset) {
            this(telegram, layer, error, offset, null);
        }

        public Error {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(error, "error");
            zcl = zcl == null ? null : List.copyOf(zcl);
        }

        @Override
        public String json() {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"telegram\":").append(telegram).append(",\"status\":\"error\",\"layer\":");
            Json.appendString(sb, layer);
            sb.append(",\"error\":");
            Json.appendString(sb, error);
            sb.append(",\"offset\":").append(offset);
            appendZcl(sb, zcl);
            return sb.append('}').toString();
        }
    }

    /**
     * Reads a canonical line; {@link IllegalArgumentException} saying what is wrong when it is not
     * JSON, lacks a field, has one too many, or is not written canonically.
     */
    private static List<ZclFrame> zcl(JsonFields f, Map<?, ?> object) {
        if (!object.containsKey("zcl")) {
            return null;
        }
        if (!(f.take("zcl") instanceof List<?> list)) {
            throw new IllegalArgumentException("\"zcl\" is not an array");
        }
        List<ZclFrame> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> z)) {
                throw new IllegalArgumentException("a ZCL frame is not an object");
            }
            JsonFields zf = new JsonFields(z);
            long endpoint = zf.integer("endpoint");
            if (endpoint < 1 || endpoint > 240) {
                throw new IllegalArgumentException("ZCL endpoint " + endpoint + " is not 1 to 240");
            }
            out.add(new ZclFrame((int) endpoint, zf.string("cluster"), zf.string("frame")));
            zf.requireNoOthers();
        }
        return out;
    }

    static TelegramLine parse(String line) {
        if (!(JsonReader.parse(line) instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonFields f = new JsonFields(object);
        long telegram = f.integer("telegram");
        String status = f.string("status");
        TelegramLine parsed;
        if (status.equals("ok")) {
            String meter = f.string("meter");
            String systemTitle = f.optionalString("system_title");
            Long frameCounter = object.containsKey("frame_counter") ? f.integer("frame_counter") : null;
            String security = f.string("security");
            List<Value> values = new ArrayList<>();
            if (!(f.take("values") instanceof List<?> list)) {
                throw new IllegalArgumentException("\"values\" is not an array");
            }
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> v)) {
                    throw new IllegalArgumentException("a value is not an object");
                }
                JsonFields vf = new JsonFields(v);
                Object value = vf.take("value");
                if (value != null && !(value instanceof String)) {
                    throw new IllegalArgumentException("\"value\" is neither a string nor null");
                }
                values.add(new Value(vf.optionalString("obis"), vf.optionalString("name"), (String) value,
                        vf.optionalString("unit")));
                vf.requireNoOthers();
            }
            parsed = new Reading(telegram, meter, systemTitle, frameCounter, security, values, zcl(f, object));
        } else if (status.equals("error")) {
            parsed = new Error(telegram, f.string("layer"), f.string("error"), f.integer("offset"), zcl(f, object));
        } else {
            throw new IllegalArgumentException("\"status\" is \"" + status + "\", neither \"ok\" nor \"error\"");
        }
        f.requireNoOthers();
        if (!parsed.json().equals(line)) {
            throw new IllegalArgumentException("not written canonically; the canonical form is " + parsed.json());
        }
        return parsed;
    }
}
