package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Value;
import org.meterspec.runtime.ValueInfo;

/**
 * A DATA-NOTIFICATION for {@link TripletDecoder}: invoke id, optional date-time, and a structure of
 * OBIS / value [/ scaler-unit] groups; knows the reading it must decode to.
 */
record Telegram(long invokeId, byte[] dateTime, List<Entry> entries) {

    /** One group: OBIS code, value, and a scaler-unit when {@code scalerUnit} is set. */
    record Entry(long obis, Scalar value, boolean scalerUnit, int scaler, int unit) {
        @Override
        public String toString() {
            return org.meterspec.runtime.Obis.format(obis) + " " + value + (scalerUnit ? " su(" + scaler + "," + unit + ")" : "");
        }
    }

    byte[] body(int lengthForm) {
        int count = 0;
        for (Entry e : entries) {
            count += e.scalerUnit() ? 3 : 2;
        }
        AxdrWriter w = new AxdrWriter().lengthForm(lengthForm).structure(count);
        for (Entry e : entries) {
            w.obis(e.obis());
            e.value().write(w);
            if (e.scalerUnit()) {
                w.scalerUnit(e.scaler(), e.unit());
            }
        }
        return w.toByteArray();
    }

    /** The plain DATA-NOTIFICATION. */
    byte[] apdu(int lengthForm) {
        return Apdu.dataNotification(invokeId, dateTime, body(lengthForm));
    }

    byte[] apdu() {
        return apdu(0);
    }

    /** Checks every field of the reading against what this telegram says. */
    void check(Reading r) {
        assertEquals(invokeId, r.invokeId(), "invoke id");
        assertEquals(dateTime == null ? null : Expected.dateTime(dateTime), r.notificationTime(), "notification date-time");
        List<Value> values = r.values();
        assertEquals(entries.size(), values.size(), "number of values");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Value v = values.get(i);
            ValueInfo info = TripletDecoder.VALUES.lookup(e.obis());
            int scaler = e.scalerUnit() ? e.scaler() : info != null && info.hasScaler() ? info.scaler() : 0;
            String unit = e.scalerUnit() ? Expected.unit(e.unit()) : info != null ? info.unit() : null;
            String where = "value " + i + " " + e;
            assertEquals(e.obis(), v.obis(), where + ": obis");
            assertEquals(e.value().tag, v.type(), where + ": type");
            assertEquals(info == null ? null : info.name(), v.name(), where + ": name");
            assertEquals(unit, v.unit(), where + ": unit");
            assertEquals(e.value().text(scaler, info == null ? null : info.format()), v.text(), where + ": text");
        }
    }

    @Override
    public String toString() {
        return "Telegram[invokeId=" + invokeId + ", dateTime=" + (dateTime == null ? "-" : Hex.encode(dateTime))
                + ", entries=" + entries + "]";
    }
}
