package org.meterspec.engine.inspect;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.meterspec.engine.inspect.Telegram.Space;
import org.meterspec.runtime.InspectSupport;
import org.meterspec.runtime.Json;

/**
 * An annotated, layer-by-layer reading of a capture, whether or not a spec decodes it: frames,
 * segments, block-transfer blocks, the security header (decrypted with a key), the
 * DATA-NOTIFICATION and its A-XDR tree. It follows the rules of the runtime's framers and
 * decoder, but reads to annotate rather than to decode: where a layer breaks it says where and
 * what was expected, and shows what came before. Every length is checked against the bytes there.
 */
public final class Inspector {
    /** The transports a capture can be read as. */
    public enum Transport {
        MBUS("M-Bus"), HDLC("HDLC"), RAW("bare APDUs");

        private final String title;

        Transport(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How to read a capture.
     *
     * @param transport null to detect it: M-Bus, then HDLC, then bare APDUs
     * @param mbusLengthWrap take an M-Bus frame whose L field wrapped past 255 when it checks out so
     * @param badFcs accept HDLC frames whose FCS is wrong (the HCS is still checked)
     * @param key encryption key, or null; {@code authKey} and {@code broadcastKey} likewise
     * @param swappedObis read {@code 06 09} leading a structure as an OBIS code's octet-string header
     * @param descriptors read an untagged attribute descriptor (class-id, OBIS code, attribute) leading a
     *     structure of two elements where its 9 bytes look like one
     */
    public record Options(Transport transport, boolean mbusLengthWrap, boolean badFcs, byte[] key, byte[] authKey,
                          byte[] broadcastKey, boolean swappedObis, boolean descriptors) {
        /** No key; the transport detected. */
        public static final Options DETECT = new Options(null, true, false, null, null, null);

        public Options(Transport transport, boolean mbusLengthWrap, boolean badFcs, byte[] key, byte[] authKey,
                       byte[] broadcastKey) {
            this(transport, mbusLengthWrap, badFcs, key, authKey, broadcastKey, false, false);
        }

        public Options withKeys(byte[] key, byte[] authKey, byte[] broadcastKey) {
            return new Options(transport, mbusLengthWrap, badFcs, key, authKey, broadcastKey, swappedObis, descriptors);
        }

        /** These options, reading untagged elements as a spec's layout would. */
        public Options withUntagged(boolean swappedObis, boolean descriptors) {
            return new Options(transport, mbusLengthWrap, badFcs, key, authKey, broadcastKey, swappedObis, descriptors);
        }

        @Override
        public String toString() {
            return "Options[" + transport + ", keys not shown]";
        }
    }

    /**
     * What a capture holds: the transport read, its telegrams in stream order, bytes no frame
     * took, and how untagged elements were read ({@code options}' own, or what reading found).
     */
    public record Result(Transport transport, boolean detected, List<Telegram> telegrams, int skippedBytes,
                         boolean swappedObis, boolean descriptors) {
        /** The telegrams that could not be read to their end. */
        public long broken() {
            return telegrams.stream().filter(Telegram::broken).count();
        }
    }

    /** Deepest nesting of A-XDR shown; below it the tree says it stops. */
    static final int MAX_DEPTH = 32;
    /** Most A-XDR nodes shown for one telegram. */
    static final int MAX_NODES = 20_000;

    private static final int DATA_NOTIFICATION = 0x0F;
    private static final int GLO = 0xDB;
    private static final int DED = 0xDC;
    private static final int BLOCK = 0xE0;

    private final byte[] a;
    private final int n;
    private final Options options;
    private final List<Telegram> out = new ArrayList<>();
    /** Skipped-byte notes waiting for the next telegram. */
    private final List<Node> skipped = new ArrayList<>();
    private int skippedBytes;
    private int skipFrom = -1;

    private Inspector(byte[] capture, Options options) {
        this.a = capture;
        this.n = capture.length;
        this.options = options;
    }

    /**
     * Reads a capture as {@code options} say; where some telegram breaks and the options read no
     * element untagged, also with swapped OBIS headers, with untagged descriptors and with both,
     * and keeps the reading that leaves the fewest telegrams broken (the first, on a tie).
     */
    public static Result inspect(byte[] capture, Options options) {
        Result best = read(capture, options);
        if (best.broken() == 0 || options.swappedObis() || options.descriptors()) {
            return best;
        }
        for (boolean[] v : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
            Result r = read(capture, options.withUntagged(v[0], v[1]));
            if (r.broken() < best.broken()) {
                best = r;
            }
        }
        return best;
    }

    private static Result read(byte[] capture, Options options) {
        Transport t = options.transport();
        boolean detected = t == null;
        if (detected) {
            t = detect(capture);
        }
        Inspector i = new Inspector(capture, options);
        i.current = t;
        switch (t) {
            case MBUS -> i.mbus();
            case HDLC -> i.hdlc();
            default -> i.raw();
        }
        i.flushSkip(i.n);
        i.finish();
        return new Result(t, detected, List.copyOf(i.out), i.skippedBytes, options.swappedObis(), options.descriptors());
    }

    /** The transport with a good frame in the capture: M-Bus, else HDLC, else bare APDUs. */
    static Transport detect(byte[] capture) {
        for (int p = 0; p + 4 < capture.length; p++) {
            if ((capture[p] & 0xFF) == 0x68 && capture[p + 1] == capture[p + 2] && (capture[p + 3] & 0xFF) == 0x68) {
                int l = capture[p + 1] & 0xFF;
                if (mbusCheck(capture, p, l) == OK || mbusCheck(capture, p, l + 256) == OK) {
                    return Transport.MBUS;
                }
            }
        }
        for (int p = 0; p + 9 < capture.length; p++) {
            if ((capture[p] & 0xFF) == 0x7E && (capture[p + 1] & 0xF0) == 0xA0) {
                int len = ((capture[p + 1] & 0x07) << 8) | (capture[p + 2] & 0xFF);
                if (len >= 7 && p + len + 2 <= capture.length && (capture[p + len + 1] & 0xFF) == 0x7E
                        && (InspectSupport.crc16(capture, p + 1, p + len - 1) == le16(capture, p + len - 1)
                        || hcsOk(capture, p, len))) {
                    return Transport.HDLC;
                }
            }
        }
        return Transport.RAW;
    }

    // ---- skipped bytes -------------------------------------------------------------------------

    private void skip(int from, int to) {
        if (skipFrom < 0) {
            skipFrom = from;
        }
    }

    private void flushSkip(int to) {
        if (skipFrom >= 0 && to > skipFrom) {
            int len = to - skipFrom;
            skippedBytes += len;
            skipped.add(new Node("skipped", true, "skipped " + len + " byte" + (len == 1 ? "" : "s") + " at offset "
                    + skipFrom + ": no frame starts there").put("offset", skipFrom).put("length", len));
        }
        skipFrom = -1;
    }

    // ---- M-Bus ---------------------------------------------------------------------------------

    private static final int OK = 0;
    private static final int NEED = 1;
    private static final int BAD_STOP = 2;
    private static final int BAD_SUM = 3;

    private static int mbusCheck(byte[] a, int p, int l) {
        if (a.length - p < l + 6) {
            return NEED;
        }
        if ((a[p + 5 + l] & 0xFF) != 0x16) {
            return BAD_STOP;
        }
        return InspectSupport.mbusSum(a, p + 4, p + 4 + l) == (a[p + 4 + l] & 0xFF) ? OK : BAD_SUM;
    }

    /** Frames being joined into one telegram. */
    private final class Assembly {
        final int start;
        final List<Node> frames = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int end;
        int expected;

        Assembly(int start) {
            this.start = start;
        }
    }

    private void mbus() {
        Assembly open = null;
        int p = 0;
        while (p < n) {
            if ((a[p] & 0xFF) != 0x68) {
                int q = p + 1;
                while (q < n && (a[q] & 0xFF) != 0x68) {
                    q++;
                }
                skip(p, q);
                p = q;
                continue;
            }
            if (n - p < 4) {
                flushSkip(p);
                Node f = frameNode(p, n - p, "M-Bus frame start, cut off after " + (n - p) + " bytes");
                Telegram t = broken(p, n, f);
                t.breakAt(f, Space.STREAM, n, "the rest of the frame header (68 L L 68); the capture ends");
                p = n;
                continue;
            }
            if (a[p + 1] != a[p + 2] || (a[p + 3] & 0xFF) != 0x68) {
                skip(p, p + 1);
                p++;
                continue;
            }
            flushSkip(p);
            int l = a[p + 1] & 0xFF;
            int found = mbusCheck(a, p, l);
            boolean wrapped = false;
            if (found != OK && options.mbusLengthWrap() && mbusCheck(a, p, l + 256) == OK) {
                l += 256;
                found = OK;
                wrapped = true;
            }
            int len = Math.min(l + 6, n - p);
            StringBuilder text = new StringBuilder("M-Bus long frame, L " + hex2(a[p + 1]) + " (" + (a[p + 1] & 0xFF)
                    + (wrapped ? ", wrapped: " + l + " data bytes" : "") + ")");
            Node f = frameNode(p, len, null).put("transport", "mbus").put("l", l).put("l_wrapped", wrapped);
            if (n - p >= 9) {
                int ci = a[p + 6] & 0xFF;
                text.append(", C ").append(hex2(a[p + 4])).append(", A ").append(hex2(a[p + 5])).append(", CI ")
                        .append(hex2(a[p + 6])).append(" (segment ").append(ci & 0x0F)
                        .append((ci & 0x10) != 0 ? ", last" : ", more follow").append(')')
                        .append(", STSAP ").append(hex2(a[p + 7])).append(", DTSAP ").append(hex2(a[p + 8]));
                f.put("c", a[p + 4] & 0xFF).put("a", a[p + 5] & 0xFF).put("ci", ci).put("segment", ci & 0x0F)
                        .put("last", (ci & 0x10) != 0).put("stsap", a[p + 7] & 0xFF).put("dtsap", a[p + 8] & 0xFF);
            }
            if (found == NEED) {
                f.appendText(text + "; cut off: L says " + (l + 6) + " bytes, the capture has " + (n - p));
                Telegram t = broken(p, n, f);
                t.breakAt(f, Space.STREAM, n, "byte " + (l + 6 - (n - p)) + " more of the frame (checksum at "
                        + (p + 4 + l) + ", stop byte at " + (p + 5 + l) + "); the capture ends");
                p = n;
                continue;
            }
            int sum = InspectSupport.mbusSum(a, p + 4, p + 4 + l);
            boolean sumOk = sum == (a[p + 4 + l] & 0xFF);
            boolean stopOk = (a[p + 5 + l] & 0xFF) == 0x16;
            text.append(", data ").append(Math.max(0, l - 5)).append(" bytes at ").append(p + 9)
                    .append(", checksum ").append(hex2(a[p + 4 + l])).append(sumOk ? " ok" : " BAD (sum is " + hex2(sum) + ")")
                    .append(", stop ").append(hex2(a[p + 5 + l])).append(stopOk ? " ok" : " BAD");
            f.appendText(text.toString());
            f.put("checksum", sumOk ? "ok" : "bad").put("stop", stopOk ? "ok" : "bad");
            if (!stopOk || !sumOk || l < 5 || (a[p + 6] & 0xE0) != 0) {
                Telegram t = broken(p, p + len, f);
                if (!stopOk) {
                    t.breakAt(f, Space.STREAM, p + 5 + l, "the stop byte 16 after L " + l + " bytes (the decoder resumes"
                            + " one byte after the frame's start)");
                } else if (!sumOk) {
                    t.breakAt(f, Space.STREAM, p + 4 + l, "checksum " + hex2(sum));
                } else if (l < 5) {
                    t.breakAt(f, Space.STREAM, p + 1, "L of at least 5 (C, A, CI, STSAP, DTSAP)");
                } else {
                    t.breakAt(f, Space.STREAM, p + 6, "a CI field of a DLMS segment (bits 5-7 clear)");
                }
                p++;
                continue;
            }
            int ci = a[p + 6] & 0xFF;
            int segment = ci & 0x0F;
            boolean last = (ci & 0x10) != 0;
            if (segment == 0) {
                if (open != null) {
                    Telegram t = unfinished(open);
                    t.breakAt(t.node, Space.STREAM, p, "segment " + open.expected + "; a new telegram (segment 0) began");
                }
                open = new Assembly(p);
            } else if (open == null || segment != open.expected) {
                Assembly dropped = open != null ? open : new Assembly(p);
                dropped.frames.add(f);
                dropped.end = p + len;
                Telegram t = unfinished(dropped);
                t.breakAt(t.node, Space.STREAM, p, open == null ? "segment 0 first; this is segment " + segment
                        + " of a telegram whose start is not in the capture (or was damaged)"
                        : "segment " + open.expected + ", got segment " + segment);
                open = null;
                p += len;
                continue;
            }
            open.frames.add(f);
            open.data.write(a, p + 9, l - 5);
            open.end = p + len;
            open.expected++;
            p += len;
            if (last) {
                unit(open, open.data.toByteArray(), null);
                open = null;
            }
        }
        if (open != null) {
            Telegram t = unfinished(open);
            t.breakAt(t.node, Space.STREAM, n, "segment " + open.expected + "; the capture ends");
        }
    }

    // ---- HDLC ----------------------------------------------------------------------------------

    private void hdlc() {
        Assembly open = null;
        int p = 0;
        while (p < n) {
            if ((a[p] & 0xFF) != 0x7E) {
                int q = p + 1;
                while (q < n && (a[q] & 0xFF) != 0x7E) {
                    q++;
                }
                skip(p, q);
                p = q;
                continue;
            }
            if (n - p < 3) {
                if (n - p > 1 || skipFrom >= 0) {
                    skip(p, n);
                }
                p = n;
                continue;
            }
            int f1 = a[p + 1] & 0xFF;
            int len = ((f1 & 0x07) << 8) | (a[p + 2] & 0xFF);
            if ((f1 & 0xF0) != 0xA0 || len < 7) {
                if (f1 != 0x7E || skipFrom >= 0) {
                    skip(p, p + 1); // a flag before a flag is an idle flag, not noise
                }
                p++;
                continue;
            }
            flushSkip(p);
            boolean more = (f1 & 0x08) != 0;
            StringBuilder text = new StringBuilder("HDLC frame type 3, format " + hex2(f1)
                    + hex2(a[p + 2]).substring(2) + " (length " + len + ", segmentation bit " + (more ? 1 : 0)
                    + (more ? ": more segments follow" : ": last segment") + ")");
            Node f = frameNode(p, Math.min(len + 2, n - p), null).put("transport", "hdlc").put("format_type", 3)
                    .put("frame_length", len).put("segmented", more);
            if (n - p < len + 2) {
                f.appendText(text + "; cut off: the format field says " + (len + 2) + " bytes with both flags, the"
                        + " capture has " + (n - p));
                Telegram t = broken(p, n, f);
                t.breakAt(f, Space.STREAM, n, (len + 2 - (n - p)) + " more bytes of the frame; the capture ends");
                p = n;
                continue;
            }
            int fcsPos = p + len - 1;
            int q = p + 3;
            int dst = address(a, q, fcsPos);
            int src = dst <= 0 ? 0 : address(a, q + dst, fcsPos);
            String broke = null;
            int brokeAt = -1;
            if ((a[p + len + 1] & 0xFF) != 0x7E) {
                broke = "the closing flag 7E after " + len + " bytes";
                brokeAt = p + len + 1;
            } else if (dst <= 0) {
                broke = dst == 0 ? "a destination address before the FCS" : "a destination address of 1 to 4 bytes";
                brokeAt = q;
            } else if (src <= 0) {
                broke = src == 0 ? "a source address before the FCS" : "a source address of 1 to 4 bytes";
                brokeAt = q + dst;
            }
            if (broke != null) {
                f.appendText(text.toString());
                Telegram t = broken(p, p + len + 2, f);
                t.breakAt(f, Space.STREAM, brokeAt, broke);
                p++;
                continue;
            }
            int control = q + dst + src;
            text.append(", destination ").append(Json.hex(a, q, dst)).append(" (").append(addressValue(a, q, dst))
                    .append("), source ").append(Json.hex(a, q + dst, src)).append(" (")
                    .append(addressValue(a, q + dst, src)).append("), control ").append(hex2(a[control]));
            f.put("destination", Json.hex(a, q, dst)).put("source", Json.hex(a, q + dst, src))
                    .put("control", a[control] & 0xFF);
            int header = control + 1;
            boolean fcsOk = InspectSupport.crc16(a, p + 1, fcsPos) == le16(a, fcsPos);
            if (header == fcsPos) {
                text.append(", no information field, FCS ").append(Json.hex(a, fcsPos, 2)).append(fcsOk ? " ok" : " BAD");
                f.appendText(text.toString());
                f.put("fcs", fcsOk ? "ok" : "bad");
                Telegram t = broken(p, p + len + 2, f);
                t.node.setText("telegram at " + p + ": 1 frame without an information field (link layer),"
                        + " nothing for the reader");
                p += len + 1;
                continue;
            }
            if (header + 2 > fcsPos) {
                f.appendText(text.toString());
                Telegram t = broken(p, p + len + 2, f);
                t.breakAt(f, Space.STREAM, header, "an HCS and an information field before the FCS");
                p++;
                continue;
            }
            boolean hcsOk = InspectSupport.crc16(a, p + 1, header) == le16(a, header);
            int info = header + 2;
            int infoLen = fcsPos - info;
            boolean llc = infoLen >= 3 && (a[info] & 0xFF) == 0xE6 && (a[info + 1] & 0xFE) == 0xE6 && a[info + 2] == 0;
            text.append(", HCS ").append(Json.hex(a, header, 2)).append(hcsOk ? " ok" : " BAD")
                    .append(", information ").append(infoLen).append(" bytes at ").append(info)
                    .append(", FCS ").append(Json.hex(a, fcsPos, 2)).append(fcsOk ? " ok" : " BAD");
            if (llc) {
                text.append(", LLC ").append(Json.hex(a, info, 3))
                        .append((a[info + 1] & 0xFF) == 0xE7 ? " (response)" : " (command)");
            }
            f.appendText(text.toString());
            f.put("hcs", hcsOk ? "ok" : "bad").put("fcs", fcsOk ? "ok" : "bad").put("information_offset", info)
                    .put("information_length", infoLen).put("llc", llc ? Json.hex(a, info, 3) : null);
            if (!hcsOk || (!fcsOk && !options.badFcs())) {
                Telegram t = broken(p, p + len + 2, f);
                t.breakAt(f, Space.STREAM, hcsOk ? fcsPos : header, hcsOk ? "FCS " + hex4(InspectSupport.crc16(a, p + 1,
                        fcsPos)) : "HCS " + hex4(InspectSupport.crc16(a, p + 1, header)));
                p++;
                continue;
            }
            if (open != null && llc) {
                Telegram t = unfinished(open);
                t.breakAt(t.node, Space.STREAM, p, "a last segment; a new telegram (LLC header) began");
                open = null;
            }
            if (open == null) {
                open = new Assembly(p);
                if (llc) {
                    info += 3;
                    infoLen -= 3;
                }
            }
            open.frames.add(f);
            open.data.write(a, info, infoLen);
            open.end = p + len + 2;
            p += len + 1;
            if (!more) {
                unit(open, open.data.toByteArray(), open.frames.size() > 1 || llc ? "LLC header left out" : null);
                open = null;
            }
        }
        if (open != null) {
            Telegram t = unfinished(open);
            t.breakAt(t.node, Space.STREAM, n, "a last segment (segmentation bit 0); the capture ends");
        }
    }

    /** Whether the HDLC frame at {@code p} has a good HCS (a meter may send a bad FCS, and a spec tolerate it). */
    private static boolean hcsOk(byte[] a, int p, int len) {
        int fcsPos = p + len - 1;
        int dst = address(a, p + 3, fcsPos);
        int src = dst <= 0 ? 0 : address(a, p + 3 + dst, fcsPos);
        int header = p + 3 + dst + src + 1;
        return dst > 0 && src > 0 && header + 2 <= fcsPos && InspectSupport.crc16(a, p + 1, header) == le16(a, header);
    }

    private static int address(byte[] a, int q, int limit) {
        for (int k = 1; k <= 4; k++) {
            if (q + k - 1 >= limit) {
                return 0;
            }
            if ((a[q + k - 1] & 1) != 0) {
                return k;
            }
        }
        return -1;
    }

    /** An HDLC address's value: each byte's upper seven bits, most significant first. */
    private static long addressValue(byte[] a, int q, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 7) | ((a[q + i] & 0xFF) >> 1);
        }
        return v;
    }

