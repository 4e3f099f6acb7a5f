package org.meterspec.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps keys out of everything the CLI prints. A user may put a key where a path or another
 * option belongs, and messages quote what they could not use; so every message line goes through
 * {@link #redact}, which replaces anything that may be a key (an AES-128 key is 16 bytes, 32 hex
 * digits) in any common spelling, upper or lower case:
 *
 * <ul>
 *   <li>hex words of whole bytes (an even number of digits; {@code 0x36}, {@code \x36} too)
 *       separated by spaces, tabs, colons, commas, semicolons or dashes, that hold 24 or more hex
 *       digits in all: {@code 36 C6 66 …}, {@code 36:c6:66:…}, {@code 0x36, 0xC6, …},
 *       {@code 36C66639-E48A…}, {@code \x36\xc6…};
 *   <li>24 or more hex digits in a row anywhere, inside a path or a word too
 *       ({@code /keys/36c6…bbb.key}).
 * </ul>
 *
 * 24 digits catch a key with a few digits missing or extra; the hex the CLI itself prints is
 * shorter (a system title has 16 digits; offsets, counts and OBIS codes, written with dots, fewer)
 * and ordinary words are not whole hex words of even length, so they are kept.
 */
final class Redaction {
    static final String MARK = "<redacted>";

    private static final int MIN_DIGITS = 24;
    private static final String WORD = "0-9A-Za-z_";
    private static final String GROUP = "(?:\\\\x|(?<![" + WORD + "])(?:0[xX])?)(?:[0-9A-Fa-f]{2})+(?![" + WORD + "])";
    private static final Pattern CHAIN = Pattern.compile(GROUP + "(?:[ \\t:,;\\-]*" + GROUP + ")*");
    private static final Pattern RUN = Pattern.compile("[0-9A-Fa-f]{" + MIN_DIGITS + ",}");
    private static final Pattern PREFIXES = Pattern.compile("0[xX]|\\\\x");

    private Redaction() {
    }

    static String redact(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = CHAIN.matcher(message);
        StringBuilder out = new StringBuilder(message.length());
        int last = 0;
        while (m.find()) {
            if (digits(m.group()) >= MIN_DIGITS) {
                out.append(message, last, m.start()).append(MARK);
                last = m.end();
            }
        }
        out.append(message, last, message.length());
        return RUN.matcher(out).replaceAll(MARK);
    }

    /** Hex digits in a chain, not counting separators and 0x prefixes. */
    private static int digits(String chain) {
        String bare = PREFIXES.matcher(chain).replaceAll(" ");
        int n = 0;
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                n++;
            }
        }
        return n;
    }
}
