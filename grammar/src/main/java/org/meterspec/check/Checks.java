package org.meterspec.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meterspec.model.Bounds;
import org.meterspec.model.Element;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.Limits;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Presence;
import org.meterspec.model.SecuritySpec;
import org.meterspec.model.Transport;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Tolerance;
import org.meterspec.runtime.Units;

/**
 * The validation passes, in order: names, types and units, body layout, security, bounds,
 * examples. Each adds what it finds to the diagnostics; {@link #run} returns the bounds the
 * generators size their buffers from.
 */
public final class Checks {

    private final MeterModel m;
    private final Diagnostics d;

    private Checks(MeterModel m, Diagnostics d) {
        this.m = m;
        this.d = d;
    }

    public static Bounds run(MeterModel model, Diagnostics diagnostics) {
        Checks c = new Checks(model, diagnostics);
        c.names();
        c.types();
        c.layout();
        c.security();
        Bounds bounds = c.bounds();
        c.examples();
        return bounds;
    }

    // ---- names -------------------------------------------------------------------------------

    private void names() {
        Map<String, ValueSpec> byName = new HashMap<>();
        List<ValueSpec> inSourceOrder = new ArrayList<>(m.values().values());
        // imported definitions come before the meter's own
        inSourceOrder.sort(java.util.Comparator.comparing((ValueSpec v) -> v.loc().file().equals(m.file()))
                .thenComparing(v -> v.loc().file()).thenComparingInt(v -> v.loc().line())
                .thenComparingInt(v -> v.loc().column()));
        for (ValueSpec v : inSourceOrder) {
            ValueSpec other = byName.putIfAbsent(v.name(), v);
            if (other != null) {
                d.error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                        + Obis.format(other.obis()) + " at " + other.loc(), "give each value its own name");
            }
        }
        Map<String, Element.Value> positional = new HashMap<>();
        for (Element.Value v : values(m.body())) {
            if (v.obis() == null) {
                continue;
            }
            ValueSpec entry = m.values().get(v.obis());
            if (v.name() != null) {
                ValueSpec clash = byName.get(v.name());
                if (clash != null && clash.obis() != v.obis()) {
                    d.error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                            + Obis.format(clash.obis()) + " at " + clash.loc());
                }
                Element.Value other = positional.putIfAbsent(v.name(), v);
                if (other != null) {
                    d.error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used at " + other.loc());
                }
            } else if (entry == null) {
                d.error(DiagCode.UNNAMED_VALUE, v.loc(), "value " + Obis.format(v.obis()) + " has no name",
                        "add '" + Obis.format(v.obis()) + " <name>' to the values section, or write 'as <name>'");
            }
        }
        Long dt = m.notification().dateTimeObis();
        if (dt != null && !m.values().containsKey(dt)) {
            d.error(DiagCode.DATETIME_REPORT, m.notification().loc(), "the notification date-time is reported as "
                    + Obis.format(dt) + ", which has no name", "add '" + Obis.format(dt) + " clock datetime' to the values section");
        }
        if (dt != null && m.notification().dateTime() == Presence.ABSENT) {
            d.error(DiagCode.DATETIME_REPORT, m.notification().loc(), "an absent date-time cannot be reported",
                    "drop 'as " + Obis.format(dt) + "' or make the date-time optional");
        }
    }

    // ---- types and units ---------------------------------------------------------------------

    private void types() {
        for (ValueSpec v : m.values().values()) {
            if (v.format() != Format.AUTO && v.type() != null && (v.type().tagMask() & Axdr.STRINGS) == 0) {
                d.error(DiagCode.FORMAT_MISMATCH, v.loc(), "format '" + v.format().name().toLowerCase()
                        + "' applies to strings, but " + Obis.format(v.obis()) + " is " + v.type().name());
            }
            if (v.scaler() != null && v.type() != null && !v.type().isNumeric()) {
                d.error(DiagCode.FORMAT_MISMATCH, v.loc(), "a scaler applies to numbers, but " + Obis.format(v.obis())
                        + " is " + v.type().name());
            }
        }
        for (Element.Value v : values(m.body())) {
            ValueSpec entry = v.obis() == null ? null : m.values().get(v.obis());
            if (entry != null && entry.type() != null && v.type() != null
                    && (entry.type().tagMask() & v.type().tagMask()) == 0) {
                d.error(DiagCode.TYPE_CONFLICT, v.loc(), "value " + Obis.format(v.obis()) + " is " + v.type().name()
                        + " here but " + entry.type().name() + " at " + entry.loc());
            }
        }
    }

    // ---- layout ------------------------------------------------------------------------------

    private enum Scope { ROOT, STRUCTURE, REPEAT, ARRAY }

    private void layout() {
        Element body = m.body();
        if (body == null) {
            return;
        }
        if (isGroupPart(body)) {
            d.error(DiagCode.EMPTY_BODY, body.loc(), "the body is one A-XDR element: a structure, an array or a value",
                    "wrap it: body structure { ... }");
            return;
        }
        scope(List.of(body), Scope.ROOT, body.loc(), 0);
    }

    /** Whether the item is part of a group or run, not one A-XDR element of its own. */
    private static boolean isGroupPart(Element e) {
        return e instanceof Element.Repeat || e instanceof Element.ObisField || e instanceof Element.ScalerUnit
                || e instanceof Element.Descriptor;
    }

    /** Checks one list of items that share a group; {@code follow} is what may come after them. */
    private void scope(List<Element> items, Scope kind, Loc loc, int followMask) {
        int obisFields = 0;
        int scalerUnits = 0;
        List<Element.Value> values = new ArrayList<>();
        int repeats = 0;
        for (int i = 0; i < items.size(); i++) {
            Element e = items.get(i);
            if (e instanceof Element.ObisField || e instanceof Element.Descriptor) {
                obisFields++;
            } else if (e instanceof Element.ScalerUnit) {
                scalerUnits++;
            } else if (e instanceof Element.Value v) {
                values.add(v);
                valueBound(v);
            } else if (e instanceof Element.Skip s) {
                skipBound(s);
            } else if (e instanceof Element.Structure s) {
                scope(s.items(), Scope.STRUCTURE, s.loc(), 0);
            } else if (e instanceof Element.Array a) {
                scope(List.of(a.item()), Scope.ARRAY, a.loc(), 0);
            } else if (e instanceof Element.Choice ch) {
                choice(ch);
            } else if (e instanceof Element.PushObjects push) {
                pushObjects(push, kind, i == items.size() - 1, items);
            } else if (e instanceof Element.Repeat r) {
                repeats++;
                if (kind != Scope.STRUCTURE) {
                    d.error(DiagCode.REPEAT_PLACEMENT, r.loc(), "'repeat' runs inside a structure's elements",
                            kind == Scope.REPEAT ? "a repeat cannot hold another repeat" : "put it inside 'structure { ... }'");
                } else if (repeats > 1) {
                    d.error(DiagCode.REPEAT_PLACEMENT, r.loc(), "a structure may hold one 'repeat'",
                            "a second one makes it ambiguous where the first ends");
                } else {
                    for (Element after : items.subList(i + 1, items.size())) {
                        if (Element.isOptional(after)) {
                            d.error(DiagCode.AMBIGUOUS_OPTIONAL, after.loc(),
                                    "an optional item after a 'repeat' makes it ambiguous where the repeat ends");
                        }
                    }
                }
                if (r.items().isEmpty()) {
                    d.error(DiagCode.EMPTY_BODY, r.loc(), "'repeat' has no items");
                }
                scope(r.items(), Scope.REPEAT, r.loc(), m.firstTags(r.items(), 0, 0) | m.firstTags(items, i + 1, 0));
            }
        }
        optionals(items, kind, followMask);
        group(items, loc, obisFields, scalerUnits, values);
    }

    /**
     * The group of a scope: an OBIS field or descriptor names the one value without a fixed code; a
     * scaler-unit belongs to that value, or to the only value when every value fixes its code.
     * Other values stand alone, but not between the group's items.
     */
    private void group(List<Element> items, Loc loc, int obisFields, int scalerUnits, List<Element.Value> values) {
        List<Element.Value> unbound = values.stream().filter(v -> v.obis() == null).toList();
        if (obisFields > 1) {
            d.error(DiagCode.GROUP, loc, "a group names its value once: it has " + obisFields
                    + " obis fields or descriptors");
        }
        if (scalerUnits > 1) {
            d.error(DiagCode.GROUP, loc, "a group has one scaler_unit; this one has " + scalerUnits);
        }
        if (unbound.size() > 1) {
            d.error(DiagCode.GROUP, unbound.get(1).loc(), "a group holds one value without an OBIS code; this one holds "
                    + unbound.size(), "wrap each OBIS / value pair in its own structure, or use 'repeat'");
            return;
        }
        Element.Value value;
        if (!unbound.isEmpty()) {
            value = unbound.get(0);
            if (value.name() != null) {
                d.error(DiagCode.GROUP, value.loc(), "'as " + value.name() + "' names a value whose OBIS code comes from"
                        + " the telegram; such a value takes its name from the values section",
                        "give the name in 'values', or fix the code: value 1.0.1.8.0.255 as " + value.name());
            }
            if (obisFields == 0) {
                d.error(DiagCode.NO_OBIS, value.loc(), "value has no OBIS code",
                        "fix it (value 1.0.1.8.0.255) or add an 'obis' field to its group");
            }
        } else if (obisFields > 0) {
            d.error(DiagCode.GROUP, loc, values.size() == 1
                    ? "value fixes OBIS code " + Obis.format(values.get(0).obis()) + " but its group's obis field names it too"
                    : values.isEmpty() ? "this obis field names no value: there is no 'value' beside it"
                    : "this obis field names no value: every value beside it fixes its own OBIS code",
                    values.size() == 1 ? "drop one of them" : "add 'value' for the field to name");
            return;
        } else if (scalerUnits > 0) {
            if (values.size() != 1) {
                d.error(DiagCode.GROUP, loc, values.isEmpty() ? "this scaler_unit has no value to scale"
                        : "a scaler_unit belongs to one value; there are " + values.size() + " beside it",
                        "wrap the value and its scaler_unit in their own structure");
                return;
            }
            value = values.get(0);
        } else {
            return;
        }
        int firstItem = -1;
        int lastItem = -1;
        for (int i = 0; i < items.size(); i++) {
            Element e = items.get(i);
            if (e instanceof Element.ObisField || e instanceof Element.Descriptor || e instanceof Element.ScalerUnit
                    || e == value) {
                firstItem = firstItem < 0 ? i : firstItem;
                lastItem = i;
            }
        }
        for (int i = firstItem + 1; i < lastItem; i++) {
            Element e = items.get(i);
            if (e != value && !values(e).isEmpty()) {
                d.error(DiagCode.GROUP, e.loc(), "a value between the items of a group",
                        "move it before the group's obis field or after its value and scaler_unit");
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
                d.error(DiagCode.CHOICE, alternative.loc(), "an alternative of 'one of' is one element:"
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
                        d.error(DiagCode.CHOICE, b.loc(), "this structure has " + range(rb) + " elements, and the one at "
                                + a.loc() + " " + range(ra) + ": the element count cannot tell them apart",
                                "alternatives that are structures need element counts that do not overlap");
                    }
                } else if ((m.firstTags(a) & m.firstTags(b)) != 0) {
                    d.error(DiagCode.CHOICE, b.loc(), "this alternative can start with "
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
            d.error(DiagCode.PUSH_OBJECTS, push.loc(), "'push_objects' takes the rest of its structure: it must be"
                    + " the structure's last item, in a structure without 'repeat'");
        }
        if (!(push.value() instanceof Element.Value v) || v.obis() != null || v.name() != null || v.optional()) {
            d.error(DiagCode.PUSH_OBJECTS, push.value().loc(), "the element of 'push_objects' describes each listed"
                    + " object's value: a plain 'value' without OBIS code, name or '?'",
                    "for example: push_objects max 32 { value max 32 }");
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
            if (!Element.isOptional(e)) {
                continue;
            }
            boolean trailingRun = items.subList(i + 1, items.size()).stream().allMatch(Element::isOptional);
            if (trailingRun && kind == Scope.STRUCTURE) {
                continue; // the structure's element count decides, in order
            }
            int follow = m.firstTags(items, i + 1, followMask);
            int mine = m.firstTags(e);
            if ((mine & follow) != 0) {
                d.error(DiagCode.AMBIGUOUS_OPTIONAL, e.loc(), "optional item can start with "
                        + tagNames(mine & follow) + ", and so can what follows it",
                        "give the optional item or its successor a type that tells them apart");
            }
        }
    }

    private static String tagNames(int mask) {
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
        if (t.isContainer()) {
            d.error(DiagCode.UNKNOWN_TYPE, v.loc(), "a value is a single A-XDR element, not " + t.name(),
                    "describe its elements with 'structure { ... }' or 'array max N of ...', or 'skip' it");
            return;
        }
        boolean strings = t.hasLength() && !(t.dateTimeOctets() && (t.tagMask() & Axdr.VARIABLE) == Axdr.bit(Axdr.OCTET_STRING));
        if (strings && v.max() == null) {
            d.error(DiagCode.UNBOUNDED, v.loc(), "value can be " + (t.name().equals("any") ? "a string" : t.name())
                    + ", which needs a length bound", "add 'max N', the most bytes it may hold (bits for bit_string)");
        }
        if (!strings && v.max() != null) {
            d.error(DiagCode.UNBOUNDED, v.loc(), "'max' bounds strings and bit-strings, and this value is "
                    + t.name(), "drop 'max " + v.max() + "'");
        }
    }

    private void skipBound(Element.Skip s) {
        boolean fixed = s.type() != null && fixedSize(s.type()) >= 0;
        if (!fixed && s.max() == null) {
            d.error(DiagCode.UNBOUNDED, s.loc(), "'skip' of an element without a fixed size needs a bound",
                    "add 'max N', the most bytes the element may take");
        }
    }

    /** Encoded size (tag included) if every accepted type has the same fixed size, else -1. */
    private static int fixedSize(ValueType t) {
        int size = -2;
        for (int tag = 0; tag < 32; tag++) {
            if (t.accepts(tag)) {
                int s = Axdr.fixedSize(tag);
                if (s < 0 || (size != -2 && s + 1 != size)) {
                    return -1;
                }
                size = s + 1;
            }
        }
        return size < 0 ? -1 : size;
    }

    // ---- security ----------------------------------------------------------------------------

    private void security() {
        SecuritySpec s = m.security();
        if (!s.ciphered() && !s.controls().isEmpty()) {
            d.error(DiagCode.SECURITY_MODE, s.loc(), "security control values are given, but the meter does not cipher",
                    "add 'glo' or 'ded' to the security modes");
        }
        if (!s.ciphered() && s.authenticationRequired()) {
            d.error(DiagCode.SECURITY_MODE, s.loc(), "authentication is required, but the meter does not cipher",
                    "add 'glo' or 'ded' to the security modes");
        }
        boolean anyTag = s.controls().stream().anyMatch(sc -> (sc & 0x10) != 0);
        if (s.ciphered() && s.authenticationRequired() && !anyTag) {
            d.error(DiagCode.SECURITY_CONTROL, s.loc(), "authentication is required, but no accepted security control"
                    + " value has the authentication bit (0x10)", "accept 0x30 or 0x31");
        }
    }

    // ---- bounds ------------------------------------------------------------------------------

    private Bounds bounds() {
        if (m.body() == null || m.transport() == null) {
            return null;
        }
        long body = size(m.body());
        long values = count(m.body()) + (m.notification().dateTimeObis() != null ? 1 : 0);
        int dateTime = m.tolerates(Tolerance.TAGGED_NOTIFICATION_DATETIME) ? 14 : 13;
        long plain = 1 + 4 + dateTime + body;
        if (plain > Limits.MAX_APDU) {
            d.error(DiagCode.BOUND_TOO_LARGE, m.body().loc(), "the body may take up to " + body
                    + " bytes; a decoder holds at most " + Limits.MAX_APDU, "lower the 'max' of repeats, arrays and strings");
            return null;
        }
        long ciphered = 1 + 1 + 8 + lengthSize(5 + plain + 12) + 5 + plain + 12;
        long apdu = Math.max(m.security().plain() ? plain : 0, m.security().ciphered() ? ciphered : 0);
        long telegram = m.notification().maxBlocks() > 0 ? apdu + 9 : apdu;
        Transport t = m.transport();
        int frames = t.maxFrames() != null ? t.maxFrames() : Limits.DEFAULT_MAX_FRAMES;
        return new Bounds((int) plain, (int) apdu, (int) telegram, frames, (int) Math.max(1, values), depth(m.body()));
    }

    private static int lengthSize(long n) {
        return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    }

    /** Most bytes an element may take, encoded. */
    private long size(Element e) {
        if (e instanceof Element.Structure s) {
            long sum = 0;
            for (Element i : s.items()) {
                sum += size(i);
            }
            return 1 + lengthSize(Element.maxElements(s.items())) + sum;
        }
        if (e instanceof Element.Array a) {
            return 1 + lengthSize(a.max()) + (long) a.max() * size(a.item());
        }
        if (e instanceof Element.Repeat r) {
            long sum = 0;
            for (Element i : r.items()) {
                sum += size(i);
            }
            return r.max() * sum;
        }
        if (e instanceof Element.Choice ch) {
            long max = 0;
            for (Element a : ch.alternatives()) {
                max = Math.max(max, size(a));
            }
            return max;
        }
        if (e instanceof Element.PushObjects p) {
            // each entry: structure of class-id, OBIS, attribute, data index, and room for restriction
            // and columns; each value: a scalar, or a structure of a few of them
            long value = size(p.value());
            return 1 + lengthSize(p.max()) + p.max() * (long) Limits.PUSH_ENTRY_SIZE
                    + (p.max() - 1) * (4 + Limits.PUSH_VALUE_LEAVES * value);
        }
        if (e instanceof Element.ObisField) {
            return 8;
        }
        if (e instanceof Element.Descriptor) {
            return 9;
        }
        if (e instanceof Element.ScalerUnit) {
            return 6;
        }
        if (e instanceof Element.Value v) {
            return valueSize(m.typeOf(v), v.max() == null ? 0 : v.max());
        }
        Element.Skip s = (Element.Skip) e;
        return s.type() != null && fixedSize(s.type()) >= 0 ? fixedSize(s.type()) : s.max() == null ? 0 : s.max();
    }

    private static long valueSize(ValueType t, int max) {
        long size = 0;
        for (int tag = 0; tag < 32; tag++) {
            if (!t.accepts(tag)) {
                continue;
            }
            int fixed = Axdr.fixedSize(tag);
            long s;
            if (fixed >= 0) {
                s = 1 + fixed;
            } else if (tag == Axdr.BIT_STRING) {
                s = 1 + lengthSize(max) + (max + 7) / 8;
            } else if (tag == Axdr.OCTET_STRING && t.dateTimeOctets() && max == 0) {
                s = 1 + 1 + 12;
            } else {
                s = 1 + lengthSize(max) + max;
            }
            size = Math.max(size, s);
        }
        return size;
    }

    /** Most values an element may report. */
    private static long count(Element e) {
        if (e instanceof Element.Structure s) {
            return s.items().stream().mapToLong(Checks::count).sum();
        }
        if (e instanceof Element.Repeat r) {
            return r.max() * r.items().stream().mapToLong(Checks::count).sum();
        }
        if (e instanceof Element.Array a) {
            return a.max() * count(a.item());
        }
        if (e instanceof Element.Choice ch) {
            return ch.alternatives().stream().mapToLong(Checks::count).max().orElse(0);
        }
        if (e instanceof Element.PushObjects p) {
            return (long) Math.max(p.max(), (p.max() - 1) * Limits.PUSH_VALUE_LEAVES);
        }
        return e instanceof Element.Value ? 1 : 0;
    }

    private static int depth(Element e) {
        if (e instanceof Element.Structure s) {
            return 1 + s.items().stream().mapToInt(Checks::depth).max().orElse(0);
        }
        if (e instanceof Element.Repeat r) {
            return r.items().stream().mapToInt(Checks::depth).max().orElse(0);
        }
        if (e instanceof Element.Array a) {
            return 1 + depth(a.item());
        }
        if (e instanceof Element.Choice ch) {
            return ch.alternatives().stream().mapToInt(Checks::depth).max().orElse(0);
        }
        if (e instanceof Element.PushObjects) {
            return 2 + Limits.PUSH_VALUE_DEPTH;
        }
        return e instanceof Element.Skip ? Limits.SKIP_DEPTH : 0;
    }

    // ---- examples ----------------------------------------------------------------------------

    private void examples() {
        Set<String> names = new HashSet<>();
        for (ExampleSpec x : m.examples()) {
            if (!names.add(x.name())) {
                ExampleSpec first = m.examples().stream().filter(e -> e.name().equals(x.name())).findFirst().orElseThrow();
                d.error(DiagCode.DUPLICATE_EXAMPLE, x.loc(), "a second example is named '" + x.name()
                        + "'; the first is at " + first.loc());
            }
            if (x.captureFile() == null && x.captureHex() == null) {
                d.error(DiagCode.EXAMPLE_CAPTURE, x.loc(), "example '" + x.name() + "' has no capture",
                        "add 'capture file \"name.hex\"' (next to the spec) or 'capture hex \"68...\"'");
            } else if (x.captureFile() != null) {
                String shown = x.captureFile().toString().replace('\\', '/');
                try {
                    Captures.read(x.captureFile());
                } catch (IOException e) {
                    d.error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "cannot read capture '" + shown + "': "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()),
                            "the path is relative to the spec file");
                } catch (IllegalArgumentException e) {
                    d.error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "capture '" + shown + "' is not hex: "
                            + e.getMessage());
                }
            } else {
                try {
                    Captures.parseHex(x.captureHex());
                } catch (IllegalArgumentException e) {
                    // the strings of 'capture hex' are the text's lines
                    d.error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "capture hex is not hex: "
                            + e.getMessage().replaceFirst("^line (\\d+), column", "string $1, character"));
                }
            }
            try {
                Keys.ofHex(x.key(), x.authKey());
            } catch (IllegalArgumentException e) {
                d.error(DiagCode.EXAMPLE_KEY, x.keyLoc() != null ? x.keyLoc() : x.loc(), e.getMessage());
            }
            if (x.expectations().isEmpty()) {
                d.error(DiagCode.EXAMPLE_EXPECTATION, x.loc(), "example '" + x.name() + "' expects nothing",
                        "add 'expect ok { ... }' or 'expect error <layer> <CODE>' for each telegram in the capture");
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Every value element of the body, in order. */
    static List<Element.Value> values(Element e) {
        List<Element.Value> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Element e, List<Element.Value> out) {
        if (e == null) {
            return;
        }
        if (e instanceof Element.Value v) {
            out.add(v);
        } else if (e instanceof Element.Structure s) {
            s.items().forEach(i -> collect(i, out));
        } else if (e instanceof Element.Repeat r) {
            r.items().forEach(i -> collect(i, out));
        } else if (e instanceof Element.Array a) {
            collect(a.item(), out);
        } else if (e instanceof Element.Choice ch) {
            ch.alternatives().forEach(i -> collect(i, out));
        }
    }
}
