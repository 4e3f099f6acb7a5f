package org.meterspec.runtime;

import java.util.Arrays;

/**
 * Collects the values of one telegram. Generated body code brackets each value group with
 * {@link #begin()} / {@link #end(AxdrReader)} and fills it from the telegram: an OBIS code, the
 * value, a scaler-unit; {@code end} resolves the spec's entry and appends the value.
 */
public final class ReadingBuilder {
    /** Type-mask flag: an octet-string of 12 bytes is taken as a date-time. */
    public static final int DATETIME_OCTETS = 1 << 31;

    private final ValueTable table;
    private final ValueInfo[] directory;
    private final boolean trimNul;
    private final int capacity;
    /** Per value, in {@link Reading}'s layout: OBIS code and raw content. */
    private final long[] longs;
    /** Per value: spec entry id, packed tag/scaler/unit, offset and length of its bytes in the pool. */
    private final int[] ints;
    /** The bytes of every string, date and time value, one after another. */
    private final byte[] pool;
    private int poolLength;
    private int count;

    private ValueInfo fixed;
    private long obis;
    private boolean hasObis;
    private int tag;
    private long raw;
    /** Where a string, date or time value's bytes are: in the reader's buffer, or (notification date-time) elsewhere. */
    private byte[] bytesFrom;
    private int bytesAt;
    private int bytesLength;
    /** Length of a string without tolerated NUL padding. */
    private int textLength;
    private int scaler;
    private boolean hasScaler;
    private int unitCode;
    private int valueAt;
    /** Element counts still to read per nesting level of a structured value; grown to the deepest asked for. */
    private int[] pending = new int[3];

    /** @param poolCapacity the most bytes the strings, dates and times of one reading take together */
    public ReadingBuilder(ValueTable table, ValueInfo[] directory, int capacity, int poolCapacity, boolean trimNul) {
        this.table = table;
        this.directory = directory;
        this.trimNul = trimNul;
        this.capacity = capacity;
        this.longs = new long[2 * capacity];
        this.ints = new int[4 * capacity];
        this.pool = new byte[poolCapacity];
    }

    void reset() {
        count = 0; // what the last reading left in the arrays is overwritten, never read
        poolLength = 0;
    }

    /** Starts a group whose OBIS code comes from the telegram. */
    public void begin() {
        fixed = null;
        hasObis = false;
        tag = -1;
        bytesLength = 0;
        hasScaler = false;
        unitCode = -1;
    }

    /** Starts a group whose OBIS code (and name) the spec fixes. */
    public void begin(ValueInfo info) {
        begin();
        fixed = info;
        obis = info.obis();
        hasObis = true;
    }

    public void obis(long code) {
        if (fixed == null) {
            obis = code;
            hasObis = true;
        }
    }

    /**
     * Reads one value whose tag is in {@code typeMask}; strings and bit-strings may hold at most
     * {@code maxLength} bytes (bits).
     */
    public void value(AxdrReader in, int typeMask, int maxLength) throws DecodeException {
        int at = in.position();
        int t = in.u8();
        // bit 31 is the DATETIME_OCTETS flag, never a tag's
        if (t >= 31 || (typeMask & (1 << t)) == 0) {
            throw in.errorAt(ErrorCode.BODY_TYPE, at);
        }
        valueAt = at;
        tag = t;
        bytesLength = 0;
        // numbers are most of what meters send: kept small, so the compiler inlines it
        if (Axdr.fixedSize(t) >= 0 && t != Axdr.DATE_TIME && t != Axdr.DATE && t != Axdr.TIME) {
            raw = in.fixedNumber(t);
            return;
        }
        bytes(in, t, typeMask, maxLength, at);
    }

    /** A value with bytes: a string, a bit-string, a date, a time or a date-time. */
    private void bytes(AxdrReader in, int t, int typeMask, int maxLength, int at) throws DecodeException {
        raw = 0;
        if (t == Axdr.DATE_TIME || t == Axdr.DATE || t == Axdr.TIME) {
            int size = Axdr.fixedSize(t);
            in.require(size);
            bytesFrom = in.buffer();
            bytesAt = in.position();
            bytesLength = size;
            in.advance(size);
        } else if (t == Axdr.BIT_STRING) {
            int n = in.length();
            if (n > maxLength) {
                throw in.errorAt(ErrorCode.BODY_LENGTH, at);
            }
            raw = n;
            int length = (n + 7) / 8;
            in.require(length);
            bytesFrom = in.buffer();
            bytesAt = in.position();
            bytesLength = length;
            in.advance(length);
        } else {
            int n = in.length();
            int contentAt = in.position();
            in.require(n);
            int keep = trimNul ? textLength(in.buffer(), contentAt, n) : n;
            if (keep > maxLength) {
                throw in.errorAt(ErrorCode.BODY_LENGTH, at);
            }
            if ((typeMask & DATETIME_OCTETS) != 0 && t == Axdr.OCTET_STRING) {
                if (n != 12) {
                    throw in.errorAt(ErrorCode.BODY_LENGTH, at);
                }
                tag = Axdr.DATE_TIME;
                keep = n;
            }
            bytesFrom = in.buffer();
            bytesAt = contentAt;
            bytesLength = n;
            textLength = keep;
            in.advance(n);
        }
    }

    /**
     * Length of a string without its NUL padding: text followed only by NULs. Binary content
     * (anything unprintable before the padding) keeps its length.
     */
    private static int textLength(byte[] b, int off, int n) {
        int keep = n;
        while (keep > 0 && b[off + keep - 1] == 0) {
            keep--;
        }
        return keep < n && Json.printable(b, off, keep) ? keep : n;
    }

