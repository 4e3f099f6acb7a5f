package org.meterspec.runtime;

/**
 * A bounds-checked cursor over the A-XDR body of one APDU. Every read checks the remaining length
 * first; every failure is a {@link DecodeException} with the offset in the APDU.
 */
public final class AxdrReader {
    /** Longest length prefix accepted: 0x84 and four bytes. */
    private static final int MAX_LENGTH_BYTES = 4;

    private byte[] buf;
    private int pos;
    private int end;
    private int origin;
    /** The body step (an index of the decoder's {@link MeterDecoder#steps()}) reading now, or -1. */
    private int step = -1;
    private BodyTrace trace;

    /** Reads {@code buf[off, end)}; error offsets count from {@code origin}. */
    public void reset(byte[] buf, int off, int end, int origin) {
        this.buf = buf;
        this.pos = off;
        this.end = end;
        this.origin = origin;
        this.step = -1;
    }

    /**
     * Says which step of the body's layout reads from here on: generated code calls it before each
     * element of the layout, so that an error, or a trace, can name the element of the spec.
     */
    public void step(int step) {
        this.step = step;
        if (trace != null) {
            trace.step(pos - origin, step);
        }
    }

    /** The step reading now, or -1 before the first. */
    public int currentStep() {
        return step;
    }

    /** Offset of the cursor, counted as error offsets are. */
    public int offset() {
        return pos - origin;
    }

