package org.meterspec.engine.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * One telegram of an inspection: its bytes in the capture ({@code [start, end)}, every frame that
 * carried it and the bytes between them), its annotated tree, and where (if anywhere) it breaks.
 */
public final class Telegram {
    /** A node that stands for bytes {@code [offset, offset+length)} of one byte space. */
    record Span(Space space, int offset, int length, Node node) {
    }

    /** The byte spaces offsets are counted in (docs/ERRORS.md, "The offset rule"). */
    enum Space {
        /** The capture, from its first byte. */
        STREAM,
        /** The APDU as the transport delivered it: ciphered, or plain. */
        APDU,
        /** The DATA-NOTIFICATION, decrypted. */
        NOTIFICATION
    }

    final Node node;
    final int start;
    int end;
    final List<Span> spans = new ArrayList<>();
    Node broken;
    /** The APDU was ciphered: decoder errors of the apdu and body layers point into the decrypted one. */
    boolean ciphered;

    Telegram(int start, int end) {
        this.start = start;
        this.end = end;
        this.node = new Node("", false, null);
    }

    /** The tree: {@link Node#render()} for text, {@link Node#json()} for one JSON line. */
    public Node node() {
        return node;
    }

    /** First byte of the capture it takes. */
    public int start() {
        return start;
    }

    /** One past its last byte. */
    public int end() {
        return end;
    }

    /** Whether some layer could not be read to its end. */
    public boolean broken() {
        return broken != null;
    }

    /** The break marker, or null. */
    public Node breakNode() {
        return broken;
    }

    Node span(Space space, int offset, int length, Node n) {
        spans.add(new Span(space, offset, length, n));
        return n;
    }

    /** Adds a break marker under {@code parent}; the first is the telegram's. */
    Node breakAt(Node parent, Space space, int offset, String expected) {
        String where = switch (space) {
            case STREAM -> "of the capture";
            case APDU -> "of the APDU";
            case NOTIFICATION -> "of the decrypted APDU";
        };
        Node b = parent.child("break", "!! breaks at offset " + offset + " " + where + ": " + expected)
                .put("offset", offset).put("in", space.name().toLowerCase(java.util.Locale.ROOT))
                .put("expected", expected);
        if (broken == null) {
            broken = b;
        }
        return b;
    }

    /** Each offset of {@code space} a node starts at, with the smallest node starting there. */
    java.util.Map<Long, Node> startingAt(Space space) {
        java.util.Map<Long, Span> best = new java.util.HashMap<>();
        for (Span s : spans) {
            if (s.space == space) {
                best.merge((long) s.offset, s, (a, b) -> b.length < a.length ? b : a);
            }
        }
        java.util.Map<Long, Node> out = new java.util.HashMap<>();
        best.forEach((offset, s) -> out.put(offset, s.node));
        return out;
    }

    /**
     * Marks the node a decoder error names: the smallest one holding the offset, else the last one
     * ending there (a byte that is missing because the bytes ended); null when none does.
     */
    Node mark(Space space, long offset, String text) {
        Span best = null;
        for (Span s : spans) {
            if (s.space == space && s.offset <= offset && offset < (long) s.offset + s.length
                    && (best == null || s.length <= best.length)) {
                best = s;
            }
        }
        if (best == null) {
            for (Span s : spans) {
                if (s.space == space && (long) s.offset + s.length == offset) {
                    best = s;
                }
            }
        }
        if (best == null) {
            return null;
        }
        best.node.appendText("   <<< " + text);
        best.node.put("decoder_stops_here", text);
        return best.node;
    }
}