    private static int le16(byte[] a, int p) {
        return (a[p] & 0xFF) | (a[p + 1] & 0xFF) << 8;
    }

    // ---- bare APDUs ----------------------------------------------------------------------------

    private static boolean isStart(int b) {
        return b == DATA_NOTIFICATION || b == GLO || b == DED || b == BLOCK;
    }

    private void raw() {
        int p = 0;
        while (p < n) {
            int tag = a[p] & 0xFF;
            if (!isStart(tag)) {
                skip(p, p + 1);
                p++;
                continue;
            }
            int total;
            if (tag == DATA_NOTIFICATION) {
                total = notificationLength(a, p);
            } else {
                int[] l = axdrLength(a, tag == BLOCK ? p + 6 : p + 1, n);
                total = l == null ? -1 : l[0] == -2 ? -2 : (tag == BLOCK ? 6 : 1) + l[1] + l[0];
            }
            if (total == -2) {
                skip(p, p + 1); // no readable length: not an APDU start after all
                p++;
                continue;
            }
            flushSkip(p);
            int end = total < 0 || p + (long) total > n ? n : p + total;
            Node f = frameNode(p, end - p, "bare APDU " + hex2(tag) + " (" + apduName(tag) + ")"
                    + (total < 0 || p + (long) total > n ? ", cut off: the capture ends inside it" : ""))
                    .put("transport", "raw").put("apdu_tag", tag);
            Assembly u = new Assembly(p);
            u.frames.add(f);
            u.end = end;
            unit(u, java.util.Arrays.copyOfRange(a, p, end), null);
            p = end;
        }
    }

