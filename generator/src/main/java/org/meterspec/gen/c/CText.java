package org.meterspec.gen.c;

import java.nio.charset.StandardCharsets;

/** Text as C source holds it: in string literals and in comments, whatever the spec wrote. */
final class CText {
    private CText() {
    }

    /**
     * The content of a C string literal for {@code s}: printable ASCII as it is (with {@code "},
     * {@code \} and {@code ?} escaped, the last against trigraphs), every other byte of its UTF-8
     * as a three-digit octal escape, which cannot run into the next character as hex would.
     */
    static String literal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c == '"' || c == '\\' || c == '?') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return sb.toString();
    }

    /**
     * Text for a C block comment: on one line, without a comment end, and without a backslash at
     * the end of a line or a trigraph, which the preprocessor would act on.
     */
    static String comment(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                sb.append(' ');
            } else if (c == '/' && i > 0 && s.charAt(i - 1) == '*') {
                sb.append(' ').append(c);
            } else if (c == '\\' || c == '?') {
                sb.append(c == '\\' ? "\\ " : "? ");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
