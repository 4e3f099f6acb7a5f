package org.meterspec.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.Op;
import org.meterspec.gen.plan.ValueEntry;
import org.meterspec.runtime.Tolerance;
import org.meterspec.testkit.Apdu;
import org.meterspec.testkit.AxdrWriter;
import org.meterspec.testkit.Ciphered;
import org.meterspec.testkit.HdlcFraming;
import org.meterspec.testkit.MbusFraming;

/**
 * Telegrams a spec's meter could send, made from its decode plan with the independent encoder of
 * {@code testkit}: random values of the types each element allows, random repeat counts,
 * alternatives and optional items, the notification header the spec asks for, each security mode
 * and control byte it accepts (random system titles, frame counters and keys, encrypted with Bouncy
 * Castle), block transfer where allowed, and the spec's framing.
 */
final class PlanTelegrams {
    /** A telegram as the wire carries it, with the keys it was ciphered with (null: plain). */
    record Telegram(byte[] bytes, byte[] key, byte[] authKey, String how) {
    }

    private final DecodePlan plan;
    private final Random r;
    private final boolean swappedObis;
    /** The OBIS code of the group being written, chosen at its start. */
    private long groupCode;
    private ValueEntry groupEntry;

    /** Keys for the ciphered telegrams: random for each one when null. */
    private final byte[] key;
    private final byte[] authKey;

    PlanTelegrams(DecodePlan plan, Random random) {
        this(plan, random, null, null);
    }

    /** Telegrams ciphered with these keys (each null: random per telegram). */
    PlanTelegrams(DecodePlan plan, Random random, byte[] key, byte[] authKey) {
        this.plan = plan;
        this.r = random;
        this.swappedObis = plan.config().tolerates(Tolerance.SWAPPED_OBIS_HEADER);
        this.key = key;
        this.authKey = authKey;
    }

