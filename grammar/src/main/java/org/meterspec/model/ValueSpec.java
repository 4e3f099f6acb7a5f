package org.meterspec.model;

import org.meterspec.runtime.Format;

/**
 * What the spec says about one OBIS code: name, unit and scaler used when the telegram carries
 * none, how octet-strings are written, the A-XDR types allowed, and a description. The locations
 * say where the entry gives its name, unit and type (null where it takes them from an import).
 * A pattern entry ({@code wildcards} not 0) says it of every code that matches {@code obis} in
 * the groups it does not leave open: bit {@code i} of {@code wildcards} set leaves group
 * {@code i} (A = 0 … F = 5) open, and that group of {@code obis} is 0.
 */
public record ValueSpec(Loc loc, long obis, String name, String unit, Integer scaler, Format format,
                        ValueType type, String doc, Loc nameLoc, Loc unitLoc, Loc typeLoc, int wildcards) {
    public ValueSpec(Loc loc, long obis, String name, String unit, Integer scaler, Format format, ValueType type,
                     String doc, Loc nameLoc, Loc unitLoc, Loc typeLoc) {
        this(loc, obis, name, unit, scaler, format, type, doc, nameLoc, unitLoc, typeLoc, 0);
    }

    public boolean isPattern() {
        return wildcards != 0;
    }

    /** The code as the spec writes it: {@code 1.*.1.8.0.255} for a pattern. */
    public String code() {
        return org.meterspec.runtime.Obis.format(obis, wildcards);
    }
}