    /** Reads a scaler-unit structure: {@code 02 02 0F <scaler> 16 <unit>}. */
    public void scalerUnit(AxdrReader in) throws DecodeException {
        int at = in.position();
        in.require(6);
        byte[] b = in.buffer();
        if (b[at] != Axdr.STRUCTURE || b[at + 1] != 2 || b[at + 2] != Axdr.INT8 || b[at + 4] != Axdr.ENUM) {
            throw in.errorAt(ErrorCode.BODY_SCALER_UNIT, at);
        }
        scaler = b[at + 3];
        hasScaler = true;
        unitCode = b[at + 5] & 0xFF;
        in.advance(6);
    }

    /** Ends the group: checks the spec's type for the code and appends the value. */
    public void end(AxdrReader in) throws DecodeException {
        if (tag < 0 || !hasObis) {
            return;
        }
        ValueInfo info = fixed != null ? fixed : table.lookup(obis);
        if (info != null && info.typeMask() != 0 && !Axdr.accepts(info.typeMask(), tag)) {
            throw in.errorAt(ErrorCode.BODY_TYPE, valueAt);
        }
        if (count == capacity) {
            throw in.errorAt(ErrorCode.BODY_TOO_MANY_VALUES, valueAt);
        }
        int length = bytesLength;
        if (Axdr.accepts(Axdr.STRINGS, tag) && textLength < length) {
            Format format = info == null ? Format.AUTO : info.format();
            if (format == Format.AUTO || format == Format.TEXT) {
                length = textLength; // NUL padding of text, tolerated by the spec
            }
        }
        if (poolLength + length > pool.length) {
            throw in.errorAt(ErrorCode.BODY_LENGTH, valueAt);
        }
        int s = hasScaler ? scaler : info != null && info.hasScaler() ? info.scaler() : 0;
        add(obis, info == null ? -1 : info.id(), tag, raw, s, unitCode, length);
    }

    /** Appends a value; its {@code length} bytes are copied from where {@code value} found them. */
    private void add(long code, int info, int tag, long content, int scaler, int unit, int length) {
        int i = count++;
        longs[2 * i] = code;
        longs[2 * i + 1] = content;
        ints[4 * i] = info;
        ints[4 * i + 1] = Reading.pack(tag, scaler, unit);
        ints[4 * i + 2] = poolLength;
        ints[4 * i + 3] = length;
        if (length > 0) {
            System.arraycopy(bytesFrom, bytesAt, pool, poolLength, length);
            poolLength += length;
        }
    }

    /**
     * Reads a structured value, an array or structure whose tag is in {@code typeMask}, and
     * appends each of its scalar leaves in order as a value of the group, as {@link #end} would
     * (the code must be known by now); no recursion. Containers nest at most {@code maxDepth}
     * levels, the value's own included; at most {@code maxLeaves} leaves. The group ends with
     * nothing more to append.
     */
    public void leaves(AxdrReader in, int typeMask, int maxLength, int maxDepth, int maxLeaves) throws DecodeException {
        int at = in.position();
        int t = in.nextTag();
        if ((t != Axdr.STRUCTURE && t != Axdr.ARRAY) || (typeMask & (1 << t)) == 0) {
            throw in.errorAt(ErrorCode.BODY_TYPE, at);
        }
        if (pending.length < maxDepth + 1) {
            pending = new int[maxDepth + 1];
        }
        int level = 0;
        int reported = 0;
        pending[0] = 1;
        while (level >= 0) {
            if (pending[level] == 0) {
                level--;
                continue;
            }
            pending[level]--;
            int next = in.nextTag();
            if (next == Axdr.STRUCTURE || next == Axdr.ARRAY) {
                if (level == maxDepth) {
                    throw in.error(ErrorCode.BODY_DEPTH);
                }
                in.u8();
                pending[++level] = in.length();
                continue;
            }
            if (++reported > maxLeaves) {
                throw in.errorAt(ErrorCode.BODY_TOO_MANY_VALUES, at);
            }
            value(in, Axdr.SCALARS, maxLength);
            end(in);
        }
        tag = -1;
    }

    /** A structured value whose OBIS code the spec fixes, with nothing else in its group. */
    public void positionalLeaves(AxdrReader in, ValueInfo info, int typeMask, int maxLength, int maxDepth, int maxLeaves)
            throws DecodeException {
        begin(info);
        leaves(in, typeMask, maxLength, maxDepth, maxLeaves);
    }

    /** A value whose OBIS code the spec fixes, with nothing else in its group. */
    public void positional(AxdrReader in, ValueInfo info, int typeMask, int maxLength) throws DecodeException {
        begin(info);
        value(in, typeMask, maxLength);
        end(in);
    }

    /** Adds the notification's date-time as a value. */
    void dateTime(ValueInfo info, byte[] dateTime) {
        if (count < capacity && poolLength + dateTime.length <= pool.length) {
            bytesFrom = dateTime;
            bytesAt = 0;
            add(info.obis(), info.id(), Axdr.DATE_TIME, 0, 0, -1, dateTime.length);
        }
    }

    /** Hands the values over to a reading: three copies, however many values there are. */
    Reading build(String meter, byte[] systemTitle, long frameCounter, Security security, long invokeId,
                  byte[] notificationTime) {
        return new Reading(meter, systemTitle, frameCounter, security, invokeId, notificationTime, count,
                Arrays.copyOf(longs, 2 * count), Arrays.copyOf(ints, 4 * count), Arrays.copyOf(pool, poolLength),
                directory);
    }
}
