package org.meterspec.runtime;

/** JSON string escaping and hex, shared by every value rendering. */
public final class Json {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Json() {
    }

    public static String hex(byte[] b, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            out[2 * i] = HEX[(b[off + i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[b[off + i] & 0xF];
        }
        return new String(out);
    }

    public static String hex(byte[] b) {
        return hex(b, 0, b.length);
    }

    /** Appends {@code s} as a quoted JSON string: quote, backslash and control characters escaped. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Bytes as Latin-1 characters. */
    public static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Whether every byte is printable ASCII. */
    public static boolean printable(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * UTF-8 to text; each byte that does not start a well-formed sequence (overlong forms,
     * surrogates and code points above U+10FFFF are not well-formed) becomes U+FFFD. Not the JDK's
     * decoder: its replacement of malformed input is not this per-byte rule, which the C decoder
     * follows to write the same JSON.
     */
    public static String utf8(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            int need;
            int cp;
            int min;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                cp = c & 0x1F;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                cp = c & 0x0F;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            boolean ok = i + need < end; // continuation bytes i+1 .. i+need exist
            for (int k = 1; ok && k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    ok = false;
                } else {
                    cp = (cp << 6) | (cc & 0x3F);
                }
            }
            if (ok && cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
                sb.appendCodePoint(cp);
                i += need + 1;
            } else {
                sb.append('\uFFFD');
                i++;
            }
        }
        return sb.toString();
    }
}
