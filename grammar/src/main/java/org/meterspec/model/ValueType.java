package org.meterspec.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.meterspec.runtime.Axdr;

/**
 * A type a spec may name: one A-XDR type, or a family ({@code integer}, {@code number},
 * {@code string}, {@code datetime}, {@code any}). {@code tagMask} has bit {@code t} set for each
 * accepted A-XDR tag; {@code datetime} also accepts a 12-byte octet-string.
 */
public record ValueType(String name, int tagMask, boolean dateTimeOctets) {
    private static final Map<String, ValueType> BY_NAME = new LinkedHashMap<>();

    static {
        for (int tag : new int[] {Axdr.NULL, Axdr.BOOLEAN, Axdr.BIT_STRING, Axdr.INT8, Axdr.INT16, Axdr.INT32,
                Axdr.INT64, Axdr.UINT8, Axdr.UINT16, Axdr.UINT32, Axdr.UINT64, Axdr.ENUM, Axdr.BCD,
                Axdr.FLOAT32, Axdr.FLOAT64, Axdr.OCTET_STRING, Axdr.VISIBLE_STRING, Axdr.UTF8_STRING,
                Axdr.DATE, Axdr.TIME, Axdr.DATE_TIME}) {
            add(new ValueType(Axdr.name(tag), Axdr.bit(tag), false));
        }
        add(new ValueType("integer", Axdr.INTEGERS, false));
        add(new ValueType("number", Axdr.NUMBERS, false));
        add(new ValueType("string", Axdr.STRINGS, false));
        add(new ValueType("datetime", Axdr.bit(Axdr.DATE_TIME) | Axdr.bit(Axdr.OCTET_STRING), true));
        add(new ValueType("any", Axdr.SCALARS, false));
        // containers: only for 'skip'
        add(new ValueType("array", Axdr.bit(Axdr.ARRAY), false));
        add(new ValueType("structure", Axdr.bit(Axdr.STRUCTURE), false));
    }

    public static final ValueType ANY = BY_NAME.get("any");

    private static void add(ValueType t) {
        BY_NAME.put(t.name, t);
    }

    /** The type of that name, or null. */
    public static ValueType named(String name) {
        return BY_NAME.get(name);
    }

    /** A name that names no type, kept for the types pass to report; it accepts nothing. */
    public static ValueType unknown(String name) {
        return new ValueType(name, 0, false);
    }

    public boolean isUnknown() {
        return tagMask == 0;
    }

    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }

    /** Whether this is an array or structure type, which only 'skip' may name. */
    public boolean isContainer() {
        return (tagMask & (Axdr.bit(Axdr.ARRAY) | Axdr.bit(Axdr.STRUCTURE))) != 0;
    }

    public boolean accepts(int tag) {
        return Axdr.accepts(tagMask, tag);
    }

    /** Whether a value of this type may carry a length (strings, bit-strings). */
    public boolean hasLength() {
        return (tagMask & Axdr.VARIABLE) != 0;
    }

    /** Whether every accepted type is an integer or enum (the types a scaler applies to exactly). */
    public boolean isNumeric() {
        return (tagMask & ~Axdr.NUMBERS) == 0;
    }
}
