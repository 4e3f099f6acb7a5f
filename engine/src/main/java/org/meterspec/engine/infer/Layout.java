package org.meterspec.engine.infer;

import static org.meterspec.engine.infer.BodyShape.items;
import static org.meterspec.engine.infer.BodyShape.type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.meterspec.engine.infer.BodyShape.Kind;
import org.meterspec.engine.infer.BodyShape.Root;
import org.meterspec.engine.infer.BodyShape.Token;
import org.meterspec.engine.inspect.Node;
import org.meterspec.model.Limits;

/**
 * The body layout that reads the bodies of every telegram given: the element text of the spec's
 * {@code body}, the placeholder entries positional values need, and comments where the choice is
 * a guess.
 */
final class Layout {
    /** Positional values get codes from this manufacturer-specific range (group C 128): E is the number. */
    /** A positional value the telegram does not name: its placeholder name, type, and what was seen. */
    /** A positional value named by place; {@code format} how to write it ({@code obis}, {@code datetime}) or null, and why. */
    record Placeholder(String name, String type, String seen, String format, String why) {
    }

    final StringBuilder body = new StringBuilder();
    final List<String> comments = new ArrayList<>();
    final Map<String, Placeholder> placeholders = new LinkedHashMap<>();
    /** The pattern, in words, for the user and the draft's comment. */
    String pattern;
    /** The spec type of each positional slot, by slot key. */
    private int nextPlaceholder = 1;

    private final int maxString;

    private Layout(int maxString) {
        this.maxString = maxString;
    }

    /** The layout for these bodies (one per telegram, in order). */
    static Layout infer(List<Node> bodies) throws InferException {
        int longest = 0;
        for (Node b : bodies) {
            longest = Math.max(longest, longestString(b));
        }
        Layout l = new Layout(bound(longest, 32));
        Root root = BodyShape.root(bodies.get(0));
        for (Node b : bodies) {
            if (BodyShape.root(b) != root) {
                throw new InferException("the telegrams' bodies differ in kind (" + root + " and "
                        + BodyShape.root(b) + "); infer writes one layout, so give the captures of one list kind,"
                        + " or write a 'one of' by hand");
            }
        }
        switch (root) {
            case PUSH_OBJECTS -> l.pushObjects(bodies);
            case GROUP_ARRAY -> l.groupArray(bodies);
            case STRUCTURE -> l.structure(bodies);
            default -> throw new InferException("the body is a single " + type(bodies.get(0)) + ", not a structure or"
                    + " an array of OBIS structures; this increment of infer does not write such a layout");
        }
        return l;
    }

    // ---- patterns ---------------------------------------------------------------------------

    private void pushObjects(List<Node> bodies) {
        int objects = 0;
        for (Node b : bodies) {
            objects = Math.max(objects, BodyShape.count(items(b).get(0)));
        }
        pattern = "self-describing push: the push setup's object list, then one value per listed object";
        body.append("body structure {                  // ").append(pattern).append('\n');
        body.append("    push_objects max ").append(bound(objects, 16)).append(" {\n");
        body.append("        value max ").append(maxString).append('\n');
        body.append("    }\n}\n");
    }

    private void groupArray(List<Node> bodies) {
        int n = 0;
        for (Node b : bodies) {
            n = Math.max(n, BodyShape.count(b));
        }
        List<Node> groups = groupsIn(bodies);
        pattern = descriptors(groups) ? "an array of {attribute descriptor, value} structures"
                : "an array of {OBIS, value} and {OBIS, value, scaler-unit} structures";
        body.append("body array max ").append(bound(n, 16)).append(" of structure {   // ").append(pattern)
                .append('\n');
        groupItems("    ", groups);
        body.append("}\n");
    }

