package org.meterspec.zcl;

import java.math.BigInteger;
import java.util.List;

/**
 * A spec's ZigBee mapping resolved against the catalogue: per endpoint its clusters, per cluster
 * its attributes in id order, each with what fills it and how a value converts. A measured
 * attribute's integer is {@code round_half_away(sum(±raw × 10^scaler) × num / den)} clamped to
 * [{@code min}, {@code max}]; {@code num/den} folds the Multiplier/Divisor pair and the unit's
 * power of ten.
 */
public record ZclTable(List<Endpoint> endpoints) {
    public ZclTable {
        endpoints = List.copyOf(endpoints);
    }

    public record Endpoint(int number, int profile, int device, List<Cluster> clusters) {
        public Endpoint {
            clusters = List.copyOf(clusters);
        }
    }

    public record Cluster(ZclCatalog.Cluster cluster, List<Entry> attributes) {
        public Cluster {
            attributes = List.copyOf(attributes);
        }
    }

    /** How an attribute is filled. */
    public enum Fill { CONSTANT, MEASURED, TEXT, STATUS }

    /**
     * One attribute. {@code initial} is a constant's value, else the value before the first
     * reading (the type's "invalid" sentinel, CheckMeter for Status, 0 bytes for a string).
     * {@code unit} is the DLMS unit a measured value must carry, when it carries one, or
     * {@link ZclCatalog#UNIT_NONE} for a unitless one. {@code report} is null for attributes that
     * do not report; its {@code change} is null for discrete types.
     */
    public record Entry(ZclCatalog.Attribute attribute, Fill fill, BigInteger initial, List<Term> terms,
                        BigInteger num, BigInteger den, int unit, BigInteger min, BigInteger max, Report report,
                        String source) {
        public Entry {
            terms = List.copyOf(terms);
        }

        /** Bit {@code i} set where term {@code i} is subtracted. */
        public int negativeMask() {
            int mask = 0;
            for (int i = 0; i < terms.size(); i++) {
                mask |= terms.get(i).negative() ? 1 << i : 0;
            }
            return mask;
        }

        /** The reportable change, or -1 where there is none. */
        public long changeOrNone() {
            return report == null || report.change() == null ? -1 : report.change().longValueExact();
        }
    }

    public record Term(long obis, boolean negative) {
    }

    public record Report(int min, int max, BigInteger change) {
    }
}
