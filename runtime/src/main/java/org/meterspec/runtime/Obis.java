package org.meterspec.runtime;

/** OBIS codes packed big-endian into the low 48 bits of a long: A is the top byte. */
public final class Obis {
    private Obis() {
    }

    /**
     * The code of a value the telegram places but does not name, and its spec names without an
     * OBIS code (outside the 48 bits a code has): it is reported by name alone.
     */
    public static final long NONE = -1L;

    public static long pack(int a, int b, int c, int d, int e, int f) {
        return ((long) (a & 0xFF) << 40) | ((long) (b & 0xFF) << 32) | ((long) (c & 0xFF) << 24)
                | ((long) (d & 0xFF) << 16) | ((long) (e & 0xFF) << 8) | (f & 0xFF);
    }

    public static long read(byte[] buf, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return v;
    }

    public static int group(long obis, int index) {
        return (int) (obis >>> (8 * (5 - index))) & 0xFF;
    }

    /** The dotted form {@code A.B.C.D.E.F}; {@code (no code)} for {@link #NONE}. */
    public static String format(long obis) {
        if (obis == NONE) {
            return "(no code)";
        }
        StringBuilder sb = new StringBuilder(24);
        appendTo(sb, obis);
        return sb.toString();
    }

    /** The dotted form with {@code *} for each group whose bit is set in {@code wildcards} (A = bit 0). */
    public static String format(long obis, int wildcards) {
        if (wildcards == 0) {
            return format(obis);
        }
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append('.');
            }
            if ((wildcards & (1 << i)) != 0) {
                sb.append('*');
            } else {
                sb.append(group(obis, i));
            }
        }
        return sb.toString();
    }

    /** The bits of the groups a pattern fixes: a code matches when {@code (code & mask) == pattern}. */
    public static long mask(int wildcards) {
        long mask = 0;
        for (int i = 0; i < 6; i++) {
            if ((wildcards & (1 << i)) == 0) {
                mask |= 0xFFL << (8 * (5 - i));
            }
        }
        return mask;
    }

    public static void appendTo(StringBuilder sb, long obis) {
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(group(obis, i));
        }
    }

    /**
     * Parses {@code A.B.C.D.E.F} and the IEC form {@code A-B:C.D.E*F} (also with F omitted, meaning 255).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static long parse(String text) {
        int[] groups = new int[6];
        int n = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : '.';
            if (ch >= '0' && ch <= '9') {
                value = (value < 0 ? 0 : value * 10) + (ch - '0');
                if (value > 255) {
                    throw new IllegalArgumentException("OBIS group " + (n + 1) + " of '" + text + "' is over 255");
                }
            } else if (ch == '.' || ch == '-' || ch == ':' || ch == '*') {
                if (value < 0 || n == 6) {
                    throw new IllegalArgumentException("'" + text + "' is not an OBIS code (A.B.C.D.E.F)");
                }
                groups[n++] = value;
                value = -1;
            } else {
                throw new IllegalArgumentException("'" + text + "' is not an OBIS code: unexpected '" + ch + "'");
            }
        }
        if (n == 5) {
            groups[n++] = 255;
        }
        if (n != 6) {
            throw new IllegalArgumentException("'" + text + "' is not an OBIS code: it needs six groups A.B.C.D.E.F");
        }
        return pack(groups[0], groups[1], groups[2], groups[3], groups[4], groups[5]);
    }
}
