package org.meterspec.gen.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meterspec.model.Bounds;
import org.meterspec.model.Element;
import org.meterspec.model.Group;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;
import org.meterspec.model.SecuritySpec;
import org.meterspec.model.ToleranceSpec;
import org.meterspec.model.ValueSpec;
import org.meterspec.runtime.Tolerance;
import org.meterspec.zcl.ZclResolver;
import org.meterspec.zcl.ZclTable;

/**
 * Builds the decode plan of a validated model: allocates the value directory, names the bounds,
 * and turns the body layout into operations, deciding once where each group begins and ends,
 * what each optional item looks ahead for and leaves room for, and how each {@code one of}
 * chooses. The checks have proved these decisions unambiguous.
 */
public final class PlanBuilder {
    private final MeterModel m;
    private final List<ValueEntry> entries = new ArrayList<>();
    private final Map<String, ValueEntry> byKey = new HashMap<>();
    private final Identifiers identifiers = new Identifiers();
    private final boolean swappedObis;
    private int counter;
    private int maxPushObjects;

    private PlanBuilder(MeterModel m) {
        this.m = m;
        this.swappedObis = m.tolerates(Tolerance.SWAPPED_OBIS_HEADER);
    }

    public static DecodePlan build(MeterModel model) {
        if (model.bounds() == null) {
            throw new IllegalArgumentException("the model of " + model.file() + " is not validated");
        }
        return new PlanBuilder(model).plan();
    }

    private DecodePlan plan() {
        for (ValueSpec v : m.values().values()) {
            entry(v.obis(), v.name());
        }
        Op root = m.body() instanceof Element.Structure s ? structure(s, "body") : standalone(m.body());
        Long dt = m.notification().dateTimeObis();
        DecodePlan.Notification notification = new DecodePlan.Notification(m.notification().dateTime(),
                dt == null ? null : entry(dt, m.values().get(dt).name()), m.notification().maxBlocks());
        // patterns last: the ids of every other entry stay what they are without them
        int n = 0;
        for (ValueSpec v : m.patterns()) {
            entries.add(new ValueEntry(entries.size(), v.obis(), null, identifiers.allocate("pattern_" + (++n)), v.unit(),
                    v.scaler(), v.format(), v.type() == null ? 0 : v.type().tagMask(), v.doc(), false, v.loc(),
                    v.wildcards()));
        }
        DecodePlan.Config config = new DecodePlan.Config(transport(), security(), notification, sizes(),
                m.tolerances().stream().map(ToleranceSpec::tolerance).toList());
        return new DecodePlan(m.name(), m.title(), m.file(), m.fingerprint(), config, new ValueDirectory(entries),
                new DecodePlan.Body(m.body().loc(), root), zcl());
    }

    /** The resolved ZigBee mapping; a validated spec's has no problems. */
    private ZclTable zcl() {
        ZclResolver.Result r = ZclResolver.resolve(m);
        if (!r.problems().isEmpty()) {
            throw new IllegalStateException("the ZigBee mapping of " + m.file() + " has problems: " + r.problems());
        }
        if (r.table() != null) {
            for (ZclTable.Endpoint ep : r.table().endpoints()) {
                for (ZclTable.Cluster c : ep.clusters()) {
                    for (ZclTable.Entry e : c.attributes()) {
                        // the runtimes' exact arithmetic relies on these bounds (ZclState, ms_zcl.c)
                        if (e.num().bitLength() > ZCL_FACTOR_BITS || e.den().bitLength() > ZCL_FACTOR_BITS
                                || e.terms().size() > ZclResolver.MAX_TERMS) {
                            throw new IllegalStateException("conversion of " + e.attribute().name() + " out of bounds");
                        }
                    }
                }
            }
        }
        return r.table();
    }

    /** The most bits of a conversion's numerator or denominator. */
    public static final int ZCL_FACTOR_BITS = 35;

    // ---- configuration -----------------------------------------------------------------------

