package org.meterspec.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value (RFC 8259): objects become {@link LinkedHashMap}s in the order their
 * members were written, arrays {@link List}s, numbers {@link Long} when integral and in range
 * ({@link BigDecimal} otherwise), and strings, booleans and null as themselves. Strict: trailing
 * text, duplicate members, unpaired surrogates escapes and control characters in strings are
 * errors, so that what an engine printed is read exactly as another reader would.
 */
public final class JsonReader {
    private final String s;
    private int i;

    private JsonReader(String s) {
        this.s = s;
    }

    /** The value {@code text} holds; {@link IllegalArgumentException} saying where it is not JSON. */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.space();
        Object v = r.value(0);
        r.space();
        if (r.i != text.length()) {
            throw r.error("text after the JSON value");
        }
        return v;
    }

    /** Nesting bound: canonical lines nest three deep; this keeps a hostile line from overflowing the stack. */
    private static final int MAX_DEPTH = 64;

    private Object value(int depth) {
        if (i >= s.length()) {
            throw error("the line ends where a value should be");
        }
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        i++;
        space();
        if (peek() == '}') {
            i++;
            return out;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            int at = i;
            String name = string();
            space();
            expect(':');
            space();
            Object v = value(depth + 1);
            if (out.containsKey(name)) {
                i = at;
                throw error("member \"" + name + "\" given twice");
            }
            out.put(name, v);
            space();
            char c = peek();
            i++;
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                i--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> out = new ArrayList<>();
        i++;
        space();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(out);
        }
        while (true) {
            space();
            out.add(value(depth + 1));
            space();
            char c = peek();
            i++;
            if (c == ']') {
                return Collections.unmodifiableList(out);
            }
            if (c != ',') {
                i--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
            if (i >= s.length()) {
                throw error("the string is not closed");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("a control character inside a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("the string is not closed");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", i)) {
                            throw error("an unpaired surrogate escape");
                        }
                        i += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw error("an unpaired surrogate escape");
                        }
                        sb.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw error("an unpaired surrogate escape");
                    } else {
                        sb.append(u);
                    }
                }
                default -> {
                    i--;
                    throw error("'\\" + e + "' is not an escape");
                }
            }
        }
    }

    private char hex4() {
        if (i + 4 > s.length()) {
            throw error("\\u needs four hex digits");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
                throw error("\\u needs four hex digits");
            }
            v = v << 4 | d;
        }
        i += 4;
        return (char) v;
    }

    private Object number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw error("a number needs digits");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            i++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw error("a fraction needs digits");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw error("an exponent needs digits");
            }
            digits();
        }
        String text = s.substring(start, i);
        if (integral && text.length() <= 18) {
            return Long.parseLong(text);
        }
        BigDecimal d = new BigDecimal(text);
        if (integral) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d;
            }
        }
        return d;
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') {
            i++;
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("unexpected '" + s.charAt(i) + "'");
        }
        i += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    /** The next character, or NUL at the end (never valid where it is asked for). */
    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not JSON at character " + (i + 1) + ": " + what);
    }
}
