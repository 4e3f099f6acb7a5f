package org.meterspec.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.meterspec.model.Element;
import org.meterspec.model.Group;
import org.meterspec.model.Limits;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Obis;

/**
 * The body layout: groups name one value each, repeats and push object lists stand where their
 * end is known, every optional item and every {@code one of} can be decided from the next
 * element (LL(1)), lengths are bounded, and nesting is bounded.
 */
final class LayoutPass extends Pass {
    private MeterModel m;

    @Override
    public String name() {
        return "layout";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.BODY, Section.VALUES);
    }

    @Override
    public Set<String> after() {
        return Set.of("types");
    }

    private enum Scope { ROOT, STRUCTURE, REPEAT, ARRAY }

    @Override
    protected void check(MeterModel model) {
        this.m = model;
        Element body = m.body();
        if (body == null) {
            return;
        }
        if (isGroupPart(body)) {
            error(DiagCode.EMPTY_BODY, body.loc(), "the body is one A-XDR element: a structure, an array or a value",
                    "wrap it: body structure { ... }");
            return;
        }
        if (nesting(body) > Limits.MAX_NESTING) {
            return;
        }
        scope(List.of(body), Scope.ROOT, body.loc(), 0);
    }

    /** Reports the first container nested deeper than the limit; returns the deepest nesting found. */
    private int nesting(Element root) {
        record At(Element e, int depth) {
        }
        java.util.ArrayDeque<At> todo = new java.util.ArrayDeque<>();
        todo.push(new At(root, 1));
        int deepest = 0;
        while (!todo.isEmpty()) {
            At at = todo.pop();
            boolean leaf = at.e() instanceof Element.Value || at.e() instanceof Element.Skip || Group.isGroupItem(at.e());
            if (leaf) {
                continue; // a leaf is read where its container is
            }
            deepest = Math.max(deepest, at.depth());
            if (at.depth() > Limits.MAX_NESTING) {
                error(DiagCode.NESTING, at.e().loc(), "the layout nests " + at.depth() + " levels deep here; at most "
                        + Limits.MAX_NESTING + " are allowed", "real meters nest a few levels: flatten the layout");
                return at.depth();
            }
            for (Element child : Element.children(at.e())) {
                todo.push(new At(child, at.depth() + 1));
            }
        }
        return deepest;
    }

    /** Whether the item is part of a group or run, not one A-XDR element of its own. */
    private static boolean isGroupPart(Element e) {
        return e instanceof Element.Repeat || Group.isGroupItem(e);
    }

    /** Checks one list of items that share a group; {@code followMask} is what may come after them. */
    private void scope(List<Element> items, Scope kind, Loc loc, int followMask) {
        int[] counts = new int[3]; // obis fields or descriptors, scaler-units, repeats
        List<Element.Value> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            items.get(i).accept(new Element.Visitor<Void>() {
                @Override
                public Void structure(Element.Structure s) {
                    scope(s.items(), Scope.STRUCTURE, s.loc(), 0);
                    return null;
                }

                @Override
                public Void array(Element.Array a) {
                    scope(List.of(a.item()), Scope.ARRAY, a.loc(), 0);
                    return null;
                }

                @Override
                public Void repeat(Element.Repeat r) {
                    counts[2]++;
                    repeatPlacement(r, items, index, kind, counts[2]);
                    return null;
                }

                @Override
                public Void choice(Element.Choice c) {
                    LayoutPass.this.choice(c);
                    return null;
                }

                @Override
                public Void pushObjects(Element.PushObjects p) {
                    LayoutPass.this.pushObjects(p, kind, index == items.size() - 1, items);
                    return null;
                }

                @Override
                public Void obisField(Element.ObisField o) {
                    counts[0]++;
                    return null;
                }

                @Override
                public Void descriptor(Element.Descriptor d) {
                    counts[0]++;
                    return null;
                }

                @Override
                public Void scalerUnit(Element.ScalerUnit s) {
                    counts[1]++;
                    return null;
                }

                @Override
                public Void value(Element.Value v) {
                    values.add(v);
                    valueBound(v);
                    return null;
                }

                @Override
                public Void skip(Element.Skip s) {
                    skipBound(s);
                    return null;
                }
            });
        }
        optionals(items, kind, followMask);
        group(items, loc, counts[0], counts[1], values);
    }

    private void repeatPlacement(Element.Repeat r, List<Element> items, int i, Scope kind, int repeats) {
        if (kind != Scope.STRUCTURE) {
            error(DiagCode.REPEAT_PLACEMENT, r.loc(), "'repeat' runs inside a structure's elements",
                    kind == Scope.REPEAT ? "a repeat cannot hold another repeat" : "put it inside 'structure { ... }'");
        } else if (repeats > 1) {
            error(DiagCode.REPEAT_PLACEMENT, r.loc(), "a structure may hold one 'repeat'",
                    "a second one makes it ambiguous where the first ends");
        } else {
            for (Element after : items.subList(i + 1, items.size())) {
                if (after.optional()) {
                    error(DiagCode.AMBIGUOUS_OPTIONAL, after.loc(),
                            "an optional item after a 'repeat' makes it ambiguous where the repeat ends");
                }
            }
        }
        if (r.items().isEmpty()) {
            error(DiagCode.EMPTY_BODY, r.loc(), "'repeat' has no items");
        }
        scope(r.items(), Scope.REPEAT, r.loc(), m.firstTags(r.items(), 0, 0) | m.firstTags(items, i + 1, 0));
    }

    /**
     * The group of a scope: an OBIS field or descriptor names the one value without a fixed code; a
     * scaler-unit belongs to that value, or to the only value when every value fixes its code.
     * Other values stand alone, but not between the group's items.
     */
    private void group(List<Element> items, Loc loc, int obisFields, int scalerUnits, List<Element.Value> values) {
        // without an OBIS field, a value named by 'as' and no code is reported by that name alone
        List<Element.Value> unbound = values.stream()
                .filter(v -> v.obis() == null && (obisFields > 0 || v.name() == null)).toList();
        if (obisFields > 1) {
            error(DiagCode.GROUP, loc, "a group names its value once: it has " + obisFields
                    + " obis fields or descriptors");
        }
        if (scalerUnits > 1) {
            error(DiagCode.GROUP, loc, "a group has one scaler_unit; this one has " + scalerUnits);
        }
        if (unbound.size() > 1) {
            error(DiagCode.GROUP, unbound.get(1).loc(), "a group holds one value without an OBIS code; this one holds "
                    + unbound.size(), "wrap each OBIS / value pair in its own structure, or use 'repeat'");
            return;
        }
        if (!unbound.isEmpty()) {
            Element.Value value = unbound.get(0);
            if (value.name() != null) {
                error(DiagCode.GROUP, value.loc(), "'as " + value.name() + "' names a value whose OBIS code comes from"
                        + " the telegram; such a value takes its name from the values section",
                        "give the name in 'values', or fix the code: value 1.0.1.8.0.255 as " + value.name());
            }
            if (obisFields == 0) {
                error(DiagCode.NO_OBIS, value.loc(), "value has no OBIS code",
                        "fix it (value 1.0.1.8.0.255), add an 'obis' field to its group, or name a value the"
                                + " meter's documentation gives no code: value as unknown_1");
            }
        } else if (obisFields > 0) {
            error(DiagCode.GROUP, loc, values.size() == 1
                    ? "value fixes OBIS code " + Obis.format(values.get(0).obis()) + " but its group's obis field names it too"
                    : values.isEmpty() ? "this obis field names no value: there is no 'value' beside it"
                    : "this obis field names no value: every value beside it fixes its own OBIS code",
                    values.size() == 1 ? "drop one of them" : "add 'value' for the field to name");
            return;
        } else if (scalerUnits > 0) {
            if (values.size() != 1) {
                error(DiagCode.GROUP, loc, values.isEmpty() ? "this scaler_unit has no value to scale"
                        : "a scaler_unit belongs to one value; there are " + values.size() + " beside it",
                        "wrap the value and its scaler_unit in their own structure");
                return;
            }
        } else {
            return;
        }
        Group g = Group.of(items);
        structuredInGroup(items, g, scalerUnits);
        for (int i = g.first() + 1; i < g.last(); i++) {
            Element e = items.get(i);
            if (e != g.value() && !Element.values(e).isEmpty()) {
                error(DiagCode.GROUP, e.loc(), "a value between the items of a group",
                        "move it before the group's obis field or after its value and scaler_unit");
            }
        }
    }

    /**
     * A structured value's leaves are reported as they are read: its code must be known by then,
     * and no scaler_unit can apply to them.
     */
    private void structuredInGroup(List<Element> items, Group g, int scalerUnits) {
        Element.Value value = g.value();
        if (!value.structured()) {
            return;
        }
        if (scalerUnits > 0) {
            error(DiagCode.GROUP, value.loc(), "a structured value is reported leaf by leaf, and a scaler_unit"
                    + " scales one value", "skip the scaler_unit: skip structure max 6");
        }
        int at = items.indexOf(value);
        for (int i = at + 1; i < items.size(); i++) {
            Element e = items.get(i);
            if (value.codeFromTelegram() && (e instanceof Element.ObisField || e instanceof Element.Descriptor)) {
                error(DiagCode.GROUP, e.loc(), "a structured value's leaves are reported as they are read, so its"
                        + " group's " + (e instanceof Element.ObisField ? "obis field" : "descriptor")
                        + " must come before it", "move it before the value");
            }
        }
    }

    /**
     * Each alternative is a scope of its own; the decoder must be able to tell them apart from the
     * next element's tag, and structures among them by their element count.
     */
    private void choice(Element.Choice ch) {
        List<Element> alternatives = ch.alternatives();
        for (Element alternative : alternatives) {
            if (isGroupPart(alternative)) {
                error(DiagCode.CHOICE, alternative.loc(), "an alternative of 'one of' is one element:"
                        + " a structure, an array, a value or a skip");
                return;
            }
            scope(List.of(alternative), Scope.ARRAY, alternative.loc(), 0);
        }
        for (int i = 0; i < alternatives.size(); i++) {
            for (int j = i + 1; j < alternatives.size(); j++) {
                Element a = alternatives.get(i);
                Element b = alternatives.get(j);
                if (a instanceof Element.Structure sa && b instanceof Element.Structure sb) {
                    long[] ra = sa.elementCounts();
                    long[] rb = sb.elementCounts();
                    if (ra[0] <= rb[1] && rb[0] <= ra[1]) {
                        error(DiagCode.CHOICE, b.loc(), "this structure has " + range(rb) + " elements, and the one at "
                                + a.loc() + " " + range(ra) + ": the element count cannot tell them apart",
                                "alternatives that are structures need element counts that do not overlap");
                    }
                } else if ((m.firstTags(a) & m.firstTags(b)) != 0) {
                    error(DiagCode.CHOICE, b.loc(), "this alternative can start with "
                            + tagNames(m.firstTags(a) & m.firstTags(b)) + ", and so can the one at " + a.loc(),
                            "alternatives must differ in type, or be structures with different element counts");
                }
            }
        }
    }

    /**
     * A push object list takes the rest of its structure: it is a structure's last item, in a
     * structure without a repeat, and its values are plain values named by the list.
     */
    private void pushObjects(Element.PushObjects push, Scope kind, boolean last, List<Element> siblings) {
        if (kind != Scope.STRUCTURE || !last || siblings.stream().anyMatch(s -> s instanceof Element.Repeat)) {
            error(DiagCode.PUSH_OBJECTS, push.loc(), "'push_objects' takes the rest of its structure: it must be"
                    + " the structure's last item, in a structure without 'repeat'");
        }
        if (!(push.value() instanceof Element.Value v) || v.obis() != null || v.name() != null || v.optional()) {
            error(DiagCode.PUSH_OBJECTS, push.value().loc(), "the element of 'push_objects' describes each listed"
                    + " object's value: a plain 'value' without OBIS code, name or '?'",
                    "for example: push_objects max 32 { value max 32 }");
            return;
        }
        if (v.structured() || v.leaves() != null) {
            error(DiagCode.PUSH_OBJECTS, v.loc(), "a push reports its structured values leaf by leaf already, at most "
                    + Limits.DEFAULT_LEAVES + " leaves each: its 'value' describes the leaves",
                    "drop '" + (v.leaves() != null ? "leaves " + v.leaves() : v.type().name()) + "'");
            return;
        }
        valueBound(v);
    }

    private static String range(long[] r) {
        return r[0] == r[1] ? "exactly " + r[0] : r[0] + " to " + r[1];
    }

    /**
     * An optional item is taken when the next element's tag can start it; that must not also
     * start whatever may follow it.
     */
    private void optionals(List<Element> items, Scope kind, int followMask) {
        for (int i = 0; i < items.size(); i++) {
            Element e = items.get(i);
            if (!e.optional()) {
                continue;
            }
            boolean trailingRun = items.subList(i + 1, items.size()).stream().allMatch(Element::optional);
            if (trailingRun && kind == Scope.STRUCTURE) {
                continue; // the structure's element count decides, in order
            }
            int follow = m.firstTags(items, i + 1, followMask);
            int mine = m.firstTags(e);
            if ((mine & follow) != 0) {
                error(DiagCode.AMBIGUOUS_OPTIONAL, e.loc(), "optional item can start with "
                        + tagNames(mine & follow) + ", and so can what follows it",
                        "give the optional item or its successor a type that tells them apart");
            }
        }
    }

    static String tagNames(int mask) {
        if (mask == MeterModel.ANY_TAG) {
            return "any byte";
        }
        List<String> names = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            if (Axdr.accepts(mask, t)) {
                names.add(Axdr.name(t));
            }
        }
        return String.join(" or ", names);
    }

    private void valueBound(Element.Value v) {
        ValueType t = m.typeOf(v);
        if (v.structured()) {
            // its leaves are any scalars, strings among them
            if (v.max() == null) {
                error(DiagCode.UNBOUNDED, v.loc(), "a structured value's leaves can be strings, which need a length"
                        + " bound", "add 'max N', the most bytes a leaf may hold (bits for bit_string)");
            }
            return;
        }
        if (v.leaves() != null) {
            error(DiagCode.UNBOUNDED, v.loc(), "'leaves' bounds a structured value, and this value is " + t.name(),
                    "drop 'leaves " + v.leaves() + "', or say 'value structure' or 'value array'");
        }
        boolean strings = t.hasLength() && !(t.dateTimeOctets() && (t.tagMask() & Axdr.VARIABLE) == Axdr.bit(Axdr.OCTET_STRING));
        if (strings && v.max() == null) {
            error(DiagCode.UNBOUNDED, v.loc(), "value can be " + (t.name().equals("any") ? "a string" : t.name())
                    + ", which needs a length bound", "add 'max N', the most bytes it may hold (bits for bit_string)");
        }
        if (!strings && v.max() != null) {
            error(DiagCode.UNBOUNDED, v.loc(), "'max' bounds strings and bit-strings, and this value is "
                    + t.name(), "drop 'max " + v.max() + "'");
        }
    }

    private void skipBound(Element.Skip s) {
        boolean fixed = s.type() != null && Sizing.fixedSize(s.type()) >= 0;
        if (!fixed && s.max() == null) {
            error(DiagCode.UNBOUNDED, s.loc(), "'skip' of an element without a fixed size needs a bound",
                    "add 'max N', the most bytes the element may take");
        }
    }
}
