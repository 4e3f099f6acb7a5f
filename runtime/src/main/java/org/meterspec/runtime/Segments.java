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
    /** A telegram was reported as damaged: its remaining segments are dropped without a second report. */
    protected boolean discarding;
    private int frames;

    Segments(DecoderConfig config) {
        this.config = config;
        this.telegram = new TelegramBuffer(config.maxTelegram, config.maxFrames);
    }

    protected final void begin(long at) {
        assembling = true;
        discarding = false;
        frames = 0;
        telegram.begin(at);
    }

    /**
     * Adds the segment {@code a[from, from+n)} (stream offset {@code at}) of the frame at stream
     * offset {@code frameAt}; hands the telegram on when {@code more} is false.
     */
    protected final void add(byte[] a, int from, int n, long at, long frameAt, boolean more, Sink out) {
        if (++frames > config.maxFrames) {
            out.error(ErrorCode.TOO_MANY_FRAMES, frameAt);
            assembling = false;
            discarding = true;
            return;
        }
        if (!telegram.fits(n)) {
            out.error(ErrorCode.TELEGRAM_TOO_LONG, frameAt);
            assembling = false;
            discarding = true;
            return;
        }
        telegram.append(a, from, n, at);
        if (!more) {
            assembling = false;
            out.telegram(telegram, true);
        }
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
