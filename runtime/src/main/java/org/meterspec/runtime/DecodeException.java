package org.meterspec.runtime;

/**
 * The one exception a decode raises: an error code and the byte offset it was found at. It has
 * no stack trace, so a stream of garbage costs no more than a stream of telegrams.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long offset;

    public DecodeException(ErrorCode code, long offset) {
        super(code.name() + " at offset " + offset, null, false, false);
        this.code = code;
        this.offset = offset;
    }

    public ErrorCode code() {
        return code;
    }

    public long offset() {
        return offset;
    }

    public DecodeError toError() {
        return new DecodeError(code, offset);
    }
}
