package org.meterspec.runtime;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-128 keys a decoder may use. Keys are never printed: {@link #toString()} only says which
 * are set.
 */
public final class Keys {
    private static final Keys NONE = new Keys(null, null, null);

    private final SecretKeySpec encryption;
    private final byte[] authentication;
    private final SecretKeySpec broadcast;

    private Keys(byte[] encryption, byte[] authentication, byte[] broadcast) {
        this.encryption = encryption == null ? null : new SecretKeySpec(check(encryption, "encryption"), "AES");
        this.authentication = authentication == null ? null : check(authentication, "authentication").clone();
        this.broadcast = broadcast == null ? null : new SecretKeySpec(check(broadcast, "broadcast"), "AES");
    }

    public static Keys none() {
        return NONE;
    }

    /** Any key may be null. */
    public static Keys of(byte[] encryption, byte[] authentication, byte[] broadcast) {
        return new Keys(encryption, authentication, broadcast);
    }

    public static Keys of(byte[] encryption, byte[] authentication) {
        return new Keys(encryption, authentication, null);
    }

    /** Keys from hex text (spaces allowed); null or empty means "not given". */
    public static Keys ofHex(String encryption, String authentication) {
        return new Keys(parse(encryption, "encryption"), parse(authentication, "authentication"), null);
    }

    public static Keys ofHex(String encryption, String authentication, String broadcast) {
        return new Keys(parse(encryption, "encryption"), parse(authentication, "authentication"),
                parse(broadcast, "broadcast"));
    }

    /** Parses a hex key; the message of the exception never contains the key. */
    public static byte[] parse(String hex, String what) {
        if (hex == null) {
            return null;
        }
        String clean = hex.replaceAll("[\\s:]", "");
        if (clean.isEmpty()) {
            return null;
        }
        if (clean.length() != 32) {
            throw new IllegalArgumentException("the " + what + " key must be 16 bytes (32 hex digits), got "
                    + clean.length() + " digits");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(clean.charAt(2 * i), 16);
            int lo = Character.digit(clean.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("the " + what + " key holds a character that is not a hex digit");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] check(byte[] key, String what) {
        if (key.length != 16) {
            throw new IllegalArgumentException("the " + what + " key must be 16 bytes, got " + key.length);
        }
        return key;
    }

    SecretKeySpec encryption() {
        return encryption;
    }

    SecretKeySpec broadcast() {
        return broadcast;
    }

    byte[] authentication() {
        return authentication;
    }

    public boolean hasEncryption() {
        return encryption != null;
    }

    public boolean hasAuthentication() {
        return authentication != null;
    }

    @Override
    public String toString() {
        return "Keys[encryption=" + (encryption != null ? "set" : "unset") + ", authentication="
                + (authentication != null ? "set" : "unset") + ", broadcast=" + (broadcast != null ? "set" : "unset") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keys k && same(encryption, k.encryption) && Arrays.equals(authentication, k.authentication)
                && same(broadcast, k.broadcast);
    }

    private static boolean same(SecretKeySpec a, SecretKeySpec b) {
        return a == null ? b == null : b != null && java.security.MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
    }

    @Override
    public int hashCode() {
        return (encryption != null ? 1 : 0) + (authentication != null ? 2 : 0) + (broadcast != null ? 4 : 0);
    }
}
