package org.meterspec.check;

import java.util.EnumSet;
import java.util.Set;
import org.meterspec.model.Element;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Obis;

/** Types: every type name names a type, and a positional value's type agrees with its entry's. */
final class TypesPass extends Pass {
    @Override
    public String name() {
        return "types";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.VALUES, Section.BODY);
    }

    @Override
    protected void check(MeterModel m) {
        for (ValueSpec v : m.declared()) {
            if (v.typeLoc() != null) {
                known(v.type(), v.typeLoc());
                if (v.type().isContainer()) {
                    error(DiagCode.UNKNOWN_TYPE, v.typeLoc(), "an entry's type is that of each value reported under"
                            + " its code, a single A-XDR element, not " + v.type().name(), "a structured value says so"
                            + " in the body ('value structure max N'); its leaves are the entry's values");
                }
            }
        }
        for (Element e : Element.all(m.body())) {
            if (e instanceof Element.Value v && v.typeLoc() != null) {
                known(v.type(), v.typeLoc());
            } else if (e instanceof Element.Skip s && s.typeLoc() != null) {
                known(s.type(), s.typeLoc());
            }
        }
        for (Element.Value v : Element.values(m.body())) {
            ValueSpec entry = v.obis() == null ? null : m.values().get(v.obis());
            // a structured value's leaves are what the entry types
            if (entry != null && entry.type() != null && v.type() != null && !entry.type().isUnknown()
                    && !v.type().isUnknown() && !v.type().isContainer() && !entry.type().isContainer()
                    && (entry.type().tagMask() & v.type().tagMask()) == 0) {
                error(DiagCode.TYPE_CONFLICT, v.loc(), "value " + Obis.format(v.obis()) + " is " + v.type().name()
                        + " here but " + entry.type().name() + " at " + entry.loc());
            }
        }
    }

    private void known(ValueType t, Loc at) {
        if (t.isUnknown()) {
            String hint = Diagnostics.didYouMean(t.name(), ValueType.names());
            error(DiagCode.UNKNOWN_TYPE, at, "unknown type '" + t.name() + "'",
                    hint != null ? hint : "types are " + String.join(", ", ValueType.names()));
        }
    }
}
