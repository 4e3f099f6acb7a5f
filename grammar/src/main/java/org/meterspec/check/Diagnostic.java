package org.meterspec.check;

import org.meterspec.model.Loc;

/**
 * One problem in a spec, in GNU form: {@code file:line:col: error[MS012]: message}, followed by
 * the source line with a caret under the column and, where the fix is known, a hint.
 */
public record Diagnostic(Severity severity, DiagCode code, Loc loc, String message, String hint, String sourceLine,
                         Loc importedAt) implements Comparable<Diagnostic> {

    public enum Severity {
        ERROR, WARNING;

        String word() {
            return this == ERROR ? "error" : "warning";
        }
    }

    /** The first line: {@code file:line:col: error[MSnnn]: message}. */
    public String headline() {
        return loc + ": " + severity.word() + "[" + code.id() + "]: " + message;
    }

    /** Headline, context line with caret, and hint. */
    public String format() {
        StringBuilder sb = new StringBuilder(headline());
        if (sourceLine != null) {
            String gutter = "    | ";
            sb.append('\n').append(gutter).append(sourceLine.replace('\t', ' '));
            sb.append('\n').append(gutter).append(" ".repeat(Math.max(0, loc.column() - 1))).append('^');
        }
        if (hint != null) {
            sb.append("\n    = hint: ").append(hint);
        }
        if (importedAt != null) {
            sb.append("\n    = note: imported at ").append(importedAt);
        }
        return sb.toString();
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public int compareTo(Diagnostic o) {
        int c = loc.file().compareTo(o.loc.file());
        if (c == 0) {
            c = Integer.compare(loc.line(), o.loc.line());
        }
        if (c == 0) {
            c = Integer.compare(loc.column(), o.loc.column());
        }
        return c != 0 ? c : message.compareTo(o.message);
    }
}
