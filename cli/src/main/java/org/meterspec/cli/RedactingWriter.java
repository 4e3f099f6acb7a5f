package org.meterspec.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * Passes text on a line at a time, each line {@link Redaction#redact redacted}: a key split
 * between two writes is still seen whole. {@link #flush} passes on complete lines only; the
 * last, unterminated one goes out on {@link #close}.
 */
final class RedactingWriter extends Writer {
    private final Writer out;
    private final StringBuilder line = new StringBuilder();

    RedactingWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            char c = cbuf[i];
            line.append(c);
            if (c == '\n') {
                out.write(Redaction.redact(line.toString()));
                line.setLength(0);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes what is left of an unterminated line. */
    void drain() throws IOException {
        if (line.length() > 0) {
            out.write(Redaction.redact(line.toString()));
            line.setLength(0);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        drain();
        out.close();
    }
}
