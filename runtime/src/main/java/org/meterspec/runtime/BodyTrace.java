package org.meterspec.runtime;

/**
 * What a decoder's body layout did, step by step, for a tool that shows which element of the
 * spec took which bytes ({@code inspect --spec}). Offsets count from the APDU's first byte, as
 * error offsets do; steps index {@link MeterDecoder#steps()}. Called on the decoding thread.
 */
public interface BodyTrace {
    /** A body starts: a DATA-NOTIFICATION's content, after its date-time. */
    void begin(int offset);

    /** The step {@code step} reads from {@code offset} on. */
    void step(int offset, int step);

    /** The body failed with {@code code} while {@code step} (or -1, none) was reading. */
    void stopped(int step, ErrorCode code, long offset);
}
