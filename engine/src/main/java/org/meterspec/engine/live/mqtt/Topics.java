package org.meterspec.engine.live.mqtt;

import org.meterspec.engine.TelegramLine;

/** The topics a reading is published to. */
final class Topics {
    static final String STATE = "state";
    static final String AVAILABILITY = "availability";
    static final String DISCOVERY_PREFIX = "homeassistant";

    private Topics() {
    }

    /** The level of the {@code occurrence}-th value of its code and name in a reading: {@code _2} after the first. */
    static String valueLevel(TelegramLine.Value v, int occurrence) {
        return valueLevel(v) + (occurrence > 1 ? "_" + occurrence : "");
    }

    /**
     * A value's topic level: its name, or its OBIS code when it has none or the name is one of
     * ours; a value without a code whose name is one of ours gets it behind an underscore.
     */
    static String valueLevel(TelegramLine.Value v) {
        String name = v.name();
        if (name != null && !name.isEmpty() && !name.equals(STATE) && !name.equals(AVAILABILITY)) {
            return level(name);
        }
        return v.obis() != null ? v.obis() : "_" + level(name);
    }

    /** Text as one topic level: the wildcards, the separator and NUL become '_'. */
    static String level(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c == '/' || c == '+' || c == '#' || c == '\0' ? '_' : c);
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    /** Text as an id Home Assistant takes in discovery topics and unique ids: [A-Za-z0-9_-]. */
    static String id(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }
}
