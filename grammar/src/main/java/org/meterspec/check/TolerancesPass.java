package org.meterspec.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ToleranceSpec;
import org.meterspec.runtime.Tolerance;

/** Tolerances: each names one the runtime knows, once. */
final class TolerancesPass extends Pass {
    @Override
    public String name() {
        return "tolerances";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.TOLERANCES);
    }

    @Override
    protected void check(MeterModel m) {
        List<String> names = new ArrayList<>();
        for (Tolerance t : Tolerance.values()) {
            names.add(t.specName());
        }
        Map<Tolerance, ToleranceSpec> seen = new HashMap<>();
        for (ToleranceSpec t : m.tolerances()) {
            if (t.tolerance() == null) {
                String hint = Diagnostics.didYouMean(t.name(), names);
                error(DiagCode.UNKNOWN_TOLERANCE, t.nameLoc(), "unknown tolerance '" + t.name() + "'",
                        hint != null ? hint : "tolerances are " + String.join(", ", names));
                continue;
            }
            ToleranceSpec earlier = seen.putIfAbsent(t.tolerance(), t);
            if (earlier != null) {
                error(DiagCode.DUPLICATE_TOLERANCE, t.loc(), "tolerance '" + t.tolerance().specName()
                        + "' is already named at " + earlier.loc());
            }
            if (t.reason() != null && t.reason().length() > Limits.MAX_TEXT) {
                error(DiagCode.TOO_LONG, t.loc(), "the reason of tolerance '" + t.name() + "' has " + t.reason().length()
                        + " characters; at most " + Limits.MAX_TEXT + " are allowed");
            }
        }
    }
}
