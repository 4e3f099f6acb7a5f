package org.meterspec.runtime;

/** What was actually checked for a telegram. */
public enum Security {
    /** Not ciphered, or a tag that could not be checked on a plain telegram. */
    NONE("none"),
    /** Decrypted; no tag, or no authentication key to check it with. */
    ENCRYPTED("encrypted"),
    /** The GCM tag was verified. */
    AUTHENTICATED("authenticated");

    private final String jsonName;

    Security(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
