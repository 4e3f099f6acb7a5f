package org.meterspec.runtime;

/**
 * Bare APDUs one after another. A ciphered APDU or a block-transfer block says its length; a plain
 * DATA-NOTIFICATION ends where the spec's body layout ends, which only the decoder knows (a
 * layout may hold untagged elements), so the decoder decodes it once, which measures it too.
 */
final class RawFramer extends Framer {
    static final int DATA_NOTIFICATION = 0x0F;
    static final int GLO_CIPHERING = 0xDB;
    static final int DED_CIPHERING = 0xDC;
    static final int BLOCK_TRANSFER = BlockAssembler.TAG;
    private static final int NEED = -1;
    private static final int INVALID = -2;
    private static final int TOO_LONG = -3;

    private final MeterDecoder decoder;
    private final int maxTelegram;

    RawFramer(MeterDecoder decoder) {
        this.decoder = decoder;
        this.maxTelegram = decoder.config().maxTelegram;
    }

    /** One byte more than the longest telegram, which tells an APDU too long. */
    @Override
    int window() {
        return maxTelegram + 1;
    }

    /** Its only error, an APDU too long, names the APDU's first byte. */
    @Override
    int reach() {
        return 0;
    }

    /** A candidate that does not decode is left one byte on. */
    @Override
    int shortest() {
        return 1;
    }

    @Override
    void scan(byte[] a, int p, int end, boolean atEnd, Scan s) {
        if (!isStart(a[p] & 0xFF)) {
            int q = p + 1;
            while (q < end && !isStart(a[q] & 0xFF)) {
                q++;
            }
            s.skip(q - p);
            return;
        }
        // never look further than the longest telegram: what is buffered must not change the answer
        int window = (int) Math.min(end, (long) p + maxTelegram + 1);
        int tag = a[p] & 0xFF;
        if (tag == DATA_NOTIFICATION) {
            notification(a, p, window, atEnd, s);
            return;
        }
        int n = tag == BLOCK_TRANSFER ? lengthPrefixed(a, p, p + 6, window)
                : window - p < 2 ? NEED : lengthPrefixed(a, p, p + 2 + (a[p + 1] & 0xFF), window);
        if (n == TOO_LONG || n == NEED && window - p > maxTelegram) {
            s.error(ErrorCode.TELEGRAM_TOO_LONG, p, false);
        } else if (n == NEED) {
            needMore(atEnd, s);
        } else if (n == INVALID) {
            // not a readable APDU: the decoder says precisely why, and the stream looks again after it
            s.frame(1, p, window - p, -1, false);
            s.unmeasured = true;
        } else {
            s.frame(n, p, n, -1, false);
        }
    }

    /** A plain notification, decoded once: the reading or error it gives, and the bytes it took. */
    private void notification(byte[] a, int p, int window, boolean atEnd, Scan s) {
        MeterDecoder.Prefix prefix = decoder.decodePrefix(a, p, window - p);
        if (prefix.needsMore()) {
            if (window - p > maxTelegram) {
                s.error(ErrorCode.TELEGRAM_TOO_LONG, p, false);
            } else {
                needMore(atEnd, s);
            }
        } else if (prefix.measured()) {
            s.frame(prefix.length(), p, prefix.length(), -1, false);
            s.decoded = prefix.result();
        } else {
            s.frame(1, p, window - p, -1, false);
            s.unmeasured = true;
            s.decoded = prefix.result();
        }
    }

    private static void needMore(boolean atEnd, Scan s) {
        if (atEnd) {
            s.incomplete();
        } else {
            s.needMore();
        }
    }

    private static boolean isStart(int b) {
        return b == DATA_NOTIFICATION || b == GLO_CIPHERING || b == DED_CIPHERING || b == BLOCK_TRANSFER;
    }

    /** Length of the APDU at {@code p} whose A-XDR length is at {@code q}, or NEED / INVALID / TOO_LONG. */
    private int lengthPrefixed(byte[] a, int p, int q, int end) {
        if (q >= end) {
            return NEED;
        }
        int first = a[q] & 0xFF;
        long len;
        int header;
        if (first < 0x80) {
            len = first;
            header = 1;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 4) {
                return INVALID;
            }
            if (q + n >= end) {
                return NEED;
            }
            len = 0;
            for (int i = 1; i <= n; i++) {
                len = (len << 8) | (a[q + i] & 0xFF);
            }
            header = 1 + n;
        }
        long total = (long) q + header + len - p;
        if (total > maxTelegram) {
            return TOO_LONG;
        }
        return p + total <= end ? (int) total : NEED;
    }
}