    /** A group's elements: its code ({@code obis} or {@code descriptor}), value and scaler-unit, as the groups seen carry them. */
    private void groupItems(String indent, List<Node> groups) {
        body.append(indent).append(head(groups)).append('\n');
        List<Node> values = new ArrayList<>();
        for (Node g : groups) {
            values.add(items(g).get(1));
        }
        String su = scalerUnit(groups);
        String structured = su == null ? structured(values) : null;
        body.append(indent).append("value ").append(structured != null ? structured : "max " + maxString).append('\n');
        if (su != null) {
            body.append(indent).append(su).append('\n');
        }
    }

    /** Whether the groups lead with untagged attribute descriptors rather than OBIS octet-strings. */
    private static boolean descriptors(List<Node> groups) {
        return !groups.isEmpty() && BodyShape.isDescriptor(items(groups.get(0)).get(0));
    }

    /** The element that reads a group's code: {@code descriptor} or {@code obis}. */
    private static String head(List<Node> groups) {
        return descriptors(groups) ? "descriptor" : "obis";
    }

    private static List<Node> groupsIn(List<Node> bodies) {
        List<Node> groups = new ArrayList<>();
        for (Node b : bodies) {
            groups.addAll(items(b));
        }
        return groups;
    }

    /** {@code scaler_unit}, {@code scaler_unit?} or null, by how many of the groups carry one. */
    private static String scalerUnit(List<Node> groups) {
        int with = 0;
        for (Node g : groups) {
            if (BodyShape.count(g) == 3) {
                with++;
            }
        }
        return with == 0 ? null : with == groups.size() ? "scaler_unit" : "scaler_unit?";
    }

    /** A run of structured tokens (or one positional token) of a structure's items. */
    record Segment(Kind kind, List<Token> tokens) {
        String signature() {
            return switch (kind) {
                case POSITIONAL -> "P";
                case GROUP -> "G";
                case GROUPS -> "A";
                default -> "F";
            };
        }
    }

    static List<Segment> segments(Node structure) {
        List<Segment> out = new ArrayList<>();
        for (Token t : BodyShape.tokens(structure)) {
            Kind k = t.kind() == Kind.TRIPLET ? Kind.PAIR : t.kind();
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (k != Kind.POSITIONAL && k != Kind.GROUPS && last != null && last.kind == k) {
                last.tokens.add(t);
            } else {
                List<Token> ts = new ArrayList<>();
                ts.add(t);
                out.add(new Segment(k, ts));
            }
        }
        return out;
    }

