package org.meterspec.engine.live;

import java.io.IOException;

/** An open serial port (or what stands for one in a test). */
public interface SerialLink extends AutoCloseable {
    /**
     * Reads what has arrived into {@code b}, waiting a short while (a fraction of a second) for the
     * first byte; 0 when nothing came. {@link IOException} when the port is gone.
     */
    int read(byte[] b) throws IOException;

    /** Writes {@code b[off, off+len)}, waiting until the port took it. */
    void write(byte[] b, int off, int len) throws IOException;

    /**
     * Waits until what was written has left the port (or a bounded while), so that closing it
     * does not cut the last bytes off.
     */
    default void drain() throws InterruptedException {
    }

    @Override
    void close();

    /** Opens a port; {@link IOException} says why it cannot. */
    @FunctionalInterface
    interface Opener {
        SerialLink open() throws IOException;
    }
}
