package org.meterspec.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads captures: binary files as they are, hex text in the common layouts — plain hex with any
 * separators ({@code 68FA}, {@code 68 fa}, {@code 0x68, 0xFA}, {@code 68:fa}, C arrays), and dumps
 * with an offset column ({@code xxd}, {@code hexdump -C}, Wireshark's hex view), whose ASCII
 * column is ignored. {@code #} and {@code //} start comments.
 *
 * <p>Every read is bounded and reads only regular files: a device ({@code /dev/zero}), a FIFO
 * or a directory named where a file is expected is refused before it is opened, so no read
 * blocks or runs out of memory. Hex text is parsed whole, so it is limited in size
 * ({@link #MAX_TEXT_BYTES}); binary captures can be streamed at any length ({@link #open}).
 */
public final class Captures {
    /** The most hex text a capture may hold: its layout (a dump or plain hex) is told from the whole text. */
    public static final long MAX_TEXT_BYTES = 16L << 20;

    private static final int CHUNK = 64 << 10;

    private Captures() {
    }

    /** A capture file's bytes, read as {@link #readFile} does with the text limit as its bound. */
    public static byte[] read(Path file) throws IOException {
        return readFile(file, MAX_TEXT_BYTES);
    }

    /**
     * A capture file's bytes, binary as it is or hex text parsed, from a regular file of at most
     * {@code maxBytes} bytes. Throws a {@link FileSystemException} whose {@link
     * FileSystemException#getReason() reason} says why when the file is not a regular file or is
     * larger, and {@link IllegalArgumentException} when hex text is not hex.
     */
    public static byte[] readFile(Path file, long maxBytes) throws IOException {
        return parse(readBytes(file, maxBytes));
    }

    /**
     * The content of a regular file of at most {@code maxBytes} bytes, as it is. A device, FIFO,
     * socket or directory is refused without opening it; a file that turns out longer than the
     * bound while it is read (files in /proc say they are empty) is refused too.
     */
    public static byte[] readBytes(Path file, long maxBytes) throws IOException {
        requireRegularFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (data.length > maxBytes) {
                throw new FileSystemException(file.toString(), null, "larger than " + size(maxBytes));
            }
            return data;
        }
    }

    /**
     * Opens a capture file as a stream of its bytes: binary passes through in chunks, at any
     * length; hex text (at most {@code maxTextBytes}) is parsed when it has been read whole.
     * Refuses what is not a regular file as {@link #readBytes} does.
     */
    public static InputStream open(Path file, long maxTextBytes) throws IOException {
        requireRegularFile(file);
        return decoding(Files.newInputStream(file), maxTextBytes);
    }

    /**
     * The bytes of a capture arriving on {@code raw} (standard input, say), decided as {@link
     * #parse} decides for a whole file: binary as soon as a byte shows it is not text, from then
     * on streamed as it comes; hex text buffered up to {@code maxTextBytes} and parsed at its end.
     * Its {@code read} throws {@link IOException} when the text is longer, and {@link
     * IllegalArgumentException} when hex text is not hex. Closing it closes {@code raw}.
     */
    public static InputStream decoding(InputStream raw, long maxTextBytes) {
        return new Decoding(raw, maxTextBytes);
    }

    /** Throws unless {@code file} is a regular file (following links), saying what it is instead. */
    private static void requireRegularFile(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (a.isDirectory()) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        if (!a.isRegularFile()) {
            throw new FileSystemException(file.toString(), null,
                    "is not a regular file (a device, FIFO or socket); give - and redirect it to read a stream");
        }
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
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

    /**
     * Tells binary from text while it reads, by the rule {@link #isBinary} applies to a whole
     * file: control bytes are checked per chunk and UTF-8 with a decoder that carries a sequence
     * split between chunks over, so a stream under the text limit is decided exactly as its
     * whole content would be.
     */
    private static final class Decoding extends InputStream {
        private final InputStream raw;
        private final long maxText;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer chars = CharBuffer.allocate(CHUNK);
        /** What was read while it may still be text; then what is handed out before the stream goes on. */
        private byte[] held = new byte[CHUNK];
        private int heldLength;
        /** Bytes of {@code held} checked as UTF-8; a sequence cut at the end waits for the next chunk. */
        private int checked;
        private int handedOut;
        private boolean binary;
        private boolean decided;

        Decoding(InputStream raw, long maxText) {
            this.raw = raw;
            this.maxText = maxText;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (!decided) {
                sniff();
            }
            if (handedOut < heldLength) {
                int n = Math.min(len, heldLength - handedOut);
                System.arraycopy(held, handedOut, b, off, n);
                handedOut += n;
                if (handedOut == heldLength) {
                    held = null; // the text or the first chunks are not needed any more
                    heldLength = handedOut = 0;
                }
                return n;
            }
            return binary ? raw.read(b, off, len) : -1;
        }

        /** Reads one more chunk and decides when it shows binary, or at the end. */
        private void sniff() throws IOException {
            if (heldLength > maxText) {
                throw new IOException("hex text longer than " + size(maxText)
                        + " (it is parsed whole); convert it to binary, e.g. with xxd -r -p, to decode more");
            }
            if (heldLength == held.length) {
                held = Arrays.copyOf(held, (int) Math.min(Math.min(Integer.MAX_VALUE - 8, maxText + 1), held.length * 2L));
            }
            int n = raw.read(held, heldLength, held.length - heldLength);
            if (n < 0) {
                decided = true;
                binary = !validUtf8(true);
                if (!binary) {
                    held = parseHex(new String(held, 0, heldLength, StandardCharsets.UTF_8));
                    heldLength = held.length;
                }
                return;
            }
            int from = heldLength;
            heldLength += n;
            for (int i = from; i < heldLength; i++) {
                int c = held[i] & 0xFF;
                if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F) {
                    binary = decided = true;
                    return;
                }
            }
            if (!validUtf8(false)) {
                binary = decided = true;
            }
        }

        private boolean validUtf8(boolean atEnd) {
            ByteBuffer in = ByteBuffer.wrap(held, checked, heldLength - checked);
            CoderResult r;
            do {
                chars.clear();
                r = utf8.decode(in, chars, atEnd);
            } while (r.isOverflow());
            checked = in.position();
            if (r.isError()) {
                return false;
            }
            if (atEnd) {
                chars.clear();
                return !utf8.flush(chars).isError();
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
