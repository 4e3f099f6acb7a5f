package org.meterspec.model;

import org.meterspec.runtime.Tolerance;

/** A deviation from the standard this meter is known for, with the reason the spec gives. */
public record ToleranceSpec(Loc loc, Tolerance tolerance, String reason) {
}
