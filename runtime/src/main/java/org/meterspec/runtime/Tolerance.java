package org.meterspec.runtime;

/**
 * Deviations from the standard that a spec may accept for one meter model, by name. Every decoder
 * is strict unless its spec names a tolerance.
 */
public enum Tolerance {
    /** HDLC frames whose FCS is wrong are accepted (the HCS is still checked). */
    BAD_FCS(Layer.TRANSPORT),
    /** An M-Bus frame longer than 255 bytes whose L field holds the length modulo 256. */
    MBUS_LENGTH_WRAP(Layer.TRANSPORT),
    /** The notification date-time sent as a tagged octet-string ({@code 09 0C ...}). */
    TAGGED_NOTIFICATION_DATETIME(Layer.APDU),
    /** An OBIS field sent with tag and length swapped ({@code 06 09} instead of {@code 09 06}). */
    SWAPPED_OBIS_HEADER(Layer.BODY),
    /** Strings padded with trailing NUL bytes; the padding is dropped. */
    NUL_PADDED_STRINGS(Layer.BODY);

    private final Layer layer;

    Tolerance(Layer layer) {
        this.layer = layer;
    }

    public Layer layer() {
        return layer;
    }

    /** The name a spec uses: lower case with underscores. */
    public String specName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
