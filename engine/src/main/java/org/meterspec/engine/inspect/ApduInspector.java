package org.meterspec.engine.inspect;

import static org.meterspec.engine.inspect.Inspector.hex2;

import java.util.Locale;
import org.meterspec.engine.inspect.Telegram.Space;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.DateTimes;
import org.meterspec.runtime.InspectSupport;
import org.meterspec.runtime.Json;
import org.meterspec.runtime.Obis;

/**
 * The layers inside one APDU: the ciphering header (decrypted with a key), the DATA-NOTIFICATION
 * header and its A-XDR tree. Offsets are in the APDU as the transport delivered it for the
 * ciphering header, and in the decrypted DATA-NOTIFICATION after it, as the decoders count them.
 */
final class ApduInspector {
    private static final int SYSTEM_TITLE = 8;

    private final Telegram t;
    private final byte[] apdu;
    private final Inspector.Options options;
    private int nodes;

    ApduInspector(Telegram t, byte[] apdu, Inspector.Options options) {
        this.t = t;
        this.apdu = apdu;
        this.options = options;
    }

    void run() {
        Node top = t.node;
        if (apdu.length == 0) {
            t.breakAt(top, Space.APDU, 0, "an APDU tag; the APDU is empty");
            return;
        }
        int tag = apdu[0] & 0xFF;
        if (tag == 0xDB || tag == 0xDC) {
            t.ciphered = true;
            byte[] plain = security(top, tag);
            if (plain != null) {
                notification(top, plain, Space.NOTIFICATION);
            }
        } else if (tag == 0x0F) {
            notification(top, apdu, Space.APDU);
        } else {
            Node n = top.child("apdu", "APDU tag " + hex2(tag) + " (" + Inspector.apduName(tag) + ")").put("tag", tag);
            t.breakAt(n, Space.APDU, 0, "0F (data-notification), DB (general-glo-ciphering) or DC"
                    + " (general-ded-ciphering)");
        }
    }

