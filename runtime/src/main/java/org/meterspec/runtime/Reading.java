package org.meterspec.runtime;

import java.util.List;

/** A decoded telegram. */
public final class Reading implements TelegramResult {
    private final String meter;
    private final byte[] systemTitle;
    private final long frameCounter;
    private final Security security;
    private final long invokeId;
    private final byte[] notificationTime;
    private final List<Value> values;

    Reading(String meter, byte[] systemTitle, long frameCounter, Security security, long invokeId,
            byte[] notificationTime, List<Value> values) {
        this.meter = meter;
        this.systemTitle = systemTitle;
        this.frameCounter = frameCounter;
        this.security = security;
        this.invokeId = invokeId;
        this.notificationTime = notificationTime;
        this.values = values;
    }

    public String meter() {
        return meter;
    }

    /** The sender's system title (hex), or null for a plain telegram. */
    public String systemTitle() {
        return systemTitle == null ? null : Json.hex(systemTitle);
    }

    /** The frame counter, or -1 for a plain telegram. */
    public long frameCounter() {
        return frameCounter;
    }

    public Security security() {
        return security;
    }

    /** The long-invoke-id-and-priority of the DATA-NOTIFICATION. */
    public long invokeId() {
        return invokeId;
    }

    /** The notification's date-time in ISO 8601, or null when the meter sent none. */
    public String notificationTime() {
        return notificationTime == null ? null : DateTimes.dateTime(notificationTime, 0);
    }

    public List<Value> values() {
        return values;
    }

    /** The first value with this OBIS code, or null. */
    public Value value(long obis) {
        for (Value v : values) {
            if (v.obis() == obis) {
                return v;
            }
        }
        return null;
    }

    public Value value(String obis) {
        return value(Obis.parse(obis));
    }

    @Override
    public String toJson(long number) {
        StringBuilder sb = new StringBuilder(128 + 80 * values.size());
        sb.append("{\"telegram\":").append(number).append(",\"status\":\"ok\",\"meter\":");
        Json.appendString(sb, meter);
        if (systemTitle != null) {
            sb.append(",\"system_title\":\"").append(Json.hex(systemTitle)).append('"');
            sb.append(",\"frame_counter\":").append(frameCounter);
        }
        sb.append(",\"security\":\"").append(security.jsonName()).append("\",\"values\":[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            values.get(i).appendJson(sb);
        }
        return sb.append("]}").toString();
    }

    @Override
    public String toString() {
        return toJson(0);
    }
}
