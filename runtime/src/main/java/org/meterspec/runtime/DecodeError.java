package org.meterspec.runtime;

/**
 * A telegram that could not be decoded. Transport errors carry the offset in the input stream;
 * security, APDU and body errors the offset in the reassembled (and, if ciphered, decrypted) APDU.
 * A {@code length} above 0 says the error stands for a run of rejected frame candidates spanning
 * that many input bytes, from the first byte of the first through the first byte of the last;
 * the code and offset are the first candidate's.
 */
public record DecodeError(ErrorCode code, long offset, long length) implements TelegramResult {

    public DecodeError(ErrorCode code, long offset) {
        this(code, offset, 0);
    }

    public Layer layer() {
        return code.layer();
    }

    @Override
    public String toJson(long number) {
        return "{\"telegram\":" + number + ",\"status\":\"error\",\"layer\":\"" + code.layer().jsonName()
                + "\",\"error\":\"" + code.name() + "\",\"offset\":" + offset + (length > 0 ? ",\"length\":" + length : "") + "}";
    }

    @Override
    public String toString() {
        return code.layer().jsonName() + " error " + code.name() + " at offset " + offset
                + (length > 0 ? " (a run of " + length + " bytes of rejected frames)" : "") + ": " + code.description();
    }
}
