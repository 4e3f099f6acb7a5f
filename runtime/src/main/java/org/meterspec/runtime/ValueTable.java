package org.meterspec.runtime;

/**
 * The spec's OBIS codes in an open-addressing hash table: a lookup is a multiply, a shift and
 * usually one comparison, and allocates nothing.
 */
public final class ValueTable {
    private final long[] codes;
    private final ValueInfo[] infos;
    private final ValueInfo[] entries;
    private final int shift;

    /** Entries of patterns, in the order a code is matched against them; and their masks. */
    private final ValueInfo[] patterns;
    private final long[] masks;

    /** @param infos sorted by OBIS code, no duplicates */
    public ValueTable(ValueInfo... infos) {
        this(infos, new ValueInfo[0]);
    }

    /**
     * @param infos sorted by OBIS code, no duplicates
     * @param patterns the entries of patterns, for codes {@code infos} do not hold: the first that matches applies
     */
    public ValueTable(ValueInfo[] infos, ValueInfo[] patterns) {
        this.patterns = patterns.clone();
        this.masks = new long[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            if (!patterns[i].isPattern()) {
                throw new IllegalArgumentException("not a pattern: " + patterns[i]);
            }
            masks[i] = Obis.mask(patterns[i].wildcards());
        }
        this.entries = infos.clone();
        int bits = 1;
        while ((1 << bits) < 2 * infos.length) {
            bits++;
        }
        this.shift = 64 - bits;
        this.codes = new long[1 << bits];
        this.infos = new ValueInfo[1 << bits];
        java.util.Arrays.fill(codes, -1L); // OBIS codes use 48 bits: -1 is never one
        for (int i = 0; i < infos.length; i++) {
            if (i > 0 && infos[i].obis() <= infos[i - 1].obis()) {
                throw new IllegalArgumentException("value table not sorted at " + Obis.format(infos[i].obis()));
            }
            int slot = slot(infos[i].obis());
            while (codes[slot] != -1L) {
                slot = (slot + 1) & (codes.length - 1);
            }
            codes[slot] = infos[i].obis();
            this.infos[slot] = infos[i];
        }
    }

    private int slot(long obis) {
        return (int) ((obis * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The entry for {@code obis}, else the first pattern it matches, or null when the spec says nothing of it. */
    public ValueInfo lookup(long obis) {
        int mask = codes.length - 1;
        for (int slot = slot(obis); ; slot = (slot + 1) & mask) {
            long code = codes[slot];
            if (code == obis) {
                return infos[slot];
            }
            if (code == -1L) {
                break;
            }
        }
        for (int i = 0; i < patterns.length; i++) {
            if ((obis & masks[i]) == patterns[i].obis()) {
                return patterns[i];
            }
        }
        return null;
    }

    public int size() {
        return entries.length;
    }

    /** The entries, sorted by OBIS code. */
    ValueInfo[] entries() {
        return entries.clone();
    }
}
