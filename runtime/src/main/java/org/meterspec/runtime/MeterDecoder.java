package org.meterspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The base of every generated decoder: the security and APDU layers, driven by the spec's
 * {@link DecoderConfig}; the generated subclass supplies the body. An instance holds buffers and
 * cipher state and is not thread-safe; create one per thread or per stream.
 */
public abstract class MeterDecoder {
    /** The runtime API version generated code is written against. */
    public static final int API_VERSION = 4;

    private static final int DATA_NOTIFICATION = 0x0F;
    private static final int SYSTEM_TITLE_LENGTH = 8;

    private final DecoderConfig config;
    private final Keys keys;
    private final boolean requireAuthentication;
    private final Ciphering ciphering = new Ciphering();
    private final byte[] plain;
    private final AxdrReader reader = new AxdrReader();
    private final ReadingBuilder builder;
    private final PushObjects push;
    private final First first = new First();
    private final StreamDecoder oneShot;

    /** Keeps the first telegram of a one-shot decode. */
    private static final class First implements StreamDecoder.Listener {
        TelegramResult result;

        @Override
        public void onTelegram(long number, TelegramResult r) {
            if (result == null) {
                result = r;
            }
        }
    }

    protected MeterDecoder(DecoderConfig config, Keys keys, boolean requireAuthentication) {
        this.config = config;
        this.keys = keys == null ? Keys.none() : keys;
        this.requireAuthentication = requireAuthentication || config.authRequired;
        this.plain = new byte[config.maxApdu];
        this.builder = new ReadingBuilder(config.values, config.directory, config.maxValues, config.maxStringBytes,
                config.tolerates(Tolerance.NUL_PADDED_STRINGS));
        this.push = new PushObjects(config.maxPushObjects);
        this.oneShot = new StreamDecoder(this, first);
    }

    /**
     * Fails when generated code and runtime do not match. A generated class calls it first, in the
     * initialiser of its first constant, before anything else of the runtime is used.
     *
     * @return {@code version}
     */
    protected static int requireApi(int version) {
        if (version != API_VERSION) {
            throw new IllegalStateException("decoder generated for meterspec runtime API " + version
                    + ", this runtime is API " + API_VERSION + ": regenerate the decoder");
        }
        return version;
    }

    public final DecoderConfig config() {
        return config;
    }

    /** The spec's meter name. */
    public final String meter() {
        return config.meter;
    }

