package org.meterspec.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meterspec.model.Element;
import org.meterspec.model.MeterModel;
import org.meterspec.model.Presence;
import org.meterspec.model.ValueSpec;
import org.meterspec.runtime.Obis;

/**
 * Names: the sections a meter needs are there, each value has a name and each name one value,
 * and the notification date-time is reported under a named code.
 */
final class NamesPass extends Pass {
    @Override
    public String name() {
        return "names";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.METER, Section.VALUES, Section.BODY, Section.NOTIFICATION);
    }

    @Override
    protected void check(MeterModel m) {
        sections(m);
        java.util.Set<String> uncodedInBody = new java.util.HashSet<>();
        for (Element.Value v : Element.values(m.body())) {
            if (v.uncoded()) {
                uncodedInBody.add(v.name());
            }
        }
        for (ValueSpec v : m.declared()) {
            if (v.obis() == Obis.NONE) {
                if (m.body() != null && !uncodedInBody.contains(v.name())) {
                    error(DiagCode.UNNAMED_VALUE, v.loc(), "'as " + v.name() + "' names no value the body names without a code",
                            "the body's 'value as " + v.name() + " …' and this entry share the name");
                }
                continue;
            }
            if (v.isPattern()) {
                if (v.name() != null) {
                    error(DiagCode.OBIS_PATTERN, v.nameLoc() != null ? v.nameLoc() : v.loc(), "'" + v.code()
                            + "' stands for many codes and cannot give them one name: the values it matches are"
                            + " reported by their codes", "name a code on a line of its own, e.g. '"
                            + Obis.format(v.obis()) + " " + v.name() + "'");
                }
                continue;
            }
            if (v.name() == null) {
                error(DiagCode.UNNAMED_VALUE, v.loc(), Obis.format(v.obis()) + " needs a name: no imported definition names it",
                        "write the name after the OBIS code, e.g. '" + Obis.format(v.obis()) + " energy_import'");
            }
        }
        unique(m);
    }

    private void sections(MeterModel m) {
        if (m.transport() == null) {
            error(DiagCode.MISSING_SECTION, m.loc(), "meter '" + m.name() + "' has no transport section",
                    "add 'transport mbus', 'transport hdlc' or 'transport raw'");
        }
        if (m.body() == null) {
            error(DiagCode.MISSING_SECTION, m.loc(), "meter '" + m.name() + "' has no body section",
                    "describe the notification body, e.g. 'body structure { repeat max 32 { obis value max 32 scaler_unit? } }'");
        }
    }

    /** One value per name, one name per value, and the notification date-time reported under a named code. */
    private void unique(MeterModel m) {
        Map<String, ValueSpec> byName = new HashMap<>();
        List<ValueSpec> inSourceOrder = new ArrayList<>();
        for (ValueSpec v : m.values().values()) {
            if (v.name() != null) {
                inSourceOrder.add(v);
            }
        }
        // imported definitions come before the meter's own
        inSourceOrder.sort(Comparator.comparing((ValueSpec v) -> v.loc().file().equals(m.file()))
                .thenComparing(v -> v.loc().file()).thenComparingInt(v -> v.loc().line())
                .thenComparingInt(v -> v.loc().column()));
        for (ValueSpec v : inSourceOrder) {
            ValueSpec other = byName.putIfAbsent(v.name(), v);
            if (other != null) {
                error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                        + Obis.format(other.obis()) + " at " + other.loc(), "give each value its own name");
            }
        }
        Map<String, Element.Value> positional = new HashMap<>();
        for (Element.Value v : Element.values(m.body())) {
            if (v.uncoded()) {
                // reported by its name alone, which stands for it as a code would: the same name in
                // two places (lists of a 'one of') is the same value, but not a coded value's name
                ValueSpec clash = byName.get(v.name());
                if (clash != null) {
                    error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                            + Obis.format(clash.obis()) + " at " + clash.loc(), "give the value a name of its own");
                }
                Element.Value coded = positional.get(v.name());
                if (coded != null && coded.obis() != null) {
                    error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                            + Obis.format(coded.obis()) + " at " + coded.loc(), "give the value a name of its own");
                }
                positional.putIfAbsent(v.name(), v);
                continue;
            }
            if (v.obis() == null) {
                continue;
            }
            ValueSpec entry = m.values().get(v.obis());
            if (v.name() != null) {
                ValueSpec clash = byName.get(v.name());
                if (clash != null && clash.obis() != v.obis()) {
                    error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used by "
                            + Obis.format(clash.obis()) + " at " + clash.loc());
                }
                Element.Value other = positional.putIfAbsent(v.name(), v);
                if (other != null) {
                    error(DiagCode.DUPLICATE_NAME, v.loc(), "name '" + v.name() + "' is already used at " + other.loc());
                }
            } else if (entry == null || entry.name() == null) {
                error(DiagCode.UNNAMED_VALUE, v.loc(), "value " + Obis.format(v.obis()) + " has no name",
                        "add '" + Obis.format(v.obis()) + " <name>' to the values section, or write 'as <name>'");
            }
        }
        Long dt = m.notification().dateTimeObis();
        if (dt != null && (!m.values().containsKey(dt) || m.values().get(dt).name() == null)) {
            error(DiagCode.DATETIME_REPORT, m.notification().loc(), "the notification date-time is reported as "
                    + Obis.format(dt) + ", which has no name", "add '" + Obis.format(dt) + " clock datetime' to the values section");
        }
        if (dt != null && m.body() != null) {
            // one code, one value per reading: a body clock under the header's code would be a second one
            for (Element.Value v : Element.values(m.body())) {
                if (v.obis() != null && v.obis().longValue() == dt) {
                    error(DiagCode.DATETIME_REPORT, v.loc(), "the notification date-time is reported as " + Obis.format(dt)
                            + " already (" + m.notification().loc() + "); this value would be a second "
                            + Obis.format(dt) + " in each reading",
                            "keep both under two codes: report the header's as another, e.g. 'datetime "
                                    + m.notification().dateTime().name().toLowerCase(java.util.Locale.ROOT)
                                    + " as 0.1.1.0.0.255' with a name for it in values, or drop 'as' to leave it out");
                }
            }
        }
        if (dt != null && m.notification().dateTime() == Presence.ABSENT) {
            error(DiagCode.DATETIME_REPORT, m.notification().loc(), "an absent date-time cannot be reported",
                    "drop 'as " + Obis.format(dt) + "' or make the date-time optional");
        }
    }
}
