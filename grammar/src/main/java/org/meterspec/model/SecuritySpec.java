package org.meterspec.model;

import java.util.List;

/**
 * Which APDU forms the meter sends (plain DATA-NOTIFICATION, glo- or ded-ciphering), the security
 * control bytes accepted (where each is written, null for the defaults), and whether the GCM tag
 * must be present and verified.
 */
public record SecuritySpec(Loc loc, boolean plain, boolean glo, boolean ded, List<Integer> controls,
                           List<Loc> controlLocs, boolean authenticationRequired) {
    /** The security control values real meters send: suites 0 and 1, encrypted, with or without tag. */
    public static final List<Integer> DEFAULT_CONTROLS = List.of(0x20, 0x21, 0x30, 0x31);

    public SecuritySpec {
        controls = List.copyOf(controls);
        controlLocs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(controlLocs));
    }

    public boolean ciphered() {
        return glo || ded;
    }
}
