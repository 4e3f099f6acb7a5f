package org.meterspec.model;

/**
 * The language's fixed limits: what a spec may describe, and the sizes the spec cannot state that
 * both decoders use. Sizing derives every buffer from these and the spec; no runtime defines its own.
 */
public final class Limits {
    /** Largest plain APDU a spec may describe: the C decoder holds it in RAM. */
    public static final int MAX_APDU = 16384;
    /** Frames per telegram when the spec names no maximum. */
    public static final int DEFAULT_MAX_FRAMES = 16;
    /** How deep {@code skip} walks nested structures and arrays. */
    public static final int SKIP_DEPTH = 8;
    /** Bytes a push object list entry may take, restriction and columns included. */
    public static final int PUSH_ENTRY_SIZE = 48;
    /**
     * How deep a structured value (one of a self-describing push, or a {@code value structure} or
     * {@code value array}) nests: the value's container and one level of containers inside it.
     */
    public static final int STRUCTURED_VALUE_DEPTH = 2;
    /** Most leaves reported for one structured value: of a push, and where 'leaves' says none. */
    public static final int DEFAULT_LEAVES = 8;
    /** Largest 'leaves' bound a structured value may state. */
    public static final int MAX_STRUCTURED_LEAVES = 1024;
    /** How deep body layouts may nest: structures, arrays, repeats and alternatives. */
    public static final int MAX_NESTING = 32;
    /** Most entries in a spec's value directory (its imports' and its own). */
    public static final int MAX_VALUES = 4096;
    /** Longest meter or value name. */
    public static final int MAX_NAME = 64;
    /** Longest title, doc text, note or unit. */
    public static final int MAX_TEXT = 1024;

    private Limits() {
    }
}