    private DecodePlan.Transport transport() {
        if (m.transport() instanceof org.meterspec.model.Transport.Mbus mb) {
            return new DecodePlan.Transport.Mbus(mb.control(), mb.address(), mb.stsap(), mb.dtsap());
        }
        if (m.transport() instanceof org.meterspec.model.Transport.Hdlc h) {
            return new DecodePlan.Transport.Hdlc(h.destinationLength(), h.sourceLength(), h.llc());
        }
        return new DecodePlan.Transport.Raw();
    }

    private DecodePlan.Security security() {
        SecuritySpec s = m.security();
        return new DecodePlan.Security(s.plain(), s.glo(), s.ded(), s.controls(), s.authenticationRequired());
    }

    private DecodePlan.Sizes sizes() {
        Bounds b = m.bounds();
        // the string pool holds the bytes of every string of a telegram, and the notification date-time
        int strings = Math.max(b.maxApdu(), b.maxTelegram()) + 12;
        return new DecodePlan.Sizes(b.maxFrames(), b.maxTelegram(), b.maxApdu(), b.maxPlainApdu(), b.maxValues(),
                strings, b.maxDepth(), Limits.SKIP_DEPTH, maxPushObjects);
    }

    // ---- value directory ---------------------------------------------------------------------

    /**
     * The entry for an OBIS code under a name, allocated on first use: a table entry, or one of
     * the body's own names, which takes what the table says about the code.
     */
    private ValueEntry entry(long obis, String name) {
        String key = obis + "/" + name;
        ValueEntry existing = byKey.get(key);
        if (existing != null) {
            return existing;
        }
        boolean uncoded = obis == org.meterspec.runtime.Obis.NONE;
        ValueSpec v = uncoded ? m.uncoded(name) : m.values().get(obis);
        boolean inTable = !uncoded && v != null && v.name().equals(name);
        ValueEntry e = new ValueEntry(entries.size(), obis, name, identifiers.allocate(name),
                v == null ? null : v.unit(), v == null ? null : v.scaler(),
                v == null ? org.meterspec.runtime.Format.AUTO : v.format(),
                v == null || v.type() == null ? 0 : v.type().tagMask(), v == null ? null : v.doc(), inTable,
                v == null ? null : v.loc(), 0);
        entries.add(e);
        byKey.put(key, e);
        return e;
    }

    private ValueEntry entry(Element.Value v) {
        if (v.obis() == null) {
            return entry(org.meterspec.runtime.Obis.NONE, v.name());
        }
        return entry(v.obis(), v.name() != null ? v.name() : m.values().get(v.obis()).name());
    }

    // ---- body --------------------------------------------------------------------------------

    private String name(String kind) {
        return kind + (++counter);
    }

    /** An element that is not counted against a containing structure: the root, an array's element, an alternative. */
    private Op standalone(Element e) {
        return e.accept(new Element.Visitor<Op>() {
            @Override
            public Op structure(Element.Structure s) {
                return PlanBuilder.this.structure(s, name("structure"));
            }

            @Override
            public Op array(Element.Array a) {
                String name = name("array");
                return new Op.Array(a.loc(), name, a.max(), standalone(a.item()));
            }

            @Override
            public Op repeat(Element.Repeat r) {
                return notStandalone(r);
            }

            @Override
            public Op choice(Element.Choice c) {
                return PlanBuilder.this.choice(c);
            }

            @Override
            public Op pushObjects(Element.PushObjects p) {
                return notStandalone(p);
            }

            @Override
            public Op obisField(Element.ObisField o) {
                return notStandalone(o);
            }

            @Override
            public Op descriptor(Element.Descriptor d) {
                return notStandalone(d);
            }

            @Override
            public Op scalerUnit(Element.ScalerUnit s) {
                return notStandalone(s);
            }

            @Override
            public Op value(Element.Value v) {
                return new Op.Positional(v.loc(), entry(v), m.typeOf(v).tagMask(), m.typeOf(v).dateTimeOctets(),
                        maxLength(v), depth(v), leaves(v));
            }

            @Override
            public Op skip(Element.Skip s) {
                return new Op.Skip(s.loc(), s.type() == null ? 0 : s.type().tagMask(), Limits.SKIP_DEPTH);
            }
        });
    }

    private static Op notStandalone(Element e) {
        throw new IllegalStateException("a validated layout holds a " + e.getClass().getSimpleName()
                + " outside a structure at " + e.loc());
    }

