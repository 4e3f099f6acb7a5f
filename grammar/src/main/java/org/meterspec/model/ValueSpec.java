package org.meterspec.model;

import org.meterspec.runtime.Format;

/**
 * What the spec says about one OBIS code: name, unit and scaler used when the telegram carries
 * none, how octet-strings are written, the A-XDR types allowed, and a description. The locations
 * say where the entry gives its name, unit and type (null where it takes them from an import).
 */
public record ValueSpec(Loc loc, long obis, String name, String unit, Integer scaler, Format format,
                        ValueType type, String doc, Loc nameLoc, Loc unitLoc, Loc typeLoc) {
}
