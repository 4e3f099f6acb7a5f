package org.meterspec.engine.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meterspec.engine.inspect.Node;

/**
 * The body of one telegram as inference sees it: the A-XDR tree {@code inspect} read, cut into the
 * patterns real meters use. A structure's items become tokens: a positional value, a flat OBIS /
 * value pair, a flat OBIS / value / scaler-unit triplet, or a structure of OBIS, value and an
 * optional scaler-unit (a "group").
 */
final class BodyShape {
    enum Kind { POSITIONAL, PAIR, TRIPLET, GROUP, GROUPS }

    /** One token of a structure's items. */
    record Token(Kind kind, List<Node> nodes) {
        Node first() {
            return nodes.get(0);
        }
    }

    /** What the root of the body is. */
    enum Root { STRUCTURE, PUSH_OBJECTS, GROUP_ARRAY, OTHER }

    private BodyShape() {
    }

    static String type(Node n) {
        Object t = n.field("type");
        return t == null ? "" : t.toString();
    }

    static int count(Node n) {
        Object c = n.field("count");
        return c instanceof Integer i ? i : 0;
    }

    static List<Node> items(Node n) {
        List<Node> out = new ArrayList<>();
        for (Node c : n.children()) {
            if (c.field("offset") != null && (c.field("tag") != null || isDescriptor(c))) {
                out.add(c);
            }
        }
        return out;
    }

    static boolean isObis(Node n) {
        return type(n).equals("octet_string") && Objects.equals(n.field("length"), 6);
    }

    /** An untagged attribute descriptor (class-id, OBIS code, attribute), as inspect reads one. */
    static boolean isDescriptor(Node n) {
        return type(n).equals("descriptor");
    }

    /** An array whose elements are all {OBIS, value[, scaler-unit]} structures. */
    static boolean isGroupArray(Node n) {
        return type(n).equals("array") && count(n) > 0 && items(n).stream().allMatch(BodyShape::isGroup);
    }

    static boolean isScalerUnit(Node n) {
        if (!type(n).equals("structure") || count(n) != 2) {
            return false;
        }
        List<Node> it = items(n);
        return it.size() == 2 && type(it.get(0)).equals("int8") && type(it.get(1)).equals("enum");
    }

    /** A structure of OBIS, value and (optionally) scaler-unit. */
    static boolean isGroup(Node n) {
        if (!type(n).equals("structure") || (count(n) != 2 && count(n) != 3)) {
            return false;
        }
        List<Node> it = items(n);
        return it.size() == count(n) && (isObis(it.get(0)) || isDescriptor(it.get(0)))
                && (it.size() == 2 || isScalerUnit(it.get(2)));
    }

    /** A push setup's object list: an array of structures led by a class id and a logical name. */
    static boolean isObjectList(Node n) {
        if (!type(n).equals("array") || count(n) == 0) {
            return false;
        }
        for (Node e : items(n)) {
            List<Node> it = items(e);
            if (!type(e).equals("structure") || it.size() < 2 || !type(it.get(0)).equals("uint16")
                    || !isObis(it.get(1))) {
                return false;
            }
        }
        return true;
    }

    static Root root(Node body) {
        String t = type(body);
        if (t.equals("structure")) {
            List<Node> it = items(body);
            if (!it.isEmpty() && isObjectList(it.get(0))) {
                return Root.PUSH_OBJECTS;
            }
            return Root.STRUCTURE;
        }
        if (isGroupArray(body)) {
            return Root.GROUP_ARRAY;
        }
        return Root.OTHER;
    }

    /** A structure's items as tokens. */
    static List<Token> tokens(Node structure) {
        List<Node> it = items(structure);
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < it.size()) {
            Node n = it.get(i);
            if (isObis(n) && i + 1 < it.size() && !isObis(it.get(i + 1))) {
                if (i + 2 < it.size() && isScalerUnit(it.get(i + 2))) {
                    out.add(new Token(Kind.TRIPLET, List.of(n, it.get(i + 1), it.get(i + 2))));
                    i += 3;
                } else {
                    out.add(new Token(Kind.PAIR, List.of(n, it.get(i + 1))));
                    i += 2;
                }
            } else if (isGroup(n)) {
                out.add(new Token(Kind.GROUP, List.of(n)));
                i++;
            } else if (isGroupArray(n)) {
                out.add(new Token(Kind.GROUPS, List.of(n)));
                i++;
            } else {
                out.add(new Token(Kind.POSITIONAL, List.of(n)));
                i++;
            }
        }
        return out;
    }

    /** Every OBIS code the body names itself (flat or in groups, not positional). */
    static void codes(Node n, List<String> out) {
        if (n.field("obis") != null && isObis(n)) {
            out.add(n.field("obis").toString());
        }
        for (Node c : items(n)) {
            codes(c, out);
        }
    }
}
