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

    public Diagnostics(Map<String, String[]> sources) {
        this.sources = sources;
    }

    public void error(DiagCode code, Loc loc, String message) {
        add(Diagnostic.Severity.ERROR, code, loc, message, null);
    }

    public void error(DiagCode code, Loc loc, String message, String hint) {
        add(Diagnostic.Severity.ERROR, code, loc, message, hint);
    }

    public void warning(DiagCode code, Loc loc, String message, String hint) {
        add(Diagnostic.Severity.WARNING, code, loc, message, hint);
    }

    private void add(Diagnostic.Severity severity, DiagCode code, Loc loc, String message, String hint) {
        String[] lines = sources.get(loc.file());
        String line = lines != null && loc.line() >= 1 && loc.line() <= lines.length ? lines[loc.line() - 1] : null;
        list.add(new Diagnostic(severity, code, loc, message, hint, line));
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

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
