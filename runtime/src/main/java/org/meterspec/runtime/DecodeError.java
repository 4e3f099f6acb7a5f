package org.meterspec.runtime;

/**
 * A telegram that could not be decoded. Transport errors carry the offset in the input stream;
 * security, APDU and body errors the offset in the reassembled (and, if ciphered, decrypted) APDU.
 */
public record DecodeError(ErrorCode code, long offset) implements TelegramResult {

    public Layer layer() {
        return code.layer();
    }

    @Override
    public String toJson(long number) {
        return "{\"telegram\":" + number + ",\"status\":\"error\",\"layer\":\"" + code.layer().jsonName()
                + "\",\"error\":\"" + code.name() + "\",\"offset\":" + offset + "}";
    }

    @Override
    public String toString() {
        return code.layer().jsonName() + " error " + code.name() + " at offset " + offset + ": " + code.description();
    }
}
