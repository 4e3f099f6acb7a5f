package org.meterspec.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.SecuritySpec;

/**
 * Security: the control bytes name suites 0 or 1 without compression, each once; they and a
 * required tag go with a ciphering mode, and a required tag with a control byte that has one.
 */
final class SecurityPass extends Pass {
    @Override
    public String name() {
        return "security";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.SECURITY);
    }

    @Override
    protected void check(MeterModel m) {
        SecuritySpec s = m.security();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < s.controls().size(); i++) {
            int v = s.controls().get(i);
            Loc at = s.controlLocs().get(i) != null ? s.controlLocs().get(i) : s.loc();
            if ((v & 0x0F) > 1) {
                error(DiagCode.SECURITY_CONTROL, at, String.format("security control 0x%02X names suite %d; only"
                        + " suites 0 and 1 (AES-GCM-128) are supported", v, v & 0x0F));
            } else if ((v & 0x80) != 0) {
                error(DiagCode.SECURITY_CONTROL, at, String.format("security control 0x%02X asks for compression,"
                        + " which DLMS meters do not use and meterspec does not support", v));
            } else if (accepted.contains(v)) {
                error(DiagCode.DUPLICATE_PROPERTY, at, String.format("security control 0x%02X is listed twice", v));
            } else {
                accepted.add(v);
            }
        }
        if (!s.ciphered() && !s.controls().isEmpty()) {
            error(DiagCode.SECURITY_MODE, s.loc(), "security control values are given, but the meter does not cipher",
                    "add 'glo' or 'ded' to the security modes");
        }
        if (!s.ciphered() && s.authenticationRequired()) {
            error(DiagCode.SECURITY_MODE, s.loc(), "authentication is required, but the meter does not cipher",
                    "add 'glo' or 'ded' to the security modes");
        }
        boolean anyTag = accepted.stream().anyMatch(sc -> (sc & 0x10) != 0);
        if (s.ciphered() && s.authenticationRequired() && !anyTag) {
            error(DiagCode.SECURITY_CONTROL, s.loc(), "authentication is required, but no accepted security control"
                    + " value has the authentication bit (0x10)", "accept 0x30 or 0x31");
        }
    }
}
