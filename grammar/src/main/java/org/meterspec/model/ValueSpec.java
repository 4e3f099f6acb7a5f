package org.meterspec.model;

import org.meterspec.runtime.Format;

/**
 * What the spec says about one OBIS code: name, unit and scaler used when the telegram carries
 * none, how octet-strings are written, the A-XDR types allowed, and a description.
 */
public record ValueSpec(Loc loc, long obis, String name, String unit, Integer scaler, Format format,
                        ValueType type, String doc) {
}
