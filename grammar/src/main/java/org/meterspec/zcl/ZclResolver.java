package org.meterspec.zcl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostics;
import org.meterspec.check.Problem;
import org.meterspec.model.Element;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.model.ZigbeeSpec;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Obis;

/**
 * Resolves a spec's ZigBee mapping against the catalogue, finding what is wrong with it. The
 * checks report the problems; the plan takes the table of a spec without any. A mapping an
 * import makes for values this meter's telegrams cannot carry is left out; the meter's own is
 * an error.
 */
public final class ZclResolver {
    public static final int DEFAULT_PROFILE = 0x0104; // Home Automation
    public static final int DEFAULT_DEVICE = 0x0053; // Meter Interface
    public static final int DEFAULT_MIN_INTERVAL = 10;
    public static final int DEFAULT_MAX_INTERVAL = 300;
    /** The most values a sum may add up (what the runtimes' exact arithmetic is sized for). */
    public static final int MAX_TERMS = 8;

    private final MeterModel model;
    private final List<Problem> problems = new ArrayList<>();

    private ZclResolver(MeterModel model) {
        this.model = model;
    }

    /** The table (null without a zigbee section) and the problems found. */
    public record Result(ZclTable table, List<Problem> problems) {
    }

    public static Result resolve(MeterModel model) {
        ZclResolver r = new ZclResolver(model);
        ZclTable table = model.zigbee() == null ? null : r.table(model.zigbee());
        return new Result(table, List.copyOf(r.problems));
    }

    private void error(DiagCode code, Loc loc, String message, String hint) {
        problems.add(new Problem(code, loc, message, hint));
    }

    private boolean own(Loc loc) {
        return loc.file().equals(model.file());
    }

    private ZclTable table(ZigbeeSpec z) {
        for (ZigbeeSpec.Conflict c : z.conflicts()) {
            error(DiagCode.ZCL_DUPLICATE, c.second().loc(), c.second().cluster() + "." + c.second().attribute()
                    + " is mapped twice; the first is at " + c.first().loc(), "map each attribute once per endpoint");
        }
        for (ZigbeeSpec.Drop d : z.drops()) {
            ZclCatalog.Cluster c = cluster(d.cluster(), d.loc());
            if (c == null || d.attribute() != null && attribute(c, d.attribute(), d.loc()) == null) {
                continue;
            }
            if (!d.matched()) {
                error(DiagCode.ZCL_DROP, d.loc(), "drop " + d.cluster() + (d.attribute() == null ? "" : "." + d.attribute())
                        + " removes nothing: endpoint " + d.endpoint() + " does not map it here",
                        "a drop removes what an earlier section or an import maps");
            }
        }
        List<ZclTable.Endpoint> endpoints = new ArrayList<>();
        for (ZigbeeSpec.Endpoint ep : z.endpoints()) {
            ZclTable.Endpoint e = endpoint(ep);
            if (e != null) {
                endpoints.add(e);
            }
        }
        if (endpoints.isEmpty() && problems.isEmpty()) {
            error(DiagCode.ZCL_ENDPOINT, z.loc(), "the zigbee section maps nothing",
                    "import \"../common/zcl.meter\" for the standard mapping, or map attributes in an endpoint");
        }
        return new ZclTable(endpoints);
    }

    private ZclCatalog.Cluster cluster(String name, Loc loc) {
        ZclCatalog.Cluster c = ZclCatalog.cluster(name);
        if (c == null) {
            List<String> names = ZclCatalog.clusters().stream().map(ZclCatalog.Cluster::name).toList();
            String hint = Diagnostics.didYouMean(name, names);
            error(DiagCode.ZCL_UNKNOWN, loc, "unknown cluster '" + name + "'",
                    hint != null ? hint : "the clusters are " + String.join(", ", names));
        }
        return c;
    }

    private ZclCatalog.Attribute attribute(ZclCatalog.Cluster c, String name, Loc loc) {
        ZclCatalog.Attribute a = c.attribute(name);
        if (a == null) {
            String hint = Diagnostics.didYouMean(name, c.attributes().keySet());
            error(DiagCode.ZCL_UNKNOWN, loc, c.name() + " has no attribute '" + name + "'",
                    hint != null ? hint : "zigbee-herdsman's names are used, e.g. " + c.name() + "."
                            + c.attributes().keySet().iterator().next());
        }
        return a;
    }

