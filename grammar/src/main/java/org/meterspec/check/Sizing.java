package org.meterspec.check;

import java.util.List;
import org.meterspec.model.Bounds;
import org.meterspec.model.Element;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Tolerance;

/**
 * Derives from a valid layout the sizes both decoders make their buffers from: the most bytes
 * each element may take encoded, the values a reading may hold, and how deep elements nest.
 */
public final class Sizing {
    private final MeterModel m;
    /** Bounds tried in place of the spec's, by element (identity): what {@link #largestFitting} varies. */
    private final java.util.Map<Element, Integer> tried = new java.util.IdentityHashMap<>();
    /** A structured value's 'leaves' tried in place of the spec's. */
    private final java.util.Map<Element, Integer> triedLeaves = new java.util.IdentityHashMap<>();

    private Sizing(MeterModel m) {
        this.m = m;
    }

    /** An element's bound: the one tried, or the spec's. */
    private int bound(Element e, int spec) {
        Integer t = tried.get(e);
        return t != null ? t : spec;
    }

    /** The bound-bearing elements of the body, in spec order: repeats, arrays, push objects, strings, skips. */
    static List<Element> bounded(MeterModel m) {
        List<Element> out = new java.util.ArrayList<>();
        for (Element e : Element.all(m.body())) {
            if (e instanceof Element.Repeat || e instanceof Element.Array || e instanceof Element.PushObjects
                    || e instanceof Element.Value v && v.max() != null && v.max() > 1
                    || e instanceof Element.Skip k && k.type() == null && k.max() != null && k.max() > 1) {
                out.add(e);
            }
        }
        return out;
    }

    /** An element's bound as the spec gives it. */
    static int boundOf(Element e) {
        if (e instanceof Element.Repeat r) {
            return r.max();
        }
        if (e instanceof Element.Array a) {
            return a.max();
        }
        if (e instanceof Element.PushObjects p) {
            return p.max();
        }
        if (e instanceof Element.Value v) {
            return v.max();
        }
        return ((Element.Skip) e).max();
    }

    /**
     * The largest bound of {@code e}, the others as the spec gives them, with which the plain APDU
     * stays within {@code limit} bytes; 0 when not even the least one does.
     */
    static int largestFitting(MeterModel m, Element e, long limit) {
        Sizing s = new Sizing(m);
        return largest(s, boundOf(e), limit, n -> s.tried.put(e, n));
    }

    /** The largest 'leaves' of a structured value with which the body fits {@code limit}, the other bounds as they are; 0 if none. */
    static int largestFittingLeaves(MeterModel m, Element.Value v, long limit) {
        Sizing s = new Sizing(m);
        return largest(s, v.maxLeaves(), limit, n -> s.triedLeaves.put(v, n));
    }