    void trace(BodyTrace trace) {
        this.trace = trace;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    /** The tag of the next element, or -1 at the end. */
    public int peekTag() {
        return pos < end ? buf[pos] & 0xFF : -1;
    }

    /** The tag of the next element, which the element count says exists. */
    public int nextTag() throws DecodeException {
        if (pos >= end) {
            throw error(ErrorCode.BODY_TRUNCATED);
        }
        return buf[pos] & 0xFF;
    }

    public DecodeException error(ErrorCode code) {
        return new DecodeException(code, pos - origin);
    }

    public DecodeException errorAt(ErrorCode code, int position) {
        return new DecodeException(code, position - origin);
    }

    public int u8() throws DecodeException {
        if (pos >= end) {
            throw error(ErrorCode.BODY_TRUNCATED);
        }
        return buf[pos++] & 0xFF;
    }

    private static final java.lang.invoke.VarHandle SHORT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** Big-endian unsigned integer of {@code n} ≤ 8 bytes. */
    private long bigEndian(int n) throws DecodeException {
        require(n);
        int at = pos;
        pos += n;
        switch (n) {
            case 1:
                return buf[at] & 0xFF;
            case 2:
                return (short) SHORT.get(buf, at) & 0xFFFF;
            case 4:
                return (int) INT.get(buf, at) & 0xFFFFFFFFL;
            case 8:
                return (long) LONG.get(buf, at);
            default:
                long v = 0;
                for (int i = at; i < at + n; i++) {
                    v = (v << 8) | (buf[i] & 0xFF);
                }
                return v;
        }
    }

    /**
     * The content of a fixed-size number whose tag was just read: sign-extended for the signed
     * types, the bits for floats, 0 or 1 for booleans (any non-zero byte is true).
     */
    public long fixedNumber(int tag) throws DecodeException {
        int at = pos;
        switch (tag) {
            case Axdr.UINT32:
                require(4);
                pos += 4;
                return (int) INT.get(buf, at) & 0xFFFFFFFFL;
            case Axdr.UINT16:
                require(2);
                pos += 2;
                return (short) SHORT.get(buf, at) & 0xFFFF;
            case Axdr.INT16:
                require(2);
                pos += 2;
                return (short) SHORT.get(buf, at);
            case Axdr.INT32:
            case Axdr.FLOAT32:
                require(4);
                pos += 4;
                return tag == Axdr.INT32 ? (int) INT.get(buf, at) : (int) INT.get(buf, at) & 0xFFFFFFFFL;
            case Axdr.INT64:
            case Axdr.UINT64:
            case Axdr.FLOAT64:
                require(8);
                pos += 8;
                return (long) LONG.get(buf, at);
            case Axdr.INT8:
                require(1);
                pos++;
                return buf[at];
            case Axdr.NULL:
                return 0;
            default: // uint8, enum, bcd, boolean
                require(1);
                pos++;
                return buf[at] & 0xFF;
        }
    }

    public void require(int n) throws DecodeException {
        if (n > end - pos) {
            throw errorAt(ErrorCode.BODY_TRUNCATED, end);
        }
    }

    public void skipBytes(int n) throws DecodeException {
        require(n);
        pos += n;
    }

    /** An A-XDR length or element count: one byte below 0x80, else 0x8N and N big-endian bytes. */
    public int length() throws DecodeException {
        int at = pos;
        int first = u8();
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7F;
        if (n == 0 || n > MAX_LENGTH_BYTES) {
            throw errorAt(ErrorCode.BODY_LENGTH, at);
        }
        long v = bigEndian(n);
        if (v > Integer.MAX_VALUE) {
            throw errorAt(ErrorCode.BODY_LENGTH, at);
        }
        return (int) v;
    }

    /** The element count of the structure or array that starts at the cursor, without moving it. */
    public int peekCount() throws DecodeException {
        int at = pos;
        u8();
        try {
            return length();
        } finally {
            pos = at;
        }
    }

    /** Reads a structure header, returns its element count. */
    public int structure() throws DecodeException {
        expectTag(Axdr.STRUCTURE);
        return length();
    }

    /** Reads an array header, returns its element count, at most {@code max}. */
    public int array(int max) throws DecodeException {
        int at = pos;
        expectTag(Axdr.ARRAY);
        int n = length();
        if (n > max) {
            throw errorAt(ErrorCode.BODY_COUNT, at);
        }
        return n;
    }

    private void expectTag(int tag) throws DecodeException {
        int at = pos;
        if (u8() != tag) {
            throw errorAt(ErrorCode.BODY_TYPE, at);
        }
    }

    /**
     * Takes one element of the container that started at {@code containerAt} and had {@code left}
     * elements to go; returns the new count.
     */
    public int element(int left, int containerAt) throws DecodeException {
        if (left <= 0) {
            throw errorAt(ErrorCode.BODY_COUNT, containerAt);
        }
        return left - 1;
    }

    /** Checks that the container at {@code containerAt} has no elements left. */
    public void end(int left, int containerAt) throws DecodeException {
        if (left != 0) {
            throw errorAt(ErrorCode.BODY_COUNT, containerAt);
        }
    }

    /** An OBIS code field: octet-string of 6 bytes ({@code 09 06}, or {@code 06 09} if tolerated). */
    public long obis(boolean swappedHeader) throws DecodeException {
        int at = pos;
        require(2);
        int tag = buf[pos] & 0xFF;
        int len = buf[pos + 1] & 0xFF;
        boolean ok = (tag == Axdr.OCTET_STRING && len == 6) || (swappedHeader && tag == 6 && len == Axdr.OCTET_STRING);
        if (!ok) {
            throw errorAt(ErrorCode.BODY_OBIS, at);
        }
        pos += 2;
        require(6);
        long code = Obis.read(buf, pos);
        pos += 6;
        return code;
    }

    /** An attribute descriptor without tags: class-id (2 bytes), OBIS (6), attribute index (1). */
    public long descriptor() throws DecodeException {
        require(9);
        long code = Obis.read(buf, pos + 2);
        pos += 9;
        return code;
    }

    /**
     * Skips one element whose tag is in {@code typeMask} (0 = any), nested at most {@code depth}
     * levels. Containers are walked with an explicit stack, not recursion.
     */
    public void skip(int typeMask, int depth) throws DecodeException {
        if (typeMask != 0 && !Axdr.accepts(typeMask, peekTag())) {
            throw error(peekTag() < 0 ? ErrorCode.BODY_TRUNCATED : ErrorCode.BODY_TYPE);
        }
        if (pending.length < depth + 1) {
            pending = new int[depth + 1];
        }
        int level = 0;
        pending[0] = 1;
        while (level >= 0) {
            if (pending[level] == 0) {
                level--;
                continue;
            }
            pending[level]--;
            int tagAt = pos;
            int tag = u8();
            if (tag == Axdr.ARRAY || tag == Axdr.STRUCTURE) {
                int n = length();
                if (level + 1 > depth) {
                    throw errorAt(ErrorCode.BODY_DEPTH, tagAt);
                }
                pending[++level] = n;
            } else if (tag == Axdr.BIT_STRING) {
                skipBytes((int) ((length() + 7L) / 8));
            } else if (Axdr.accepts(Axdr.STRINGS, tag)) {
                skipBytes(length());
            } else if (Axdr.fixedSize(tag) >= 0) {
                skipBytes(Axdr.fixedSize(tag));
            } else {
                throw errorAt(ErrorCode.BODY_TYPE, tagAt);
            }
        }
    }

    /** Element counts still to skip per nesting level; reused, grown to the deepest skip. */
    private int[] pending = new int[4];

    byte[] buffer() {
        return buf;
    }

    void advance(int n) {
        pos += n;
    }
}