    /** Bytes of the plain notification at {@code p}, header and one A-XDR element; -1 when it is cut off. */
    private static int notificationLength(byte[] a, int p) {
        int q = p + 5;
        if (q >= a.length) {
            return -1;
        }
        int dt = a[q] & 0xFF;
        if (dt == 0) {
            q++;
        } else if (dt == 12) {
            q += 13;
        } else if (dt == 9 && q + 1 < a.length && (a[q + 1] & 0xFF) == 12) {
            q += 14;
        } else {
            return 6;
        }
        int end = skipElement(a, q, a.length, 0);
        return end < 0 ? -1 : end - p;
    }

    /** End of the A-XDR element at {@code p}, or -1. */
    private static int skipElement(byte[] a, int p, int end, int depth) {
        if (p >= end || depth > MAX_DEPTH) {
            return -1;
        }
        int tag = a[p] & 0xFF;
        if (tag == 1 || tag == 2) {
            int[] l = axdrLength(a, p + 1, end);
            if (l == null || l[0] < 0) {
                return -1;
            }
            int q = p + 1 + l[1];
            for (long i = 0; i < l[0]; i++) {
                q = skipElement(a, q, end, depth + 1);
                if (q < 0) {
                    return -1;
                }
            }
            return q;
        }
        int size = valueSize(a, p, end);
        return size < 0 || p + 1 + (long) size > end ? -1 : p + 1 + size;
    }

