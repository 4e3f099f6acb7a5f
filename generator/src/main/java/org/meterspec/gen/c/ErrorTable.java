package org.meterspec.gen.c;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.meterspec.runtime.ErrorCode;

/**
 * The language-neutral table of decode errors ({@code errors.tsv}, beside {@link ErrorCode}): what
 * the C runtime's error list is generated from, so both name and number every error alike.
 */
public final class ErrorTable {
    /** One row: the code's name, stable number, layer (its JSON name) and message. */
    public record Row(String name, int number, String layer, String message) {
        /** The C enumerator: {@code MS_ERR_MBUS_CHECKSUM}. */
        public String constant() {
            return "MS_ERR_" + name;
        }

        /** The message as the content of a C string literal. */
        public String literal() {
            return CText.literal(message);
        }

        /** The message fit for a C comment. */
        public String comment() {
            return CText.comment(message);
        }
    }

    private ErrorTable() {
    }

    /** The rows, in table order. */
    public static List<Row> rows() {
        try (InputStream in = ErrorCode.class.getResourceAsStream("errors.tsv")) {
            if (in == null) {
                throw new IllegalStateException("errors.tsv is missing from the runtime");
            }
            List<Row> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalStateException("errors.tsv: not four fields: " + line);
                }
                rows.add(new Row(f[0], Integer.parseInt(f[1]), f[2], f[3]));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
