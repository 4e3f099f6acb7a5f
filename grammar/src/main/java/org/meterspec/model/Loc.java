package org.meterspec.model;

/** A position in a spec file: 1-based line and column. */
public record Loc(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
