package org.meterspec.engine;

/** A decoding stream of an engine: bytes in, canonical JSON lines out through its listener. */
public interface LineStream extends AutoCloseable {
    /** Decodes {@code b[off, off+len)}; lines of telegrams it completes are handed out before it returns. */
    void feed(byte[] b, int off, int len) throws EngineException;

    /**
     * The capture has ended: reports what it left incomplete and forgets what is buffered. Another
     * capture may be fed after it; telegram numbers go on counting.
     */
    void finish() throws EngineException;

    /** Lines handed out so far. */
    long count();

    @Override
    void close() throws EngineException;
}