    /** Bytes after the tag of the scalar at {@code p}, length prefix included; -1 when unknown or cut off. */
    private static int valueSize(byte[] a, int p, int end) {
        int tag = a[p] & 0xFF;
        int fixed = org.meterspec.runtime.Axdr.fixedSize(tag);
        if (fixed >= 0) {
            return fixed;
        }
        if (tag == 4 || tag == 9 || tag == 10 || tag == 12) {
            int[] l = axdrLength(a, p + 1, end);
            if (l == null || l[0] < 0) {
                return -1;
            }
            long bytes = tag == 4 ? (l[0] + 7L) / 8 : l[0];
            return bytes > Integer.MAX_VALUE - 8 ? -1 : l[1] + (int) bytes;
        }
        return -1;
    }

    /**
     * The A-XDR length at {@code q}: {value, bytes it takes}; value -2 when its form is invalid
     * (0x80, or more than four length bytes); null when the bytes end inside it.
     */
    static int[] axdrLength(byte[] a, int q, int end) {
        if (q >= end) {
            return null;
        }
        int first = a[q] & 0xFF;
        if (first < 0x80) {
            return new int[] {first, 1};
        }
        int k = first & 0x7F;
        if (k == 0 || k > 4) {
            return new int[] {-2, 1};
        }
        if (q + k >= end) {
            return null;
        }
        long v = 0;
        for (int i = 1; i <= k; i++) {
            v = (v << 8) | (a[q + i] & 0xFF);
        }
        return v > Integer.MAX_VALUE ? new int[] {-2, 1 + k} : new int[] {(int) v, 1 + k};
    }

