package org.meterspec.gen.plan;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.meterspec.model.Loc;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.BodyStep;
import org.meterspec.runtime.Obis;

/**
 * The steps of a body plan, numbered in plan order: every operation that reads the telegram or can
 * fail (all but the start of a value group), with the spec element it comes from and what it
 * expects, in words. A renderer marks each step where its code begins, so that an error, or a
 * trace, names the element of the spec that was reading.
 */
public final class BodySteps {
    private final Map<Op, Integer> index = new IdentityHashMap<>();
    private final List<BodyStep> steps = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    private BodySteps(Op root) {
        for (Op op : Op.all(root)) {
            if (!(op instanceof Op.GroupBegin)) {
                index.put(op, steps.size());
                ops.add(op);
                steps.add(new BodyStep(at(op.loc()), element(op), expects(op)));
            }
        }
    }

    public static BodySteps of(DecodePlan plan) {
        return new BodySteps(plan.body().root());
    }

    /** The step of {@code op}, or -1 when it is not one. */
    public int of(Op op) {
        Integer i = index.get(op);
        return i == null ? -1 : i;
    }

    /** The operation of step {@code step}. */
    public Op op(int step) {
        return ops.get(step);
    }

    public List<BodyStep> steps() {
        return List.copyOf(steps);
    }

    private static String at(Loc loc) {
        return loc.file() + ":" + loc.line() + ":" + loc.column();
    }

    /** The element in the spec's words. */
    static String element(Op op) {
        return op.accept(ELEMENT);
    }

    /** What the step expects to find, in words. */
    static String expects(Op op) {
        return op.accept(EXPECTS);
    }

    private static final Op.Visitor<String> ELEMENT = new Op.Visitor<>() {
        @Override
        public String structure(Op.Structure s) {
            return "structure";
        }

        @Override
        public String array(Op.Array a) {
            return "array max " + a.max();
        }

        @Override
        public String repeat(Op.Repeat r) {
            return "repeat max " + r.max();
        }

        @Override
        public String choice(Op.Choice c) {
            return "one of";
        }

        @Override
        public String element(Op.Element e) {
            return e.item().accept(this);
        }

        @Override
        public String optional(Op.Optional o) {
            return o.element().accept(this) + "?";
        }

        @Override
        public String groupBegin(Op.GroupBegin g) {
            return "value group";
        }

        @Override
        public String groupEnd(Op.GroupEnd g) {
            return "value group";
        }

        @Override
        public String obisField(Op.ObisField o) {
            return "obis";
        }

        @Override
        public String descriptor(Op.Descriptor d) {
            return "descriptor";
        }

        @Override
        public String scalerUnit(Op.ScalerUnit s) {
            return "scaler_unit";
        }

        @Override
        public String groupValue(Op.GroupValue v) {
            return "value" + types(v.typeMask(), " ") + bounds(v.typeMask(), v.maxLength(), v.maxLeaves());
        }

        @Override
        public String positional(Op.Positional p) {
            return "value " + (p.entry().obis() == Obis.NONE ? "as " + p.entry().name() : Obis.format(p.entry().obis()))
                    + types(p.typeMask(), " ") + bounds(p.typeMask(), p.maxLength(), p.maxLeaves());
        }

        @Override
        public String skip(Op.Skip s) {
            return "skip" + types(s.typeMask(), " ");
        }

        @Override
        public String pushObjects(Op.PushObjects p) {
            return "push_objects";
        }
    };

