package org.meterspec.runtime;

/**
 * Reads a self-describing push: the element at the cursor is the push setup's object list (an
 * array of {class-id, logical name, attribute index, data index [, restriction, columns]}), whose
 * first entry is the push setup itself, so the list is that entry's value; the structure's
 * remaining elements are the values of the other entries, in order. Each value is reported under
 * its entry's OBIS code; a structured value leaf by leaf. Buffers are sized once, from the spec.
 */
public final class PushObjects {
    /** OBIS codes of the object list being read. */
    private final long[] codes;

    /** @param maxObjects the most entries an object list of the spec may have */
    public PushObjects(int maxObjects) {
        this.codes = new long[maxObjects];
    }

    /**
     * Reads the object list and the values after it, which take the rest of the structure that
     * started at {@code structureAt} and has {@code left} elements to go.
     *
     * @param maxObjects the most entries of this list
     * @param maxLength  the most bytes (bits) of a string (bit-string) value
     * @param maxDepth   how deep a structured value may nest
     * @param maxLeaves  the most leaves reported for one structured value
     * @return the elements left in the structure (zero)
     */
    public int read(AxdrReader in, ReadingBuilder out, int left, int structureAt, int maxObjects, int maxLength,
                    int maxDepth, int maxLeaves) throws DecodeException {
        left = in.element(left, structureAt);
        int listAt = in.position();
        int n = in.array(maxObjects);
        if (codes.length < n) {
            throw in.errorAt(ErrorCode.BODY_COUNT, listAt);
        }
        for (int i = 0; i < n; i++) {
            int entryAt = in.position();
            int fields = in.structure();
            if (fields < 4) {
                throw in.errorAt(ErrorCode.BODY_COUNT, entryAt);
            }
            in.skip(Axdr.bit(Axdr.UINT16), 1);
            codes[i] = in.obis(false);
            in.skip(Axdr.bit(Axdr.INT8), 1);
            in.skip(Axdr.bit(Axdr.UINT16), 1);
            for (int k = 4; k < fields; k++) {
                in.skip(0, 4); // restriction and columns of push setup version 1 and later
            }
        }
        if (n == 0 || left != n - 1) {
            throw in.errorAt(ErrorCode.BODY_COUNT, structureAt);
        }
        for (int i = 1; i < n; i++) {
            left = in.element(left, structureAt);
            int tag = in.nextTag();
            if (tag == Axdr.STRUCTURE || tag == Axdr.ARRAY) {
                leaves(in, out, codes[i], maxLength, maxDepth, maxLeaves);
            } else {
                scalar(in, out, codes[i], maxLength);
            }
        }
        return left;
    }

    private static void scalar(AxdrReader in, ReadingBuilder out, long code, int maxLength) throws DecodeException {
        out.begin();
        out.obis(code);
        out.value(in, Axdr.SCALARS, maxLength);
        out.end(in);
    }

    /** The scalar leaves of a structured value, in order, each under {@code code}. */
    private static void leaves(AxdrReader in, ReadingBuilder out, long code, int maxLength, int maxDepth, int maxLeaves)
            throws DecodeException {
        out.begin();
        out.obis(code);
        out.leaves(in, Axdr.bit(Axdr.STRUCTURE) | Axdr.bit(Axdr.ARRAY), maxLength, maxDepth, maxLeaves);
    }
}
