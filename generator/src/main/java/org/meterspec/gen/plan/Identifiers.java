package org.meterspec.gen.plan;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Allocates the identifiers of value entries: lower-case names that are valid and free in Java
 * and C, whether a renderer uses them as they are or in upper case. A spec's name that is a
 * keyword of either language, or a name the generated code uses for its own members, gets a
 * suffix; so does a second use of a name.
 */
final class Identifiers {
    /** Java and C keywords, the literals Java reserves, and names C's standard headers define as macros. */
    private static final Set<String> KEYWORDS = Set.of(
            // Java
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var",
            "yield", "record", "sealed", "permits", "non_sealed", "module", "exports", "requires", "open", "opens",
            // C99 and C11
            "auto", "extern", "inline", "register", "restrict", "signed", "sizeof", "struct", "typedef", "union",
            "unsigned", "_bool", "_complex", "_imaginary", "_alignas", "_alignof", "_atomic", "_generic",
            "_noreturn", "_static_assert", "_thread_local",
            // macros of <stdbool.h>, <stddef.h>, <stdint.h>, <errno.h>, <assert.h>
            "bool", "offsetof", "errno", "eof", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
            "uint32_t", "uint64_t", "size_t", "ptrdiff_t", "null_");

    /**
     * Names the generated code gives its own members, constants and locals: Java's decoder class
     * ({@code METER}, {@code FINGERPRINT}, {@code CONFIG}, {@code VALUES}, {@code DIRECTORY},
     * {@code API}) and what a C renderer puts beside the values of a meter.
     */
    private static final Set<String> MEMBERS = Set.of(
            "meter", "fingerprint", "config", "values", "directory", "api", "version", "title", "keys",
            "decode", "decode_body", "feed", "init", "reset", "finish", "stream", "reading", "result", "error",
            "in", "out", "left", "at", "tag", "count", "n", "i", "ctx", "len", "buf", "max", "value", "name");

    private final Set<String> taken = new HashSet<>();

    /** A fresh identifier for {@code name}. */
    String allocate(String name) {
        String base = name.toLowerCase(Locale.ROOT);
        String stem = !reserved(base) ? base : base.startsWith("ms_") ? "v_" + base : base + "_value";
        String candidate = stem;
        for (int n = 2; reserved(candidate) || taken.contains(candidate); n++) {
            candidate = stem + "_" + n;
        }
        taken.add(candidate);
        return candidate;
    }

    static boolean reserved(String ident) {
        return KEYWORDS.contains(ident) || MEMBERS.contains(ident) || ident.startsWith("ms_");
    }
}
