package org.meterspec.cli;

import org.meterspec.engine.TelegramLine;
import org.meterspec.runtime.ErrorCode;

/** The readable form of a canonical line, the same whichever engine printed it. */
final class Table {
    private Table() {
    }

    static String render(TelegramLine line) {
        StringBuilder sb = new StringBuilder();
        if (line instanceof TelegramLine.Error e) {
            sb.append('#').append(e.telegram()).append(" error: ").append(e.layer()).append(' ').append(e.error())
                    .append(" at offset ").append(e.offset());
            String description = description(e.error());
            if (description != null) {
                sb.append(" (").append(description).append(')');
            }
            return zcl(sb, e.zcl());
        }
        TelegramLine.Reading r = (TelegramLine.Reading) line;
        sb.append('#').append(r.telegram()).append(" ok: ").append(r.meter());
        if (r.systemTitle() != null) {
            sb.append(", system title ").append(r.systemTitle()).append(", frame counter ").append(r.frameCounter());
        }
        sb.append(", security ").append(r.security());
        for (TelegramLine.Value v : r.values()) {
            sb.append(String.format("%n    %-18s %-26s %s%s", v.obis() == null ? "-" : v.obis(), v.name() == null ? "" : v.name(),
                    v.value() == null ? "null" : v.value(), v.unit() == null ? "" : " " + v.unit()));
        }
        return zcl(sb, r.zcl());
    }

    private static String zcl(StringBuilder sb, java.util.List<TelegramLine.ZclFrame> frames) {
        if (frames != null) {
            for (TelegramLine.ZclFrame f : frames) {
                sb.append(String.format("%n    zcl endpoint %d cluster %s: %s", f.endpoint(), f.cluster(), f.frame()));
            }
        }
        return sb.toString();
    }

    private static String description(String code) {
        try {
            return ErrorCode.valueOf(code).description();
        } catch (IllegalArgumentException e) {
            return null; // a code this runtime does not know: the line says what there is
        }
    }
}