    private static String signature(List<Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append(s.signature());
        }
        return sb.toString();
    }

    private void structure(List<Node> bodies) throws InferException {
        List<List<Segment>> all = new ArrayList<>();
        for (Node b : bodies) {
            all.add(segments(b));
        }
        String sig = signature(all.get(0));
        boolean same = all.stream().allMatch(s -> signature(s).equals(sig));
        boolean positional = all.stream().allMatch(s -> signature(s).chars().allMatch(c -> c == 'P'));
        if (positional) {
            positional(bodies);
            return;
        }
        if (!same) {
            throw new InferException("the telegrams' bodies follow different patterns (" + describe(all)
                    + "); infer writes one layout for them: give the captures of one list, or write a 'one of' by"
                    + " hand");
        }
        // which run repeats: one whose length varies, else the longest
        int segs = all.get(0).size();
        int repeat = -1;
        int repeatLength = -1;
        for (int i = 0; i < segs; i++) {
            if (all.get(0).get(i).kind == Kind.POSITIONAL || all.get(0).get(i).kind == Kind.GROUPS) {
                continue;
            }
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (List<Segment> s : all) {
                min = Math.min(min, s.get(i).tokens.size());
                max = Math.max(max, s.get(i).tokens.size());
            }
            int weight = min != max ? Integer.MAX_VALUE : max;
            if (weight > repeatLength && (min != max || max > 1)) {
                repeat = i;
                repeatLength = weight;
            }
        }
        boolean triplets = false;
        boolean pairs = false;
        for (List<Segment> s : all) {
            for (Segment g : s) {
                for (Token t : g.tokens) {
                    triplets |= t.kind() == Kind.TRIPLET;
                    pairs |= t.kind() == Kind.PAIR;
                }
            }
        }
        pattern = describeRun(all.get(0), triplets, pairs);
        // the structure's own items form one group: a flat OBIS / value item outside the repeat can
        // stand as one only where no other value stands beside it; else its elements go by place
        int loose = 0;
        for (int i = 0; i < segs; i++) {
            Segment s = all.get(0).get(i);
            loose += s.kind == Kind.POSITIONAL ? 1 : s.kind == Kind.PAIR && i != repeat ? s.tokens.size() : 0;
        }
        body.append("body structure {                  // ").append(pattern).append('\n');
        for (int i = 0; i < segs; i++) {
            Segment first = all.get(0).get(i);
            if (first.kind == Kind.POSITIONAL) {
                List<Node> seen = new ArrayList<>();
                for (List<Segment> s : all) {
                    seen.add(s.get(i).tokens.get(0).first());
                }
                positionalValue("    ", seen, null);
                continue;
            }
            if (first.kind == Kind.GROUPS) {
                List<Node> arrays = new ArrayList<>();
                for (List<Segment> s : all) {
                    arrays.add(s.get(i).tokens.get(0).first());
                }
                groupArrayIn("    ", arrays);
                continue;
            }
            int max = 0;
            List<Token> tokens = new ArrayList<>();
            for (List<Segment> s : all) {
                max = Math.max(max, s.get(i).tokens.size());
                tokens.addAll(s.get(i).tokens);
            }
            if (i == repeat) {
                body.append("    repeat max ").append(bound(max, 16)).append(" {\n");
                run("        ", first.kind, tokens);
                body.append("    }\n");
            } else if (loose > 1) {
                byPlace(all, i);
            } else {
                for (Token t : first.tokens) {
                    run("    ", first.kind, List.of(t));
                }
            }
        }
        body.append("}\n");
    }

    /**
     * The elements of segment {@code i}'s flat OBIS / value items as positional values, each
     * named by place: the OBIS code too, which the comment beside it shows.
     */
    private void byPlace(List<List<Segment>> all, int i) {
        List<Token> tokens = all.get(0).get(i).tokens;
        for (int k = 0; k < tokens.size(); k++) {
            for (int j = 0; j < tokens.get(k).nodes().size(); j++) {
                List<Node> seen = new ArrayList<>();
                for (List<Segment> s : all) {
                    List<Token> ts = s.get(i).tokens;
                    if (k < ts.size() && j < ts.get(k).nodes().size()) {
                        seen.add(ts.get(k).nodes().get(j));
                    }
                }
                positionalValue("    ", seen, null);
            }
        }
    }

    private static String describe(List<List<Segment>> all) {
        List<String> out = new ArrayList<>();
        for (List<Segment> s : all) {
            String d = signature(s);
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return String.join(" and ", out).replace("P", "value ").replace("F", "OBIS/value run ")
                .replace("G", "OBIS structures ").replace("A", "array of OBIS structures ").strip();
    }

    private static String describeRun(List<Segment> segments, boolean triplets, boolean pairs) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            String part = switch (s.kind) {
                case POSITIONAL -> "a positional value";
                case GROUP -> "{OBIS, value[, scaler-unit]} structures";
                case GROUPS -> "an array of {" + (descriptors(items(s.tokens.get(0).first())) ? "attribute descriptor"
                        : "OBIS") + ", value} structures";
                default -> triplets && pairs ? "OBIS / value [/ scaler-unit] items"
                        : triplets ? "OBIS / value / scaler-unit triplets" : "OBIS / value pairs";
            };
            if (sb.length() == 0 || !sb.toString().endsWith(part)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(part);
            }
        }
        return sb.toString();
    }

    /** An array of groups inside a structure: {@code array max N of structure { … }}. */
    private void groupArrayIn(String indent, List<Node> arrays) {
        int n = 0;
        List<Node> groups = new ArrayList<>();
        for (Node a : arrays) {
            n = Math.max(n, BodyShape.count(a));
            groups.addAll(items(a));
        }
        body.append(indent).append("array max ").append(bound(n, 16)).append(" of structure {\n");
        groupItems(indent + "    ", groups);
        body.append(indent).append("}\n");
    }

    private void run(String indent, Kind kind, List<Token> tokens) {
        if (kind == Kind.GROUP) {
            List<Node> groups = new ArrayList<>();
            for (Token t : tokens) {
                groups.add(t.first());
            }
            body.append(indent).append("structure {\n");
            groupItems(indent + "    ", groups);
            body.append(indent).append("}\n");
            return;
        }
        int with = 0;
        for (Token t : tokens) {
            if (t.kind() == Kind.TRIPLET) {
                with++;
            }
        }
        body.append(indent).append("obis\n");
        List<Node> values = new ArrayList<>();
        for (Token t : tokens) {
            values.add(t.nodes().get(1));
        }
        String structured = with == 0 ? structured(values) : null;
        body.append(indent).append("value ").append(structured != null ? structured : "max " + maxString).append('\n');
        if (with == tokens.size()) {
            body.append(indent).append("scaler_unit\n");
        } else if (with > 0) {
            body.append(indent).append("scaler_unit?                   // TODO uncertain: some values"
                    + " carry a scaler-unit, some do not\n");
        }
    }

    // ---- positional values ------------------------------------------------------------------

    /** Bodies whose structures hold values only: one structure per element count. */
    private void positional(List<Node> bodies) {
        Map<Integer, List<Node>> byCount = new LinkedHashMap<>();
        for (Node b : bodies) {
            byCount.computeIfAbsent(items(b).size(), k -> new ArrayList<>()).add(b);
        }
        pattern = "positional values" + (byCount.size() > 1 ? ", lists told apart by element count" : "");
        List<List<Placeholder>> shapes = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<Node>> e : byCount.entrySet()) {
            int n = e.getKey();
            List<String> types = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Node> seen = new ArrayList<>();
                for (Node b : e.getValue()) {
                    seen.add(items(b).get(i));
                }
                types.add(typeOf(seen));
            }
            // positions shared with a list seen before, of the same types, keep its placeholders
            List<Placeholder> shared = List.of();
            for (List<Placeholder> s : shapes) {
                int common = Math.min(s.size(), n);
                boolean prefix = true;
                for (int i = 0; i < common; i++) {
                    prefix &= s.get(i).type.equals(types.get(i));
                }
                if (prefix && common > shared.size()) {
                    shared = s.subList(0, common);
                }
            }
            StringBuilder sb = new StringBuilder();
            List<Placeholder> mine = new ArrayList<>(shared);
            String indent = byCount.size() > 1 ? "        " : "    ";
            sb.append(byCount.size() > 1 ? "    structure {                   // " + n + " element" + (n == 1 ? "" : "s")
                    + ", as in " + e.getValue().size() + " telegram" + (e.getValue().size() == 1 ? "" : "s") + "\n"
                    : "");
            for (int i = 0; i < n; i++) {
                List<Node> seen = new ArrayList<>();
                for (Node b : e.getValue()) {
                    seen.add(items(b).get(i));
                }
                Placeholder p = i < shared.size() ? shared.get(i) : null;
                int before = body.length();
                p = positionalValue(indent, seen, p);
                sb.append(body, before, body.length());
                body.setLength(before);
                if (i >= shared.size()) {
                    mine.add(p);
                }
            }
            if (byCount.size() > 1) {
                sb.append("    }\n");
            }
            shapes.add(mine);
            parts.add(sb.toString());
        }
        if (byCount.size() > 1) {
            body.append("body one of {                     // ").append(pattern).append('\n');
            parts.forEach(body::append);
            body.append("}\n");
        } else {
            body.append("body structure {                  // ").append(pattern).append('\n');
            body.append(parts.get(0));
            body.append("}\n");
        }
    }

    /**
     * A positional value's element: named by place, with no OBIS code (none is invented: a code
     * would look like the meter's own).
     */
    private Placeholder positionalValue(String indent, List<Node> seen, Placeholder given) {
        String t = typeOf(seen);
        Placeholder p = given;
        if (p == null) {
            int k = nextPlaceholder++;
            String[] format = formatOf(seen);
            p = new Placeholder("unknown_" + k, t, example(seen.get(0)), format == null ? null : format[0],
                    format == null ? null : format[1]);
            placeholders.put(p.name, p);
        }
        body.append(indent).append("value as ").append(p.name).append(' ').append(t);
        body.append(pad(indent.length() + 9 + p.name.length() + 1 + t.length()));
        body.append("// TODO ").append(p.name).append(": ").append(p.seen).append('\n');
        return p;
    }

    /**
     * How octet-strings seen at a place read best, with the reason: as an OBIS code (6 bytes, not
     * text), or as a COSEM date (5 bytes) or time (4 bytes) whose every field is in range; null
     * when not every one seen reads so.
     */
    static String[] formatOf(List<Node> seen) {
        boolean obis = true;
        boolean date = true;
        boolean time = true;
        for (Node n : seen) {
            Object v = n.field("value");
            String hex = type(n).equals("octet_string") && v instanceof String h ? h : "";
            obis &= BodyShape.isObis(n) && n.field("text") == null;
            date &= hex.length() == 10 && cosemDate(hex);
            time &= hex.length() == 8 && cosemTime(hex);
        }
        return seen.isEmpty() ? null
                : obis ? new String[] {"obis", "its value holds a 6-byte octet-string that looks like an OBIS code; TODO uncertain"}
                : date ? new String[] {"datetime", "its value is a 5-byte octet-string that reads as a COSEM date; TODO uncertain"}
                : time ? new String[] {"datetime", "its value is a 4-byte octet-string that reads as a COSEM time; TODO uncertain"}
                : null;
    }

    private static int at(String hex, int i) {
        return Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }

    /** Year (0xFFFF: not given), month 1-12 or 0xFD-0xFF, day 1-31 or 0xFD-0xFF, day of week 1-7 or 0xFF. */
    private static boolean cosemDate(String hex) {
        int year = at(hex, 0) << 8 | at(hex, 1);
        int month = at(hex, 2);
        int day = at(hex, 3);
        int dow = at(hex, 4);
        return (year == 0xFFFF || (year >= 1990 && year <= 2100)) && (month >= 1 && month <= 12 || month >= 0xFD)
                && (day >= 1 && day <= 31 || day >= 0xFD) && (dow >= 1 && dow <= 7 || dow == 0xFF);
    }

    /** Hour 0-23, minute and second 0-59, hundredths 0-99, each or 0xFF (not given). */
    private static boolean cosemTime(String hex) {
        int[] max = {23, 59, 59, 99};
        for (int i = 0; i < 4; i++) {
            int b = at(hex, i);
            if (b != 0xFF && b > max[i]) {
                return false;
            }
        }
        return true;
    }

    private static String pad(int used) {
        return " ".repeat(Math.max(1, 48 - used));
    }

    /** A value as the tree showed it, for the comment beside its placeholder. */
    private static String example(Node n) {
        String t = type(n);
        Object dt = n.field("date_time");
        Object text = n.field("text");
        Object v = n.field("value");
        Object obis = BodyShape.isObis(n) && text == null ? n.field("obis") : null;
        String shown = dt != null ? dt.toString() : obis != null ? "OBIS " + obis : text != null ? "\"" + text + "\""
                : v != null ? v.toString()
                : t.equals("structure") || t.equals("array") ? BodyShape.count(n) + " elements" : "null";
        if (shown.length() > 40) {
            shown = shown.substring(0, 37) + "...";
        }
        return t + " " + shown.replace("*/", "* /");
    }

    /**
     * {@code structure leaves N max M} (or {@code array …}) where every value seen is a structure
     * (every one an array) nesting at most as deep as a structured value may, reported leaf by
     * leaf; else null.
     */
    static String structured(List<Node> values) {
        String t = values.isEmpty() ? "" : type(values.get(0));
        if (!t.equals("structure") && !t.equals("array")) {
            return null;
        }
        int leaves = 0;
        int longest = 0;
        for (Node v : values) {
            if (!type(v).equals(t) || depth(v) > Limits.STRUCTURED_VALUE_DEPTH) {
                return null;
            }
            leaves = Math.max(leaves, leaves(v));
            longest = Math.max(longest, longestString(v));
        }
        // leaves take room in the decoder's buffers: as many as seen, in eights, at most the language's bound
        int bound = Math.min(Limits.MAX_STRUCTURED_LEAVES, Math.max(Limits.DEFAULT_LEAVES, (leaves + 7) / 8 * 8));
        return leaves > bound ? null : t + " leaves " + bound + " max " + bound(longest, 16);
    }

    /** How deep containers nest in the tree: 0 for a scalar. */
    private static int depth(Node n) {
        String t = type(n);
        if (!t.equals("structure") && !t.equals("array")) {
            return 0;
        }
        int inner = 0;
        for (Node c : items(n)) {
            inner = Math.max(inner, depth(c));
        }
        return 1 + inner;
    }

    /** The scalar leaves of the tree. */
    private static int leaves(Node n) {
        String t = type(n);
        if (!t.equals("structure") && !t.equals("array")) {
            return 1;
        }
        int sum = 0;
        for (Node c : items(n)) {
            sum += leaves(c);
        }
        return sum;
    }

    /** The spec type of values seen at one position. */
    private String typeOf(List<Node> seen) {
        String structured = structured(seen);
        if (structured != null) {
            return structured;
        }
        Set<String> types = new java.util.LinkedHashSet<>();
        int longest = 0;
        for (Node n : seen) {
            types.add(specType(n));
            longest = Math.max(longest, longestString(n));
        }
        if (types.size() == 1) {
            String t = types.iterator().next();
            return t.equals("max") ? "max " + bound(Math.max(longest, 1), 32)
                    : t.endsWith(" max") ? t + " " + bound(longest, 16) : t;
        }
        if (types.stream().allMatch(Layout::isInteger)) {
            return "integer";
        }
        return "max " + bound(Math.max(longest, 1), 32);
    }

    private static boolean isInteger(String t) {
        return Set.of("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "enum").contains(t);
    }

    private static String specType(Node n) {
        String t = type(n);
        return switch (t) {
            case "octet_string" -> n.field("date_time") != null && Objects.equals(n.field("length"), 12) ? "datetime"
                    : "octet_string max";
            case "visible_string", "utf8_string", "bit_string" -> t + " max";
            case "date_time" -> "datetime";
            case "structure", "array" -> "max"; // any: reported as its elements
            default -> t;
        };
    }

    /** The longest string (bytes; bits of a bit-string) in the tree. */
    static int longestString(Node n) {
        int best = 0;
        Object len = n.field("length");
        Object bits = n.field("bits");
        if (n.field("tag") != null && len instanceof Integer l && !BodyShape.type(n).equals("structure")) {
            best = l;
        }
        if (bits instanceof Integer b) {
            best = Math.max(best, b);
        }
        for (Node c : items(n)) {
            best = Math.max(best, longestString(c));
        }
        return best;
    }

    /** A bound with room: the next power of two above what was seen, at least {@code floor}. */
    static int bound(int seen, int floor) {
        int b = floor;
        while (b <= seen) {
            b *= 2;
        }
        return b;
    }
}