    private record Resolved(ZigbeeSpec.Mapping mapping, ZclCatalog.Attribute attribute) {
    }

    /** The attributes an endpoint maps, rightly or not: a pair's half whose constant is wrong is not missing. */
    private final java.util.Set<String> present = new java.util.HashSet<>();

    private ZclTable.Endpoint endpoint(ZigbeeSpec.Endpoint ep) {
        present.clear();
        Map<String, Map<String, Resolved>> byCluster = new LinkedHashMap<>();
        for (ZigbeeSpec.Mapping m : ep.mappings()) {
            ZclCatalog.Cluster c = cluster(m.cluster(), m.loc());
            if (c == null) {
                continue;
            }
            ZclCatalog.Attribute a = attribute(c, m.attribute(), m.attributeLoc());
            if (a == null) {
                continue;
            }
            present.add(c.name() + "." + a.name());
            if (!sourceFits(m, a)) {
                continue;
            }
            m = carried(m);
            if (m == null) {
                continue; // an import's mapping of values this meter does not send
            }
            byCluster.computeIfAbsent(c.name(), k -> new HashMap<>()).put(a.name(), new Resolved(m, a));
        }
        List<ZclTable.Cluster> clusters = new ArrayList<>();
        for (ZclCatalog.Cluster c : ZclCatalog.clusters()) {
            Map<String, Resolved> mapped = byCluster.get(c.name());
            if (mapped == null) {
                continue;
            }
            boolean measures = mapped.values().stream()
                    .anyMatch(r -> r.attribute.role() != ZclCatalog.Role.CONSTANT
                            && r.attribute.role() != ZclCatalog.Role.MEASUREMENT_TYPE);
            if (!measures) {
                continue; // constants alone (an import's scale for values this meter does not send)
            }
            List<ZclTable.Entry> entries = new ArrayList<>();
            for (ZclCatalog.Attribute a : c.attributes().values()) {
                Resolved r = mapped.get(a.name());
                if (r != null) {
                    ZclTable.Entry e = entry(r, mapped);
                    if (e != null) {
                        entries.add(e);
                    }
                }
            }
            checkPairs(c, mapped);
            clusters.add(new ZclTable.Cluster(c, entries));
        }
        if (clusters.isEmpty()) {
            return null;
        }
        int profile = ep.profile() != null ? ep.profile() : DEFAULT_PROFILE;
        int device = ep.device() != null ? ep.device() : DEFAULT_DEVICE;
        return new ZclTable.Endpoint(ep.number(), profile, device, clusters);
    }

    /** Whether the source is of the kind the attribute takes; reports it when not. */
    private boolean sourceFits(ZigbeeSpec.Mapping m, ZclCatalog.Attribute a) {
        String what = a.cluster() + "." + a.name();
        ZigbeeSpec.Source s = m.source();
        switch (a.role()) {
            case MEASURED:
                if (!(s instanceof ZigbeeSpec.Terms)) {
                    error(DiagCode.ZCL_SOURCE, m.loc(), what + " is measured: it takes a value of the telegram",
                            "for example: " + what + " = 1.0.1.7.0.255, or a sum such as 1.0.1.7.0.255 - 1.0.2.7.0.255");
                    return false;
                }
                return termsResolve((ZigbeeSpec.Terms) s, a);
            case TEXT: {
                if (!(s instanceof ZigbeeSpec.Terms t) || t.terms().size() != 1 || t.terms().get(0).negative()) {
                    error(DiagCode.ZCL_SOURCE, m.loc(), what + " is a string: it takes one string value of the telegram",
                            "for example: " + what + " = 0.0.96.1.0.255");
                    return false;
                }
                return termsResolve(t, a);
            }
            case STATUS:
                if (s != null) {
                    error(DiagCode.ZCL_SOURCE, s.loc(), what + " is kept by the runtime (CheckMeter when telegrams fail"
                            + " or stop) and takes no source", "write it alone: " + what);
                    return false;
                }
                return true;
            case MEASUREMENT_TYPE:
                if (s instanceof ZigbeeSpec.Terms) {
                    error(DiagCode.ZCL_SOURCE, s.loc(), what + " is a constant", "leave it without a source to have it"
                            + " computed from the attributes mapped, or give a number");
                    return false;
                }
                return s == null || constantFits((ZigbeeSpec.Constant) s, a);
            default:
                if (!(s instanceof ZigbeeSpec.Constant k)) {
                    error(DiagCode.ZCL_SOURCE, s == null ? m.loc() : s.loc(), what + " is a constant: give its number",
                            null);
                    return false;
                }
                return constantFits(k, a);
        }
    }