    // ---- telegrams -----------------------------------------------------------------------------

    private Node frameNode(int p, int len, String text) {
        Node f = new Node("frames", true, null);
        f.put("offset", p).put("length", len);
        f.appendTextPrefix("frame at " + p + ", " + len + " bytes: ");
        if (text != null) {
            f.appendText(text);
        }
        return f;
    }

    private Telegram newTelegram(int start, int end, String transport) {
        Telegram t = new Telegram(start, end);
        t.node.put("telegram", 0).put("offset", start).put("length", end - start).put("transport", transport);
        for (Node s : skipped) {
            t.node.adopt(s);
        }
        skipped.clear();
        out.add(t);
        return t;
    }

    /** A telegram of one damaged or cut-off frame. */
    private Telegram broken(int start, int end, Node frame) {
        Telegram t = newTelegram(start, end, transportName());
        t.node.setText("telegram at " + start + ": 1 frame, damaged");
        t.node.adopt(frame);
        t.span(Space.STREAM, start, end - start, frame);
        return t;
    }

    /** A telegram whose segments were not all there. */
    private Telegram unfinished(Assembly u) {
        Telegram t = newTelegram(u.start, Math.max(u.end, u.start), transportName());
        t.node.setText("telegram at " + u.start + ": " + u.frames.size() + " frame" + (u.frames.size() == 1 ? "" : "s")
                + ", not all its segments");
        for (Node f : u.frames) {
            t.node.adopt(f);
            t.span(Space.STREAM, ((Integer) f.field("offset")), (Integer) f.field("length"), f);
        }
        return t;
    }