    /** The ciphering header; the plaintext, or null where the telegram stops. */
    private byte[] security(Node top, int tag) {
        byte[] a = apdu;
        Node s = top.child("security", Inspector.apduName(tag) + " (" + hex2(tag) + ")").put("tag", tag)
                .put("service", Inspector.apduName(tag));
        t.span(Space.APDU, 0, a.length, s);
        if (a.length < 2) {
            t.breakAt(s, Space.APDU, a.length, "the system title's length (08); the APDU ends");
            return null;
        }
        if ((a[1] & 0xFF) != SYSTEM_TITLE) {
            t.span(Space.APDU, 1, 1, s.note("system title length " + (a[1] & 0xFF)));
            t.breakAt(s, Space.APDU, 1, "a system title of 8 bytes (length 08)");
            return null;
        }
        if (a.length < 2 + SYSTEM_TITLE) {
            t.breakAt(s, Space.APDU, a.length, "8 bytes of system title; the APDU ends");
            return null;
        }
        String st = Json.hex(a, 2, SYSTEM_TITLE);
        String flag = flag(a, 2);
        s.put("system_title", st).put("manufacturer", flag);
        t.span(Space.APDU, 2, SYSTEM_TITLE, s.note("@2 system title " + st
                + (flag != null ? " (manufacturer " + flag + ", serial " + Json.hex(a, 5, 5) + ")" : "")));
        int q = 2 + SYSTEM_TITLE;
        int[] l = Inspector.axdrLength(a, q, a.length);
        if (l == null || l[0] < 0) {
            t.breakAt(s, Space.APDU, l == null ? a.length : q, l == null ? "a length; the APDU ends"
                    : "a length of 1 to 4 bytes after 0x8n");
            return null;
        }
        int lengthAt = q;
        int content = q + l[1];
        t.span(Space.APDU, lengthAt, l[1], s.note("@" + lengthAt + " length " + l[0] + " (security control,"
                + " frame counter, ciphertext and tag)"));
        s.put("length", l[0]);
        if (content + (long) l[0] > a.length) {
            t.breakAt(s, Space.APDU, a.length, l[0] + " bytes after the length, as it says; there are "
                    + (a.length - content) + " (cut off)");
        } else if (content + l[0] < a.length) {
            s.child("trailing", (a.length - content - l[0]) + " bytes after the ciphered content, which the"
                    + " decoders refuse (APDU_TRAILING_BYTES)");
        }
        if (a.length < content + 5) {
            if (t.broken == null) {
                t.breakAt(s, Space.APDU, a.length, "the security control byte and 4 bytes of frame counter");
            }
            return null;
        }
        int sc = a[content] & 0xFF;
        boolean authenticated = (sc & 0x10) != 0;
        boolean encrypted = (sc & 0x20) != 0;
        boolean broadcast = (sc & 0x40) != 0;
        String words = "suite " + (sc & 0x0F) + ", " + (authenticated ? "authenticated (GCM tag)" : "not authenticated")
                + ", " + (encrypted ? "encrypted" : "not encrypted") + ", " + (broadcast ? "broadcast key" : "unicast key")
                + ", " + ((sc & 0x80) != 0 ? "compressed" : "not compressed");
        t.span(Space.APDU, content, 1, s.note("@" + content + " security control " + hex2(sc)
                + ": " + words)).put("security_control", sc);
        s.put("security_control", sc).put("authenticated", authenticated).put("encrypted", encrypted)
                .put("key_set", broadcast ? "broadcast" : "unicast").put("compressed", (sc & 0x80) != 0)
                .put("suite", sc & 0x0F);
        long fc = ((a[content + 1] & 0xFFL) << 24) | ((a[content + 2] & 0xFF) << 16) | ((a[content + 3] & 0xFF) << 8)
                | (a[content + 4] & 0xFF);
        s.put("frame_counter", fc);
        t.span(Space.APDU, content + 1, 4, s.note("@" + (content + 1) + " frame counter " + fc
                + " (" + Json.hex(a, content + 1, 4) + ")"));
        int body = content + 5;
        int avail = Math.min(a.length, content + l[0]) - body;
        int tagLen = authenticated ? InspectSupport.TAG_LENGTH : 0;
        int cipherLen = avail - tagLen;
        s.put("tag_present", authenticated).put("content_offset", body).put("content_length", Math.max(0, cipherLen));
        if (t.broken != null) {
            s.note((encrypted ? "ciphertext" : "content") + ": " + Math.max(0, avail)
                    + " bytes of the stated " + (l[0] - 5) + "; not " + (encrypted ? "decrypted" : "read"));
            return null;
        }
        if (cipherLen < 0 || (sc & 0x80) != 0) {
            t.breakAt(s, Space.APDU, lengthAt, (sc & 0x80) != 0 ? "no compression (the decoders do not decompress)"
                    : "room for the 12-byte tag in the length");
            return null;
        }
        t.span(Space.APDU, body, cipherLen, s.note("@" + body + " " + (encrypted ? "ciphertext" : "content")
                + ", " + cipherLen + " bytes" + (authenticated ? ", then the tag " + Json.hex(a, body + cipherLen, tagLen)
                + " at " + (body + cipherLen) : ", no tag")));
        byte[] key = broadcast ? options.broadcastKey() : options.key();
        byte[] authKey = options.authKey();
        byte[] plain;
        String how;
        boolean verifiedOk = false;
        if ((encrypted || authenticated) && key == null) {
            if (encrypted) {
                s.put("decryption", "no key");
                s.note("encrypted; no " + (broadcast ? "broadcast " : "") + "key given, so the"
                        + " DATA-NOTIFICATION inside is not shown (give --key" + (broadcast ? "" : "") + ")");
                return null;
            }
            plain = java.util.Arrays.copyOfRange(a, body, body + cipherLen);
            how = "plain content; tag not checked (no key)";
            s.put("tag_check", "not checked");
        } else if (authenticated && authKey != null) {
            byte[] verified = InspectSupport.decryptVerified(key, authKey, sc, encrypted, a, 2, fc, a, body, cipherLen);
            if (verified != null) {
                plain = verified;
                verifiedOk = true;
                how = (encrypted ? "decrypted; " : "") + "tag verified";
                s.put("tag_check", "verified");
            } else {
                plain = encrypted ? InspectSupport.decrypt(key, a, 2, fc, a, body, cipherLen)
                        : java.util.Arrays.copyOfRange(a, body, body + cipherLen);
                how = "tag MISMATCH (wrong key or authentication key, or damaged bytes); the content below is"
                        + " " + (encrypted ? "decrypted " : "") + "unverified";
                s.put("tag_check", "mismatch");
                t.span(Space.APDU, body + cipherLen, tagLen, s.note("@" + (body + cipherLen)
                        + " tag does not match"));
                t.breakAt(s, Space.APDU, body + cipherLen, "a tag that matches (the keys are wrong, or the"
                        + " telegram is damaged)");
            }
        } else if (encrypted) {
            plain = InspectSupport.decrypt(key, a, 2, fc, a, body, cipherLen);
            how = "decrypted; " + (authenticated ? "tag not checked (no authentication key)" : "no tag to check");
            s.put("tag_check", authenticated ? "not checked" : "absent");
        } else {
            plain = java.util.Arrays.copyOfRange(a, body, body + cipherLen);
            how = "not encrypted; " + (authenticated ? "tag not checked (no authentication key)" : "no tag");
            s.put("tag_check", authenticated ? "not checked" : "absent");
        }
        s.put("decryption", how);
        s.note(how + "; " + plain.length + " bytes of DATA-NOTIFICATION, offsets below count from"
                + " its first byte");
        if (plain.length == 0 || (plain[0] & 0xFF) != 0x0F) {
            t.breakAt(s, Space.APDU, body, "the decrypted content to begin with 0F (data-notification), it begins "
                    + (plain.length == 0 ? "nowhere (empty)" : "with " + hex2(plain[0]))
                    + (encrypted && !verifiedOk ? ": the wrong key, or damaged ciphertext" : ""));
            return null;
        }
        return plain;
    }

