package org.meterspec.runtime;

/**
 * What M-Bus and HDLC reassembly share: a telegram made of up to {@code frames max} segments of
 * at most {@code maxTelegram} bytes together, and the state of the one being joined. Subclasses
 * decide which frame begins a telegram and which continues one.
 */
abstract class Segments implements Reassembler {
    protected final DecoderConfig config;
    protected final TelegramBuffer telegram;
    protected boolean assembling;
    /** What the telegram first overflowed with, and at which frame, when it {@link #slides()}; else null. */
    protected ErrorCode overflow;
    protected long overflowAt;
    /** A telegram was reported as damaged: its remaining segments are dropped without a second report. */
    protected boolean discarding;

    Segments(DecoderConfig config) {
        this.config = config;
        this.telegram = new TelegramBuffer(config.maxTelegram, config.maxFrames);
    }

    protected final void begin(long at) {
        assembling = true;
        discarding = false;
        overflow = null;
        telegram.begin(at);
    }

    /**
     * Adds the segment {@code a[from, from+n)} (stream offset {@code at}) of the frame at stream
     * offset {@code frameAt}; hands the telegram on when {@code more} is false.
     */
    protected final void add(byte[] a, int from, int n, long at, long frameAt, boolean more, Sink out) {
        if (!telegram.fits(n)) {
            ErrorCode code = telegram.pieces >= config.maxFrames ? ErrorCode.TOO_MANY_FRAMES : ErrorCode.TELEGRAM_TOO_LONG;
            if (slides()) {
                // keep the newest frames: the telegram they end may have begun after the first
                if (overflow == null) {
                    overflow = code;
                    overflowAt = frameAt;
                }
                while (telegram.pieces > 0 && !telegram.fits(n)) {
                    telegram.dropFirst();
                }
            }
            if (!telegram.fits(n)) {
                out.error(telegram.pieces == 0 ? ErrorCode.TELEGRAM_TOO_LONG : code, frameAt);
                assembling = false;
                discarding = true;
                return;
            }
        }
        telegram.append(a, from, n, at, frameAt);
        if (!more) {
            assembling = false;
            complete(out);
        }
    }

    /**
     * Whether a telegram over the spec's bounds keeps its newest frames rather than failing: where
     * nothing marks a first segment, its first frames may belong to a telegram cut off before.
     */
    protected boolean slides() {
        return false;
    }

    /** The last segment arrived: hands the telegram on. */
    protected void complete(Sink out) {
        out.telegram(telegram, true);
    }

    @Override
    public long openSince() {
        return assembling ? telegram.start : -1;
    }

    @Override
    public void reset() {
        assembling = false;
        discarding = false;
    }
}
