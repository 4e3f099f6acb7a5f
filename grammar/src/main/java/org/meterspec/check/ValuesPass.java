package org.meterspec.check;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Units;

/** Value entries: every unit is a DLMS unit, and formats and scalers apply to the types they are given with. */
final class ValuesPass extends Pass {
    @Override
    public String name() {
        return "values";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.VALUES);
    }

    @Override
    protected void check(MeterModel m) {
        for (ValueSpec v : m.declared()) {
            if (v.unitLoc() != null && !Units.isKnownSymbol(v.unit())) {
                error(DiagCode.UNKNOWN_UNIT, v.unitLoc(), "'" + v.unit() + "' is not a DLMS unit", UnitHints.hint(v.unit()));
            }
        }
        for (ValueSpec v : m.values().values()) {
            if (v.type() == null || v.type().isUnknown()) {
                continue;
            }
            if (v.format() != Format.AUTO && (v.type().tagMask() & Axdr.STRINGS) == 0) {
                error(DiagCode.FORMAT_MISMATCH, v.loc(), "format '" + v.format().name().toLowerCase(Locale.ROOT)
                        + "' applies to strings, but " + Obis.format(v.obis()) + " is " + v.type().name());
            }
            if (v.scaler() != null && !v.type().isNumeric()) {
                error(DiagCode.FORMAT_MISMATCH, v.loc(), "a scaler applies to numbers, but " + Obis.format(v.obis())
                        + " is " + v.type().name());
            }
        }
    }
}
