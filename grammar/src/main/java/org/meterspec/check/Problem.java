package org.meterspec.check;

import org.meterspec.model.Loc;

/** One problem a pass finds: a code, where, what, and the fix where it is known (else null). */
public record Problem(DiagCode code, Loc loc, String message, String hint) {
}
