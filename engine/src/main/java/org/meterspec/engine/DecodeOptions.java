package org.meterspec.engine;

/**
 * How an engine decodes.
 *
 * @param requireAuthentication reject telegrams whose GCM tag is absent or cannot be verified
 * @param chunkSize the most bytes the engine hands its stream decoder at a time (1 feeds byte by
 *     byte, as a slow UART would); 0 hands over what it is fed as it is
 */
public record DecodeOptions(boolean requireAuthentication, int chunkSize) {
    public static final DecodeOptions DEFAULT = new DecodeOptions(false, 0);

    public DecodeOptions {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is negative");
        }
    }

    public DecodeOptions withChunkSize(int size) {
        return new DecodeOptions(requireAuthentication, size);
    }

    public DecodeOptions withRequireAuthentication(boolean required) {
        return new DecodeOptions(required, chunkSize);
    }
}
