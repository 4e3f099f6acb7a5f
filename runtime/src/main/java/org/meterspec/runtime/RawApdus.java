package org.meterspec.runtime;

/**
 * Bare APDUs: each frame the framer measured is a telegram of its own, viewed in place. Without
 * framing a start byte in noise looks like an APDU: when one does not decode, its error is
 * reported once, and candidates starting inside it are not reported again.
 */
final class RawApdus implements Reassembler {
    private final TelegramBuffer view;
    /** Errors of candidates starting before this stream offset belong to one already reported. */
    private long discardUntil = -1;
    /** An APDU could not be measured: errors are not reported until one decodes again. */
    private boolean lost;

    RawApdus(DecoderConfig config) {
        this.view = new TelegramBuffer(0, 1);
    }

    @Override
    public boolean frame(byte[] a, int p, Scan s, long at, Sink out) {
        view.view(a, s.payloadOff, s.payloadLen, at, s.decoded);
        if (view.at(0) == BlockAssembler.TAG) {
            // a block cannot be decoded on its own; its numbering is what checks it
            out.telegram(view, true);
            return true;
        }
        if (out.telegram(view, at >= discardUntil && !lost)) {
            lost = false;
            return true;
        }
        // what the failed candidate covers must not depend on what happens to be buffered: a
        // measured APDU its own length, an unmeasurable one everything up to the next good APDU
        if (s.unmeasured) {
            lost = true;
        } else {
            discardUntil = Math.max(discardUntil, at + s.payloadLen);
        }
        // perhaps it was no APDU: look again one byte on
        return false;
    }

    @Override
    public void damaged(boolean more) {
        // the framer's only error on bare APDUs is one too long to measure: nothing is being joined
    }

    @Override
    public long openSince() {
        return -1;
    }

    @Override
    public void reset() {
        discardUntil = -1;
        lost = false;
    }
}
