package org.meterspec.model;

import java.util.List;

/**
 * One item of a body layout: the shape of an A-XDR element and what it contributes to a reading.
 * Walks over a layout are {@link Visitor}s, so a new kind of item does not compile until every
 * walk handles it.
 */
public sealed interface Element {
    Loc loc();

    /** Whether the item may be absent: an optional value or scaler-unit. */
    boolean optional();

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of item. */
    interface Visitor<R> {
        R structure(Structure s);

        R array(Array a);

        R repeat(Repeat r);

        R choice(Choice c);

        R pushObjects(PushObjects p);

        R obisField(ObisField o);

        R descriptor(Descriptor d);

        R scalerUnit(ScalerUnit s);

        R value(Value v);

        R skip(Skip s);
    }

    static boolean isOptional(Element e) {
        return e.optional();
    }

    /** The items an element holds directly. */
    static List<Element> children(Element e) {
        return e.accept(CHILDREN);
    }

    /** The element and everything it holds, in spec order. */
    static List<Element> all(Element root) {
        List<Element> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<Element> todo = new java.util.ArrayDeque<>();
        if (root != null) {
            todo.push(root);
        }
        while (!todo.isEmpty()) {
            Element e = todo.pop();
            out.add(e);
            List<Element> children = children(e);
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return out;
    }

    /** Every value element under {@code root}, in spec order. */
    static List<Value> values(Element root) {
        List<Value> out = new java.util.ArrayList<>();
        for (Element e : all(root)) {
            if (e instanceof Value v) {
                out.add(v);
            }
        }
        return out;
    }

    Visitor<List<Element>> CHILDREN = new Visitor<>() {
        @Override
        public List<Element> structure(Structure s) {
            return s.items();
        }

        @Override
        public List<Element> array(Array a) {
            return List.of(a.item());
        }

        @Override
        public List<Element> repeat(Repeat r) {
            return r.items();
        }

        @Override
        public List<Element> choice(Choice c) {
            return c.alternatives();
        }

        @Override
        public List<Element> pushObjects(PushObjects p) {
            return List.of(p.value());
        }

        @Override
        public List<Element> obisField(ObisField o) {
            return List.of();
        }

        @Override
        public List<Element> descriptor(Descriptor d) {
            return List.of();
        }

        @Override
        public List<Element> scalerUnit(ScalerUnit s) {
            return List.of();
        }

        @Override
        public List<Element> value(Value v) {
            return List.of();
        }

        @Override
        public List<Element> skip(Skip s) {
            return List.of();
        }
    };

    /** Elements the items take of their structure's count at least: all but optional items and repeats. */
    static int minElements(List<Element> items) {
        int n = 0;
        for (Element e : items) {
            n += e.accept(MIN_ELEMENTS);
        }
        return n;
    }

    /** Elements the items take of their structure's count at most (saturating far beyond any count A-XDR can state). */
    static long maxElements(List<Element> items) {
        long n = 0;
        for (Element e : items) {
            n = Math.min(1L << 40, n + e.accept(MAX_ELEMENTS));
        }
        return n;
    }

    /** Elements of its structure an item takes at least. */
    Visitor<Integer> MIN_ELEMENTS = new Visitor<>() {
        @Override
        public Integer structure(Structure s) {
            return 1;
        }

        @Override
        public Integer array(Array a) {
            return 1;
        }

        @Override
        public Integer repeat(Repeat r) {
            return 0;
        }

        @Override
        public Integer choice(Choice c) {
            return 1;
        }

        @Override
        public Integer pushObjects(PushObjects p) {
            return 1;
        }

        @Override
        public Integer obisField(ObisField o) {
            return 1;
        }

        @Override
        public Integer descriptor(Descriptor d) {
            return 1;
        }

        @Override
        public Integer scalerUnit(ScalerUnit s) {
            return s.optional() ? 0 : 1;
        }

        @Override
        public Integer value(Value v) {
            return v.optional() ? 0 : 1;
        }

        @Override
        public Integer skip(Skip s) {
            return 1;
        }
    };

    /** Elements of its structure an item takes at most. */
    Visitor<Long> MAX_ELEMENTS = new Visitor<>() {
        @Override
        public Long structure(Structure s) {
            return 1L;
        }

        @Override
        public Long array(Array a) {
            return 1L;
        }

        @Override
        public Long repeat(Repeat r) {
            return Math.min(1L << 40, r.max() * maxElements(r.items()));
        }

        @Override
        public Long choice(Choice c) {
            return 1L;
        }

        @Override
        public Long pushObjects(PushObjects p) {
            return (long) p.max();
        }

        @Override
        public Long obisField(ObisField o) {
            return 1L;
        }

        @Override
        public Long descriptor(Descriptor d) {
            return 1L;
        }

        @Override
        public Long scalerUnit(ScalerUnit s) {
            return 1L;
        }

        @Override
        public Long value(Value v) {
            return 1L;
        }

        @Override
        public Long skip(Skip s) {
            return 1L;
        }
    };

    /** An A-XDR structure holding the items in order. */
    record Structure(Loc loc, List<Element> items) implements Element {
        public Structure {
            items = List.copyOf(items);
        }

        /** The fewest and most elements the structure may hold. */
        public long[] elementCounts() {
            return new long[] {minElements(items), maxElements(items)};
        }

        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.structure(this);
        }
    }

