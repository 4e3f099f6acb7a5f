package org.meterspec.runtime;

/** What a framer found at the scan position. Reused; one per stream. */
final class Scan {
    enum Kind { NEED_MORE, SKIP, FRAME, ERROR, INCOMPLETE }

    Kind kind;
    /** Bytes to move past (SKIP, FRAME, ERROR). */
    int consumed;
    int payloadOff;
    int payloadLen;
    /** M-Bus segment number, or -1 where the transport has none. */
    int segment;
    /** More frames of this telegram follow. */
    boolean more;
    /** A raw candidate whose length could not be measured: the frame is all the bytes buffered. */
    boolean unmeasured;
    /** A bare plain notification the framer measured by decoding it: what it decoded to. */
    TelegramResult decoded;
    ErrorCode error;
    int errorPos;

    void needMore() {
        kind = Kind.NEED_MORE;
    }

    void incomplete() {
        kind = Kind.INCOMPLETE;
        consumed = 1;
    }

    void skip(int n) {
        kind = Kind.SKIP;
        consumed = n;
    }

    void frame(int consumed, int payloadOff, int payloadLen, int segment, boolean more) {
        kind = Kind.FRAME;
        this.consumed = consumed;
        this.payloadOff = payloadOff;
        this.payloadLen = payloadLen;
        this.segment = segment;
        this.more = more;
        this.unmeasured = false;
        this.decoded = null;
    }

    /** A damaged frame: report it, resume one byte after its start. */
    void error(ErrorCode code, int pos, boolean more) {
        kind = Kind.ERROR;
        consumed = 1;
        error = code;
        errorPos = pos;
        this.more = more;
    }
}
