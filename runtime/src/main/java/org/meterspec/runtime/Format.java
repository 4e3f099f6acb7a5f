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
    /**
     * A COSEM date-time (12 bytes), date (5) or time (4) in ISO 8601; hex for other lengths or
     * what ISO 8601 cannot represent.
     */
    DATETIME
}
