package org.meterspec.gen.plan;

import java.util.List;

/**
 * Every value entry a decoder uses, indexed by id: the values table, then the body's own names,
 * then the patterns a code the table does not hold is matched against, in order.
 */
public record ValueDirectory(List<ValueEntry> entries) {
    public ValueDirectory {
        entries = List.copyOf(entries);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id() != i) {
                throw new IllegalArgumentException("directory ids must number the entries: " + entries.get(i));
            }
        }
    }

    /** The entries looked up by OBIS code, sorted by it. */
    public List<ValueEntry> table() {
        return entries.stream().filter(ValueEntry::inTable).toList();
    }

    /** The entries the body names itself, beyond the table. */
    public List<ValueEntry> extras() {
        return entries.stream().filter(e -> !e.inTable() && !e.isPattern()).toList();
    }

    /** The patterns, in the order a code is matched against them; they follow every other entry. */
    public List<ValueEntry> patterns() {
        return entries.stream().filter(ValueEntry::isPattern).toList();
    }

    public int size() {
        return entries.size();
    }
}
