package org.meterspec.gen.plan;

import org.meterspec.model.Loc;
import org.meterspec.runtime.Format;

/**
 * One entry of a decoder's value directory: what a reading reports a value under. {@code id} is
 * its index in the directory; {@code ident} a name that is a safe identifier in Java and C and
 * unique in the directory, from which renderers make their constant names; {@code typeMask} the
 * A-XDR tags the spec allows (0: any); {@code scaler} null when the spec fixes none. Entries of
 * the values table come first, sorted by OBIS code; positional values the body names with
 * {@code as} follow in body order; then the spec's patterns ({@code wildcards} not 0: bit i set
 * leaves group i open, that group of {@code obis} being 0; {@code name} null), in the order a code
 * is matched against them.
 */
public record ValueEntry(int id, long obis, String name, String ident, String unit, Integer scaler, Format format,
                         int typeMask, String doc, boolean inTable, Loc loc, int wildcards) {
    public boolean isPattern() {
        return wildcards != 0;
    }
}
