package org.meterspec.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.runtime.Captures;

/**
 * Keys from the command line ({@code --key HEX}, {@code --key @FILE}) or the environment. A key
 * file holds exactly one key: 32 hex digits, spaces, tabs, newlines and colons between them
 * allowed, nothing else. It is read by the program itself (picocli's own {@code @file}
 * expansion is off), at most {@link #MAX_FILE_BYTES}, only from a regular file. No message
 * repeats what a key or key file holds.
 */
final class Secrets {
    /** Far more than one key in any spelling; a bound so that {@code @/dev/zero} cannot be read forever. */
    static final int MAX_FILE_BYTES = 4096;

    private Secrets() {
    }

    /** The keys; {@link IllegalArgumentException} with a message that holds no key. */
    static DecoderKeys keys(String key, String authKey, String broadcastKey) {
        return DecoderKeys.ofHex(secret(key, "METERSPEC_KEY", "encryption"),
                secret(authKey, "METERSPEC_AUTH_KEY", "authentication"),
                secret(broadcastKey, "METERSPEC_BROADCAST_KEY", "broadcast"));
    }

    /** A key as hex, from the option or else the environment variable; null when neither is given. */
    static String secret(String option, String variable, String what) {
        String value = option != null ? option : System.getenv(variable);
        if (value == null || !value.startsWith("@")) {
            return value;
        }
        // what follows '@' may be a key typed by mistake: messages name it, and are redacted
        String name = value.substring(1);
        Path file = Main.path(name, "the " + what + " key file");
        byte[] bytes;
        try {
            bytes = Captures.readBytes(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " key file " + name + ": " + Main.describe(e));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = null;
        }
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("the " + what + " key file " + name + " is empty");
        }
        // the digits are counted where every key is checked, which says how many there are
        if (text == null || !onlyKeyCharacters(text)) {
            throw new IllegalArgumentException("the " + what + " key file " + name + " must hold one key and nothing"
                    + " else: 32 hex digits, with spaces or colons between them if you like");
        }
        return text;
    }

    private static boolean onlyKeyCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean digit = c < 0x80 && Character.digit(c, 16) >= 0;
            if (!digit && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ':') {
                return false;
            }
        }
        return true;
    }
}
