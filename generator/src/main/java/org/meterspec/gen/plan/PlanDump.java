package org.meterspec.gen.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.meterspec.model.Loc;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.Obis;

/**
 * The plan as text, one line per fact and per operation, indented by nesting: what golden files
 * pin, and what a reader checks a generator against.
 */
public final class PlanDump {
    private final StringBuilder sb = new StringBuilder();

    private PlanDump() {
    }

    public static String of(DecodePlan plan) {
        PlanDump d = new PlanDump();
        d.plan(plan);
        return d.sb.toString();
    }

    private void line(int depth, String text) {
        sb.append("  ".repeat(depth)).append(text).append('\n');
    }

    private void plan(DecodePlan p) {
        line(0, "plan " + p.meter() + (p.title() != null ? " " + quote(p.title()) : "") + " from " + p.file()
                + " fingerprint " + p.fingerprint());
        DecodePlan.Config c = p.config();
        line(0, "config");
        line(1, "transport " + transport(c.transport()));
        DecodePlan.Security s = c.security();
        List<String> controls = new ArrayList<>();
        s.controls().forEach(v -> controls.add(hex(v)));
        line(1, "security plain " + yes(s.plain()) + " glo " + yes(s.glo()) + " ded " + yes(s.ded()) + " controls "
                + (controls.isEmpty() ? "none" : String.join(" ", controls)) + " authentication "
                + (s.authenticationRequired() ? "required" : "optional"));
        DecodePlan.Notification n = c.notification();
        line(1, "notification datetime " + lower(n.dateTime()) + " reported "
                + (n.dateTimeValue() == null ? "no" : "as #" + n.dateTimeValue().id()) + " blocks " + n.maxBlocks());
        DecodePlan.Sizes z = c.sizes();
        line(1, "sizes frames " + z.maxFrames() + " telegram " + z.maxTelegram() + " apdu " + z.maxApdu()
                + " plain_apdu " + z.maxPlainApdu() + " values " + z.maxValues() + " string_bytes " + z.maxStringBytes()
                + " depth " + z.maxDepth() + " skip_depth " + z.skipDepth() + " push_objects " + z.maxPushObjects());
        for (var t : c.tolerances()) {
            line(1, "tolerate " + t.specName());
        }
        line(0, "values");
        for (ValueEntry e : p.values().entries()) {
            line(1, "#" + e.id() + " " + Obis.format(e.obis(), e.wildcards()) + " " + e.name() + " ident " + e.ident()
                    + (e.unit() != null ? " unit " + e.unit() : "") + (e.scaler() != null ? " scaler " + e.scaler() : "")
                    + " format " + lower(e.format()) + " types " + types(e.typeMask())
                    + (e.inTable() ? " table" : e.isPattern() ? " pattern" : " body") + (e.loc() != null ? " at " + e.loc() : ""));
        }
        line(0, "body at " + p.body().loc());
        op(p.body().root(), 1);
        if (p.zcl() != null) {
            zcl(p.zcl());
        }
    }

    private void zcl(org.meterspec.zcl.ZclTable t) {
        line(0, "zigbee");
        for (org.meterspec.zcl.ZclTable.Endpoint ep : t.endpoints()) {
            line(1, "endpoint " + ep.number() + " profile " + hex4(ep.profile()) + " device " + hex4(ep.device()));
            for (org.meterspec.zcl.ZclTable.Cluster c : ep.clusters()) {
                line(2, "cluster " + c.cluster().hex() + " " + c.cluster().name());
                for (org.meterspec.zcl.ZclTable.Entry e : c.attributes()) {
                    StringBuilder a = new StringBuilder();
                    a.append(e.attribute().hex()).append(' ').append(e.attribute().name()).append(' ')
                            .append(e.attribute().type().herdsmanName()).append(' ').append(lower(e.fill()));
                    switch (e.fill()) {
                        case MEASURED:
                            a.append(" of ").append(e.source()).append(" x ").append(e.num()).append('/').append(e.den())
                                    .append(" unit ").append(e.unit() < 0 ? "none" : org.meterspec.runtime.Units.symbol(e.unit()))
                                    .append(" range ").append(e.min()).append("..").append(e.max());
                            break;
                        case TEXT:
                            a.append(" of ").append(e.source()).append(" max ").append(e.max());
                            break;
                        default:
                            break;
                    }
                    a.append(" initial ").append(e.initial());
                    if (e.report() != null) {
                        a.append(" report ").append(e.report().min()).append(' ').append(e.report().max());
                        if (e.report().change() != null) {
                            a.append(" change ").append(e.report().change());
                        }
                    }
                    line(3, a.toString());
                }
            }
        }
    }

    private static String hex4(int v) {
        return String.format("0x%04x", v);
    }

