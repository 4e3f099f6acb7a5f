package org.meterspec.runtime;

/** What one telegram decodes to: a reading, or a typed error. */
public sealed interface TelegramResult permits Reading, DecodeError {

    /** The canonical JSON line (without newline); {@code number} counts telegrams from 1. */
    String toJson(long number);

    default boolean isOk() {
        return this instanceof Reading;
    }
}
