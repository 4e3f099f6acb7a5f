package org.meterspec.runtime;

/** The protocol layer an error belongs to; its lower-case name is what the JSON line carries. */
public enum Layer {
    TRANSPORT(100), SECURITY(200), APDU(300), BODY(400);

    private final int base;

    Layer(int base) {
        this.base = base;
    }

    /** The layer's error codes are numbered {@code base + 1} to {@code base + 99}. */
    public int base() {
        return base;
    }

    public String jsonName() {
        return switch (this) {
            case TRANSPORT -> "transport";
            case SECURITY -> "security";
            case APDU -> "apdu";
            case BODY -> "body";
        };
    }
}
