package org.meterspec.check;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.meterspec.model.Element;
import org.meterspec.model.Limits;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;
import org.meterspec.runtime.Obis;

/**
 * Definitions as written, in each file read: the meter's name and every value's are lower-case
 * identifiers of bounded length, a code is defined once per file, and texts that end up in
 * generated code are bounded. It reads only what each file states, so it runs even where an
 * import could not be read.
 */
final class DefinitionsPass extends Pass {
    @Override
    public String name() {
        return "definitions";
    }

    @Override
    public Set<Section> reads() {
        return Set.of();
    }

    @Override
    protected void check(MeterModel m) {
        identifier(m.name(), m.nameLoc(), "meter name");
        text(m.title(), m.loc(), "the meter's title");
        Map<String, ValueSpec> firstInFile = new HashMap<>();
        for (ValueSpec v : m.declared()) {
            String key = v.obis() == Obis.NONE ? "as " + v.name() : v.code();
            ValueSpec first = firstInFile.putIfAbsent(v.loc().file() + "/" + key, v);
            if (first != null) {
                error(DiagCode.DUPLICATE_VALUE, v.loc(), key + " is already defined at " + first.loc(),
                        v.obis() == Obis.NONE ? "define each value once per file" : "define each OBIS code once per file");
                continue;
            }
            if (v.nameLoc() != null) {
                identifier(v.name(), v.nameLoc(), "value name");
            }
            text(v.doc(), v.loc(), "the doc text of " + v.code());
            text(v.unit(), v.unitLoc() != null ? v.unitLoc() : v.loc(), "the unit of " + v.code());
        }
        for (Element.Value v : Element.values(m.body())) {
            if (v.name() != null) {
                identifier(v.name(), v.nameLoc(), "value name");
            }
        }
    }

    /** A meter or value name: it is a JSON name and the root of generated identifiers. */
    private void identifier(String name, Loc at, String what) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            error(DiagCode.BAD_NAME, at, what + " '" + name
                    + "' must be lower case letters, digits and underscores, starting with a letter",
                    "try '" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "'");
        } else if (name.length() > Limits.MAX_NAME) {
            error(DiagCode.BAD_NAME, at, what + " '" + name.substring(0, 16) + "...' has " + name.length()
                    + " characters; a name has at most " + Limits.MAX_NAME);
        }
    }

    private void text(String text, Loc at, String what) {
        if (text != null && text.length() > Limits.MAX_TEXT) {
            error(DiagCode.TOO_LONG, at, what + " has " + text.length() + " characters; at most "
                    + Limits.MAX_TEXT + " are allowed");
        }
    }
}