    /** The largest bound up to {@code high} that {@code tryBound} sets on {@code s} with which the plain APDU fits. */
    private static int largest(Sizing s, int high, long limit, java.util.function.IntConsumer tryBound) {
        int low = 0;
        while (low < high) {
            int mid = low + (high - low + 1) / 2;
            tryBound.accept(mid);
            if (s.plain() <= limit) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private long plain() {
        int dateTime = m.tolerates(Tolerance.TAGGED_NOTIFICATION_DATETIME) ? 14 : 13;
        return 1 + 4 + dateTime + size(m.body());
    }

    /** The bounds of a model whose layout the checks accepted; null when it has no body or transport. */
    public static Bounds of(MeterModel m) {
        if (m.body() == null || m.transport() == null) {
            return null;
        }
        return new Sizing(m).bounds();
    }

    /** Bytes of the body at most, encoded. */
    static long body(MeterModel m) {
        return new Sizing(m).size(m.body());
    }

    /** Bytes of the plain APDU at most: tag, invoke id, date-time and the body. */
    static long plainApdu(MeterModel m) {
        return new Sizing(m).plain();
    }

    private Bounds bounds() {
        long values = count(m.body()) + (m.notification().dateTimeObis() != null ? 1 : 0);
        long plain = plainApdu(m);
        long ciphered = 1 + 1 + 8 + lengthSize(5 + plain + 12) + 5 + plain + 12;
        long apdu = Math.max(m.security().plain() ? plain : 0, m.security().ciphered() ? ciphered : 0);
        long telegram = m.notification().maxBlocks() > 0 ? apdu + 9 : apdu;
        Integer maxFrames = m.transport().maxFrames();
        int frames = maxFrames != null ? maxFrames : Limits.DEFAULT_MAX_FRAMES;
        return new Bounds((int) plain, (int) apdu, (int) telegram, frames, (int) Math.max(1, values), depth(m.body()));
    }

    /** Sizes saturate here: far beyond any bound the checks accept, far below overflow. */
    private static final long SATURATED = 1L << 40;

    private static long mul(long a, long b) {
        return a != 0 && b > SATURATED / a ? SATURATED : Math.min(SATURATED, a * b);
    }

    private static long add(long a, long b) {
        return Math.min(SATURATED, a + b);
    }

    static int lengthSize(long n) {
        return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    }

    /** Most bytes an element may take, encoded. */
    private long size(Element e) {
        return e.accept(new Element.Visitor<Long>() {
            @Override
            public Long structure(Element.Structure s) {
                return add(1 + lengthSize(maxElements(s.items())), sum(s.items()));
            }

            @Override
            public Long array(Element.Array a) {
                int max = bound(a, a.max());
                return add(1 + lengthSize(max), mul(max, size(a.item())));
            }

            @Override
            public Long repeat(Element.Repeat r) {
                return mul(bound(r, r.max()), sum(r.items()));
            }

            @Override
            public Long choice(Element.Choice c) {
                long max = 0;
                for (Element a : c.alternatives()) {
                    max = Math.max(max, size(a));
                }
                return max;
            }

            @Override
            public Long pushObjects(Element.PushObjects p) {
                // each entry: structure of class-id, OBIS, attribute, data index, and room for restriction
                // and columns; each value: a scalar, or a structure of a few of them
                long value = size(p.value());
                int max = bound(p, p.max());
                return add(1 + lengthSize(max) + max * (long) Limits.PUSH_ENTRY_SIZE,
                        mul(max - 1, add(4, mul(Limits.DEFAULT_LEAVES, value))));
            }

            @Override
            public Long obisField(Element.ObisField o) {
                return 8L;
            }

            @Override
            public Long descriptor(Element.Descriptor d) {
                return 9L;
            }

            @Override
            public Long scalerUnit(Element.ScalerUnit s) {
                return 6L;
            }

            @Override
            public Long value(Element.Value v) {
                int max = v.max() == null ? 0 : bound(v, v.max());
                if (v.structured()) {
                    // its container, then each leaf, with room for a container around each
                    int leaves = triedLeaves.getOrDefault(v, v.maxLeaves());
                    return add(1 + lengthSize(leaves), mul(leaves, add(2, valueSize(ValueType.ANY, max))));
                }
                return valueSize(m.typeOf(v), max);
            }

            @Override
            public Long skip(Element.Skip s) {
                int fixed = s.type() != null ? fixedSize(s.type()) : -1;
                return (long) (fixed >= 0 ? fixed : s.max() == null ? 0 : bound(s, s.max()));
            }
        });
    }

    /** Elements a structure of these items may hold at most (Element.maxElements, with the bounds tried). */
    private long maxElements(List<Element> items) {
        long n = 0;
        for (Element e : items) {
            long k = e instanceof Element.Repeat r ? mul(bound(r, r.max()), maxElements(r.items()))
                    : e instanceof Element.PushObjects p ? bound(p, p.max()) : 1;
            n = add(n, k);
        }
        return n;
    }

    private long sum(List<Element> items) {
        long sum = 0;
        for (Element i : items) {
            sum = add(sum, size(i));
        }
        return sum;
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

    /** Encoded size (tag included) if every accepted type has the same fixed size, else -1. */
    static int fixedSize(ValueType t) {
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

    /** Most values an element may report. */
    private static long count(Element e) {
        return e.accept(new Element.Visitor<Long>() {
            @Override
            public Long structure(Element.Structure s) {
                return s.items().stream().mapToLong(Sizing::count).reduce(0, Sizing::add);
            }

            @Override
            public Long array(Element.Array a) {
                return mul(a.max(), count(a.item()));
            }

            @Override
            public Long repeat(Element.Repeat r) {
                return mul(r.max(), r.items().stream().mapToLong(Sizing::count).reduce(0, Sizing::add));
            }

            @Override
            public Long choice(Element.Choice c) {
                return c.alternatives().stream().mapToLong(Sizing::count).max().orElse(0);
            }

            @Override
            public Long pushObjects(Element.PushObjects p) {
                return (long) Math.max(p.max(), (p.max() - 1) * Limits.DEFAULT_LEAVES);
            }

            @Override
            public Long obisField(Element.ObisField o) {
                return 0L;
            }

            @Override
            public Long descriptor(Element.Descriptor d) {
                return 0L;
            }

            @Override
            public Long scalerUnit(Element.ScalerUnit s) {
                return 0L;
            }

            @Override
            public Long value(Element.Value v) {
                return v.structured() ? v.maxLeaves() : 1L;
            }

            @Override
            public Long skip(Element.Skip s) {
                return 0L;
            }
        });
    }

    /** How deep an element nests containers (a skip as deep as it walks). */
    private static int depth(Element e) {
        return e.accept(new Element.Visitor<Integer>() {
            @Override
            public Integer structure(Element.Structure s) {
                return 1 + s.items().stream().mapToInt(Sizing::depth).max().orElse(0);
            }

            @Override
            public Integer array(Element.Array a) {
                return 1 + depth(a.item());
            }

            @Override
            public Integer repeat(Element.Repeat r) {
                return r.items().stream().mapToInt(Sizing::depth).max().orElse(0);
            }

            @Override
            public Integer choice(Element.Choice c) {
                return c.alternatives().stream().mapToInt(Sizing::depth).max().orElse(0);
            }

            @Override
            public Integer pushObjects(Element.PushObjects p) {
                return 2 + Limits.STRUCTURED_VALUE_DEPTH;
            }

            @Override
            public Integer obisField(Element.ObisField o) {
                return 0;
            }

            @Override
            public Integer descriptor(Element.Descriptor d) {
                return 0;
            }

            @Override
            public Integer scalerUnit(Element.ScalerUnit s) {
                return 0;
            }

            @Override
            public Integer value(Element.Value v) {
                return v.structured() ? Limits.STRUCTURED_VALUE_DEPTH : 0;
            }

            @Override
            public Integer skip(Element.Skip s) {
                return Limits.SKIP_DEPTH;
            }
        });
    }
}
