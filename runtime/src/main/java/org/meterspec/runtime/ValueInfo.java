package org.meterspec.runtime;

/**
 * What a spec says about one OBIS code: its name, the unit and scaler to use when the telegram
 * carries none, how to write it, and which A-XDR types it may have ({@code typeMask} 0 = any).
 * {@code id} is its index in the decoder's directory of entries, which is how a reading refers
 * to it. A pattern's entry has no name: its values are reported by their codes.
 */
public record ValueInfo(int id, long obis, String name, String unit, int scaler, Format format, int typeMask,
                        int wildcards) {
    /** {@link #scaler} value meaning "the spec fixes no scaler". */
    public static final int NO_SCALER = Integer.MIN_VALUE;

    public ValueInfo(int id, long obis, String name, String unit, int scaler, Format format, int typeMask) {
        this(id, obis, name, unit, scaler, format, typeMask, 0);
    }

    /**
     * A pattern's entry ({@code wildcards} not 0: bit i set leaves OBIS group i, A = 0, open):
     * what the spec says of every code that matches it and has no entry of its own; it has no name.
     */
    public boolean isPattern() {
        return wildcards != 0;
    }

    public boolean hasScaler() {
        return scaler != NO_SCALER;
    }
}
