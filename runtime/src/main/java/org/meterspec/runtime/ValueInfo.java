package org.meterspec.runtime;

/**
 * What a spec says about one OBIS code: its name, the unit and scaler to use when the telegram
 * carries none, how to write it, and which A-XDR types it may have ({@code typeMask} 0 = any).
 * {@code id} is its index in the decoder's directory of entries, which is how a reading refers
 * to it.
 */
public record ValueInfo(int id, long obis, String name, String unit, int scaler, Format format, int typeMask) {
    /** {@link #scaler} value meaning "the spec fixes no scaler". */
    public static final int NO_SCALER = Integer.MIN_VALUE;

    public boolean hasScaler() {
        return scaler != NO_SCALER;
    }
}