    private boolean constantFits(ZigbeeSpec.Constant k, ZclCatalog.Attribute a) {
        String what = a.cluster() + "." + a.name();
        BigInteger v = k.value();
        if (v.compareTo(a.min()) < 0 || v.compareTo(a.max()) > 0) {
            error(DiagCode.ZCL_RANGE, k.loc(), what + " is " + a.type().herdsmanName() + ": " + v + " is outside "
                    + a.min() + ".." + a.max(), null);
            return false;
        }
        if (ZclCatalog.isScale(a) && v.signum() == 0) {
            error(DiagCode.ZCL_RANGE, k.loc(), what + " cannot be 0", "a multiplier or divisor of 0 makes every value it"
                    + " scales unreadable");
            return false;
        }
        if (a.name().equals("unitOfMeasure") && v.signum() != 0) {
            error(DiagCode.ZCL_RANGE, k.loc(), what + " " + v + " is not supported: the mapping counts electric energy"
                    + " in kWh and demand in kW", "use 0 (kWh, binary)");
            return false;
        }
        if (a.role() == ZclCatalog.Role.MEASUREMENT_TYPE && v.testBit(6)) {
            error(DiagCode.ZCL_RANGE, k.loc(), what + " sets bit 6 (DC measurement) on an AC meter", null);
            return false;
        }
        return true;
    }

    /** Whether every term names a value that can be this attribute's; reports those that cannot. */
    private boolean termsResolve(ZigbeeSpec.Terms t, ZclCatalog.Attribute a) {
        boolean ok = true;
        if (t.terms().size() > MAX_TERMS) {
            error(DiagCode.ZCL_SOURCE, t.loc(), "a sum of " + t.terms().size() + " values; at most " + MAX_TERMS
                    + " are allowed", null);
            return false;
        }
        for (ZigbeeSpec.Term term : t.terms()) {
            Long obis = obisOf(term);
            if (obis == null) {
                ok = false;
                continue;
            }
            ValueType type = typeOf(obis);
            boolean text = a.role() == ZclCatalog.Role.TEXT;
            int accepted = text ? Axdr.STRINGS : Axdr.INTEGERS | Axdr.bit(Axdr.ENUM) | Axdr.bit(Axdr.BCD);
            if (type != null && (type.tagMask() & accepted) == 0) {
                error(DiagCode.ZCL_SOURCE, term.loc(), Obis.format(obis) + " is " + type.name() + ", but "
                        + a.cluster() + "." + a.name() + " takes " + (text ? "a string" : "an integer"), null);
                ok = false;
            }
        }
        if (ok && a.role() == ZclCatalog.Role.MEASURED && !a.type().signed()
                && t.terms().stream().anyMatch(ZigbeeSpec.Term::negative)) {
            error(DiagCode.ZCL_RANGE, t.loc(), a.cluster() + "." + a.name() + " is " + a.type().herdsmanName()
                    + " and cannot hold a difference, which can be negative", null);
            ok = false;
        }
        return ok;
    }

    private Long obisOf(ZigbeeSpec.Term term) {
        if (term.obis() != null) {
            return term.obis();
        }
        for (ValueSpec v : model.values().values()) {
            if (term.name().equals(v.name())) {
                return v.obis();
            }
        }
        for (Element.Value v : Element.values(model.body())) {
            if (term.name().equals(v.name()) && v.obis() != null) {
                return v.obis();
            }
        }
        List<String> names = new ArrayList<>();
        for (ValueSpec v : model.values().values()) {
            if (v.name() != null) {
                names.add(v.name());
            }
        }
        String hint = Diagnostics.didYouMean(term.name(), names);
        error(DiagCode.ZCL_SOURCE, term.loc(), "no value is named '" + term.name() + "'",
                hint != null ? hint : "name a value of the values section, or give its OBIS code");
        return null;
    }

    /** The type a value of that code is read as, when the spec says; null when any type may come. */
    private ValueType typeOf(long obis) {
        for (Element.Value v : Element.values(model.body())) {
            // a structured value's leaves are any scalars, as far as the body says
            if (v.obis() != null && v.obis() == obis && v.type() != null && !v.structured()) {
                return v.type();
            }
        }
        ValueSpec entry = model.entryFor(obis);
        return entry != null ? entry.type() : null;
    }

