package org.meterspec.runtime;

/** The protocol layer an error belongs to; its lower-case name is what the JSON line carries. */
public enum Layer {
    TRANSPORT, SECURITY, APDU, BODY;

    public String jsonName() {
        return switch (this) {
            case TRANSPORT -> "transport";
            case SECURITY -> "security";
            case APDU -> "apdu";
            case BODY -> "body";
        };
    }
}
