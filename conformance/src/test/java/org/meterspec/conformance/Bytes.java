package org.meterspec.conformance;

/** Edits of captures that the tests damage them with. */
final class Bytes {
    private Bytes() {
    }

    /** {@code b} with {@code inserted} put in at {@code at}. */
    static byte[] splice(byte[] b, int at, byte[] inserted) {
        byte[] out = new byte[b.length + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at, out, at + inserted.length, b.length - at);
        return out;
    }

    /** {@code b} without its {@code n} bytes from {@code at}. */
    static byte[] drop(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }
}
