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
        java.util.List<ValueSpec> entries = new java.util.ArrayList<>(m.values().values());
        entries.addAll(m.patterns());
        for (ValueSpec v : entries) {
            if (v.type() == null || v.type().isUnknown()) {
                continue;
            }
            if (v.format() != Format.AUTO && (v.type().tagMask() & Axdr.STRINGS) == 0) {
                error(DiagCode.FORMAT_MISMATCH, v.loc(), "format '" + v.format().name().toLowerCase(Locale.ROOT)
                        + "' applies to strings, but " + v.code() + " is " + v.type().name());
            }
            if (v.scaler() != null && !v.type().isNumeric()) {
                error(DiagCode.FORMAT_MISMATCH, v.loc(), "a scaler applies to numbers, but " + v.code()
                        + " is " + v.type().name());
            }
        }
        ambiguousPatterns(m.patterns());
    }

    /**
     * A code takes the pattern with the fewest open groups: two with as many that a code can
     * match both leave it to chance, and are refused.
     */
    private void ambiguousPatterns(java.util.List<ValueSpec> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            for (int j = 0; j < i; j++) {
                ValueSpec a = patterns.get(j);
                ValueSpec b = patterns.get(i);
                if (Integer.bitCount(a.wildcards()) != Integer.bitCount(b.wildcards())) {
                    continue;
                }
                long both = Obis.mask(a.wildcards()) & Obis.mask(b.wildcards());
                if ((a.obis() & both) == (b.obis() & both)) {
                    long example = a.obis() | (b.obis() & ~Obis.mask(a.wildcards()));
                    error(DiagCode.OBIS_PATTERN, b.loc(), "'" + b.code() + "' and '" + a.code() + "' (" + a.loc()
                            + ") both match " + Obis.format(example) + " and leave as many groups open: which applies"
                            + " would be left to chance", "fix one more group of one of them, or give the codes they"
                            + " share an entry each");
                }
            }
        }
    }
}
