package org.meterspec.model;

import java.nio.file.Path;
import java.util.List;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Security;

/**
 * A test vector the spec carries: a capture (a file next to the spec, or inline hex), its keys,
 * and what each telegram in it must decode to.
 */
public record ExampleSpec(Loc loc, String name, List<String> corpus, Path captureFile, String captureHex,
                          Loc captureFileLoc, Loc captureHexLoc, String key, String authKey, Loc keyLoc, String note,
                          List<Expectation> expectations) {
    public ExampleSpec {
        corpus = List.copyOf(corpus);
        expectations = List.copyOf(expectations);
    }

    /** Where the capture is given: its file name, or the first string of its hex. */
    public Loc captureLoc() {
        return captureFile != null ? captureFileLoc : captureHexLoc;
    }

    public sealed interface Expectation {
        Loc loc();
    }

    /**
     * A reading: header fields where given, and its values in order: all of them, or with
     * {@code partial} (written {@code ...}) those listed, in that order, among others.
     */
    public record ExpectReading(Loc loc, String systemTitle, Long frameCounter, Security security,
                                List<ExpectValue> values, boolean partial) implements Expectation {
        public ExpectReading {
            values = List.copyOf(values);
        }
    }

    /**
     * An error of this code, at this offset where given; {@code code} is null when
     * {@code codeName} names none, and {@code layer} is the layer the spec writes.
     */
    public record ExpectError(Loc loc, ErrorCode code, Long offset, String codeName, Loc codeLoc, String layer,
                              Loc layerLoc) implements Expectation {
    }

    /**
     * {@code value} null means null-data; {@code unit} null means no unit; {@code name} names a
     * value without an OBIS code ({@code obis} is then {@link org.meterspec.runtime.Obis#NONE}).
     */
    public record ExpectValue(Loc loc, long obis, String name, String value, String unit) {
        public ExpectValue(Loc loc, long obis, String value, String unit) {
            this(loc, obis, null, value, unit);
        }
    }
}
