package org.meterspec.engine.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meterspec.runtime.Json;

/**
 * One node of an inspection: a line of text for people, named fields for JSON, and children. A
 * child sits under its parent's JSON field {@code key}, as one object, or (with {@code list}) as one
 * element of an array; text shows each child on its own line, indented under its parent.
 */
public final class Node {
    private final String key;
    private final boolean list;
    /** A note for people only: what it says is in its parent's fields already. */
    private boolean textOnly;
    private String text;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Node> children = new ArrayList<>();

    Node(String key, boolean list, String text) {
        this.key = key;
        this.list = list;
        this.text = text;
    }

    /** A child under JSON field {@code key}, which holds one object. */
    Node child(String key, String text) {
        Node n = new Node(key, false, text);
        children.add(n);
        return n;
    }

    /** A line of text under this one, left out of JSON (its parent's fields say the same). */
    Node note(String text) {
        Node n = new Node("", false, text);
        n.textOnly = true;
        children.add(n);
        return n;
    }

    /** A child in the JSON array {@code key}. */
    Node item(String key, String text) {
        Node n = new Node(key, true, text);
        children.add(n);
        return n;
    }

    /** Sets a JSON field: a String, Number, Boolean, or null; returns this. */
    Node put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    void appendText(String more) {
        text = text == null ? more : text + more;
    }

    void appendTextPrefix(String prefix) {
        text = text == null ? prefix : prefix + text;
    }

    void setText(String text) {
        this.text = text;
    }

    /** Adds a node made elsewhere as the last child; returns it. */
    Node adopt(Node child) {
        children.add(child);
        return child;
    }

    /** Children under JSON key {@code key}. */
    int count(String key) {
        int k = 0;
        for (Node c : children) {
            if (c.key.equals(key)) {
                k++;
            }
        }
        return k;
    }

    public String text() {
        return text;
    }

    public Object field(String name) {
        return fields.get(name);
    }

    public List<Node> children() {
        return List.copyOf(children);
    }

    /** The first child with JSON key {@code key}, or null. */
    public Node find(String key) {
        for (Node c : children) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** The text, this node's line and its children's below it, each indented two spaces per level. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        render(sb, 0);
        return sb.toString();
    }

    private void render(StringBuilder sb, int depth) {
        if (text != null) {
            sb.append("  ".repeat(depth)).append(text).append('\n');
        }
        for (Node c : children) {
            c.render(sb, text == null ? depth : depth + 1);
        }
    }

    /** The fields and children as one JSON object, on one line. */
    public String json() {
        StringBuilder sb = new StringBuilder();
        json(sb);
        return sb.toString();
    }

    private void json(StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            first = comma(sb, first);
            Json.appendString(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        List<String> done = new ArrayList<>();
        for (Node c : children) {
            if (c.textOnly || done.contains(c.key)) {
                continue;
            }
            done.add(c.key);
            first = comma(sb, first);
            Json.appendString(sb, c.key);
            sb.append(':');
            if (c.list) {
                sb.append('[');
                boolean firstItem = true;
                for (Node d : children) {
                    if (d.key.equals(c.key)) {
                        firstItem = comma(sb, firstItem);
                        d.json(sb);
                    }
                }
                sb.append(']');
            } else {
                c.json(sb);
            }
        }
        sb.append('}');
    }

    private static boolean comma(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append(',');
        }
        return false;
    }

    /** A field value that is JSON text already (a decoder's canonical line, say). */
    record Raw(String json) {
        @Override
        public String toString() {
            return json;
        }
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof Raw r) {
            sb.append(r.json());
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                Json.appendString(sb, d.toString());
            } else {
                sb.append(d);
            }
        } else {
            Json.appendString(sb, v.toString());
        }
    }
}
