package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Standard output that remembers why it failed (a closed pipe, a full disk) instead of letting
 * the failure pass unseen, as {@link PrintWriter} does; after a failure it drops what it is
 * given, so the command can stop and say so once.
 */
final class GuardedWriter extends Writer {
    private final Writer out;
    private volatile String failure;

    GuardedWriter(Writer out) {
        this.out = out;
    }

    /** Why writing failed, or null. */
    String failure() {
        if (failure == null && out instanceof PrintWriter p && p.checkError()) {
            failure = "write error";
        }
        return failure;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        if (failure != null) {
            return;
        }
        try {
            out.write(cbuf, off, len);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void flush() {
        if (failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        flush();
    }

    private void fail(IOException e) {
        failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
