package org.meterspec.model;

/**
 * Sizes derived from the spec, from which both decoders size their buffers: the longest
 * plain APDU, the longest APDU as sent (ciphered), the longest transport telegram, the most
 * frames per telegram and the most values per reading.
 */
public record Bounds(int maxPlainApdu, int maxApdu, int maxTelegram, int maxFrames, int maxValues, int maxDepth) {
}
