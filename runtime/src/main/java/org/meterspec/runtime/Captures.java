package org.meterspec.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads captures: binary files as they are, hex text in the common layouts — plain hex with any
 * separators ({@code 68FA}, {@code 68 fa}, {@code 0x68, 0xFA}, {@code 68:fa}, C arrays), and dumps
 * with an offset column ({@code xxd}, {@code hexdump -C}, Wireshark's hex view), whose ASCII
 * column is ignored. {@code #} and {@code //} start comments.
 */
public final class Captures {
    private Captures() {
    }

    /** A capture file's bytes. */
    public static byte[] read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** A capture's bytes from its file content: binary as it is, hex text parsed. */
    public static byte[] parse(byte[] data) {
        return isBinary(data) ? data : parseHex(new String(data, StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code data} is not text: it holds control bytes other than whitespace, or bytes
     * that are not UTF-8 (comments in hex files may be written in any language).
     */
    public static boolean isBinary(byte[] data) {
        for (byte b : data) {
            int c = b & 0xFF;
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F) {
                return true;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }

    /** Parses hex text in any of the layouts above. */
    public static byte[] parseHex(String text) {
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open >= 0 && close > open && text.substring(0, open).contains("=")) {
            // a C array with its declaration: the bytes are between the braces
            text = text.substring(open + 1, close);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n", -1)) {
            lines.add(stripComment(line));
        }
        byte[] dump = parseDump(lines);
        return dump != null ? dump : parsePlain(lines);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        int slashes = line.indexOf("//");
        int cut = hash < 0 ? slashes : slashes < 0 ? hash : Math.min(hash, slashes);
        return cut < 0 ? line : line.substring(0, cut);
    }

    private static byte[] parsePlain(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (Character.isWhitespace(c) || ",;:-{}[]()".indexOf(c) >= 0) {
                    i++;
                    continue;
                }
                int start = i;
                if (c == '0' && i + 1 < line.length() && (line.charAt(i + 1) == 'x' || line.charAt(i + 1) == 'X')) {
                    i += 2;
                    start = i;
                }
                while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
                    i++;
                }
                if (i == start || (i < line.length() && !Character.isWhitespace(line.charAt(i))
                        && ",;:-{}[]()".indexOf(line.charAt(i)) < 0)) {
                    throw new IllegalArgumentException("line " + (ln + 1) + ", column " + (i + 1)
                            + ": '" + line.charAt(Math.min(i, line.length() - 1)) + "' is not a hex digit");
                }
                if ((i - start) % 2 != 0) {
                    throw new IllegalArgumentException("line " + (ln + 1) + ", column " + (start + 1)
                            + ": odd number of hex digits in '" + line.substring(start, i) + "'");
                }
                for (int k = start; k < i; k += 2) {
                    out.write(Integer.parseInt(line.substring(k, k + 2), 16));
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * A dump with an offset column: every non-empty line starts with the hex offset of its first
     * byte (optionally followed by ':'), and each offset equals the number of bytes before it. The
     * next line's offset says how many bytes a line holds, and the last line is read only up to
     * the column where the others' bytes ended, so an ASCII column is never misread as bytes.
     */
    private static byte[] parseDump(List<String> lines) {
        List<String> body = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<Boolean> bars = new ArrayList<>();
        for (String line : lines) {
            int bar = line.indexOf('|');
            String text = bar >= 0 ? line.substring(0, bar) : line;
            if (text.isBlank()) {
                continue;
            }
            int i = 0;
            while (Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int j = i;
            while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != ':') {
                j++;
            }
            String first = text.substring(i, j);
            if (first.length() < 4 || first.length() > 8 || !isHex(first)) {
                return null;
            }
            offsets.add(Long.parseLong(first, 16));
            bars.add(bar >= 0);
            body.add(" ".repeat(j + 1) + (j + 1 <= text.length() ? text.substring(Math.min(j + 1, text.length())) : ""));
        }
        if (offsets.isEmpty() || offsets.get(0) != 0) {
            return null;
        }
        if (offsets.size() == 1 && !oneLineDump(lines)) {
            return null; // one line of plain hex may start with 0000
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int hexEnd = 0;
        for (int n = 0; n < body.size(); n++) {
            if (offsets.get(n) != out.size()) {
                return null;
            }
            boolean last = n + 1 == body.size();
            long want = last ? Long.MAX_VALUE : offsets.get(n + 1) - offsets.get(n);
            String text = body.get(n);
            int limit = last ? Math.min(text.length(), hexEnd) : text.length();
            if (body.size() == 1) {
                // one line: xxd puts two spaces before its ASCII column; hexdump's was cut at '|'
                int from = 0;
                while (from < text.length() && text.charAt(from) == ' ') {
                    from++;
                }
                int gap = text.indexOf("  ", from);
                limit = bars.get(0) || gap < 0 ? text.length() : gap;
            }
            long got = 0;
            int i = 0;
            while (got < want) {
                while (i < limit && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < limit && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                String token = text.substring(start, i);
                if (token.isEmpty() || !isHex(token) || token.length() % 2 != 0) {
                    break;
                }
                for (int k = 0; k < token.length() && got < want; k += 2) {
                    out.write(Integer.parseInt(token.substring(k, k + 2), 16));
                    got++;
                }
                hexEnd = Math.max(hexEnd, last ? hexEnd : i);
            }
            if (!last && got != want) {
                return null;
            }
        }
        return out.toByteArray();
    }

    /** A single dump line is told from plain hex by xxd's colon or hexdump's |ASCII| column. */
    private static boolean oneLineDump(List<String> lines) {
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty()) {
                return t.matches("[0-9a-fA-F]{4,8}:\\s.*") || t.matches("[0-9a-fA-F]{4,8}\\s.*\\|.*\\|\\s*");
            }
        }
        return false;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
