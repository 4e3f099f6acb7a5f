package org.meterspec.check;

import java.util.EnumSet;
import java.util.Set;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;

/** Bounds: what the spec allows fits what a decoder may hold, the C decoder in RAM on an ESP32-C6. */
final class BoundsPass extends Pass {
    @Override
    public String name() {
        return "bounds";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.TRANSPORT, Section.NOTIFICATION, Section.BODY, Section.VALUES, Section.TOLERANCES);
    }

    @Override
    public Set<String> after() {
        return Set.of("types", "layout", "tolerances");
    }

    @Override
    protected void check(MeterModel m) {
        if (m.values().size() > Limits.MAX_VALUES) {
            error(DiagCode.BOUND_TOO_LARGE, m.loc(), "the spec and its imports name " + m.values().size()
                    + " OBIS codes; a decoder holds at most " + Limits.MAX_VALUES, "drop the entries this meter never sends");
        }
        if (m.body() == null) {
            return;
        }
        if (Sizing.plainApdu(m) > Limits.MAX_APDU) {
            error(DiagCode.BOUND_TOO_LARGE, m.body().loc(), "the body may take up to " + Sizing.body(m)
                    + " bytes; a decoder holds at most " + Limits.MAX_APDU, "lower the 'max' of repeats, arrays and strings");
        }
    }
}
