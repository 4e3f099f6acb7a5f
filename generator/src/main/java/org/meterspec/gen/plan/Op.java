package org.meterspec.gen.plan;

import static org.meterspec.gen.plan.Failure.At.CONTAINER;
import static org.meterspec.gen.plan.Failure.At.CURSOR;
import static org.meterspec.gen.plan.Failure.At.ELEMENT;
import static org.meterspec.gen.plan.Failure.At.END;

import java.util.List;
import org.meterspec.model.Loc;
import org.meterspec.runtime.ErrorCode;

/**
 * One operation of a body's decode plan, with every decision made: renderers turn each into code
 * without looking back at the spec. Each carries the spec location it comes from and the errors
 * it raises, with the offset rule of each. Operations inside a structure run with that
 * structure's element count ({@code left}) and tag position ({@code at}).
 */
public sealed interface Op {
    Loc loc();

    /** The errors this operation raises itself (not those of the operations it holds). */
    List<Failure> failures();

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R structure(Structure s);

        R array(Array a);

        R repeat(Repeat r);

        R choice(Choice c);

        R element(Element e);

        R optional(Optional o);

        R groupBegin(GroupBegin g);

        R groupEnd(GroupEnd g);

        R obisField(ObisField o);

        R descriptor(Descriptor d);

        R scalerUnit(ScalerUnit s);

        R groupValue(GroupValue v);

        R positional(Positional p);

        R skip(Skip s);

