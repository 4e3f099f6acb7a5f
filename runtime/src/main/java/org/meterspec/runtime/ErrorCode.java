package org.meterspec.runtime;

/**
 * The one list of decode errors. The C runtime mirrors it one-to-one ({@code MS_ERR_<NAME>}),
 * because both print the name in the JSON line. Append only: the ordinal is the C value.
 */
public enum ErrorCode {
    // transport: M-Bus long frames
    MBUS_CHECKSUM(Layer.TRANSPORT, "M-Bus frame checksum does not match"),
    MBUS_STOP_BYTE(Layer.TRANSPORT, "M-Bus frame does not end with 0x16"),
    MBUS_CONTROL(Layer.TRANSPORT, "M-Bus C, A or CI field is not the one the spec names"),
    MBUS_SAP(Layer.TRANSPORT, "M-Bus STSAP/DTSAP are not the ones the spec names"),
    MBUS_SEGMENT_SEQUENCE(Layer.TRANSPORT, "M-Bus segment out of sequence (one was lost or repeated)"),
    MBUS_FRAME_TOO_SHORT(Layer.TRANSPORT, "M-Bus frame too short to hold its transport header"),
    // transport: HDLC
    HDLC_HCS(Layer.TRANSPORT, "HDLC header check sequence does not match"),
    HDLC_FCS(Layer.TRANSPORT, "HDLC frame check sequence does not match"),
    HDLC_FLAG(Layer.TRANSPORT, "HDLC frame does not end with the 0x7E flag"),
    HDLC_ADDRESS(Layer.TRANSPORT, "HDLC address is longer than 4 bytes or not the length the spec names"),
    HDLC_FRAME_TOO_SHORT(Layer.TRANSPORT, "HDLC frame too short for its header"),
    HDLC_SEGMENT_SEQUENCE(Layer.TRANSPORT, "HDLC segmented telegram interrupted by a new telegram"),
    HDLC_LLC(Layer.TRANSPORT, "HDLC information field lacks the LLC header the spec requires"),
    // transport: any
    TELEGRAM_INCOMPLETE(Layer.TRANSPORT, "stream ended inside a frame or before the last segment of a telegram"),
    TELEGRAM_TOO_LONG(Layer.TRANSPORT, "telegram longer than the spec allows"),
    TOO_MANY_FRAMES(Layer.TRANSPORT, "telegram made of more frames than the spec allows"),
    // security
    SECURITY_NOT_ALLOWED(Layer.SECURITY, "ciphering mode not allowed by the spec"),
    SECURITY_CONTROL(Layer.SECURITY, "security control byte not allowed by the spec or not supported"),
    SECURITY_SYSTEM_TITLE(Layer.SECURITY, "system title is not 8 bytes"),
    SECURITY_LENGTH(Layer.SECURITY, "ciphered content length does not fit the APDU"),
    SECURITY_KEY_MISSING(Layer.SECURITY, "telegram is encrypted and no encryption key was given"),
    SECURITY_AUTH_KEY_MISSING(Layer.SECURITY, "authentication is required and no authentication key was given"),
    SECURITY_TAG_MISSING(Layer.SECURITY, "authentication is required and the telegram carries no tag"),
    SECURITY_TAG_MISMATCH(Layer.SECURITY, "authentication tag does not match (wrong key or damaged telegram)"),
    SECURITY_PLAINTEXT(Layer.SECURITY, "telegram is not ciphered but the spec requires ciphering"),
    SECURITY_DECRYPTION(Layer.SECURITY, "decrypted content is not a DATA-NOTIFICATION: most likely a wrong key"),
    // apdu
    APDU_TAG(Layer.APDU, "APDU tag not expected here"),
    APDU_TRUNCATED(Layer.APDU, "APDU ends before its header is complete"),
    APDU_DATETIME(Layer.APDU, "notification date-time is neither absent nor 12 bytes, or not what the spec names"),
    APDU_TRAILING_BYTES(Layer.APDU, "bytes follow the notification body"),
    GBT_BLOCK_SEQUENCE(Layer.APDU, "general block transfer block number out of sequence"),
    GBT_TOO_MANY_BLOCKS(Layer.APDU, "general block transfer longer than the spec allows"),
    GBT_NOT_ALLOWED(Layer.APDU, "general block transfer not allowed by the spec"),
    // body
    BODY_TRUNCATED(Layer.BODY, "body ends inside a value"),
    BODY_TYPE(Layer.BODY, "value has a type the spec does not allow here"),
    BODY_COUNT(Layer.BODY, "structure or array has a different number of elements than the spec allows"),
    BODY_LENGTH(Layer.BODY, "string or length longer than the spec allows"),
    BODY_OBIS(Layer.BODY, "OBIS code field is not a 6-byte octet-string"),
    BODY_TOO_MANY_VALUES(Layer.BODY, "more values than the spec allows"),
    BODY_SCALER_UNIT(Layer.BODY, "scaler-unit is not a structure of integer scaler and enum unit"),
    BODY_DEPTH(Layer.BODY, "value nested deeper than the spec allows");

    private final Layer layer;
    private final String description;

    ErrorCode(Layer layer, String description) {
        this.layer = layer;
        this.description = description;
    }

    public Layer layer() {
        return layer;
    }

    public String description() {
        return description;
    }
}
