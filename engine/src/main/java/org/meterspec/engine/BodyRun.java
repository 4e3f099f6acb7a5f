package org.meterspec.engine;

import java.util.List;
import org.meterspec.runtime.BodyStep;

/**
 * What a spec's body layout did with one DATA-NOTIFICATION: which step of the layout read from
 * which offset on, and where it stopped, if it did. Offsets count from the APDU's first byte (the
 * decrypted one for a ciphered telegram), as body error offsets do.
 *
 * @param start offset of the body's first byte
 * @param taken each step in the order it began, with the offset it began at
 * @param stop the step reading when the body failed, or null when it did not
 */
public record BodyRun(int start, List<Taken> taken, Stop stop) {
    public BodyRun {
        taken = List.copyOf(taken);
    }

    /** A step of the layout that began reading at {@code offset}. */
    public record Taken(int offset, BodyStep step) {
    }

    /**
     * The body failed with {@code error} at {@code offset} while {@code step} was reading; step is
     * null when the failure came after the layout's last step (bytes left over, say).
     */
    public record Stop(BodyStep step, String error, long offset) {
    }
}