    private String transportName() {
        return current.jsonName();
    }

    private Transport current;

    /** An open block transfer: its first telegram, which gets the joined APDU. */
    private Telegram transfer;
    private ByteArrayOutputStream blocks;
    private int nextBlock;

    /** The payload of a whole transport telegram: an APDU, or a block of one. */
    private void unit(Assembly u, byte[] apdu, String note) {
        boolean isBlock = apdu.length > 0 && (apdu[0] & 0xFF) == BLOCK;
        Telegram t;
        if (isBlock && transfer != null && blockNumber(apdu) != 1 && blockNumber(apdu) == nextBlock) {
            t = transfer; // the transfer goes on in this telegram
            t.end = u.end;
            t.node.put("length", t.end - t.start);
        } else {
            if (transfer != null) {
                Telegram open = transfer;
                transfer = null;
                open.breakAt(open.node, Space.STREAM, u.start, "block " + nextBlock + " of the block transfer;"
                        + " another telegram came");
                apdu(open, null);
            }
            t = newTelegram(u.start, u.end, transportName());
        }
        for (Node f : u.frames) {
            t.node.adopt(f);
            t.span(Space.STREAM, (Integer) f.field("offset"), (Integer) f.field("length"), f);
        }
        int frames = t.node.count("frames");
        t.node.setText("telegram at " + t.start + ": " + frames + " frame" + (frames == 1 ? "" : "s")
                + (u.frames.size() > 1 ? " joined" : ""));
        if (!isBlock) {
            Node ap = t.node.child("transport_apdu", "APDU of " + apdu.length + " bytes"
                    + (note != null ? " (" + note + ")" : "")).put("length", apdu.length);
            t.span(Space.APDU, 0, apdu.length, ap);
            apdu(t, apdu);
            return;
        }
        Node b = block(t, apdu, u.start);
        if (b == null) {
            transfer = null;
            return;
        }
        boolean last = (apdu[1] & 0x80) != 0;
        int number = blockNumber(apdu);
        if (number == 1 || transfer == null) {
            if (number != 1) {
                t.breakAt(b, Space.STREAM, u.start, "block 1 first; this is block " + number);
                transfer = null;
                return;
            }
            transfer = t;
            blocks = new ByteArrayOutputStream();
        }
        int[] l = axdrLength(apdu, 6, apdu.length);
        blocks.write(apdu, 6 + l[1], l[0]);
        nextBlock = number + 1;
        if (last) {
            transfer = null;
            byte[] joined = blocks.toByteArray();
            Node ap = t.node.child("transport_apdu", "APDU of " + joined.length + " bytes (" + (nextBlock - 1)
                    + " blocks joined)").put("length", joined.length);
            t.span(Space.APDU, 0, joined.length, ap);
            apdu(t, joined);
        }
    }