    /** An A-XDR array of at most {@code max} elements of one shape. */
    record Array(Loc loc, int max, Element item) implements Element {
        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.array(this);
        }
    }

    /**
     * A run of items repeated inside the enclosing structure, as long as more elements remain than
     * the items after it need; at most {@code max} times.
     */
    record Repeat(Loc loc, int max, List<Element> items) implements Element {
        public Repeat {
            items = List.copyOf(items);
        }

        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.repeat(this);
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

        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.choice(this);
        }
    }

    /**
     * A self-describing push: the push setup's object list (at most {@code max} entries, the first
     * being the push setup itself), then the rest of the structure's elements, one value per
     * further entry, each reported under that entry's OBIS code.
     */
    record PushObjects(Loc loc, int max, Element value) implements Element {
        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pushObjects(this);
        }
    }

    /** An octet-string of 6 bytes naming the OBIS code of its group's value. */
    record ObisField(Loc loc) implements Element {
        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.obisField(this);
        }
    }

    /** An untagged attribute descriptor (class-id, OBIS code, attribute index) naming its group's value. */
    record Descriptor(Loc loc) implements Element {
        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.descriptor(this);
        }
    }

    /** A structure of scaler (int8) and unit (enum) for its group's value. */
    record ScalerUnit(Loc loc, boolean optional) implements Element {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.scalerUnit(this);
        }
    }

    /**
     * A reported value. With {@code obis} the spec fixes its code (a positional value); without,
     * the group's OBIS field or descriptor names it, or, with a name and no OBIS field in its
     * list, it has no code and is reported by that name ({@code value as unknown_3 uint16}).
     * {@code max} bounds strings and bit-strings. A value of type {@code structure} or
     * {@code array} is structured: each of its scalar leaves, at most {@code leaves} (null: the
     * default), is reported as a value of its code, in order. The locations say where its name and
     * type are written (null where they are not).
     */
    record Value(Loc loc, Long obis, String name, ValueType type, Integer max, Integer leaves, boolean optional,
                 Loc nameLoc, Loc typeLoc) implements Element {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.value(this);
        }

        /** Whether the telegram names it: its group's OBIS field or descriptor gives its code. */
        public boolean codeFromTelegram() {
            return obis == null && name == null;
        }

        /** Whether it is reported by name alone, with no OBIS code. */
        public boolean uncoded() {
            return obis == null && name != null;
        }

        /** Whether it is a structure or array reported leaf by leaf (only the body's own type says so). */
        public boolean structured() {
            return type != null && type.isContainer();
        }

        /** The most leaves it reports: its bound, or the default. */
        public int maxLeaves() {
            return leaves != null ? leaves : Limits.DEFAULT_LEAVES;
        }
    }

    /** An element that is checked and walked but not reported; {@code max} bounds its encoded size. */
    record Skip(Loc loc, ValueType type, Integer max, Loc typeLoc) implements Element {
        @Override
        public boolean optional() {
            return false;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.skip(this);
        }
    }
}
