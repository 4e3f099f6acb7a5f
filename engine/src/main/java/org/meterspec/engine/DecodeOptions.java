package org.meterspec.engine;

/**
 * How an engine decodes.
 *
 * @param requireAuthentication reject telegrams whose GCM tag is absent or cannot be verified
 * @param chunkSize the most bytes the engine hands its stream decoder at a time (1 feeds byte by
 *     byte, as a slow UART would); 0 hands over what it is fed as it is
 * @param zclPayload 0, or the most bytes of a ZCL frame: each line then ends with the ZigBee
 *     Report Attributes frames the reading makes ({@code "zcl":[…]})
 */
public record DecodeOptions(boolean requireAuthentication, int chunkSize, int zclPayload) {
    public static final DecodeOptions DEFAULT = new DecodeOptions(false, 0, 0);

    /** The ZCL payload {@code decode --zcl} assumes: what an APS frame carries unfragmented with NWK and APS security. */
    public static final int DEFAULT_ZCL_PAYLOAD = 82;

    public DecodeOptions {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is negative");
        }
        if (zclPayload != 0 && (zclPayload < org.meterspec.runtime.ZclState.MIN_PAYLOAD || zclPayload > 65535)) {
            throw new IllegalArgumentException("a ZCL payload of " + zclPayload + " bytes: it must be "
                    + org.meterspec.runtime.ZclState.MIN_PAYLOAD + " to 65535");
        }
    }

    public DecodeOptions withChunkSize(int size) {
        return new DecodeOptions(requireAuthentication, size, zclPayload);
    }

    public DecodeOptions withRequireAuthentication(boolean required) {
        return new DecodeOptions(required, chunkSize, zclPayload);
    }

    public DecodeOptions withZcl(int payload) {
        return new DecodeOptions(requireAuthentication, chunkSize, payload);
    }
}
