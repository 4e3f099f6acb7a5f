package org.meterspec.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A decoded telegram. Its values are kept as decoded, in primitive arrays — per value two longs
 * (OBIS code, raw content) and four ints (spec entry id, tag/scaler/unit packed, offset and length
 * of its bytes in one byte pool) — so decoding allocates three arrays however many values there
 * are, and writes no references; {@link Value}s are made when asked for.
 */
public final class Reading implements TelegramResult {
    private final String meter;
    private final byte[] systemTitle;
    private final long frameCounter;
    private final Security security;
    private final long invokeId;
    private final byte[] notificationTime;
    private final int count;
    private final long[] longs;
    private final int[] ints;
    private final byte[] pool;
    private final ValueInfo[] directory;
    private List<Value> values;

    /** {@code unit}: a DLMS unit code from the telegram, or -1 for the spec entry's unit. */
    static int pack(int tag, int scaler, int unit) {
        return (tag & 0xFF) | (scaler & 0xFF) << 8 | (unit + 1) << 16;
    }

    Reading(String meter, byte[] systemTitle, long frameCounter, Security security, long invokeId,
            byte[] notificationTime, int count, long[] longs, int[] ints, byte[] pool, ValueInfo[] directory) {
        this.meter = meter;
        this.systemTitle = systemTitle;
        this.frameCounter = frameCounter;
        this.security = security;
        this.invokeId = invokeId;
        this.notificationTime = notificationTime;
        this.count = count;
        this.longs = longs;
        this.ints = ints;
        this.pool = pool;
        this.directory = directory;
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

    /** The number of values. */
    public int size() {
        return count;
    }

    public List<Value> values() {
        List<Value> list = values;
        if (list == null) {
            List<Value> made = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                made.add(value(i));
            }
            // a race makes the list twice, equal both times
            values = list = Collections.unmodifiableList(made);
        }
        return list;
    }

    /** Value {@code i}, in telegram order. */
    public Value value(int i) {
        java.util.Objects.checkIndex(i, count);
        int id = ints[4 * i];
        ValueInfo info = id < 0 ? null : directory[id];
        int packed = ints[4 * i + 1];
        int tag = packed & 0xFF;
        int unitCode = (packed >>> 16) - 1;
        String unit = unitCode >= 0 ? Units.symbol(unitCode) : info != null ? info.unit() : null;
        int offset = ints[4 * i + 2];
        int length = ints[4 * i + 3];
        boolean hasBytes = Axdr.accepts(Axdr.STRINGS | Axdr.bit(Axdr.BIT_STRING) | Axdr.bit(Axdr.DATE_TIME)
                | Axdr.bit(Axdr.DATE) | Axdr.bit(Axdr.TIME), tag);
        byte[] bytes = hasBytes ? Arrays.copyOfRange(pool, offset, offset + length) : null;
        return new Value(longs[2 * i], info, tag, longs[2 * i + 1], (byte) (packed >>> 8), unit, bytes);
    }

    /** The first value with this OBIS code, or null. */
    public Value value(long obis) {
        for (int i = 0; i < count; i++) {
            if (longs[2 * i] == obis) {
                return value(i);
            }
        }
        return null;
    }

    public Value value(String obis) {
        return value(Obis.parse(obis));
    }

    @Override
    public String toJson(long number) {
        StringBuilder sb = new StringBuilder(128 + 80 * count);
        sb.append("{\"telegram\":").append(number).append(",\"status\":\"ok\",\"meter\":");
        Json.appendString(sb, meter);
        if (systemTitle != null) {
            sb.append(",\"system_title\":\"").append(Json.hex(systemTitle)).append('"');
            sb.append(",\"frame_counter\":").append(frameCounter);
        }
        sb.append(",\"security\":\"").append(security.jsonName()).append("\",\"values\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            value(i).appendJson(sb);
        }
        return sb.append("]}").toString();
    }

    @Override
    public String toString() {
        return toJson(0);
    }
}