        R pushObjects(PushObjects p);
    }

    /** The operations an operation holds directly, in order; a choice's alternatives by count, then by tag. */
    static List<Op> children(Op op) {
        return op.accept(CHILDREN);
    }

    /** The operation and every one it holds, in order. */
    static List<Op> all(Op root) {
        List<Op> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<Op> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Op op = todo.pop();
            out.add(op);
            List<Op> children = children(op);
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return out;
    }

    Visitor<List<Op>> CHILDREN = new Visitor<>() {
        @Override
        public List<Op> structure(Structure s) {
            return s.items();
        }

        @Override
        public List<Op> array(Array a) {
            return List.of(a.item());
        }

        @Override
        public List<Op> repeat(Repeat r) {
            return r.items();
        }

        @Override
        public List<Op> choice(Choice c) {
            List<Op> out = new java.util.ArrayList<>();
            c.byCount().forEach(b -> out.add(b.alternative()));
            c.byTag().forEach(b -> out.add(b.alternative()));
            return out;
        }

        @Override
        public List<Op> element(Element e) {
            return List.of(e.item());
        }

        @Override
        public List<Op> optional(Optional o) {
            return List.of(o.element());
        }

        @Override
        public List<Op> groupBegin(GroupBegin g) {
            return List.of();
        }

        @Override
        public List<Op> groupEnd(GroupEnd g) {
            return List.of();
        }

        @Override
        public List<Op> obisField(ObisField o) {
            return List.of();
        }

        @Override
        public List<Op> descriptor(Descriptor d) {
            return List.of();
        }

        @Override
        public List<Op> scalerUnit(ScalerUnit s) {
            return List.of();
        }

        @Override
        public List<Op> groupValue(GroupValue v) {
            return List.of();
        }

        @Override
        public List<Op> positional(Positional p) {
            return List.of();
        }

        @Override
        public List<Op> skip(Skip s) {
            return List.of();
        }

        @Override
        public List<Op> pushObjects(PushObjects p) {
            return List.of();
        }
    };

    /** Errors of reading any element's header: it runs past the APDU, or its length prefix is not one. */
    List<Failure> HEADER = List.of(Failure.of(ErrorCode.BODY_TRUNCATED, END), Failure.of(ErrorCode.BODY_LENGTH, CURSOR));

    /** A structured value's: its own tag, then each leaf's tag, length and room among the values. */
    List<Failure> LEAVES = List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT), Failure.of(ErrorCode.BODY_TYPE, CURSOR),
            Failure.of(ErrorCode.BODY_LENGTH, CURSOR), Failure.of(ErrorCode.BODY_DEPTH, CURSOR),
            Failure.of(ErrorCode.BODY_TOO_MANY_VALUES, ELEMENT), Failure.of(ErrorCode.BODY_TOO_MANY_VALUES, CURSOR),
            HEADER.get(0));

    /**
     * A structure of {@code minCount} to {@code maxCount} elements, read by the items in order;
     * {@code name} names the function that reads it.
     */
    record Structure(Loc loc, String name, long minCount, long maxCount, List<Op> items) implements Op {
        public Structure {
            items = List.copyOf(items);
        }

        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT), Failure.of(ErrorCode.BODY_COUNT, ELEMENT),
                    HEADER.get(0), HEADER.get(1));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.structure(this);
        }
    }

    /** An array of at most {@code max} elements, each read by {@code item}. */
    record Array(Loc loc, String name, int max, Op item) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT), Failure.of(ErrorCode.BODY_COUNT, ELEMENT),
                    HEADER.get(0), HEADER.get(1));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.array(this);
        }
    }

    /**
     * The items again and again, at most {@code max} times, while more than {@code requiredAfter}
     * elements of the structure remain (the elements the items after the repeat need).
     */
    record Repeat(Loc loc, String name, int max, int requiredAfter, List<Op> items) implements Op {
        public Repeat {
            items = List.copyOf(items);
        }

        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_COUNT, CONTAINER));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.repeat(this);
        }
    }

    /**
     * One of several alternatives for the next element: a structure is chosen by its element
     * count, first among {@code byCount}; any other element by its tag, first among {@code byTag}.
     */
    record Choice(Loc loc, String name, List<ByCount> byCount, List<ByTag> byTag) implements Op {
        public Choice {
            byCount = List.copyOf(byCount);
            byTag = List.copyOf(byTag);
        }

        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_COUNT, ELEMENT), Failure.of(ErrorCode.BODY_TYPE, ELEMENT),
                    HEADER.get(0), HEADER.get(1));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.choice(this);
        }
    }

    /** A structure alternative taken when the structure's element count is in {@code [min, max]}. */
    record ByCount(long min, long max, Op alternative) {
    }

    /** An alternative taken when the next element's tag is in {@code tagMask}. */
    record ByTag(int tagMask, Op alternative) {
    }

    /** Takes one element of the structure, then reads it with {@code item}. */
    record Element(Loc loc, Op item) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_COUNT, CONTAINER));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.element(this);
        }
    }

    /**
     * An element that may be absent: taken when more than {@code requiredAfter} elements of the
     * structure remain and the next tag is in {@code lookahead}.
     */
    record Optional(Loc loc, int requiredAfter, int lookahead, Element element) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.optional(this);
        }
    }

    /** Starts a value group: its OBIS code from the telegram, or {@code fixed} by the spec (null: from the telegram). */
    record GroupBegin(Loc loc, ValueEntry fixed) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.groupBegin(this);
        }
    }

    /**
     * Ends a value group: reports its value under its OBIS code, checking the type the spec's entry
     * for the code allows, and that the reading has room.
     */
    record GroupEnd(Loc loc) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT), Failure.of(ErrorCode.BODY_TOO_MANY_VALUES, ELEMENT));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.groupEnd(this);
        }
    }

    /** The group's OBIS code: an octet-string of 6 bytes ({@code 06 09} too with {@code swappedHeader}). */
    record ObisField(Loc loc, boolean swappedHeader) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_OBIS, ELEMENT), HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.obisField(this);
        }
    }

    /** The group's OBIS code from an untagged attribute descriptor: class-id (2), OBIS (6), attribute (1). */
    record Descriptor(Loc loc) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.descriptor(this);
        }
    }

    /** The group's scaler and unit: {@code 02 02 0F scaler 16 unit}. */
    record ScalerUnit(Loc loc) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_SCALER_UNIT, ELEMENT), HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.scalerUnit(this);
        }
    }

    /**
     * The group's value: a tag in {@code typeMask}, strings and bit-strings of at most
     * {@code maxLength} bytes (bits); with {@code dateTimeOctets} a 12-byte octet-string is a date-time.
     * With {@code maxLeaves} above 0 it is structured: a structure or array whose scalar leaves,
     * containers nested at most {@code maxDepth} levels and at most {@code maxLeaves} of them, are
     * each reported as a value of the group, in order.
     */
    record GroupValue(Loc loc, int typeMask, boolean dateTimeOctets, int maxLength, int maxDepth, int maxLeaves)
            implements Op {
        public boolean structured() {
            return maxLeaves > 0;
        }

        @Override
        public List<Failure> failures() {
            return structured() ? LEAVES : List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT),
                    Failure.of(ErrorCode.BODY_LENGTH, ELEMENT), HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.groupValue(this);
        }
    }

    /** A value the spec fixes the code of, in a group of its own: begin, value, end; structured as GroupValue's. */
    record Positional(Loc loc, ValueEntry entry, int typeMask, boolean dateTimeOctets, int maxLength, int maxDepth,
                      int maxLeaves) implements Op {
        public boolean structured() {
            return maxLeaves > 0;
        }

        @Override
        public List<Failure> failures() {
            return structured() ? LEAVES : List.of(Failure.of(ErrorCode.BODY_TYPE, ELEMENT),
                    Failure.of(ErrorCode.BODY_LENGTH, ELEMENT), Failure.of(ErrorCode.BODY_TOO_MANY_VALUES, ELEMENT),
                    HEADER.get(0));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.positional(this);
        }
    }

    /**
     * An element walked and not reported: its tag in {@code typeMask} (0: any scalar or container),
     * containers nested at most {@code depth} levels.
     */
    record Skip(Loc loc, int typeMask, int depth) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_TYPE, CURSOR), Failure.of(ErrorCode.BODY_DEPTH, CURSOR),
                    HEADER.get(0), HEADER.get(1));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.skip(this);
        }
    }

    /**
     * A self-describing push taking the rest of the structure: the object list (at most
     * {@code maxObjects} entries), then one value per further entry under that entry's code;
     * strings of at most {@code maxLength} bytes, structured values walked {@code maxDepth} deep
     * and reported leaf by leaf, at most {@code maxLeaves} per value.
     */
    record PushObjects(Loc loc, int maxObjects, int maxLength, int maxDepth, int maxLeaves) implements Op {
        @Override
        public List<Failure> failures() {
            return List.of(Failure.of(ErrorCode.BODY_COUNT, CONTAINER), Failure.of(ErrorCode.BODY_COUNT, CURSOR),
                    Failure.of(ErrorCode.BODY_TYPE, CURSOR), Failure.of(ErrorCode.BODY_OBIS, CURSOR),
                    Failure.of(ErrorCode.BODY_DEPTH, CURSOR), Failure.of(ErrorCode.BODY_TOO_MANY_VALUES, ELEMENT),
                    HEADER.get(0), HEADER.get(1));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pushObjects(this);
        }
    }
}
