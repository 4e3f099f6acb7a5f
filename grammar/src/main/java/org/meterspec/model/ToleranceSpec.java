package org.meterspec.model;

import org.meterspec.runtime.Tolerance;

/**
 * A deviation from the standard this meter is known for, with the reason the spec gives;
 * {@code tolerance} is null when {@code name} names none.
 */
public record ToleranceSpec(Loc loc, String name, Loc nameLoc, Tolerance tolerance, String reason) {
}