    /** The FLAG manufacturer id of a system title: its first three bytes when they are letters. */
    static String flag(byte[] a, int off) {
        for (int i = 0; i < 3; i++) {
            int c = a[off + i] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return null;
            }
        }
        return Json.latin1(a, off, 3);
    }

    private void notification(Node top, byte[] a, Space space) {
        Node nt = top.child("notification", "data-notification (0x0F), " + a.length + " bytes").put("length", a.length);
        t.span(space, 0, a.length, nt);
        if (a.length < 5) {
            t.breakAt(nt, space, a.length, "4 bytes of long-invoke-id-and-priority; the APDU ends");
            return;
        }
        long id = ((a[1] & 0xFFL) << 24) | ((a[2] & 0xFF) << 16) | ((a[3] & 0xFF) << 8) | (a[4] & 0xFF);
        nt.put("invoke_id_and_priority", id);
        t.span(space, 1, 4, nt.note("@1 long-invoke-id-and-priority " + Json.hex(a, 1, 4) + ": invoke id "
                + (id & 0xFFFFFF) + ", priority " + ((id & 0x80000000L) != 0 ? "high" : "normal") + ", "
                + ((id & 0x40000000L) != 0 ? "confirmed" : "unconfirmed")));
        if (a.length < 6) {
            t.breakAt(nt, space, a.length, "a date-time (00, or 0C and 12 bytes); the APDU ends");
            return;
        }
        int dt = a[5] & 0xFF;
        int q;
        if (dt == 0) {
            t.span(space, 5, 1, nt.note("@5 date-time absent (00)"));
            nt.put("date_time", null);
            q = 6;
        } else if (dt == 12 || (dt == 9 && a.length > 6 && (a[6] & 0xFF) == 12)) {
            int from = dt == 12 ? 6 : 7;
            if (from + 12 > a.length) {
                t.breakAt(nt, space, a.length, "12 bytes of date-time; the APDU ends");
                return;
            }
            String value = DateTimes.dateTime(a, from);
            nt.put("date_time", value);
            t.span(space, 5, from + 12 - 5, nt.note("@5 date-time" + (dt == 9 ? " (tagged 09 0C)" : "")
                    + " " + Json.hex(a, from, 12) + " = " + value));
            q = from + 12;
        } else {
            t.breakAt(nt, space, 5, "a date-time: 00 (absent) or 0C and 12 bytes; found " + hex2(dt));
            return;
        }
        int end = element(nt, false, a, q, 0, space, -1);
        if (end >= 0 && end < a.length) {
            t.span(space, end, a.length - end, nt.child("trailing", "@" + end + " " + (a.length - end)
                    + " bytes after the body's first element (a spec's layout may take them untagged; the decoders"
                    + " refuse what it leaves: APDU_TRAILING_BYTES)")).put("length", a.length - end);
        }
    }

    /**
     * The A-XDR element at {@code p}; its end, or -1 where it breaks. {@code leading} is the
     * element count of the structure whose first element this is, else -1: where the options say
     * so, a meter may send an untagged attribute descriptor or a swapped OBIS header there.
     */
    private int element(Node parent, boolean item, byte[] a, int p, int depth, Space space, long leading) {
        if (p >= a.length) {
            t.breakAt(parent, space, p, "an A-XDR tag; the APDU ends");
            return -1;
        }
        if (++nodes > Inspector.MAX_NODES) {
            t.breakAt(parent, space, p, "fewer than " + Inspector.MAX_NODES + " elements (inspect shows no more)");
            return -1;
        }
        int tag = a[p] & 0xFF;
        String key = item ? "items" : "body";
        if (leading == 2 && options.descriptors() && descriptorAt(a, p)) {
            return descriptor(parent, key, a, p, space);
        }
        if (leading > 0 && options.swappedObis() && tag == 0x06 && p + 8 <= a.length && (a[p + 1] & 0xFF) == 0x09) {
            Node e = parent.item(key, "@" + p + " 06 09 octet_string [6] (header sent swapped, 06 09)");
            e.put("offset", p).put("tag", Axdr.OCTET_STRING).put("type", Axdr.name(Axdr.OCTET_STRING)).put("length", 6)
                    .put("swapped_header", true);
            t.span(space, p, 8, e);
            value(e, Axdr.OCTET_STRING, a, p + 2, 6);
            return p + 8;
        }
        String head = "@" + p + " " + String.format("%02X", tag) + " " + Axdr.name(tag);
        Node e = item ? parent.item(key, head) : parent.child(key, head);
        e.put("offset", p).put("tag", tag).put("type", Axdr.name(tag));
        if (tag == Axdr.ARRAY || tag == Axdr.STRUCTURE) {
            int[] l = Inspector.axdrLength(a, p + 1, a.length);
            if (l == null || l[0] < 0) {
                t.span(space, p, 1, e);
                t.breakAt(e, space, l == null ? a.length : p + 1, l == null ? "an element count; the APDU ends"
                        : "an element count of 1 to 4 bytes after 0x8n");
                return -1;
            }
            e.appendText(", " + l[0] + (l[0] == 1 ? " element" : " elements"));
            e.put("count", l[0]);
            Telegram.Span span = new Telegram.Span(space, p, 1 + l[1], e);
            t.spans.add(span);
            int spanIndex = t.spans.size() - 1;
            if (depth >= Inspector.MAX_DEPTH) {
                t.breakAt(e, space, p, "nesting of at most " + Inspector.MAX_DEPTH + " levels (inspect shows no more)");
                return -1;
            }
            int q = p + 1 + l[1];
            for (long i = 0; i < l[0]; i++) {
                q = element(e, true, a, q, depth + 1, space, i == 0 && tag == Axdr.STRUCTURE ? l[0] : -1);
                if (q < 0) {
                    t.spans.set(spanIndex, new Telegram.Span(space, p, a.length - p, e));
                    return -1;
                }
            }
            t.spans.set(spanIndex, new Telegram.Span(space, p, q - p, e));
            return q;
        }
        int fixed = Axdr.fixedSize(tag);
        int v = p + 1;
        int len;
        if (fixed >= 0) {
            len = fixed;
        } else if (tag == Axdr.OCTET_STRING || tag == Axdr.VISIBLE_STRING || tag == Axdr.UTF8_STRING
                || tag == Axdr.BIT_STRING) {
            int[] l = Inspector.axdrLength(a, p + 1, a.length);
            if (l == null || l[0] < 0) {
                t.span(space, p, 1, e);
                t.breakAt(e, space, l == null ? a.length : p + 1, l == null ? "a length; the APDU ends"
                        : "a length of 1 to 4 bytes after 0x8n");
                return -1;
            }
            v = p + 1 + l[1];
            len = tag == Axdr.BIT_STRING ? (int) ((l[0] + 7L) / 8) : l[0];
            e.put(tag == Axdr.BIT_STRING ? "bits" : "length", l[0]);
            e.appendText(" [" + l[0] + (tag == Axdr.BIT_STRING ? " bits]" : "]"));
        } else {
            t.span(space, p, 1, e);
            t.breakAt(e, space, p, "an A-XDR data tag (00-1B as IEC 62056-6-2 lists them); " + hex2(tag)
                    + " is none (or the spec's layout sends this element untagged)");
            return -1;
        }
        if (v + (long) len > a.length) {
            t.span(space, p, a.length - p, e);
            t.breakAt(e, space, a.length, len + " bytes of " + Axdr.name(tag) + " at " + v + "; the APDU has "
                    + Math.max(0, a.length - v));
            return -1;
        }
        t.span(space, p, v + len - p, e);
        value(e, tag, a, v, len);
        return v + len;
    }

    /** COSEM interface classes a descriptor of a push or a list names (IEC 62056-6-2). */
    private static final java.util.Map<Integer, String> CLASSES = java.util.Map.ofEntries(
            java.util.Map.entry(1, "data"), java.util.Map.entry(3, "register"),
            java.util.Map.entry(4, "extended register"), java.util.Map.entry(5, "demand register"),
            java.util.Map.entry(7, "profile generic"), java.util.Map.entry(8, "clock"),
            java.util.Map.entry(9, "script table"), java.util.Map.entry(20, "activity calendar"),
            java.util.Map.entry(21, "register monitor"), java.util.Map.entry(40, "push setup"),
            java.util.Map.entry(61, "register table"), java.util.Map.entry(63, "status mapping"),
            java.util.Map.entry(70, "disconnect control"), java.util.Map.entry(71, "limiter"));

    /**
     * Whether 9 bytes at {@code p} read as an untagged attribute descriptor (class-id of a known
     * class, OBIS code, attribute 1 to 32) with a tagged element after it.
     */
    private static boolean descriptorAt(byte[] a, int p) {
        if (p + 9 >= a.length) {
            return false;
        }
        int classId = ((a[p] & 0xFF) << 8) | (a[p + 1] & 0xFF);
        int attribute = a[p + 8];
        int next = a[p + 9] & 0xFF;
        return CLASSES.containsKey(classId) && attribute >= 1 && attribute <= 32
                && (Axdr.fixedSize(next) >= 0 || next <= Axdr.UTF8_STRING);
    }

    private int descriptor(Node parent, String key, byte[] a, int p, Space space) {
        int classId = ((a[p] & 0xFF) << 8) | (a[p + 1] & 0xFF);
        String obis = Obis.format(Obis.read(a, p + 2));
        int attribute = a[p + 8];
        Node e = parent.item(key, "@" + p + " descriptor (untagged) " + Json.hex(a, p, 9) + ": class " + classId + " ("
                + CLASSES.get(classId) + "), OBIS " + obis + ", attribute " + attribute);
        e.put("offset", p).put("tag", null).put("type", "descriptor").put("class_id", classId).put("obis", obis)
                .put("attribute", attribute);
        t.span(space, p, 9, e);
        return p + 9;
    }

    private static void value(Node e, int tag, byte[] a, int v, int len) {
        switch (tag) {
            case Axdr.NULL -> e.put("value", null);
            case Axdr.BOOLEAN -> {
                e.appendText(" " + (a[v] != 0));
                e.put("value", a[v] != 0);
            }
            case Axdr.INT8, Axdr.INT16, Axdr.INT32, Axdr.INT64 -> {
                long x = 0;
                for (int i = 0; i < len; i++) {
                    x = (x << 8) | (a[v + i] & 0xFF);
                }
                x = (x << (64 - 8 * len)) >> (64 - 8 * len);
                e.appendText(" " + x);
                e.put("value", x);
            }
            case Axdr.UINT8, Axdr.UINT16, Axdr.UINT32, Axdr.ENUM, Axdr.UINT64 -> {
                long x = 0;
                for (int i = 0; i < len; i++) {
                    x = (x << 8) | (a[v + i] & 0xFF);
                }
                String text = Long.toUnsignedString(x);
                e.appendText(" " + text);
                e.put("value", x >= 0 ? (Object) x : text);
            }
            case Axdr.FLOAT32 -> {
                int bits = ((a[v] & 0xFF) << 24) | ((a[v + 1] & 0xFF) << 16) | ((a[v + 2] & 0xFF) << 8) | (a[v + 3] & 0xFF);
                String text = Float.toString(Float.intBitsToFloat(bits));
                e.appendText(" " + text);
                e.put("value", text);
            }
            case Axdr.FLOAT64 -> {
                long bits = 0;
                for (int i = 0; i < 8; i++) {
                    bits = (bits << 8) | (a[v + i] & 0xFF);
                }
                String text = Double.toString(Double.longBitsToDouble(bits));
                e.appendText(" " + text);
                e.put("value", text);
            }
            case Axdr.DATE_TIME -> text(e, Json.hex(a, v, 12), DateTimes.dateTime(a, v), "date_time");
            case Axdr.DATE -> text(e, Json.hex(a, v, 5), DateTimes.date(a, v), "date");
            case Axdr.TIME -> text(e, Json.hex(a, v, 4), DateTimes.time(a, v), "time");
            case Axdr.BCD, Axdr.BIT_STRING -> {
                e.appendText(" " + Json.hex(a, v, len));
                e.put("value", Json.hex(a, v, len));
            }
            case Axdr.OCTET_STRING -> {
                String hex = Json.hex(a, v, len);
                StringBuilder sb = new StringBuilder(" ").append(hex);
                e.put("value", hex);
                if (len == 6) {
                    String obis = Obis.format(Obis.read(a, v));
                    sb.append("  = OBIS ").append(obis);
                    e.put("obis", obis);
                } else if (len == 12) {
                    String dt = DateTimes.dateTime(a, v);
                    if (!dt.equals(hex)) {
                        sb.append("  = date-time ").append(dt);
                        e.put("date_time", dt);
                    }
                }
                if (len > 0 && Json.printable(a, v, len)) {
                    String text = Json.latin1(a, v, len);
                    sb.append("  = text ");
                    quoted(sb, text);
                    e.put("text", text);
                }
                e.appendText(sb.toString());
            }
            default -> { // visible and UTF-8 strings
                String text = tag == Axdr.UTF8_STRING ? Json.utf8(a, v, len) : Json.latin1(a, v, len);
                StringBuilder sb = new StringBuilder(" ");
                quoted(sb, text);
                e.appendText(sb.toString());
                e.put("value", text);
            }
        }
    }

    private static void text(Node e, String hex, String value, String what) {
        e.appendText(" " + hex + (value.equals(hex) ? "" : " = " + value));
        e.put("value", hex).put(what, value.equals(hex) ? null : value);
    }

    /** Quoted, with quote, backslash and anything unprintable escaped, so one value stays on one line. */
    static void quoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
