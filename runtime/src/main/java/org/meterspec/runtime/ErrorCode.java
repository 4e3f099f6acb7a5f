package org.meterspec.runtime;

/**
 * The one list of decode errors, each with a number that never changes once released: hundreds
 * name the layer ({@link Layer#base()}), tens group a layer's codes (M-Bus, HDLC, any transport,
 * block transfer). The C runtime is generated from the same list in a language-neutral form, the
 * resource {@code errors.tsv} of this package, which a test holds equal to this enum; both print
 * the name in the JSON line. {@code docs/ERRORS.md} says, per code, which byte its offset names: for
 * transport errors a byte of the input stream, for the others a byte of the reassembled (and,
 * if ciphered, decrypted) APDU.
 */
public enum ErrorCode {
    // transport: M-Bus long frames
    MBUS_CHECKSUM(101, Layer.TRANSPORT, "M-Bus frame checksum does not match"),
    MBUS_STOP_BYTE(102, Layer.TRANSPORT, "M-Bus frame does not end with 0x16"),
    MBUS_CONTROL(103, Layer.TRANSPORT, "M-Bus C, A or CI field is not the one the spec names"),
    MBUS_SAP(104, Layer.TRANSPORT, "M-Bus STSAP/DTSAP are not the ones the spec names"),
    MBUS_SEGMENT_SEQUENCE(105, Layer.TRANSPORT, "M-Bus segment out of sequence (one was lost or repeated)"),
    MBUS_FRAME_TOO_SHORT(106, Layer.TRANSPORT, "M-Bus frame too short to hold its transport header"),
    // transport: HDLC
    HDLC_HCS(111, Layer.TRANSPORT, "HDLC header check sequence does not match"),
    HDLC_FCS(112, Layer.TRANSPORT, "HDLC frame check sequence does not match"),
    HDLC_FLAG(113, Layer.TRANSPORT, "HDLC frame does not end with the 0x7E flag"),
    HDLC_ADDRESS(114, Layer.TRANSPORT, "HDLC address is longer than 4 bytes or not the length the spec names"),
    HDLC_FRAME_TOO_SHORT(115, Layer.TRANSPORT, "HDLC frame too short for its header"),
    HDLC_SEGMENT_SEQUENCE(116, Layer.TRANSPORT, "HDLC segmented telegram interrupted by a new telegram"),
    HDLC_LLC(117, Layer.TRANSPORT, "HDLC information field lacks the LLC header the spec requires"),
    // transport: any
    TELEGRAM_INCOMPLETE(121, Layer.TRANSPORT, "stream ended inside a frame or before the last segment of a telegram"),
    TELEGRAM_TOO_LONG(122, Layer.TRANSPORT, "telegram longer than the spec allows"),
    TOO_MANY_FRAMES(123, Layer.TRANSPORT, "telegram made of more frames than the spec allows"),
    // transport: General Block Transfer, which joins telegrams before there is an APDU to point into
    GBT_BLOCK_SEQUENCE(131, Layer.TRANSPORT, "general block transfer block number out of sequence, or a transfer cut short"),
    GBT_TOO_MANY_BLOCKS(132, Layer.TRANSPORT, "general block transfer longer than the spec allows"),
    GBT_NOT_ALLOWED(133, Layer.TRANSPORT, "general block transfer not allowed by the spec"),
    GBT_BLOCK_LENGTH(134, Layer.TRANSPORT, "general block transfer block length field malformed or not the block's length"),
    // security
    SECURITY_NOT_ALLOWED(201, Layer.SECURITY, "ciphering mode not allowed by the spec"),
    SECURITY_CONTROL(202, Layer.SECURITY, "security control byte not allowed by the spec or not supported"),
    SECURITY_SYSTEM_TITLE(203, Layer.SECURITY, "system title is not 8 bytes"),
    SECURITY_LENGTH(204, Layer.SECURITY, "ciphered content length does not fit the APDU"),
    SECURITY_KEY_MISSING(205, Layer.SECURITY, "telegram is encrypted and no encryption key was given"),
    SECURITY_AUTH_KEY_MISSING(206, Layer.SECURITY, "authentication is required and no authentication key was given"),
    SECURITY_TAG_MISSING(207, Layer.SECURITY, "authentication is required and the telegram carries no tag"),
    SECURITY_TAG_MISMATCH(208, Layer.SECURITY, "authentication tag does not match (wrong key or damaged telegram)"),
    SECURITY_PLAINTEXT(209, Layer.SECURITY, "telegram is not ciphered but the spec requires ciphering"),
    SECURITY_DECRYPTION(210, Layer.SECURITY, "decrypted content is not a DATA-NOTIFICATION: most likely a wrong key"),
    // apdu
    APDU_TAG(301, Layer.APDU, "APDU tag not expected here"),
    APDU_TRUNCATED(302, Layer.APDU, "APDU ends before its header is complete"),
    APDU_DATETIME(303, Layer.APDU, "notification date-time is neither absent nor 12 bytes, or not what the spec names"),
    APDU_TRAILING_BYTES(304, Layer.APDU, "bytes follow the notification body"),
    APDU_TOO_LONG(305, Layer.APDU, "ciphered content longer than the spec allows an APDU to be"),
    // body
    BODY_TRUNCATED(401, Layer.BODY, "body ends inside a value"),
    BODY_TYPE(402, Layer.BODY, "value has a type the spec does not allow here"),
    BODY_COUNT(403, Layer.BODY, "structure or array has a different number of elements than the spec allows"),
    BODY_LENGTH(404, Layer.BODY, "string or length longer than the spec allows"),
    BODY_OBIS(405, Layer.BODY, "OBIS code field is not a 6-byte octet-string"),
    BODY_TOO_MANY_VALUES(406, Layer.BODY, "more values than the spec allows"),
    BODY_SCALER_UNIT(407, Layer.BODY, "scaler-unit is not a structure of integer scaler and enum unit"),
    BODY_DEPTH(408, Layer.BODY, "value nested deeper than the spec allows");

    private final int number;
    private final Layer layer;
    private final String description;

    ErrorCode(int number, Layer layer, String description) {
        this.number = number;
        this.layer = layer;
        this.description = description;
    }

    /** The stable number, also the C value ({@code MS_ERR_<NAME>}). */
    public int number() {
        return number;
    }

    public Layer layer() {
        return layer;
    }

    public String description() {
        return description;
    }
}