    private Op.Structure structure(Element.Structure s, String name) {
        long[] counts = s.elementCounts();
        return new Op.Structure(s.loc(), name, counts[0], counts[1], items(s.items(), 0));
    }

    /**
     * The items of a structure or of a repeat inside one; {@code trailing} counts the elements the
     * items after the repeat need.
     */
    private List<Op> items(List<Element> items, int trailing) {
        List<Op> ops = new ArrayList<>();
        Group group = Group.of(items);
        for (int i = 0; i < items.size(); i++) {
            Element e = items.get(i);
            if (group != null && i == group.first()) {
                Element.Value v = group.value();
                ops.add(new Op.GroupBegin(e.loc(), v.codeFromTelegram() ? null : entry(v)));
            }
            int after = Element.minElements(items.subList(i + 1, items.size()));
            if (e instanceof Element.Repeat r) {
                String name = name("repeat");
                ops.add(new Op.Repeat(r.loc(), name, r.max(), after, items(r.items(), after)));
            } else if (e instanceof Element.PushObjects p) {
                maxPushObjects = Math.max(maxPushObjects, p.max());
                ops.add(new Op.PushObjects(p.loc(), p.max(), pushValueLength(p), Limits.STRUCTURED_VALUE_DEPTH,
                        Limits.DEFAULT_LEAVES));
            } else {
                Op.Element element = new Op.Element(e.loc(), item(e, group != null && e == group.value()));
                ops.add(e.optional() ? new Op.Optional(e.loc(), trailing + after, m.firstTags(e), element) : element);
            }
            if (group != null && i == group.last()) {
                ops.add(new Op.GroupEnd(e.loc()));
            }
        }
        return ops;
    }

    /** One item of a structure, its element already counted. */
    private Op item(Element e, boolean groupValue) {
        if (e instanceof Element.ObisField) {
            return new Op.ObisField(e.loc(), swappedObis);
        }
        if (e instanceof Element.Descriptor) {
            return new Op.Descriptor(e.loc());
        }
        if (e instanceof Element.ScalerUnit) {
            return new Op.ScalerUnit(e.loc());
        }
        if (groupValue && e instanceof Element.Value v) {
            return new Op.GroupValue(v.loc(), m.typeOf(v).tagMask(), m.typeOf(v).dateTimeOctets(), maxLength(v),
                    depth(v), leaves(v));
        }
        return standalone(e);
    }

    /** Structure alternatives by element count first, then the others by tag, each in spec order. */
    private Op.Choice choice(Element.Choice c) {
        String name = name("choice");
        List<Op.ByCount> byCount = new ArrayList<>();
        for (Element a : c.alternatives()) {
            if (a instanceof Element.Structure s) {
                long[] counts = s.elementCounts();
                byCount.add(new Op.ByCount(counts[0], counts[1], standalone(s)));
            }
        }
        List<Op.ByTag> byTag = new ArrayList<>();
        for (Element a : c.alternatives()) {
            if (!(a instanceof Element.Structure)) {
                byTag.add(new Op.ByTag(m.firstTags(a), standalone(a)));
            }
        }
        return new Op.Choice(c.loc(), name, byCount, byTag);
    }

    /** Bytes (bits) a string or bit-string value may hold; a date-time sent as an octet-string holds 12. */
    private int maxLength(Element.Value v) {
        if (v.max() != null) {
            return v.max();
        }
        return m.typeOf(v).dateTimeOctets() ? 12 : 0;
    }

    /** How deep a structured value's containers nest; 0 for a scalar. */
    private static int depth(Element.Value v) {
        return v.structured() ? Limits.STRUCTURED_VALUE_DEPTH : 0;
    }

    /** The most leaves a structured value reports; 0 for a scalar. */
    private static int leaves(Element.Value v) {
        return v.structured() ? v.maxLeaves() : 0;
    }

    private int pushValueLength(Element.PushObjects p) {
        if (p.value() instanceof Element.Value v) {
            return maxLength(v);
        }
        throw new IllegalStateException("a validated push_objects describes its values with 'value' at " + p.loc());
    }
}
