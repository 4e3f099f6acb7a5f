package org.meterspec.gen.plan;

import org.meterspec.runtime.ErrorCode;

/** An error a body operation raises, and which byte of the APDU its offset names. */
public record Failure(ErrorCode code, At at) {

    /** Where an error's offset points, in the (decrypted) APDU. */
    public enum At {
        /** The first byte (tag) of the element the operation reads. */
        ELEMENT,
        /** The tag of the structure whose element count the operation takes from. */
        CONTAINER,
        /** The byte the operation was reading: a length prefix, a nested element's tag. */
        CURSOR,
        /** The end of the APDU, which the element runs past. */
        END
    }

    static Failure of(ErrorCode code, At at) {
        return new Failure(code, at);
    }

    @Override
    public String toString() {
        return code.name() + " at " + at.name().toLowerCase(java.util.Locale.ROOT);
    }
}