    /**
     * The mapping with only the source values this meter's telegrams can carry, or null when none
     * can. An import's sum loses the terms a meter never sends (an import-only meter's net power
     * is its import); in the meter's own mapping such a term is an error.
     */
    private ZigbeeSpec.Mapping carried(ZigbeeSpec.Mapping m) {
        if (!(m.source() instanceof ZigbeeSpec.Terms t)) {
            return m;
        }
        List<ZigbeeSpec.Term> kept = new ArrayList<>();
        for (ZigbeeSpec.Term term : t.terms()) {
            long obis = obisOf(term);
            if (model.canCarry(obis)) {
                kept.add(term);
            } else if (own(m.loc())) {
                error(DiagCode.ZCL_SOURCE, term.loc(), Obis.format(obis) + " is not in this meter's telegrams: the"
                        + " body carries no such value", "map a value the body reports");
                return null;
            }
        }
        if (kept.isEmpty() || kept.stream().allMatch(ZigbeeSpec.Term::negative)) {
            return null;
        }
        if (kept.get(0).negative()) {
            // the first term leads the sum
            for (int i = 0; i < kept.size(); i++) {
                if (!kept.get(i).negative()) {
                    kept.add(0, kept.remove(i));
                    break;
                }
            }
        }
        return new ZigbeeSpec.Mapping(m.loc(), m.cluster(), m.attribute(), m.attributeLoc(),
                new ZigbeeSpec.Terms(t.loc(), kept), m.report());
    }

    /** Both halves of each pair the mapped attributes use are mapped. */
    private void checkPairs(ZclCatalog.Cluster c, Map<String, Resolved> mapped) {
        Map<String, String> partner = new LinkedHashMap<>();
        for (ZclCatalog.Attribute a : c.attributes().values()) {
            if (a.multiplier() != null) {
                partner.put(a.multiplier(), a.divisor());
                partner.put(a.divisor(), a.multiplier());
            }
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Resolved r : mapped.values()) {
            if (r.attribute.multiplier() != null) {
                used.add(r.attribute.multiplier());
                used.add(r.attribute.divisor());
            }
        }
        for (Resolved r : sorted(mapped)) {
            ZclCatalog.Attribute a = r.attribute;
            if (a.multiplier() != null) {
                for (String half : new String[] {a.multiplier(), a.divisor()}) {
                    if (!present.contains(c.name() + "." + half)) {
                        error(DiagCode.ZCL_SCALE_PAIR, r.mapping.loc(), c.name() + "." + a.name() + " needs "
                                + c.name() + "." + half + ", which is not mapped",
                                "map " + a.multiplier() + " and " + a.divisor() + " as constants: Zigbee2MQTT reads"
                                        + " both before it shows " + a.name());
                    }
                }
            } else if (partner.containsKey(a.name()) && !present.contains(c.name() + "." + partner.get(a.name()))
                    && !used.contains(a.name())) {
                error(DiagCode.ZCL_SCALE_PAIR, r.mapping.loc(), c.name() + "." + a.name() + " is half a pair: "
                        + c.name() + "." + partner.get(a.name()) + " is not mapped", "map both or neither");
            }
        }
    }

    /** In the order the spec writes them, so problems come in file order. */
    private static List<Resolved> sorted(Map<String, Resolved> mapped) {
        List<Resolved> out = new ArrayList<>(mapped.values());
        out.sort(java.util.Comparator.comparingInt((Resolved r) -> r.mapping.loc().line())
                .thenComparingInt(r -> r.mapping.loc().column()));
        return out;
    }

