package org.meterspec.runtime;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ZCL attribute values a reader holds for one meter, and the Report Attributes frames that
 * tell a network of their changes. Each telegram updates it: a reading sets the measured
 * attributes it carries values for and clears Status; a failed telegram (or {@link #timeout})
 * sets Status's CheckMeter bit. The first reading reports every attribute it gives a value, later
 * ones what changed. The C runtime ({@code ms_zcl.c}) does the same, byte for byte.
 *
 * <p>A measured value is {@code round_half_away(sum(±raw_i × 10^scaler_i) × num / den)}, exact,
 * clamped to the attribute's range (which never includes the type's "invalid" sentinel). A term
 * whose magnitude, aligned to the smallest scaler of its sum, reaches 2^80 saturates the sum
 * toward its sign. No value is produced when a term is missing from the reading, is not an
 * integer (enum and BCD count; floats do not), or carries a unit other than the attribute's.
 */
public final class ZclState {
    /** Metering Status's CheckMeter bit. */
    public static final int CHECK_METER = 0x01;
    /** ZCL frame control of a server-to-client global command without default response. */
    public static final int FRAME_CONTROL = 0x18;
    public static final int REPORT_ATTRIBUTES = 0x0A;
    private static final int HEADER = 3;
    private static final BigInteger TERM_LIMIT = BigInteger.ONE.shiftLeft(80);

    /** One Report Attributes frame, ZCL header included, for a cluster of an endpoint. */
    public record Frame(int endpoint, int cluster, byte[] bytes) {
    }

    private final ZclMap map;
    private final int payload;
    private final List<ZclMap.Attribute> attributes = new ArrayList<>();
    private final List<int[]> place = new ArrayList<>(); // endpoint index, cluster index
    private final long[] current;
    private final byte[][] text;
    private final boolean[] changed;
    private boolean first = true;
    private int sequence;

    /** The smallest APS payload a frame fits in: the header and the longest record (a string of 24). */
    public static final int MIN_PAYLOAD = HEADER + 3 + 1 + 24;

    /** {@code payload}: the most bytes of one ZCL frame (the APS payload the network allows). */
    public ZclState(ZclMap map, int payload) {
        if (payload < MIN_PAYLOAD || payload > 65535) {
            throw new IllegalArgumentException("a ZCL payload of " + payload + " bytes: it must be " + MIN_PAYLOAD
                    + " to 65535");
        }
        this.map = map;
        this.payload = payload;
        for (int e = 0; e < map.endpoints().size(); e++) {
            List<ZclMap.Cluster> clusters = map.endpoints().get(e).clusters();
            for (int c = 0; c < clusters.size(); c++) {
                for (ZclMap.Attribute a : clusters.get(c).attributes()) {
                    attributes.add(a);
                    place.add(new int[] {e, c});
                }
            }
        }
        current = new long[attributes.size()];
        text = new byte[attributes.size()][];
        changed = new boolean[attributes.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = attributes.get(i).initial();
            text[i] = new byte[0];
        }
    }

    /** Takes a telegram's result and returns the frames that report what it changed. */
    public List<Frame> update(TelegramResult result) {
        if (!(result instanceof Reading r)) {
            return setStatus(CHECK_METER);
        }
        for (int i = 0; i < attributes.size(); i++) {
            ZclMap.Attribute a = attributes.get(i);
            switch (a.fill()) {
                case ZclMap.FILL_MEASURED: {
                    Long v = measure(a, r);
                    if (v != null && (first || v != current[i])) {
                        current[i] = v;
                        changed[i] = true;
                    }
                    break;
                }
                case ZclMap.FILL_TEXT: {
                    byte[] b = text(a, r);
                    if (b != null && (first || !Arrays.equals(b, text[i]))) {
                        text[i] = b; // read, not reported
                        changed[i] = a.reportable();
                    }
                    break;
                }
                case ZclMap.FILL_STATUS:
                    if (first || current[i] != 0) {
                        current[i] = 0;
                        changed[i] = true;
                    }
                    break;
                default:
                    break;
            }
        }
        first = false;
        return frames();
    }

    /** No valid telegram arrived in time: CheckMeter. */
    public List<Frame> timeout() {
        return setStatus(CHECK_METER);
    }

    private List<Frame> setStatus(long status) {
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).fill() == ZclMap.FILL_STATUS && current[i] != status) {
                current[i] = status;
                changed[i] = true;
            }
        }
        return frames();
    }

    /** The measured value, or null when the reading gives none. */
    static Long measure(ZclMap.Attribute a, Reading r) {
        int n = a.terms().length;
        BigInteger[] raw = new BigInteger[n];
        int[] scaler = new int[n];
        int smallest = Integer.MAX_VALUE;
        for (int t = 0; t < n; t++) {
            Value v = r.value(a.terms()[t]);
            if (v == null) {
                return null;
            }
            BigInteger m = integer(v);
            if (m == null || !unitFits(a, v)) {
                return null;
            }
            raw[t] = (a.negative() >>> t & 1) != 0 ? m.negate() : m;
            scaler[t] = v.scaler();
            smallest = Math.min(smallest, scaler[t]);
        }
        BigInteger sum = BigInteger.ZERO;
        for (int t = 0; t < n; t++) {
            BigInteger aligned = raw[t].multiply(BigInteger.TEN.pow(scaler[t] - smallest));
            if (aligned.abs().compareTo(TERM_LIMIT) >= 0) {
                return aligned.signum() > 0 ? a.max() : a.min();
            }
            sum = sum.add(aligned);
        }
        BigInteger num = BigInteger.valueOf(a.num());
        BigInteger den = BigInteger.valueOf(a.den());
        BigInteger magnitude = sum.abs();
        if (smallest >= 0) {
            magnitude = magnitude.multiply(BigInteger.TEN.pow(smallest)).multiply(num);
        } else {
            magnitude = magnitude.multiply(num);
            den = den.multiply(BigInteger.TEN.pow(-smallest));
        }
        BigInteger[] qr = magnitude.divideAndRemainder(den);
        BigInteger q = qr[1].shiftLeft(1).compareTo(den) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        if (sum.signum() < 0) {
            q = q.negate();
        }
        if (q.compareTo(BigInteger.valueOf(a.max())) > 0) {
            return a.max();
        }
        if (q.compareTo(BigInteger.valueOf(a.min())) < 0) {
            return a.min();
        }
        return q.longValue();
    }

    /** An integer, enum or BCD value's number; null for any other type and for a BCD byte that is not BCD. */
    private static BigInteger integer(Value v) {
        long raw = v.raw();
        switch (v.type()) {
            case Axdr.INT8:
            case Axdr.INT16:
            case Axdr.INT32:
            case Axdr.INT64:
            case Axdr.UINT8:
            case Axdr.UINT16:
            case Axdr.UINT32:
            case Axdr.ENUM:
                return BigInteger.valueOf(raw);
            case Axdr.UINT64:
                return new BigInteger(Long.toUnsignedString(raw));
            case Axdr.BCD: {
                int hi = (int) (raw >> 4) & 0xF;
                int lo = (int) raw & 0xF;
                return hi <= 9 && lo <= 9 ? BigInteger.valueOf(hi * 10L + lo) : null;
            }
            default:
                return null;
        }
    }

    private static boolean unitFits(ZclMap.Attribute a, Value v) {
        String unit = v.unit();
        return unit == null || a.unit() != ZclMap.UNIT_NONE && unit.equals(Units.symbol(a.unit()));
    }

    /** A string value's bytes when they fit the attribute, else null. */
    private static byte[] text(ZclMap.Attribute a, Reading r) {
        Value v = r.value(a.terms()[0]);
        if (v == null || !Axdr.accepts(Axdr.STRINGS, v.type())) {
            return null;
        }
        byte[] b = v.bytes();
        return b.length <= a.max() ? b : null;
    }

    /** The frames of the changed attributes, per endpoint and cluster, split to fit the payload; clears the changes. */
    private List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        java.io.ByteArrayOutputStream frame = null;
        int frameEndpoint = -1;
        int frameCluster = -1;
        for (int i = 0; i < attributes.size(); i++) {
            if (!changed[i]) {
                continue;
            }
            changed[i] = false;
            ZclMap.Attribute a = attributes.get(i);
            ZclMap.Endpoint ep = map.endpoints().get(place.get(i)[0]);
            int cluster = ep.clusters().get(place.get(i)[1]).id();
            byte[] record = record(a, i);
            boolean sameCluster = frame != null && frameEndpoint == ep.number() && frameCluster == cluster;
            if (!sameCluster || frame.size() + record.length > payload) {
                if (frame != null) {
                    out.add(new Frame(frameEndpoint, frameCluster, frame.toByteArray()));
                }
                frame = new java.io.ByteArrayOutputStream();
                frame.write(FRAME_CONTROL);
                frame.write(sequence);
                frame.write(REPORT_ATTRIBUTES);
                sequence = (sequence + 1) & 0xFF;
                frameEndpoint = ep.number();
                frameCluster = cluster;
            }
            frame.writeBytes(record);
        }
        if (frame != null) {
            out.add(new Frame(frameEndpoint, frameCluster, frame.toByteArray()));
        }
        return out;
    }

    /** attribute id (LE), type, value (LE of its width; a string's length byte and bytes). */
    private byte[] record(ZclMap.Attribute a, int i) {
        int width = a.width() == 0 ? 1 + text[i].length : a.width();
        byte[] out = new byte[3 + width];
        out[0] = (byte) a.id();
        out[1] = (byte) (a.id() >>> 8);
        out[2] = (byte) a.type();
        if (a.width() == 0) {
            out[3] = (byte) text[i].length;
            System.arraycopy(text[i], 0, out, 4, text[i].length);
        } else {
            for (int b = 0; b < width; b++) {
                out[3 + b] = (byte) (current[i] >>> (8 * b));
            }
        }
        return out;
    }

    /** Appends {@code ,"zcl":[…]} for these frames to a canonical JSON line (before its closing brace). */
    public static String appendToLine(String line, List<Frame> frames) {
        StringBuilder sb = new StringBuilder(line.length() + 64 + 80 * frames.size());
        sb.append(line, 0, line.length() - 1).append(",\"zcl\":[");
        for (int f = 0; f < frames.size(); f++) {
            Frame fr = frames.get(f);
            sb.append(f == 0 ? "" : ",").append("{\"endpoint\":").append(fr.endpoint).append(",\"cluster\":\"")
                    .append(ZclMap.hex16(fr.cluster)).append("\",\"frame\":\"").append(Json.hex(fr.bytes)).append("\"}");
        }
        return sb.append("]}").toString();
    }
}