    private static final Op.Visitor<String> EXPECTS = new Op.Visitor<>() {
        @Override
        public String structure(Op.Structure s) {
            return "a structure (02) of " + count(s.minCount(), s.maxCount());
        }

        @Override
        public String array(Op.Array a) {
            return "an array (01) of at most " + a.max() + (a.max() == 1 ? " element" : " elements");
        }

        @Override
        public String repeat(Op.Repeat r) {
            return "at most " + r.max() + " repetitions, while more than " + r.requiredAfter()
                    + " element(s) of the structure remain";
        }

        @Override
        public String choice(Op.Choice c) {
            return "one of its alternatives: " + alternatives(c);
        }

        @Override
        public String element(Op.Element e) {
            return "one more element of its structure, for " + BodySteps.element(e.item());
        }

        @Override
        public String optional(Op.Optional o) {
            return "nothing, or " + (o.lookahead() == 0 || o.lookahead() == Axdr.SCALARS ? "any element"
                    : "an element of type " + types(o.lookahead(), "")) + " for " + BodySteps.element(o.element());
        }

        @Override
        public String groupBegin(Op.GroupBegin g) {
            return "nothing";
        }

        @Override
        public String groupEnd(Op.GroupEnd g) {
            return "a value of a type the entry for its code allows, and room in the reading";
        }

        @Override
        public String obisField(Op.ObisField o) {
            return "an OBIS code: octet-string of 6 bytes (09 06" + (o.swappedHeader() ? ", or 06 09" : "") + ")";
        }

        @Override
        public String descriptor(Op.Descriptor d) {
            return "an attribute descriptor: class-id (2 bytes), OBIS code (6), attribute (1)";
        }

        @Override
        public String scalerUnit(Op.ScalerUnit s) {
            return "a scaler-unit: structure (02 02) of int8 (0F) and enum (16)";
        }

        @Override
        public String groupValue(Op.GroupValue v) {
            return v.structured() ? leaves(v.typeMask(), v.maxLength(), v.maxDepth(), v.maxLeaves())
                    : values(v.typeMask(), v.maxLength());
        }

        @Override
        public String positional(Op.Positional p) {
            return p.structured() ? leaves(p.typeMask(), p.maxLength(), p.maxDepth(), p.maxLeaves())
                    : values(p.typeMask(), p.maxLength());
        }

        @Override
        public String skip(Op.Skip s) {
            return (s.typeMask() == 0 ? "any element" : "an element of type " + types(s.typeMask(), ""))
                    + ", containers at most " + s.depth() + " deep";
        }

        @Override
        public String pushObjects(Op.PushObjects p) {
            return "a capture-object list (array of at most " + p.maxObjects()
                    + " {class-id, OBIS code, attribute, data index} structures), then one value per entry";
        }
    };

    /** {@code "1 element"}, {@code "2 to 3 elements"}. */
    private static String count(long min, long max) {
        return (min == max ? String.valueOf(min) : min + " to " + max) + (max == 1 ? " element" : " elements");
    }

    private static String alternatives(Op.Choice c) {
        List<String> out = new ArrayList<>();
        for (Op.ByCount b : c.byCount()) {
            out.add("a structure of " + count(b.min(), b.max()));
        }
        for (Op.ByTag b : c.byTag()) {
            out.add(b.tagMask() == 0 || b.tagMask() == Axdr.SCALARS ? "any element" : types(b.tagMask(), ""));
        }
        return String.join("; ", out);
    }

    private static String values(int mask, int maxLength) {
        String types = mask == 0 || mask == Axdr.SCALARS ? "a number or a string" : "a value of type " + types(mask, "");
        return types + (max(mask, maxLength).isEmpty() ? "" : " (strings at most " + maxLength + " bytes)");
    }

    /** What a structured value expects: its container, and what its leaves may be. */
    private static String leaves(int mask, int maxLength, int maxDepth, int maxLeaves) {
        return "a" + (mask == Axdr.bit(Axdr.ARRAY) ? "n array (01)" : " structure (02)") + " of at most " + maxLeaves
                + " numbers or strings (strings at most " + maxLength + " bytes), containers at most " + maxDepth
                + " deep";
    }

    /** A value's bounds as the spec writes them: {@code " leaves 8 max 16"}, {@code " max 32"}. */
    private static String bounds(int mask, int maxLength, int maxLeaves) {
        return maxLeaves > 0 ? " leaves " + maxLeaves + " max " + maxLength : max(mask, maxLength);
    }

    /** Whether values of the mask may be strings or bit-strings, whose length the spec bounds. */
    private static boolean hasLength(int mask) {
        return mask == 0 || (mask & Axdr.VARIABLE) != 0;
    }

    /** {@code " max 32"} where the mask allows a length; a date-time's octet-string has its own. */
    private static String max(int mask, int maxLength) {
        return hasLength(mask) && mask != ValueType.named("datetime").tagMask() ? " max " + maxLength : "";
    }

    /**
     * A mask as the spec names it: a type or family ({@code number}, {@code datetime}), else its
     * tags ({@code "uint16 or uint32"}); empty for any scalar.
     */
    private static String types(int mask, String prefix) {
        if (mask == 0 || mask == Axdr.SCALARS) {
            return "";
        }
        for (String name : ValueType.names()) {
            if (ValueType.named(name).tagMask() == mask) {
                return prefix + name;
            }
        }
        List<String> names = new ArrayList<>();
        for (int tag = 0; tag < 32; tag++) {
            if (Axdr.accepts(mask, tag)) {
                names.add(Axdr.name(tag));
            }
        }
        return prefix + String.join(" or ", names);
    }
}