    private ZclTable.Entry entry(Resolved r, Map<String, Resolved> mapped) {
        ZclCatalog.Attribute a = r.attribute;
        ZigbeeSpec.Mapping m = r.mapping;
        ZclTable.Report report = report(m, a);
        switch (a.role()) {
            case CONSTANT:
                return new ZclTable.Entry(a, ZclTable.Fill.CONSTANT, ((ZigbeeSpec.Constant) m.source()).value(),
                        List.of(), BigInteger.ONE, BigInteger.ONE, ZclCatalog.UNIT_NONE, a.min(), a.max(), null,
                        "constant");
            case MEASUREMENT_TYPE: {
                BigInteger v = m.source() != null ? ((ZigbeeSpec.Constant) m.source()).value()
                        : BigInteger.valueOf(measurementType(mapped));
                return new ZclTable.Entry(a, ZclTable.Fill.CONSTANT, v, List.of(), BigInteger.ONE, BigInteger.ONE,
                        ZclCatalog.UNIT_NONE, a.min(), a.max(), null, m.source() == null ? "computed" : "constant");
            }
            case STATUS:
                return new ZclTable.Entry(a, ZclTable.Fill.STATUS, BigInteger.valueOf(ZclCatalog.CHECK_METER),
                        List.of(), BigInteger.ONE, BigInteger.ONE, ZclCatalog.UNIT_NONE, a.min(), a.max(), report,
                        "runtime");
            case TEXT:
                return new ZclTable.Entry(a, ZclTable.Fill.TEXT, BigInteger.ZERO, terms(m), BigInteger.ONE,
                        BigInteger.ONE, ZclCatalog.UNIT_NONE, BigInteger.ZERO, BigInteger.valueOf(a.maxLength()), null,
                        sourceText(m));
            default:
                break;
        }
        // measured: value × 10^exponent × divisor / multiplier
        BigInteger num = BigInteger.ONE;
        BigInteger den = BigInteger.ONE;
        if (a.multiplier() != null) {
            Resolved mul = mapped.get(a.multiplier());
            Resolved div = mapped.get(a.divisor());
            if (mul == null || div == null) {
                return null; // reported by checkPairs
            }
            num = ((ZigbeeSpec.Constant) div.mapping.source()).value();
            den = ((ZigbeeSpec.Constant) mul.mapping.source()).value();
        }
        if (a.exponent() >= 0) {
            num = num.multiply(BigInteger.TEN.pow(a.exponent()));
        } else {
            den = den.multiply(BigInteger.TEN.pow(-a.exponent()));
        }
        BigInteger g = num.gcd(den);
        num = num.divide(g);
        den = den.divide(g);
        BigInteger sentinel = a.type().signed() ? a.type().min().subtract(BigInteger.ONE) : a.type().max().add(BigInteger.ONE);
        checkRange(m, a, num, den);
        return new ZclTable.Entry(a, ZclTable.Fill.MEASURED, sentinel, terms(m), num, den, a.unit(), a.min(), a.max(),
                report, sourceText(m));
    }

    private List<ZclTable.Term> terms(ZigbeeSpec.Mapping m) {
        List<ZclTable.Term> out = new ArrayList<>();
        for (ZigbeeSpec.Term t : ((ZigbeeSpec.Terms) m.source()).terms()) {
            out.add(new ZclTable.Term(obisOf(t), t.negative()));
        }
        return out;
    }

    private String sourceText(ZigbeeSpec.Mapping m) {
        StringBuilder sb = new StringBuilder();
        for (ZigbeeSpec.Term t : ((ZigbeeSpec.Terms) m.source()).terms()) {
            if (sb.length() > 0 || t.negative()) {
                sb.append(t.negative() ? " - " : " + ");
            }
            sb.append(Obis.format(obisOf(t)));
        }
        return sb.toString().trim();
    }

    /** Active, reactive and apparent as mapped, phase A always (an AC meter measures active power), B and C as mapped. */
    private static long measurementType(Map<String, Resolved> mapped) {
        long bits = ZclCatalog.ACTIVE | ZclCatalog.PHASE_A;
        for (Resolved r : mapped.values()) {
            bits |= r.attribute.measurement();
        }
        return bits;
    }

    private ZclTable.Report report(ZigbeeSpec.Mapping m, ZclCatalog.Attribute a) {
        ZigbeeSpec.Report given = m.report();
        boolean analog = a.type().kind() == ZclType.Kind.INTEGER;
        if (!a.reportable()) {
            if (given != null) {
                error(DiagCode.ZCL_REPORT, given.loc(), a.cluster() + "." + a.name() + " does not report", null);
            }
            return null;
        }
        if (given == null) {
            return new ZclTable.Report(DEFAULT_MIN_INTERVAL, DEFAULT_MAX_INTERVAL, analog ? BigInteger.ONE : null);
        }
        if (given.max() != 0 && given.max() != 0xFFFF && given.min() > given.max()) {
            error(DiagCode.ZCL_REPORT, given.loc(), "the minimum interval " + given.min() + " s is above the maximum "
                    + given.max() + " s", "report MIN MAX with MIN <= MAX (0 or 65535 as MAX: no periodic report)");
        }
        BigInteger change = given.change();
        if (change != null && !analog) {
            error(DiagCode.ZCL_REPORT, given.loc(), a.cluster() + "." + a.name() + " is " + a.type().herdsmanName()
                    + ", which reports every change: a reportable change applies to numbers", null);
            change = null;
        } else if (change != null && (change.signum() < 0 || change.compareTo(a.type().max()) > 0)) {
            error(DiagCode.ZCL_REPORT, given.loc(), "a reportable change of " + change + " does not fit "
                    + a.type().herdsmanName(), null);
        } else if (change == null && analog) {
            change = BigInteger.ONE;
        }
        return new ZclTable.Report(given.min(), given.max(), change);
    }