    /** A telegram within the spec's bounds (smaller layouts are drawn until one fits). */
    Telegram next() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int scale = attempt < 4 ? 3 : attempt < 12 ? 1 : 0; // fewer repeats and shorter strings as attempts fail
            byte[] body = body(scale);
            Telegram t = wrap(body);
            if (t != null) {
                return t;
            }
        }
        throw new IllegalStateException("no telegram of " + plan.meter() + " fits its bounds");
    }

    // ---- body -----------------------------------------------------------------------------

    private int scale;

    private byte[] body(int scale) {
        this.scale = scale;
        AxdrWriter w = new AxdrWriter();
        write(plan.body().root(), w);
        return w.toByteArray();
    }

    /** Writes one standalone operation's element. */
    private void write(Op op, AxdrWriter w) {
        if (op instanceof Op.Structure s) {
            AxdrWriter items = new AxdrWriter();
            int count = items(s.items(), items);
            w.structure(count).raw(items.toByteArray());
        } else if (op instanceof Op.Array a) {
            int n = r.nextInt(Math.min(a.max(), 1 + scale * 2) + 1);
            w.array(n);
            for (int i = 0; i < n; i++) {
                write(a.item(), w);
            }
        } else if (op instanceof Op.Choice c) {
            int alternatives = c.byCount().size() + c.byTag().size();
            int pick = r.nextInt(alternatives);
            write(pick < c.byCount().size() ? c.byCount().get(pick).alternative()
                    : c.byTag().get(pick - c.byCount().size()).alternative(), w);
        } else if (op instanceof Op.Positional p && p.structured()) {
            structured(w, p.typeMask(), p.maxLength(), p.maxDepth(), p.maxLeaves(), p.entry());
        } else if (op instanceof Op.Positional p) {
            value(w, p.typeMask() & entryMask(p.entry()), p.dateTimeOctets(), p.maxLength(), p.entry());
        } else if (op instanceof Op.Skip s) {
            skipped(w, s.typeMask());
        } else {
            throw new IllegalStateException("not a standalone operation: " + op);
        }
    }

    /** Writes a structure's (or repeat's) items; returns how many elements they took. */
    private int items(List<Op> items, AxdrWriter w) {
        int count = 0;
        for (Op op : items) {
            if (op instanceof Op.Element e) {
                item(e.item(), w);
                count++;
            } else if (op instanceof Op.Optional o) {
                if (r.nextBoolean()) {
                    item(o.element().item(), w);
                    count++;
                }
            } else if (op instanceof Op.Repeat rep) {
                int n = r.nextInt(Math.min(rep.max(), 1 + scale * 3) + 1);
                for (int i = 0; i < n; i++) {
                    AxdrWriter once = new AxdrWriter();
                    int taken = items(rep.items(), once);
                    if (taken == 0) {
                        break; // an iteration that takes no element would never end the repeat
                    }
                    w.raw(once.toByteArray());
                    count += taken;
                }
            } else if (op instanceof Op.GroupBegin g) {
                groupEntry = g.fixed() != null ? g.fixed() : randomEntry();
                groupCode = groupEntry != null ? groupEntry.obis() : randomCode();
            } else if (op instanceof Op.GroupEnd) {
                groupEntry = null;
            } else if (op instanceof Op.PushObjects p) {
                count += push(p, w);
            } else {
                throw new IllegalStateException("not a structure item: " + op);
            }
        }
        return count;
    }

    /** One structure item, its element counted. */
    private void item(Op op, AxdrWriter w) {
        if (op instanceof Op.ObisField) {
            if (swappedObis && r.nextInt(4) == 0) {
                w.raw(6, AxdrWriter.OCTET_STRING);
                w.raw(obisBytes(groupCode));
            } else {
                w.obis(groupCode);
            }
        } else if (op instanceof Op.Descriptor) {
            w.raw(0, 3).raw(obisBytes(groupCode)).raw(2);
        } else if (op instanceof Op.ScalerUnit) {
            w.scalerUnit(r.nextInt(9) - 4, r.nextBoolean() ? 30 : r.nextInt(256));
        } else if (op instanceof Op.GroupValue v && v.structured()) {
            structured(w, v.typeMask(), v.maxLength(), v.maxDepth(), v.maxLeaves(), groupEntry);
        } else if (op instanceof Op.GroupValue v) {
            value(w, v.typeMask() & entryMask(groupEntry), v.dateTimeOctets(), v.maxLength(), groupEntry);
        } else {
            write(op, w);
        }
    }

    private static int entryMask(ValueEntry e) {
        return e == null || e.typeMask() == 0 ? -1 : e.typeMask();
    }

    private ValueEntry randomEntry() {
        List<ValueEntry> table = plan.values().table();
        return table.isEmpty() || r.nextInt(5) == 0 ? null : table.get(r.nextInt(table.size()));
    }

    private long randomCode() {
        return ((long) r.nextInt(2) << 40) | ((long) r.nextInt(2) << 32) | ((long) r.nextInt(100) << 24)
                | ((long) r.nextInt(10) << 16) | ((long) r.nextInt(3) << 8) | 0xFF;
    }

    private static byte[] obisBytes(long code) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (code >>> (8 * (5 - i)));
        }
        return b;
    }

    /** A self-describing push: its object list, then one value per further entry; the elements it took. */
    private int push(Op.PushObjects p, AxdrWriter w) {
        int n = 1 + r.nextInt(Math.min(p.maxObjects(), 2 + scale * 3));
        w.array(n);
        List<Long> codes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long code = i == 0 ? 0x0000190900FFL : r.nextBoolean() && !plan.values().table().isEmpty()
                    ? plan.values().table().get(r.nextInt(plan.values().table().size())).obis() : randomCode();
            codes.add(code);
            w.structure(4).uint16(i == 0 ? 40 : 3).obis(code).int8(2).uint16(0);
        }
        for (int i = 1; i < n; i++) {
            ValueEntry e = entry(codes.get(i));
            int mask = org.meterspec.runtime.Axdr.SCALARS & entryMask(e);
            if (r.nextInt(6) == 0 && p.maxDepth() > 0) {
                structured(w, (1 << AxdrWriter.STRUCTURE) | (1 << AxdrWriter.ARRAY), p.maxLength(), p.maxDepth(),
                        p.maxLeaves(), e);
            } else {
                value(w, mask, false, p.maxLength(), e);
            }
        }
        return n;
    }

    /**
     * A structured value, reported leaf by leaf: a structure or array (of the mask's) of a few
     * scalars the entry allows, and, where the depth allows, a container of a few more among them.
     */
    private void structured(AxdrWriter w, int mask, int maxLength, int maxDepth, int maxLeaves, ValueEntry entry) {
        int leafMask = org.meterspec.runtime.Axdr.SCALARS & entryMask(entry);
        int budget = Math.min(maxLeaves, 1 + scale * 2);
        int n = r.nextInt(Math.min(budget, 3) + 1);
        boolean nested = maxDepth > 1 && n > 0 && r.nextInt(3) == 0;
        w.tag(pickTag(mask)).length(n);
        int written = 0;
        for (int i = 0; i < n; i++) {
            if (nested && i == n - 1) {
                int k = r.nextInt(Math.max(1, budget - written) + 1);
                k = Math.min(k, budget - written);
                w.tag(r.nextBoolean() ? AxdrWriter.STRUCTURE : AxdrWriter.ARRAY).length(k);
                for (int j = 0; j < k; j++) {
                    value(w, leafMask, false, maxLength, entry);
                }
            } else {
                value(w, leafMask, false, maxLength, entry);
                written++;
            }
        }
    }

    private ValueEntry entry(long code) {
        for (ValueEntry e : plan.values().table()) {
            if (e.obis() == code) {
                return e;
            }
        }
        return null;
    }

    /** A skipped element: a small scalar, or a container of a few, of a type the skip accepts. */
    private void skipped(AxdrWriter w, int mask) {
        int any = org.meterspec.runtime.Axdr.SCALARS | (1 << AxdrWriter.ARRAY) | (1 << AxdrWriter.STRUCTURE);
        int tag = pickTag(mask == 0 ? any : mask);
        if (tag == AxdrWriter.ARRAY || tag == AxdrWriter.STRUCTURE) {
            int n = r.nextInt(3);
            w.tag(tag).length(n);
            for (int i = 0; i < n; i++) {
                w.uint8(r.nextInt(256));
            }
        } else {
            value(w, 1 << tag, false, 4, null);
        }
    }

    private int pickTag(int mask) {
        List<Integer> tags = new ArrayList<>();
        for (int t = 0; t < 31; t++) {
            if ((mask & (1 << t)) != 0) {
                tags.add(t);
            }
        }
        return tags.get(r.nextInt(tags.size()));
    }

    /** A value of a tag in {@code mask}; strings and bit-strings of at most {@code max} bytes (bits). */
    private void value(AxdrWriter w, int mask, boolean dateTimeOctets, int max, ValueEntry entry) {
        if ((mask & ~(1 << 31)) == 0) {
            mask = 1 << AxdrWriter.NULL; // the entry allows nothing the element does: write what fails typed
        }
        int tag = pickTag(mask & ~(1 << 31));
        switch (tag) {
            case AxdrWriter.NULL -> w.nullData();
            case AxdrWriter.BOOLEAN -> w.bool(r.nextBoolean());
            case AxdrWriter.INT8 -> w.int8((byte) r.nextInt());
            case AxdrWriter.INT16 -> w.int16((short) r.nextInt());
            case AxdrWriter.INT32 -> w.int32(r.nextInt());
            case AxdrWriter.INT64 -> w.int64(r.nextLong());
            case AxdrWriter.UINT8 -> w.uint8(r.nextInt(256));
            case AxdrWriter.UINT16 -> w.uint16(r.nextInt(65536));
            case AxdrWriter.UINT32 -> w.uint32(r.nextInt() & 0xFFFFFFFFL);
            case AxdrWriter.UINT64 -> w.uint64(r.nextLong());
            case AxdrWriter.ENUM -> w.enumValue(r.nextInt(256));
            case AxdrWriter.BCD -> w.bcd(r.nextInt(256));
            case AxdrWriter.FLOAT32 -> w.float32(Float.intBitsToFloat(r.nextInt()));
            case AxdrWriter.FLOAT64 -> w.float64(Double.longBitsToDouble(r.nextLong()));
            case AxdrWriter.DATE_TIME -> w.dateTime(dateTime());
            case AxdrWriter.DATE -> w.date(java.util.Arrays.copyOf(dateTime(), 5));
            case AxdrWriter.TIME -> w.time(java.util.Arrays.copyOfRange(dateTime(), 5, 9));
            case AxdrWriter.BIT_STRING -> {
                int bits = r.nextInt(Math.max(1, Math.min(max, 24)) + 1);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < bits; i++) {
                    sb.append(r.nextBoolean() ? '1' : '0');
                }
                w.bitString(sb.toString());
            }
            case AxdrWriter.OCTET_STRING -> w.octetString(dateTimeOctets ? dateTime() : bytes(max));
            case AxdrWriter.VISIBLE_STRING -> w.visibleString(bytes(max));
            case AxdrWriter.UTF8_STRING -> w.utf8String(bytes(max));
            default -> throw new IllegalStateException("no value of tag " + tag);
        }
    }

    /** Bytes for a string: text, text padded with NULs, or any bytes. */
    private byte[] bytes(int max) {
        int n = r.nextInt(Math.min(max, 4 + scale * 8) + 1);
        byte[] b = new byte[n];
        switch (r.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) (0x20 + r.nextInt(0x5F));
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    b[i] = i < n / 2 ? (byte) ('A' + r.nextInt(26)) : 0;
                }
            }
            default -> r.nextBytes(b);
        }
        return b;
    }

    /** A COSEM date-time: valid most of the time, with unspecified fields and deviations now and then. */
    private byte[] dateTime() {
        if (r.nextInt(8) == 0) {
            byte[] b = new byte[12];
            r.nextBytes(b);
            return b;
        }
        int deviation = r.nextInt(4) == 0 ? AxdrWriter.NO_DEVIATION : (r.nextInt(25) - 12) * 60;
        return AxdrWriter.dateTimeBytes(2000 + r.nextInt(40), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                r.nextInt(60), r.nextInt(5) == 0 ? AxdrWriter.UNSPECIFIED : r.nextInt(60), r.nextInt(100), deviation);
    }

    // ---- around the body ------------------------------------------------------------------

    /** The telegram around a body, or null when it does not fit the spec's bounds. */
    private Telegram wrap(byte[] body) {
        DecodePlan.Config c = plan.config();
        byte[] dateTime = switch (c.notification().dateTime()) {
            case REQUIRED -> dateTime();
            case ABSENT -> null;
            case OPTIONAL -> r.nextBoolean() ? dateTime() : null;
        };
        byte[] plain = Apdu.dataNotification(r.nextInt() & 0xFFFFFFFFL, dateTime, body);
        DecodePlan.Security s = c.security();
        List<Integer> modes = new ArrayList<>();
        if (s.plain() && !s.authenticationRequired()) {
            modes.add(0);
        }
        if (s.glo()) {
            modes.add(Ciphered.GLO);
        }
        if (s.ded()) {
            modes.add(Ciphered.DED);
        }
        int mode = modes.get(r.nextInt(modes.size()));
        byte[] apdu = plain;
        byte[] key = null;
        byte[] authKey = null;
        String how = "plain";
        if (mode != 0) {
            List<Integer> controls = new ArrayList<>(s.controls());
            if (s.authenticationRequired()) {
                controls.removeIf(sc -> (sc & 0x10) == 0);
            }
            int control = controls.get(r.nextInt(controls.size()));
            key = this.key != null ? this.key : random16();
            authKey = this.authKey != null ? this.authKey : random16();
            byte[] systemTitle = new byte[8];
            r.nextBytes(systemTitle);
            Ciphered ciphered = mode == Ciphered.GLO ? Ciphered.glo(systemTitle, r.nextInt() & 0xFFFFFFFFL)
                    : Ciphered.ded(systemTitle, r.nextInt() & 0xFFFFFFFFL);
            apdu = ciphered.control(control).keys(key, authKey).wrap(plain);
            how = String.format("%s 0x%02X", mode == Ciphered.GLO ? "glo" : "ded", control);
        }
        if (apdu.length > c.sizes().maxApdu()) {
            return null;
        }
        List<byte[]> apdus = List.of(apdu);
        if (c.notification().maxBlocks() > 0 && r.nextBoolean()) {
            int blocks = 1 + r.nextInt(c.notification().maxBlocks());
            apdus = Apdu.blocks(apdu, Math.max(1, (apdu.length + blocks - 1) / blocks));
            if (apdus.size() > c.notification().maxBlocks()) {
                return null;
            }
            how += ", " + apdus.size() + " blocks";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] a : apdus) {
            if (a.length > c.sizes().maxTelegram()) {
                return null;
            }
            List<byte[]> frames = frames(a);
            if (frames == null) {
                return null;
            }
            frames.forEach(out::writeBytes);
        }
        return new Telegram(out.toByteArray(), key, authKey, how);
    }

    /** The transport frames of one APDU, or null when they are more than the spec allows. */
    private List<byte[]> frames(byte[] apdu) {
        DecodePlan.Transport t = plan.config().transport();
        List<byte[]> frames;
        if (t instanceof DecodePlan.Transport.Mbus m) {
            MbusFraming f = new MbusFraming();
            if (m.control() != null) {
                f.control(m.control());
            }
            if (m.address() != null) {
                f.address(m.address());
            }
            f.sap(m.stsap() != null ? m.stsap() : 0x01, m.dtsap() != null ? m.dtsap() : 0x67);
            f.maxData(Math.min(MbusFraming.MAX_DATA, 16 + r.nextInt(MbusFraming.MAX_DATA - 15)));
            frames = f.frames(apdu);
        } else if (t instanceof DecodePlan.Transport.Hdlc h) {
            HdlcFraming f = new HdlcFraming();
            f.destination(address(h.destinationLength()));
            f.source(address(h.sourceLength()));
            boolean llc = switch (h.llc()) {
                case REQUIRED -> true;
                case ABSENT -> false;
                case OPTIONAL -> r.nextBoolean();
            };
            f.llc(llc);
            f.maxInfo(32 + r.nextInt(200));
            frames = f.frames(apdu);
        } else {
            frames = List.of(apdu);
        }
        return frames.size() > plan.config().sizes().maxFrames() ? null : frames;
    }

    private byte[] random16() {
        byte[] b = new byte[16];
        r.nextBytes(b);
        return b;
    }

    /** An HDLC address of the spec's length (or a random one of 1, 2 or 4 bytes). */
    private int[] address(Integer length) {
        int n = length != null ? length : new int[] {1, 2, 4}[r.nextInt(3)];
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextInt(128) << 1) | (i == n - 1 ? 1 : 0);
        }
        return a;
    }
}
