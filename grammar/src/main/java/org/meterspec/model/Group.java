package org.meterspec.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The value group of one list of items (a structure's, a repeat's): the value an OBIS field or
 * descriptor names (the one without a fixed code), or, where every value fixes its code, the only
 * value beside a scaler-unit. {@code first} and {@code last} index the group's items (OBIS field,
 * descriptor, scaler-unit and the value) in the list; the group begins before the first and ends
 * after the last.
 */
public record Group(Element.Value value, int first, int last) {

    /** The group of {@code items}, or null when they hold none. */
    public static Group of(List<Element> items) {
        Element.Value value = valueOf(items);
        if (value == null) {
            return null;
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < items.size(); i++) {
            Element e = items.get(i);
            if (e == value || isGroupItem(e)) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return new Group(value, first, last);
    }

    private static Element.Value valueOf(List<Element> items) {
        boolean scalerUnit = false;
        List<Element.Value> values = new ArrayList<>();
        for (Element e : items) {
            if (e instanceof Element.ScalerUnit) {
                scalerUnit = true;
            } else if (e instanceof Element.Value v) {
                if (v.obis() == null && (v.name() == null || hasCodeField(items))) {
                    return v;
                }
                values.add(v);
            }
        }
        return scalerUnit && values.size() == 1 ? values.get(0) : null;
    }

    private static boolean hasCodeField(List<Element> items) {
        return items.stream().anyMatch(e -> e instanceof Element.ObisField || e instanceof Element.Descriptor);
    }

    /** Whether the item belongs to its list's group whatever the value: OBIS field, descriptor, scaler-unit. */
    public static boolean isGroupItem(Element e) {
        return e instanceof Element.ObisField || e instanceof Element.Descriptor || e instanceof Element.ScalerUnit;
    }
}