    private static int blockNumber(byte[] apdu) {
        return apdu.length >= 4 ? (apdu[2] & 0xFF) << 8 | (apdu[3] & 0xFF) : -1;
    }

    /** A block's node; null (with a break) when it cannot be read. */
    private Node block(Telegram t, byte[] b, int at) {
        Node n = t.node.item("blocks", "general-block-transfer (E0)").put("offset", at);
        if (b.length < 7) {
            t.breakAt(n, Space.STREAM, at, "a block header of 7 bytes (E0, control, block number, acknowledged"
                    + " block, length); the block has " + b.length);
            return null;
        }
        int number = blockNumber(b);
        boolean last = (b[1] & 0x80) != 0;
        int[] l = axdrLength(b, 6, b.length);
        n.appendText(": control " + hex2(b[1]) + (last ? " (last block)" : " (more blocks follow)") + ", block "
                + number + ", acknowledged " + ((b[4] & 0xFF) << 8 | (b[5] & 0xFF)));
        n.put("control", b[1] & 0xFF).put("last", last).put("block", number).put("acknowledged",
                (b[4] & 0xFF) << 8 | (b[5] & 0xFF));
        if (l == null || l[0] < 0 || 6 + l[1] + l[0] != b.length) {
            t.breakAt(n, Space.STREAM, at + 6, "a block length that takes the rest of the block ("
                    + (b.length - 7) + " bytes)");
            return null;
        }
        n.appendText(", " + l[0] + " data bytes");
        n.put("length", l[0]);
        return n;
    }

