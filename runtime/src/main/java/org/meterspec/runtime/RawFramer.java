package org.meterspec.runtime;

/**
 * Bare APDUs one after another. An APDU's end is found from its own structure: the length of a
 * ciphered APDU or a block-transfer block, or by walking a DATA-NOTIFICATION's A-XDR body.
 */
final class RawFramer extends Framer {
    static final int DATA_NOTIFICATION = 0x0F;
    static final int GLO_CIPHERING = 0xDB;
    static final int DED_CIPHERING = 0xDC;
    static final int BLOCK_TRANSFER = 0xE0;
    private static final int NEED = -1;
    private static final int INVALID = -2;
    private static final int MAX_DEPTH = 16;

    private final boolean taggedDateTime;
    private final int maxTelegram;

    RawFramer(DecoderConfig config) {
        this.taggedDateTime = config.tolerates(Tolerance.TAGGED_NOTIFICATION_DATETIME);
        this.maxTelegram = config.maxTelegram;
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
        int n = measure(a, p, end);
        if (n == NEED) {
            if (end - p > maxTelegram) {
                s.error(ErrorCode.TELEGRAM_TOO_LONG, p, false);
            } else if (atEnd) {
                s.incomplete();
            } else {
                s.needMore();
            }
            return;
        }
        if (n == INVALID) {
            // not an APDU after all: hand the bytes to the decoder for a precise error
            s.frame(1, p, end - p, -1, false);
            s.consumed = 1;
            return;
        }
        s.frame(n, p, n, -1, false);
    }

    private static boolean isStart(int b) {
        return b == DATA_NOTIFICATION || b == GLO_CIPHERING || b == DED_CIPHERING || b == BLOCK_TRANSFER;
    }

    /** Length of the APDU at {@code p}, or NEED / INVALID. */
    int measure(byte[] a, int p, int end) {
        int tag = a[p] & 0xFF;
        switch (tag) {
            case GLO_CIPHERING, DED_CIPHERING -> {
                if (end - p < 2) {
                    return NEED;
                }
                int q = p + 2 + (a[p + 1] & 0xFF);
                return lengthPrefixed(a, p, q, end);
            }
            case BLOCK_TRANSFER -> {
                return lengthPrefixed(a, p, p + 6, end);
            }
            default -> {
                int q = p + 5;
                if (q >= end) {
                    return NEED;
                }
                int dt = a[q] & 0xFF;
                if (dt == 0) {
                    q += 1;
                } else if (dt == 12) {
                    q += 13;
                } else if (dt == Axdr.OCTET_STRING && taggedDateTime) {
                    q += 14;
                } else {
                    return INVALID;
                }
                int e = dataEnd(a, q, end);
                return e < 0 ? e : e - p;
            }
        }
    }

    private static int lengthPrefixed(byte[] a, int p, int q, int end) {
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
        if (total > Integer.MAX_VALUE / 2) {
            return INVALID;
        }
        return p + total <= end ? (int) total : NEED;
    }

    /** End of the A-XDR data value at {@code q}, or NEED / INVALID. */
    private static int dataEnd(byte[] a, int q, int end) {
        int[] pending = new int[MAX_DEPTH + 1];
        int level = 0;
        pending[0] = 1;
        while (level >= 0) {
            if (pending[level] == 0) {
                level--;
                continue;
            }
            pending[level]--;
            if (q >= end) {
                return NEED;
            }
            int tag = a[q++] & 0xFF;
            if (tag == Axdr.ARRAY || tag == Axdr.STRUCTURE || Axdr.accepts(Axdr.VARIABLE, tag)) {
                if (q >= end) {
                    return NEED;
                }
                int first = a[q++] & 0xFF;
                long n = first;
                if (first >= 0x80) {
                    int k = first & 0x7F;
                    if (k == 0 || k > 4) {
                        return INVALID;
                    }
                    if (q + k > end) {
                        return NEED;
                    }
                    n = 0;
                    for (int i = 0; i < k; i++) {
                        n = (n << 8) | (a[q++] & 0xFF);
                    }
                }
                if (n > Integer.MAX_VALUE / 2) {
                    return INVALID;
                }
                if (tag == Axdr.ARRAY || tag == Axdr.STRUCTURE) {
                    if (level == MAX_DEPTH) {
                        return INVALID;
                    }
                    pending[++level] = (int) n;
                } else {
                    long skip = tag == Axdr.BIT_STRING ? (n + 7) / 8 : n;
                    if (q + skip > end) {
                        return NEED;
                    }
                    q += (int) skip;
                }
            } else {
                int size = Axdr.fixedSize(tag);
                if (size < 0) {
                    return INVALID;
                }
                if (q + size > end) {
                    return NEED;
                }
                q += size;
            }
        }
        return q;
    }
}