    /**
     * Decodes the first telegram in {@code data} (all frames of it, in transport framing): what
     * the stream decoder reports first for the same bytes, or {@code TELEGRAM_INCOMPLETE} at 0
     * when it reports nothing. Use {@link #decodeAll} or {@link #newStream} for input holding
     * several telegrams.
     */
    public final TelegramResult decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public final TelegramResult decode(byte[] data, int off, int len) {
        first.result = null;
        oneShot.reset();
        oneShot.feed(data, off, len);
        if (first.result == null) {
            oneShot.finish();
        }
        TelegramResult result = first.result != null ? first.result : new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0);
        first.result = null;
        oneShot.reset();
        return result;
    }

    /** Decodes every telegram in {@code data}, good or damaged, in order. */
    public final List<TelegramResult> decodeAll(byte[] data) {
        List<TelegramResult> out = new ArrayList<>();
        StreamDecoder stream = newStream((n, r) -> out.add(r));
        stream.feed(data);
        stream.finish();
        return out;
    }

    /** A decoder for a byte stream fed in chunks. */
    public final StreamDecoder newStream(StreamDecoder.Listener listener) {
        return new StreamDecoder(this, listener);
    }

    /**
     * Decodes one complete APDU (ciphered or plain DATA-NOTIFICATION). Blocks of a block transfer
     * never get here: the stream joins them first, so a block tag is as unexpected as any other.
     */
    final TelegramResult decodeApdu(byte[] a, int off, int len) {
        try {
            if (len < 1) {
                throw new DecodeException(ErrorCode.APDU_TRUNCATED, 0);
            }
            int tag = a[off] & 0xFF;
            if (tag == RawFramer.GLO_CIPHERING || tag == RawFramer.DED_CIPHERING) {
                return deciphered(a, off, len, tag);
            }
            if (tag != DATA_NOTIFICATION) {
                throw new DecodeException(ErrorCode.APDU_TAG, 0);
            }
            if (!config.allowPlain) {
                throw new DecodeException(ErrorCode.SECURITY_PLAINTEXT, 0);
            }
            if (requireAuthentication) {
                throw new DecodeException(ErrorCode.SECURITY_TAG_MISSING, 0);
            }
            return notification(a, off, len, null, -1, Security.NONE);
        } catch (DecodeException e) {
            return e.toError();
        }
    }

    /**
     * {@code DB|DC, 08, system title, length, security control, frame counter, content [, tag]}.
     */
    private TelegramResult deciphered(byte[] a, int off, int len, int tag) throws DecodeException {
        if (!(tag == RawFramer.GLO_CIPHERING ? config.allowGlo : config.allowDed)) {
            throw new DecodeException(ErrorCode.SECURITY_NOT_ALLOWED, 0);
        }
        if (len < 2) {
            throw new DecodeException(ErrorCode.APDU_TRUNCATED, len);
        }
        if ((a[off + 1] & 0xFF) != SYSTEM_TITLE_LENGTH) {
            throw new DecodeException(ErrorCode.SECURITY_SYSTEM_TITLE, 1);
        }
        int q = 2 + SYSTEM_TITLE_LENGTH;
        if (len < q + 1) {
            throw new DecodeException(ErrorCode.APDU_TRUNCATED, len);
        }
        int lengthAt = q;
        int first = a[off + q++] & 0xFF;
        long contentLength = first;
        if (first >= 0x80) {
            int n = first & 0x7F;
            if (n == 0 || n > 4 || q + n > len) {
                throw new DecodeException(ErrorCode.SECURITY_LENGTH, lengthAt);
            }
            contentLength = 0;
            for (int i = 0; i < n; i++) {
                contentLength = (contentLength << 8) | (a[off + q++] & 0xFF);
            }
        }
        if (q + contentLength > len) {
            throw new DecodeException(ErrorCode.SECURITY_LENGTH, lengthAt);
        }
        if (q + contentLength < len) {
            throw new DecodeException(ErrorCode.APDU_TRAILING_BYTES, q + contentLength);
        }
        if (contentLength < 5) {
            throw new DecodeException(ErrorCode.SECURITY_LENGTH, lengthAt);
        }
        int sc = a[off + q] & 0xFF;
        if (!config.allowedControl[sc] || (sc & 0x80) != 0 || (sc & 0x0F) > 1) {
            throw new DecodeException(ErrorCode.SECURITY_CONTROL, q);
        }
        boolean authenticated = (sc & 0x10) != 0;
        boolean encrypted = (sc & 0x20) != 0;
        long frameCounter = ((a[off + q + 1] & 0xFFL) << 24) | ((a[off + q + 2] & 0xFF) << 16)
                | ((a[off + q + 3] & 0xFF) << 8) | (a[off + q + 4] & 0xFF);
        int content = q + 5;
        int contentLen = (int) contentLength - 5 - (authenticated ? Ciphering.TAG_LENGTH : 0);
        if (contentLen < 0) {
            throw new DecodeException(ErrorCode.SECURITY_LENGTH, lengthAt);
        }
        if (contentLen > plain.length) {
            throw new DecodeException(ErrorCode.APDU_TOO_LONG, lengthAt);
        }
        if (requireAuthentication && !authenticated) {
            throw new DecodeException(ErrorCode.SECURITY_TAG_MISSING, q);
        }
        byte[] authKey = keys.authentication();
        if (requireAuthentication && authKey == null) {
            throw new DecodeException(ErrorCode.SECURITY_AUTH_KEY_MISSING, q);
        }
        javax.crypto.spec.SecretKeySpec key = (sc & 0x40) != 0 ? keys.broadcast() : keys.encryption();
        boolean verify = authenticated && authKey != null;
        if ((encrypted || (verify && requireAuthentication)) && key == null) {
            throw new DecodeException(ErrorCode.SECURITY_KEY_MISSING, q);
        }
        Security security;
        if (verify && key != null) {
            if (!ciphering.decryptVerified(key, authKey, sc, encrypted, a, off + 2, frameCounter,
                    a, off + content, contentLen, plain, 0)) {
                throw new DecodeException(ErrorCode.SECURITY_TAG_MISMATCH, content + contentLen);
            }
            security = Security.AUTHENTICATED;
        } else if (encrypted) {
            ciphering.decrypt(key, a, off + 2, frameCounter, a, off + content, contentLen, plain, 0);
            security = Security.ENCRYPTED;
        } else {
            System.arraycopy(a, off + content, plain, 0, contentLen);
            security = Security.NONE;
        }
        byte[] systemTitle = java.util.Arrays.copyOfRange(a, off + 2, off + 2 + SYSTEM_TITLE_LENGTH);
        if (contentLen < 1) {
            throw new DecodeException(ErrorCode.APDU_TRUNCATED, 0);
        }
        if ((plain[0] & 0xFF) != DATA_NOTIFICATION) {
            // an unverified decryption with the wrong key gives noise; a verified one a real APDU
            throw new DecodeException(security == Security.ENCRYPTED ? ErrorCode.SECURITY_DECRYPTION : ErrorCode.APDU_TAG,
                    security == Security.ENCRYPTED ? content : 0);
        }
        return notification(plain, 0, contentLen, systemTitle, frameCounter, security);
    }

    /**
     * What the plain DATA-NOTIFICATION at the start of some bytes decodes to, and how many bytes it
     * takes: the one decode of a bare notification, which states no length of its own. Reused:
     * valid until the next call.
     */
    static final class Prefix {
        private TelegramResult result;
        private int length;

        /** The bytes end inside the notification: with more of them it may still decode. */
        boolean needsMore() {
            return result == null;
        }

        /** The reading, or the error that is not for want of bytes. */
        TelegramResult result() {
            return result;
        }

        /** Whether the notification's end was found (it may still be refused, by the security rules). */
        boolean measured() {
            return length > 0;
        }

        /** Bytes the notification took, when {@link #measured()}. */
        int length() {
            return length;
        }
    }

    private final Prefix measured = new Prefix();

    /**
     * Decodes the plain DATA-NOTIFICATION at the start of {@code a[off, off+len)}, which may be
     * followed by other bytes. A truncation can only mean the bytes end before the notification
     * does, as it states no length: that is {@link Prefix#needsMore()}, not an error.
     */
    final Prefix decodePrefix(byte[] a, int off, int len) {
        TelegramResult result;
        int length = 0;
        try {
            result = notification(a, off, len, null, -1, Security.NONE, true);
            length = consumed;
        } catch (DecodeException e) {
            if (e.code() == ErrorCode.BODY_TRUNCATED || e.code() == ErrorCode.APDU_TRUNCATED) {
                result = null;
            } else {
                result = e.toError();
            }
        }
        if (result != null && (!config.allowPlain || requireAuthentication)) {
            // decoded all the same: the notification's length bounds the refused telegram
            result = new DecodeError(config.allowPlain ? ErrorCode.SECURITY_TAG_MISSING : ErrorCode.SECURITY_PLAINTEXT, 0);
        }
        measured.result = result;
        measured.length = length;
        return measured;
    }

    /** Bytes the last notification took. */
    private int consumed;

    private TelegramResult notification(byte[] a, int off, int len, byte[] systemTitle, long frameCounter,
                                        Security security) throws DecodeException {
        return notification(a, off, len, systemTitle, frameCounter, security, false);
    }

    /**
     * {@code 0F, long-invoke-id-and-priority (4), date-time (00 | 0C + 12 bytes), body}; with
     * {@code prefix} the notification may be followed by other bytes, and {@link #consumed} says
     * where it ended.
     */
    private TelegramResult notification(byte[] a, int off, int len, byte[] systemTitle, long frameCounter,
                                        Security security, boolean prefix) throws DecodeException {
        if (len < 6) {
            throw new DecodeException(ErrorCode.APDU_TRUNCATED, len);
        }
        long invokeId = ((a[off + 1] & 0xFFL) << 24) | ((a[off + 2] & 0xFF) << 16) | ((a[off + 3] & 0xFF) << 8)
                | (a[off + 4] & 0xFF);
        int q = 5;
        int dt = a[off + q] & 0xFF;
        boolean tagged = dt == Axdr.OCTET_STRING && config.tolerates(Tolerance.TAGGED_NOTIFICATION_DATETIME);
        if (tagged && len == q + 1) {
            // whether 09 begins a tagged date-time is for the next byte to say
            throw new DecodeException(ErrorCode.APDU_TRUNCATED, len);
        }
        byte[] dateTime = null;
        if (dt == 12 || (tagged && (a[off + q + 1] & 0xFF) == 12)) {
            int from = q + (dt == 12 ? 1 : 2);
            if (from + 12 > len) {
                throw new DecodeException(ErrorCode.APDU_TRUNCATED, len);
            }
            dateTime = java.util.Arrays.copyOfRange(a, off + from, off + from + 12);
            q = from + 12;
        } else if (dt == 0) {
            q++;
        } else {
            throw new DecodeException(ErrorCode.APDU_DATETIME, q);
        }
        if ((dateTime == null && config.dateTime == DecoderConfig.Presence.REQUIRED)
                || (dateTime != null && config.dateTime == DecoderConfig.Presence.ABSENT)) {
            throw new DecodeException(ErrorCode.APDU_DATETIME, 5);
        }
        builder.reset();
        if (dateTime != null && config.dateTimeValue != null) {
            builder.dateTime(config.dateTimeValue, dateTime);
        }
        reader.reset(a, off + q, off + len, off);
        if (trace != null) {
            trace.begin(q);
        }
        try {
            decodeBody(reader, builder);
        } catch (DecodeException e) {
            if (trace != null) {
                trace.stopped(reader.currentStep(), e.code(), e.offset());
            }
            throw e;
        }
        if (reader.remaining() != 0 && !prefix) {
            throw reader.error(ErrorCode.APDU_TRAILING_BYTES);
        }
        consumed = reader.position() - off;
        return builder.build(config.meter, systemTitle, frameCounter, security, invokeId, dateTime);
    }

    /** Reads a self-describing push taking the rest of the structure; see {@link PushObjects#read}. */
    protected final int pushObjects(AxdrReader in, ReadingBuilder out, int left, int structureAt, int maxObjects,
                                    int maxLength, int maxDepth, int maxLeaves) throws DecodeException {
        return push.read(in, out, left, structureAt, maxObjects, maxLength, maxDepth, maxLeaves);
    }

    /** Decodes the notification body; generated from the spec. */
    protected abstract void decodeBody(AxdrReader in, ReadingBuilder out) throws DecodeException;

    /**
     * The steps of the body layout, in the numbering the generated {@link #decodeBody} gives
     * {@link AxdrReader#step}: where each is written in the spec and what it expects. A decoder
     * written by hand that numbers no steps has none.
     */
    public java.util.List<BodyStep> steps() {
        return java.util.List.of();
    }

    private BodyTrace trace;

    /**
     * Reports every step of the body layout to {@code trace} (null: none) from now on, for tools
     * that show which element of the spec took which bytes; a decoder without one pays nothing
     * but a test per step.
     */
    public final void trace(BodyTrace trace) {
        this.trace = trace;
        reader.trace(trace);
    }
}
