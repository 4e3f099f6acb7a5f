package org.meterspec.runtime;

import java.util.Arrays;

/** The spec's OBIS codes, sorted for an allocation-free binary search. */
public final class ValueTable {
    private final long[] codes;
    private final ValueInfo[] infos;

    /** @param infos sorted by OBIS code, no duplicates */
    public ValueTable(ValueInfo... infos) {
        this.infos = infos.clone();
        this.codes = new long[infos.length];
        for (int i = 0; i < infos.length; i++) {
            codes[i] = infos[i].obis();
            if (i > 0 && codes[i] <= codes[i - 1]) {
                throw new IllegalArgumentException("value table not sorted at " + Obis.format(codes[i]));
            }
        }
    }

    /** The entry for {@code obis}, or null when the spec does not name it. */
    public ValueInfo lookup(long obis) {
        int i = Arrays.binarySearch(codes, obis);
        return i >= 0 ? infos[i] : null;
    }

    public int size() {
        return infos.length;
    }
}