    private void finish() {
        if (transfer != null) {
            Telegram open = transfer;
            transfer = null;
            open.breakAt(open.node, Space.STREAM, n, "block " + nextBlock + " of the block transfer; the capture ends");
        }
        if (!skipped.isEmpty() && !out.isEmpty()) {
            for (Node s : skipped) {
                out.get(out.size() - 1).node.adopt(s);
            }
            skipped.clear();
        }
        out.sort(Comparator.comparingInt(Telegram::start));
        for (int i = 0; i < out.size(); i++) {
            Telegram t = out.get(i);
            t.node.put("telegram", i + 1);
            t.node.setText("#" + (i + 1) + " " + t.node.text());
            t.node.put("status", t.broken() ? "broken" : "complete");
            if (options.swappedObis() || options.descriptors()) {
                // how untagged elements were read: the first line says it for people, this for tools
                t.node.put("read_with", (options.swappedObis() ? "swapped_obis_header" : "")
                        + (options.swappedObis() && options.descriptors() ? " " : "")
                        + (options.descriptors() ? "descriptor" : ""));
            }
        }
    }

    /** The security, APDU and body layers of a whole APDU; null when the telegram stopped before one. */
    private void apdu(Telegram t, byte[] apdu) {
        if (apdu == null) {
            return;
        }
        new ApduInspector(t, apdu, options).run();
    }

    static String apduName(int tag) {
        return switch (tag) {
            case DATA_NOTIFICATION -> "data-notification";
            case GLO -> "general-glo-ciphering";
            case DED -> "general-ded-ciphering";
            case BLOCK -> "general-block-transfer";
            default -> "unknown APDU";
        };
    }

    static String hex2(int b) {
        return String.format("0x%02X", b & 0xFF);
    }

    static String hex4(int v) {
        return String.format("%02X%02X", v & 0xFF, (v >> 8) & 0xFF);
    }
}
