package org.meterspec.runtime;

/** How an octet-string value is written in the JSON line. */
public enum Format {
    /** Text when every byte is printable ASCII, otherwise hex. */
    AUTO,
    /** Bytes as characters (Latin-1), escaped for JSON. */
    TEXT,
    /** Upper-case hex. */
    HEX,
    /** A 6-byte OBIS code in dotted form (hex if not 6 bytes). */
    OBIS,
    /** A 12-byte COSEM date-time in ISO 8601 (hex if not 12 bytes or not representable). */
    DATETIME
}
