package org.meterspec.check;

import java.util.EnumSet;
import java.util.Set;
import org.meterspec.model.MeterModel;
import org.meterspec.zcl.ZclResolver;

/**
 * The ZigBee mapping: known clusters and attributes, sources of the kind each attribute takes,
 * constants and value ranges the attribute's type holds, Multiplier/Divisor pairs complete, each
 * attribute mapped once, drops that remove something, reporting that fits.
 */
final class ZigbeePass extends Pass {
    @Override
    public String name() {
        return "zigbee";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.ZIGBEE, Section.VALUES, Section.BODY, Section.NOTIFICATION);
    }

    @Override
    public Set<String> after() {
        return Set.of("names", "types", "values", "layout");
    }

    @Override
    protected void check(MeterModel m) {
        if (m.zigbee() == null) {
            return;
        }
        for (Problem p : ZclResolver.resolve(m).problems()) {
            error(p.code(), p.loc(), p.message(), p.hint());
        }
    }
}
