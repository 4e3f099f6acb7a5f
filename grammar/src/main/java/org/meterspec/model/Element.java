package org.meterspec.model;

import java.util.List;

/** One item of a body layout: the shape of an A-XDR element and what it contributes to a reading. */
public sealed interface Element {
    Loc loc();

    /** Whether the item may be absent: an optional value or scaler-unit. */
    static boolean isOptional(Element e) {
        return e instanceof ScalerUnit s && s.optional() || e instanceof Value v && v.optional();
    }

    /** Elements the items take of their structure's count at least: all but optional items and repeats. */
    static int minElements(List<Element> items) {
        int n = 0;
        for (Element e : items) {
            if (!isOptional(e) && !(e instanceof Repeat)) {
                n++;
            }
        }
        return n;
    }

    /** Elements the items take of their structure's count at most. */
    static long maxElements(List<Element> items) {
        long n = 0;
        for (Element e : items) {
            n += e instanceof Repeat r ? r.max() * maxElements(r.items()) : e instanceof PushObjects p ? p.max() : 1;
        }
        return n;
    }

    /** An A-XDR structure holding the items in order. */
    record Structure(Loc loc, List<Element> items) implements Element {
        public Structure {
            items = List.copyOf(items);
        }

        /** The fewest and most elements the structure may hold. */
        public long[] elementCounts() {
            return new long[] {minElements(items), maxElements(items)};
        }
    }

    /** An A-XDR array of at most {@code max} elements of one shape. */
    record Array(Loc loc, int max, Element item) implements Element {
    }

    /**
     * A run of items repeated inside the enclosing structure, as long as more elements remain than
     * the items after it need; at most {@code max} times.
     */
    record Repeat(Loc loc, int max, List<Element> items) implements Element {
        public Repeat {
            items = List.copyOf(items);
        }
    }

    /**
     * One of several shapes, chosen by the next element's tag and, between structures, by their
     * element count.
     */
    record Choice(Loc loc, List<Element> alternatives) implements Element {
        public Choice {
            alternatives = List.copyOf(alternatives);
        }
    }

    /**
     * A self-describing push: the push setup's object list (at most {@code max} entries, the first
     * being the push setup itself), then the rest of the structure's elements, one value per
     * further entry, each reported under that entry's OBIS code.
     */
    record PushObjects(Loc loc, int max, Element value) implements Element {
    }

    /** An octet-string of 6 bytes naming the OBIS code of its group's value. */
    record ObisField(Loc loc) implements Element {
    }

    /** An untagged attribute descriptor (class-id, OBIS code, attribute index) naming its group's value. */
    record Descriptor(Loc loc) implements Element {
    }

    /** A structure of scaler (int8) and unit (enum) for its group's value. */
    record ScalerUnit(Loc loc, boolean optional) implements Element {
    }

    /**
     * A reported value. With {@code obis} the spec fixes its code (a positional value); without,
     * the group's OBIS field or descriptor names it. {@code max} bounds strings and bit-strings.
     */
    record Value(Loc loc, Long obis, String name, ValueType type, Integer max, boolean optional) implements Element {
    }

    /** An element that is checked and walked but not reported; {@code max} bounds its encoded size. */
    record Skip(Loc loc, ValueType type, Integer max) implements Element {
    }
}
