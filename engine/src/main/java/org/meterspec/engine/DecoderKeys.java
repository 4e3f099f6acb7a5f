package org.meterspec.engine;

import org.meterspec.runtime.Keys;

/**
 * The AES-128 keys for a decoder, as bytes an engine can hand on (to a C harness, say). Never
 * printed: {@link #toString()} says only which keys are set.
 */
public final class DecoderKeys {
    public static final DecoderKeys NONE = new DecoderKeys(null, null, null);

    private final byte[] encryption;
    private final byte[] authentication;
    private final byte[] broadcast;

    private DecoderKeys(byte[] encryption, byte[] authentication, byte[] broadcast) {
        this.encryption = encryption;
        this.authentication = authentication;
        this.broadcast = broadcast;
    }

    /**
     * Keys from hex (spaces and colons allowed); null or blank means not given. The exception's
     * message names which key is malformed, never its digits.
     */
    public static DecoderKeys ofHex(String encryption, String authentication, String broadcast) {
        return new DecoderKeys(Keys.parse(encryption, "encryption"), Keys.parse(authentication, "authentication"),
                Keys.parse(broadcast, "broadcast"));
    }

    /** A copy of the encryption key, or null. */
    public byte[] encryption() {
        return encryption == null ? null : encryption.clone();
    }

    public byte[] authentication() {
        return authentication == null ? null : authentication.clone();
    }

    public byte[] broadcast() {
        return broadcast == null ? null : broadcast.clone();
    }

    /** The keys as the Java runtime takes them. */
    public Keys toKeys() {
        return Keys.of(encryption, authentication, broadcast);
    }

    @Override
    public String toString() {
        return "DecoderKeys[encryption=" + (encryption != null ? "set" : "unset") + ", authentication="
                + (authentication != null ? "set" : "unset") + ", broadcast=" + (broadcast != null ? "set" : "unset")
                + "]";
    }
}
