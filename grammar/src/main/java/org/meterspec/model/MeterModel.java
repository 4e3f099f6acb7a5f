package org.meterspec.model;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Tolerance;

/**
 * A meter spec: everything the generators need and nothing of the parse tree. The model builder
 * makes it as the spec says, the checks validate it, and generators only ever see a validated one
 * (with its {@code bounds}). {@code file} is the spec's path as the user named it;
 * {@code fingerprint} identifies the spec text (with its imports) so that decoders generated from
 * it can prove their origin. {@code zigbee} is the ZigBee mapping, imports merged, or null. {@code values} holds each code's entry, an import's refined by the
 * meter's; {@code declared} every entry as written, imports first, in file order.
 */
public record MeterModel(Loc loc, String name, Loc nameLoc, String title, String file, Path path, Transport transport,
                         SecuritySpec security, NotificationSpec notification, Element body,
                         SortedMap<Long, ValueSpec> values, List<ValueSpec> declared, List<ToleranceSpec> tolerances,
                         List<ExampleSpec> examples, ZigbeeSpec zigbee, String fingerprint, Bounds bounds) {
    public MeterModel {
        values = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(values));
        declared = List.copyOf(declared);
        tolerances = List.copyOf(tolerances);
        examples = List.copyOf(examples);
    }

    /** This model with the bounds the checks derived. */
    public MeterModel withBounds(Bounds bounds) {
        return new MeterModel(loc, name, nameLoc, title, file, path, transport, security, notification, body, values,
                declared, tolerances, examples, zigbee, fingerprint, bounds);
    }

    /**
     * Whether a telegram can carry a value of that code: any code, where the body takes codes
     * from the telegram (OBIS fields, descriptors); else the positional values' codes and the
     * notification's date-time.
     */
    public boolean canCarry(long obis) {
        if (notification != null && notification.dateTimeObis() != null && notification.dateTimeObis() == obis) {
            return true;
        }
        for (Element.Value v : Element.values(body)) {
            if (v.codeFromTelegram() || (v.obis() != null && v.obis() == obis)) {
                return true;
            }
        }
        return false;
    }

    /** A tag mask standing for any first byte (an untagged descriptor). */
    public static final int ANY_TAG = -1;

    public boolean tolerates(Tolerance t) {
        return tolerances.stream().anyMatch(s -> s.tolerance() == t);
    }

    /**
     * What the spec says of a value its body names without a code ({@code values { as NAME … }}):
     * the meter's own entry, which refines an import's; null when there is none.
     */
    public ValueSpec uncoded(String name) {
        return uncoded(declared, name);
    }

    /** The last of {@code declared} that says something of the value without a code named {@code name}, or null. */
    public static ValueSpec uncoded(List<ValueSpec> declared, String name) {
        ValueSpec found = null;
        for (ValueSpec d : declared) {
            if (d.obis() == org.meterspec.runtime.Obis.NONE && d.name() != null && d.name().equals(name)) {
                found = d;
            }
        }
        return found;
    }

    /** The last of {@code declared} that says something of the pattern {@code obis}/{@code wildcards}, or null. */
    public static ValueSpec pattern(List<ValueSpec> declared, long obis, int wildcards) {
        ValueSpec found = null;
        for (ValueSpec d : declared) {
            if (d.wildcards() == wildcards && d.obis() == obis && wildcards != 0) {
                found = d;
            }
        }
        return found;
    }

    /**
     * The pattern entries, each as the files that say something of it leave it (a later file's
     * entry refining an earlier one's), in the order a code is matched against them: fewer open
     * groups first, then as first written.
     */
    public List<ValueSpec> patterns() {
        java.util.Map<String, ValueSpec> merged = new java.util.LinkedHashMap<>();
        for (ValueSpec d : declared) {
            if (d.isPattern()) {
                merged.put(d.code(), d);
            }
        }
        List<ValueSpec> out = new java.util.ArrayList<>(merged.values());
        out.sort(java.util.Comparator.comparingInt(v -> Integer.bitCount(v.wildcards())));
        return List.copyOf(out);
    }

    /** What the spec says of a code the telegram carries: its entry, else the first pattern it matches, else null. */
    public ValueSpec entryFor(long obis) {
        ValueSpec exact = values.get(obis);
        if (exact != null) {
            return exact;
        }
        for (ValueSpec p : patterns()) {
            if ((obis & org.meterspec.runtime.Obis.mask(p.wildcards())) == p.obis()) {
                return p;
            }
        }
        return null;
    }

    /** The type a value is read as: its own, else its positional entry's, else any. */
    public ValueType typeOf(Element.Value v) {
        if (v.type() != null) {
            return v.type();
        }
        ValueSpec entry = v.uncoded() ? uncoded(v.name()) : v.obis() == null ? null : values.get(v.obis());
        return entry != null && entry.type() != null ? entry.type() : ValueType.ANY;
    }

    /** The A-XDR tags (a mask, or {@link #ANY_TAG}) the element can start with. */
    public int firstTags(Element e) {
        return e.accept(new Element.Visitor<Integer>() {
            @Override
            public Integer structure(Element.Structure s) {
                return Axdr.bit(Axdr.STRUCTURE);
            }

            @Override
            public Integer array(Element.Array a) {
                return Axdr.bit(Axdr.ARRAY);
            }

            @Override
            public Integer repeat(Element.Repeat r) {
                return firstTags(r.items(), 0, 0);
            }

            @Override
            public Integer choice(Element.Choice c) {
                int mask = 0;
                for (Element a : c.alternatives()) {
                    mask |= firstTags(a);
                }
                return mask;
            }

            @Override
            public Integer pushObjects(Element.PushObjects p) {
                return Axdr.bit(Axdr.ARRAY);
            }

            @Override
            public Integer obisField(Element.ObisField o) {
                return Axdr.bit(Axdr.OCTET_STRING) | (tolerates(Tolerance.SWAPPED_OBIS_HEADER) ? Axdr.bit(Axdr.UINT32) : 0);
            }

            @Override
            public Integer descriptor(Element.Descriptor d) {
                return ANY_TAG;
            }

            @Override
            public Integer scalerUnit(Element.ScalerUnit s) {
                return Axdr.bit(Axdr.STRUCTURE);
            }

            @Override
            public Integer value(Element.Value v) {
                return typeOf(v).tagMask();
            }

            @Override
            public Integer skip(Element.Skip s) {
                return s.type() != null ? s.type().tagMask() : Axdr.SCALARS | Axdr.bit(Axdr.ARRAY) | Axdr.bit(Axdr.STRUCTURE);
            }
        });
    }

    /** Tags that can start {@code items[from..]} (through optional items), or {@code after} past the end. */
    public int firstTags(List<Element> items, int from, int after) {
        int mask = 0;
        for (int i = from; i < items.size(); i++) {
            mask |= firstTags(items.get(i));
            if (!Element.isOptional(items.get(i))) {
                return mask;
            }
        }
        return mask | after;
    }
}