    /**
     * A measured attribute must hold every value its sources can take, where the spec fixes both
     * their A-XDR types and their scalers.
     */
    private void checkRange(ZigbeeSpec.Mapping m, ZclCatalog.Attribute a, BigInteger num, BigInteger den) {
        if (!own(m.loc())) {
            return; // a shared mapping fits most meters: out of range, a value is clamped
        }
        java.math.BigDecimal lo = java.math.BigDecimal.ZERO;
        java.math.BigDecimal hi = java.math.BigDecimal.ZERO;
        StringBuilder why = new StringBuilder();
        for (ZigbeeSpec.Term t : ((ZigbeeSpec.Terms) m.source()).terms()) {
            long obis = obisOf(t);
            ValueType type = typeOf(obis);
            ValueSpec entry = model.values().get(obis);
            BigInteger[] range = type == null ? null : range(type);
            if (range == null || entry == null || entry.scaler() == null || hasScalerUnit()) {
                return; // known only at run time: the value is clamped there
            }
            java.math.BigDecimal tlo = new java.math.BigDecimal(range[0]).scaleByPowerOfTen(entry.scaler());
            java.math.BigDecimal thi = new java.math.BigDecimal(range[1]).scaleByPowerOfTen(entry.scaler());
            if (t.negative()) {
                lo = lo.subtract(thi);
                hi = hi.subtract(tlo);
            } else {
                lo = lo.add(tlo);
                hi = hi.add(thi);
            }
            why.append(why.length() == 0 ? "" : ", ").append(Obis.format(obis)).append(" is ").append(type.name())
                    .append(" at scaler ").append(entry.scaler());
        }
        java.math.BigDecimal ratio = new java.math.BigDecimal(num).divide(new java.math.BigDecimal(den),
                java.math.MathContext.DECIMAL128);
        java.math.BigDecimal rlo = lo.multiply(ratio);
        java.math.BigDecimal rhi = hi.multiply(ratio);
        if (rlo.compareTo(new java.math.BigDecimal(a.min())) < 0 || rhi.compareTo(new java.math.BigDecimal(a.max())) > 0) {
            error(DiagCode.ZCL_RANGE, m.source().loc(), a.cluster() + "." + a.name() + " is " + a.type().herdsmanName()
                    + " (" + a.min() + ".." + a.max() + ") and cannot hold " + rlo.stripTrailingZeros().toPlainString()
                    + ".." + rhi.stripTrailingZeros().toPlainString() + ": " + why,
                    a.multiplier() != null ? "a larger " + a.multiplier() + " (or smaller " + a.divisor()
                            + ") makes room, at a coarser resolution" : null);
        }
    }

    /** Whether the body reads scaler-units from telegrams, so a stated scaler is only a fallback. */
    private boolean hasScalerUnit() {
        return Element.all(model.body()).stream().anyMatch(e -> e instanceof Element.ScalerUnit);
    }

    /** The range of a single integer type; null for families and non-integers. */
    private static BigInteger[] range(ValueType type) {
        int mask = type.tagMask();
        if (Integer.bitCount(mask) != 1) {
            return null;
        }
        int tag = Integer.numberOfTrailingZeros(mask);
        switch (tag) {
            case Axdr.INT8: return new BigInteger[] {BigInteger.valueOf(-128), BigInteger.valueOf(127)};
            case Axdr.INT16: return new BigInteger[] {BigInteger.valueOf(-32768), BigInteger.valueOf(32767)};
            case Axdr.INT32: return new BigInteger[] {BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)};
            case Axdr.INT64: return new BigInteger[] {BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)};
            case Axdr.UINT8: case Axdr.ENUM: return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(255)};
            case Axdr.UINT16: return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(65535)};
            case Axdr.UINT32: return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(0xFFFFFFFFL)};
            case Axdr.UINT64: return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
            default: return null;
        }
    }
}
