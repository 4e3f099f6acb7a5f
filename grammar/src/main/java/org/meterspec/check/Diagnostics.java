package org.meterspec.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.meterspec.model.Loc;

/** Collects the problems of a spec and its imports; knows their source lines for context. */
public final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();
    private final Map<String, String[]> sources;
    private final Map<String, Loc> importedAt = new java.util.HashMap<>();

    public Diagnostics(Map<String, String[]> sources) {
        this.sources = sources;
    }

    /** Diagnostics in {@code file} say that the import at {@code at} brought it in. */
    public void imported(String file, Loc at) {
        importedAt.putIfAbsent(file, at);
    }

    public int size() {
        return list.size();
    }

    public void error(DiagCode code, Loc loc, String message) {
        add(Diagnostic.Severity.ERROR, code, loc, message, null);
    }

    public void error(DiagCode code, Loc loc, String message, String hint) {
        add(Diagnostic.Severity.ERROR, code, loc, message, hint);
    }

    /** A key property's string, terminated or not. */
    private static final java.util.regex.Pattern KEY_STRING =
            java.util.regex.Pattern.compile("\\b(key|auth_key)(\\s+)\"(?:[^\"\\\\]|\\\\.)*\"?");

    /** The source line as a diagnostic quotes it: keys written in it never are. */
    static String quoted(String line) {
        return line == null ? null : KEY_STRING.matcher(line).replaceAll("$1$2\"<redacted>\"");
    }

    private void add(Diagnostic.Severity severity, DiagCode code, Loc loc, String message, String hint) {
        String[] lines = sources.get(loc.file());
        String line = lines != null && loc.line() >= 1 && loc.line() <= lines.length ? quoted(lines[loc.line() - 1]) : null;
        list.add(new Diagnostic(severity, code, loc, message, hint, line, importedAt.get(loc.file())));
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    /** Sorted by file, line and column. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(list);
        out.sort(null);
        return List.copyOf(out);
    }

    /** "did you mean 'x'?" for the closest candidate within a small edit distance, else null. */
    public static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(given.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null || bestDistance > Math.max(2, given.length() / 3)) {
            return null;
        }
        return "did you mean '" + best + "'?";
    }

    /** Edit distance where swapping two adjacent letters is one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