    private void op(Op op, int depth) {
        String text = op.accept(new Op.Visitor<String>() {
            @Override
            public String structure(Op.Structure s) {
                return "structure " + s.name() + " elements " + s.minCount() + ".." + s.maxCount();
            }

            @Override
            public String array(Op.Array a) {
                return "array " + a.name() + " max " + a.max();
            }

            @Override
            public String repeat(Op.Repeat r) {
                return "repeat " + r.name() + " max " + r.max() + " while_more_than " + r.requiredAfter();
            }

            @Override
            public String choice(Op.Choice c) {
                return "choice " + c.name();
            }

            @Override
            public String element(Op.Element e) {
                return "element";
            }

            @Override
            public String optional(Op.Optional o) {
                return "optional if_more_than " + o.requiredAfter() + " and_next " + types(o.lookahead());
            }

            @Override
            public String groupBegin(Op.GroupBegin g) {
                return "group_begin " + (g.fixed() == null ? "code_from_telegram" : "#" + g.fixed().id());
            }

            @Override
            public String groupEnd(Op.GroupEnd g) {
                return "group_end";
            }

            @Override
            public String obisField(Op.ObisField o) {
                return "obis_field" + (o.swappedHeader() ? " swapped_header_too" : "");
            }

            @Override
            public String descriptor(Op.Descriptor d) {
                return "descriptor";
            }

            @Override
            public String scalerUnit(Op.ScalerUnit s) {
                return "scaler_unit";
            }

            @Override
            public String groupValue(Op.GroupValue v) {
                return "group_value " + value(v.typeMask(), v.dateTimeOctets(), v.maxLength())
                        + leaves(v.maxDepth(), v.maxLeaves());
            }

            @Override
            public String positional(Op.Positional p) {
                return "positional #" + p.entry().id() + " " + value(p.typeMask(), p.dateTimeOctets(), p.maxLength())
                        + leaves(p.maxDepth(), p.maxLeaves());
            }

            @Override
            public String skip(Op.Skip s) {
                return "skip " + (s.typeMask() == 0 ? "any" : types(s.typeMask())) + " depth " + s.depth();
            }

            @Override
            public String pushObjects(Op.PushObjects p) {
                return "push_objects max " + p.maxObjects() + " string_max " + p.maxLength() + " depth " + p.maxDepth()
                        + " leaves " + p.maxLeaves();
            }
        });
        List<String> fails = new ArrayList<>();
        op.failures().forEach(f -> fails.add(f.toString()));
        line(depth, text + at(op.loc()) + (fails.isEmpty() ? "" : " fails " + String.join(", ", fails)));
        if (op instanceof Op.Choice c) {
            for (Op.ByCount b : c.byCount()) {
                line(depth + 1, "when_structure_of " + b.min() + ".." + b.max());
                op(b.alternative(), depth + 2);
            }
            for (Op.ByTag b : c.byTag()) {
                line(depth + 1, "when_tag " + types(b.tagMask()));
                op(b.alternative(), depth + 2);
            }
            return;
        }
        for (Op child : Op.children(op)) {
            op(child, depth + 1);
        }
    }

    private static String value(int mask, boolean dateTimeOctets, int maxLength) {
        return types(mask) + (dateTimeOctets ? " datetime_octets" : "") + (maxLength > 0 ? " max " + maxLength : "");
    }

    /** A tag mask by family name where it is one, else its tags' names. */
    static String types(int mask) {
        if (mask == -1) {
            return "any_byte";
        }
        if (mask == 0) {
            return "any";
        }
        for (var family : new Object[][] {{"scalar", Axdr.SCALARS}, {"number", Axdr.NUMBERS}, {"integer", Axdr.INTEGERS},
                {"string", Axdr.STRINGS}}) {
            if (mask == (int) family[1]) {
                return (String) family[0];
            }
        }
        List<String> names = new ArrayList<>();
        for (int tag = 0; tag < 32; tag++) {
            if (Axdr.accepts(mask, tag)) {
                names.add(Axdr.name(tag));
            }
        }
        return String.join("|", names);
    }

    private static String transport(DecodePlan.Transport t) {
        if (t instanceof DecodePlan.Transport.Mbus m) {
            return "mbus control " + hexOrAny(m.control()) + " address " + hexOrAny(m.address()) + " stsap "
                    + hexOrAny(m.stsap()) + " dtsap " + hexOrAny(m.dtsap());
        }
        if (t instanceof DecodePlan.Transport.Hdlc h) {
            return "hdlc destination_length " + anyOr(h.destinationLength()) + " source_length "
                    + anyOr(h.sourceLength()) + " llc " + lower(h.llc());
        }
        return "raw";
    }

    private static String at(Loc loc) {
        return loc == null ? "" : " at " + loc;
    }

    private static String hexOrAny(Integer v) {
        return v == null ? "any" : hex(v);
    }

    private static String anyOr(Integer v) {
        return v == null ? "any" : v.toString();
    }

    private static String hex(int v) {
        return String.format("0x%02X", v);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** A structured value's bounds; nothing for a scalar. */
    private static String leaves(int maxDepth, int maxLeaves) {
        return maxLeaves > 0 ? " depth " + maxDepth + " leaves " + maxLeaves : "";
    }
}
