package org.meterspec.check;

import java.util.EnumSet;
import java.util.Set;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;

/** Bounds: what the spec allows fits what a decoder may hold, the C decoder in RAM on an ESP32-C6. */
final class BoundsPass extends Pass {
    @Override
    public String name() {
        return "bounds";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.TRANSPORT, Section.NOTIFICATION, Section.BODY, Section.VALUES, Section.TOLERANCES);
    }

    @Override
    public Set<String> after() {
        return Set.of("types", "layout", "tolerances");
    }

    /** Most proposals a hint makes. */
    private static final int PROPOSALS = 3;

    /**
     * The hint for a body too large: the largest bounds that fit, each with the others as they are,
     * the ones that need the least change first.
     */
    static String fits(MeterModel m) {
        record Proposal(org.meterspec.model.Element e, String bound, int was, int max, double kept) {
        }
        java.util.List<Proposal> proposals = new java.util.ArrayList<>();
        for (org.meterspec.model.Element e : Sizing.bounded(m)) {
            int max = Sizing.largestFitting(m, e, Limits.MAX_APDU);
            if (max >= 1) {
                proposals.add(new Proposal(e, "max", Sizing.boundOf(e), max, max / (double) Sizing.boundOf(e)));
            }
        }
        for (org.meterspec.model.Element e : org.meterspec.model.Element.all(m.body())) {
            if (e instanceof org.meterspec.model.Element.Value v && v.structured()) {
                int leaves = Sizing.largestFittingLeaves(m, v, Limits.MAX_APDU);
                if (leaves >= 1) {
                    proposals.add(new Proposal(e, "leaves", v.maxLeaves(), leaves, leaves / (double) v.maxLeaves()));
                }
            }
        }
        if (proposals.isEmpty()) {
            return "lower the 'max' of repeats, arrays and strings, or the 'leaves' of structured values: no one bound"
                    + " alone makes the body fit";
        }
        proposals.sort(java.util.Comparator.comparingDouble(Proposal::kept).reversed());
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Proposal p : proposals.subList(0, Math.min(PROPOSALS, proposals.size()))) {
            org.meterspec.model.Loc at = p.e().loc();
            String where = at.file().equals(m.body().loc().file()) ? at.line() + ":" + at.column() : at.toString();
            parts.add("'" + kind(p.e()) + " " + p.bound() + " " + p.was() + "' at " + where + " fits up to " + p.bound()
                    + " " + p.max());
        }
        return "the largest bounds that fit, each alone: " + String.join("; ", parts);
    }

    private static String kind(org.meterspec.model.Element e) {
        return e instanceof org.meterspec.model.Element.Repeat ? "repeat"
                : e instanceof org.meterspec.model.Element.Array ? "array"
                : e instanceof org.meterspec.model.Element.PushObjects ? "push_objects"
                : e instanceof org.meterspec.model.Element.Value ? "value" : "skip";
    }

    @Override
    protected void check(MeterModel m) {
        if (m.values().size() > Limits.MAX_VALUES) {
            error(DiagCode.BOUND_TOO_LARGE, m.loc(), "the spec and its imports name " + m.values().size()
                    + " OBIS codes; a decoder holds at most " + Limits.MAX_VALUES, "drop the entries this meter never sends");
        }
        if (m.body() == null) {
            return;
        }
        if (Sizing.plainApdu(m) > Limits.MAX_APDU) {
            error(DiagCode.BOUND_TOO_LARGE, m.body().loc(), "the body may take up to " + Sizing.body(m)
                    + " bytes; a decoder holds at most " + Limits.MAX_APDU, fits(m));
        }
    }
}
