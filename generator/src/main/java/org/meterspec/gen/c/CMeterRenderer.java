package org.meterspec.gen.c;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.Failure;
import org.meterspec.gen.plan.Op;
import org.meterspec.gen.plan.ValueEntry;
import org.meterspec.model.Loc;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Tolerance;
import org.meterspec.runtime.Units;
import org.meterspec.runtime.Version;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;

/**
 * Renders one decode plan as a C header and source for the meterspec C runtime: the sizes as
 * #defines, the value directory and configuration as const data, and the body as one function
 * per container, each headed by the spec line it comes from. Every decision is the plan's; the
 * templates ({@code meter.stg}) only lay the code out.
 */
final class CMeterRenderer {
    /** The C runtime version this renderer writes for; {@code ms_runtime.h} states the same. */
    static final int RUNTIME_VERSION = 5;

    private final DecodePlan p;
    private final STGroup g;
    private final String prefix;
    private final List<String> functions = new ArrayList<>();
    private final List<String> prototypes = new ArrayList<>();

    CMeterRenderer(DecodePlan p, STGroup g) {
        this.p = p;
        this.g = g;
        this.prefix = p.meter();
    }

    /** The meter's header, {@code <meter>.h}. */
    String header() {
        return render(g.getInstanceOf("header").add("m", view()).add("z", zcl()));
    }

    /** The meter's source, {@code <meter>.c}. */
    String source() {
        Op root = p.body().root();
        String body = prefix + "_body";
        if (root instanceof Op.Structure s) {
            structure(s, body);
        } else {
            int slot = functions.size();
            prototypes.add("static ms_err " + body + "(ms_body *b);");
            functions.add(slot, "/* the body at " + where(p.body().loc()) + " */\nstatic ms_err " + body
                    + "(ms_body *b) {\n    " + indent(standalone(root), "    ") + "\n    return MS_OK;\n}");
        }
        return render(g.getInstanceOf("source").add("m", view()).add("functions", functions).add("z", zcl()));
    }

    private static String render(ST st) {
        return st.render().replace("\r\n", "\n");
    }

    // ---- the view the templates read ----------------------------------------------------------

    /** The ZigBee tables as the templates show them; null without a mapping. */
    record Zcl(int attributes, int endpointCount, String summary, List<ZclEndpoint> endpoints, String modelId) {
    }

    record ZclEndpoint(String symbol, int number, String profile, String device, int count, List<ZclCluster> clusters) {
    }

    record ZclCluster(String symbol, String id, String name, int count, List<ZclAttribute> attributes) {
    }

    record ZclAttribute(String id, String name, String type, int width, String fill, int reportable, int termCount,
                        int negative, List<String> terms, String termsSymbol, String termsRef, String initial,
                        String num, String den, int unit, String min, String max, int minInterval, int maxInterval,
                        String change, String comment) {
    }

    private Zcl zcl() {
        org.meterspec.zcl.ZclTable t = p.zcl();
        if (t == null) {
            return null;
        }
        List<ZclEndpoint> endpoints = new ArrayList<>();
        int attributes = 0;
        List<String> summary = new ArrayList<>();
        for (org.meterspec.zcl.ZclTable.Endpoint ep : t.endpoints()) {
            List<ZclCluster> clusters = new ArrayList<>();
            for (org.meterspec.zcl.ZclTable.Cluster c : ep.clusters()) {
                String symbol = prefix + "_zcl_" + ep.number() + "_" + c.cluster().name();
                List<ZclAttribute> list = new ArrayList<>();
                for (org.meterspec.zcl.ZclTable.Entry e : c.attributes()) {
                    List<String> terms = new ArrayList<>();
                    for (org.meterspec.zcl.ZclTable.Term term : e.terms()) {
                        List<String> groups = new ArrayList<>();
                        for (int i = 0; i < 6; i++) {
                            groups.add(Integer.toString(Obis.group(term.obis(), i)));
                        }
                        terms.add("MS_OBIS(" + String.join(", ", groups) + ")");
                    }
                    String termsSymbol = symbol + "_" + e.attribute().name();
                    org.meterspec.zcl.ZclTable.Report r = e.report();
                    list.add(new ZclAttribute(e.attribute().hex(), e.attribute().name(),
                            String.format("0x%02x", e.attribute().type().id()), e.attribute().type().width(),
                            "MS_ZCL_" + e.fill().name(), r != null ? 1 : 0, terms.size(), e.negativeMask(),
                            terms.isEmpty() ? null : terms, termsSymbol, terms.isEmpty() ? "NULL" : termsSymbol,
                            int64(e.initial().longValueExact()), int64(e.num().longValueExact()),
                            int64(e.den().longValueExact()), e.unit(), int64(e.min().longValueExact()),
                            int64(e.max().longValueExact()), r == null ? 0 : r.min(), r == null ? 0 : r.max(),
                            int64(e.changeOrNone()), CText.comment(e.attribute().name() + ": " + e.source())));
                }
                attributes += list.size();
                clusters.add(new ZclCluster(symbol, c.cluster().hex(), c.cluster().name(), list.size(), list));
                summary.add(c.cluster().name() + " on endpoint " + ep.number());
            }
            endpoints.add(new ZclEndpoint(prefix + "_zcl_" + ep.number() + "_clusters", ep.number(),
                    String.format("0x%04x", ep.profile()), String.format("0x%04x", ep.device()), clusters.size(),
                    clusters));
        }
        return new Zcl(attributes, endpoints.size(), String.join(", ", summary), endpoints,
                org.meterspec.zcl.ZclCatalog.modelIdentifier(p.meter()));
    }

    private static String int64(long v) {
        return v >= Integer.MIN_VALUE + 1L && v <= Integer.MAX_VALUE ? Long.toString(v) : "INT64_C(" + v + ")";
    }

    /** What the header and source templates show of the meter. */
    record Meter(String version, String file, String title, String name, String nameLiteral, String upper,
                 String guard, int runtimeVersion, String fingerprint, String transportText, String securityText,
                 String blocksText, DecodePlan.Sizes sizes, String transportConstant, String framing,
                 String blockTransfer, String decipher, String tolerancesExpression, int maxBlocks, int walkDepth, int pushCodes, List<Entry> entries, int directorySize, int tableSize,
                 String mbusControl, String mbusAddress, String stsap, String dtsap, int hdlcDestinationLength,
                 int hdlcSourceLength, String llcConstant, int acceptPlain, int acceptGlo, int acceptDed,
                 List<String> controls, String securityModes, int authenticationRequired, String presenceConstant, String datetimeValue,
                 List<String> prototypes, List<String> scalers, List<String> typeMasks, List<String> patterns) {
    }

    /** One directory entry as the templates show it. */
    record Entry(int id, String constant, String obisText, String comment, List<Integer> obisGroups,
                 String nameLiteral, int unit, String unitComment, String scaler, String formatConstant, int types,
                 String doc, boolean uncoded, boolean pattern) {
    }

    private Meter view() {
        DecodePlan.Config c = p.config();
        List<Entry> entries = new ArrayList<>();
        // the distinct tag masks entries restrict their values to; an entry names its mask's index, 0 for any
        List<Integer> masks = new ArrayList<>(List.of(0));
        for (ValueEntry e : p.values().entries()) {
            List<Integer> groups = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                groups.add(Obis.group(e.obis(), i));
            }
            if (!masks.contains(e.typeMask())) {
                masks.add(e.typeMask());
            }
            entries.add(new Entry(e.id(), constant(e), Obis.format(e.obis(), e.wildcards()),
                    e.isPattern() ? "(pattern)" : CText.comment(e.name()), groups,
                    e.isPattern() ? null : CText.literal(e.name()), e.unit() == null ? 0 : Units.code(e.unit()),
                    e.unit() == null ? "" : ", " + CText.comment(e.unit()),
                    e.scaler() == null ? "MS_NO_SCALER" : Integer.toString(e.scaler()),
                    "MS_FORMAT_" + e.format().name(), masks.indexOf(e.typeMask()),
                    e.doc() == null ? null : CText.comment(e.doc()), e.obis() == Obis.NONE, e.isPattern()));
        }
        if (masks.size() > 256) {
            throw new IllegalStateException("more than 255 distinct value types in one directory");
        }
        List<String> typeMasks = masks.size() == 1 ? List.of() : masks.stream().map(CMeterRenderer::mask).toList();
        // the scalers array only where an entry fixes one: most directories have none
        List<String> scalers = p.values().entries().stream().anyMatch(e -> e.scaler() != null)
                ? p.values().entries().stream().map(e -> e.scaler() == null ? "0" : Integer.toString(e.scaler())).toList()
                : List.of();
        String mbusControl = "-1";
        String mbusAddress = "-1";
        String stsap = "-1";
        String dtsap = "-1";
        int destination = 0;
        int source = 0;
        String llc = "MS_LLC_OPTIONAL";
        String transport;
        if (c.transport() instanceof DecodePlan.Transport.Mbus mb) {
            transport = "MS_TRANSPORT_MBUS";
            mbusControl = hexOrAny(mb.control());
            mbusAddress = hexOrAny(mb.address());
            stsap = hexOrAny(mb.stsap());
            dtsap = hexOrAny(mb.dtsap());
        } else if (c.transport() instanceof DecodePlan.Transport.Hdlc h) {
            transport = "MS_TRANSPORT_HDLC";
            destination = h.destinationLength() == null ? 0 : h.destinationLength();
            source = h.sourceLength() == null ? 0 : h.sourceLength();
            llc = "MS_LLC_" + h.llc().name();
        } else {
            transport = "MS_TRANSPORT_RAW";
        }
        List<String> tolerances = new ArrayList<>();
        for (Tolerance t : c.tolerances()) {
            tolerances.add("MS_TOLERATE_" + t.name());
        }
        int[] bits = new int[32];
        for (int sc : c.security().controls()) {
            bits[sc >> 3] |= 1 << (sc & 7);
        }
        List<String> controls = new ArrayList<>();
        for (int b : bits) {
            controls.add(String.format("0x%02X", b));
        }
        // what every accepted control has in common (a spec without ciphering accepts none: all hold)
        List<String> modes = new ArrayList<>();
        if (c.security().controls().stream().allMatch(sc -> (sc & 0x20) != 0)) {
            modes.add("MS_MODES_ALWAYS_ENCRYPTED");
        }
        if (c.security().controls().stream().noneMatch(sc -> (sc & 0x40) != 0)) {
            modes.add("MS_MODES_NEVER_BROADCAST");
        }
        ValueEntry dt = c.notification().dateTimeValue();
        return new Meter(Version.VERSION, CText.comment(p.file()), p.title() == null ? "meter" : CText.comment(p.title()),
                p.meter(), CText.literal(p.meter()), upper(), upper() + "_H", RUNTIME_VERSION,
                CText.literal(p.fingerprint()), transportText(), securityText(),
                c.notification().maxBlocks() > 0 ? "up to " + c.notification().maxBlocks() + " blocks" : "no",
                c.sizes(), transport, framing(transport),
                c.notification().maxBlocks() > 0 ? "&ms_general_block_transfer" : "NULL",
                // only a meter that accepts a ciphered APDU links the security layer and the crypto port
                c.security().glo() || c.security().ded() ? "ms_decipher" : "NULL", tolerances.isEmpty() ? "0" : String.join(" | ", tolerances),
                c.notification().maxBlocks(), walkDepth(), Math.max(1, c.sizes().maxPushObjects()), entries,
                entries.size(), p.values().table().size(), mbusControl, mbusAddress, stsap, dtsap, destination, source,
                llc, flag(c.security().plain()), flag(c.security().glo()), flag(c.security().ded()), controls,
                modes.isEmpty() ? "0" : String.join(" | ", modes),
                flag(c.security().authenticationRequired()), "MS_PRESENCE_" + c.notification().dateTime().name(),
                dt == null ? "-1" : upper() + "_" + constant(dt), List.copyOf(prototypes), scalers, typeMasks,
                p.values().patterns().stream().map(e -> String.format("0x%02X", e.wildcards())).toList());
    }

    /** The framer object of a transport: the meter names only its own, so a firmware links no other. */
    private static String framing(String transportConstant) {
        return "ms_" + transportConstant.substring("MS_TRANSPORT_".length()).toLowerCase(Locale.ROOT) + "_framing";
    }

    private String upper() {
        return prefix.toUpperCase(Locale.ROOT);
    }

    private static String constant(ValueEntry e) {
        return e.ident().toUpperCase(Locale.ROOT);
    }

    private String entry(ValueEntry e) {
        return upper() + "_" + constant(e);
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    private static String hexOrAny(Integer v) {
        return v == null ? "-1" : String.format("0x%02X", v);
    }

    /** How deep the body's walks go: a skip's depth, a push list entry's restriction (4), its values. */
    private int walkDepth() {
        int depth = 1;
        for (Op op : Op.all(p.body().root())) {
            if (op instanceof Op.Skip s) {
                depth = Math.max(depth, s.depth());
            } else if (op instanceof Op.PushObjects push) {
                depth = Math.max(depth, Math.max(4, push.maxDepth()));
            } else if (op instanceof Op.GroupValue v) {
                depth = Math.max(depth, v.maxDepth());
            } else if (op instanceof Op.Positional v) {
                depth = Math.max(depth, v.maxDepth());
            }
        }
        return depth;
    }

    private String transportText() {
        DecodePlan.Transport t = p.config().transport();
        return t instanceof DecodePlan.Transport.Mbus ? "M-Bus long frames"
                : t instanceof DecodePlan.Transport.Hdlc ? "HDLC" : "bare APDUs";
    }

    private String securityText() {
        DecodePlan.Security s = p.config().security();
        List<String> modes = new ArrayList<>();
        if (s.plain()) {
            modes.add("plain");
        }
        if (s.glo()) {
            modes.add("glo-ciphering");
        }
        if (s.ded()) {
            modes.add("ded-ciphering");
        }
        String text = String.join(", ", modes);
        if (s.glo() || s.ded()) {
            List<String> sc = new ArrayList<>();
            s.controls().forEach(v -> sc.add(String.format("0x%02X", v)));
            text += " (security control " + String.join(", ", sc) + ")";
        }
        return s.authenticationRequired() ? text + ", authentication required" : text;
    }

    // ---- body ---------------------------------------------------------------------------------

    private String name(String container) {
        return prefix + "_" + container;
    }

    private void structure(Op.Structure s, String function) {
        int slot = functions.size();
        prototypes.add("static ms_err " + function + "(ms_body *b);");
        List<String> items = new ArrayList<>();
        for (Op item : s.items()) {
            items.add(item(item));
        }
        String count = s.minCount() == s.maxCount() ? Long.toString(s.minCount()) : s.minCount() + " to " + s.maxCount();
        functions.add(slot, render(g.getInstanceOf("structureFunction").add("name", function)
                .add("where", where(s.loc())).add("count", count).add("items", items)));
    }

    /** Code for an operation that does not count against a containing structure. */
    private String standalone(Op op) {
        return op.accept(new Op.Visitor<String>() {
            @Override
            public String structure(Op.Structure s) {
                String function = name(s.name());
                CMeterRenderer.this.structure(s, function);
                return render(g.getInstanceOf("call").add("name", function));
            }

            @Override
            public String array(Op.Array a) {
                String function = name(a.name());
                int slot = functions.size();
                prototypes.add("static ms_err " + function + "(ms_body *b);");
                String item = standalone(a.item());
                functions.add(slot, render(g.getInstanceOf("arrayFunction").add("name", function)
                        .add("where", where(a.loc())).add("max", a.max()).add("item", item)));
                return render(g.getInstanceOf("call").add("name", function));
            }

            @Override
            public String choice(Op.Choice c) {
                String function = name(c.name());
                int slot = functions.size();
                prototypes.add("static ms_err " + function + "(ms_body *b);");
                List<Case> byCount = new ArrayList<>();
                for (Op.ByCount bc : c.byCount()) {
                    String test = bc.min() == 0 ? "count <= " + bc.max() : "count >= " + bc.min() + " && count <= " + bc.max();
                    byCount.add(new Case(test, standalone(bc.alternative())));
                }
                List<Case> byTag = new ArrayList<>();
                for (Op.ByTag bt : c.byTag()) {
                    byTag.add(new Case(tagTest(bt.tagMask()), standalone(bt.alternative())));
                }
                failsAt(c, ErrorCode.BODY_COUNT, Failure.At.ELEMENT);
                failsAt(c, ErrorCode.BODY_TYPE, Failure.At.ELEMENT);
                functions.add(slot, render(g.getInstanceOf("choiceFunction").add("name", function)
                        .add("where", where(c.loc())).add("byCount", byCount).add("byTag", byTag)));
                return render(g.getInstanceOf("call").add("name", function));
            }

            @Override
            public String positional(Op.Positional v) {
                if (v.structured()) {
                    return render(g.getInstanceOf("positionalLeaves").add("entry", entry(v.entry()))
                            .add("mask", mask(v.typeMask())).add("maxLength", v.maxLength())
                            .add("maxDepth", v.maxDepth()).add("maxLeaves", v.maxLeaves())
                            .add("comment", Obis.format(v.entry().obis()) + " " + CText.comment(v.entry().name())));
                }
                return render(g.getInstanceOf("positional").add("entry", entry(v.entry()))
                        .add("mask", valueMask(v.typeMask(), v.dateTimeOctets())).add("maxLength", v.maxLength())
                        .add("comment", Obis.format(v.entry().obis()) + " " + CText.comment(v.entry().name())));
            }

            @Override
            public String skip(Op.Skip s) {
                return render(g.getInstanceOf("skip").add("mask", mask(s.typeMask())).add("depth", s.depth()));
            }

            @Override
            public String repeat(Op.Repeat r) {
                return inStructure(r);
            }

            @Override
            public String element(Op.Element e) {
                return inStructure(e);
            }

            @Override
            public String optional(Op.Optional o) {
                return inStructure(o);
            }

            @Override
            public String groupBegin(Op.GroupBegin gb) {
                return inStructure(gb);
            }

            @Override
            public String groupEnd(Op.GroupEnd ge) {
                return inStructure(ge);
            }

            @Override
            public String obisField(Op.ObisField o) {
                return inStructure(o);
            }

            @Override
            public String descriptor(Op.Descriptor d) {
                return inStructure(d);
            }

            @Override
            public String scalerUnit(Op.ScalerUnit s) {
                return inStructure(s);
            }

            @Override
            public String groupValue(Op.GroupValue v) {
                return inStructure(v);
            }

            @Override
            public String pushObjects(Op.PushObjects push) {
                return inStructure(push);
            }
        });
    }

    /** A case of a choice: its test, and the code it runs. */
    record Case(String test, String code) {
    }

    private static String inStructure(Op op) {
        throw new IllegalStateException("the plan holds " + op + " outside a structure");
    }

    /** Code for an operation inside a structure, which counts down {@code left} of the structure at {@code at}. */
    private String item(Op op) {
        return op.accept(new Op.Visitor<String>() {
            @Override
            public String element(Op.Element e) {
                failsAt(e, ErrorCode.BODY_COUNT, Failure.At.CONTAINER);
                return render(g.getInstanceOf("element").add("item", item(e.item())));
            }

            @Override
            public String optional(Op.Optional o) {
                return render(g.getInstanceOf("optional").add("requiredAfter", o.requiredAfter())
                        .add("test", tagTest(o.lookahead())).add("item", item(o.element())));
            }

            @Override
            public String repeat(Op.Repeat r) {
                String function = name(r.name());
                int slot = functions.size();
                prototypes.add("static ms_err " + function + "(ms_body *b, uint32_t *left_io, uint32_t at);");
                List<String> items = new ArrayList<>();
                for (Op i : r.items()) {
                    items.add(item(i));
                }
                failsAt(r, ErrorCode.BODY_COUNT, Failure.At.CONTAINER);
                functions.add(slot, render(g.getInstanceOf("repeatFunction").add("name", function)
                        .add("where", where(r.loc())).add("max", r.max()).add("requiredAfter", r.requiredAfter())
                        .add("items", items)));
                return render(g.getInstanceOf("repeatCall").add("name", function));
            }

            @Override
            public String pushObjects(Op.PushObjects push) {
                return render(g.getInstanceOf("pushObjects").add("maxObjects", push.maxObjects())
                        .add("maxLength", push.maxLength()).add("maxDepth", push.maxDepth())
                        .add("maxLeaves", push.maxLeaves()));
            }

            @Override
            public String groupBegin(Op.GroupBegin gb) {
                return render(g.getInstanceOf("groupBegin").add("entry", gb.fixed() == null ? "-1" : entry(gb.fixed())));
            }

            @Override
            public String groupEnd(Op.GroupEnd ge) {
                return render(g.getInstanceOf("groupEnd"));
            }

            @Override
            public String obisField(Op.ObisField o) {
                return render(g.getInstanceOf("obisField").add("swapped", o.swappedHeader() ? 1 : 0));
            }

            @Override
            public String descriptor(Op.Descriptor d) {
                return render(g.getInstanceOf("descriptor"));
            }

            @Override
            public String scalerUnit(Op.ScalerUnit s) {
                return render(g.getInstanceOf("scalerUnit"));
            }

            @Override
            public String groupValue(Op.GroupValue v) {
                if (v.structured()) {
                    return render(g.getInstanceOf("groupLeaves").add("mask", mask(v.typeMask()))
                            .add("maxLength", v.maxLength()).add("maxDepth", v.maxDepth()).add("maxLeaves", v.maxLeaves()));
                }
                return render(g.getInstanceOf("groupValue").add("mask", valueMask(v.typeMask(), v.dateTimeOctets()))
                        .add("maxLength", v.maxLength()));
            }

            @Override
            public String structure(Op.Structure s) {
                return standalone(s);
            }

            @Override
            public String array(Op.Array a) {
                return standalone(a);
            }

            @Override
            public String choice(Op.Choice c) {
                return standalone(c);
            }

            @Override
            public String positional(Op.Positional v) {
                return standalone(v);
            }

            @Override
            public String skip(Op.Skip s) {
                return standalone(s);
            }
        });
    }

    /** The C code raises this error where the plan says; a plan that says otherwise is a renderer bug. */
    private static void failsAt(Op op, ErrorCode code, Failure.At at) {
        if (!op.failures().contains(new Failure(code, at))) {
            throw new IllegalStateException(op + " does not raise " + code + " at " + at);
        }
    }

    private static String tagTest(int mask) {
        if (Integer.bitCount(mask) == 1) {
            return "tag == MS_TAG_" + tagName(Integer.numberOfTrailingZeros(mask));
        }
        return "ms_tag_in(" + mask(mask) + ", tag)";
    }

    private static String valueMask(int mask, boolean dateTimeOctets) {
        String m = mask(mask);
        return dateTimeOctets ? m + " | MS_DATETIME_OCTETS" : m;
    }

    /** A tag mask as a readable expression of runtime constants. */
    static String mask(int mask) {
        if (mask == Axdr.SCALARS) {
            return "MS_SCALARS";
        }
        if (mask == Axdr.NUMBERS) {
            return "MS_NUMBERS";
        }
        if (mask == Axdr.INTEGERS) {
            return "MS_INTEGERS";
        }
        if (mask == Axdr.STRINGS) {
            return "MS_STRINGS";
        }
        List<String> bits = new ArrayList<>();
        for (int tag = 0; tag < 32; tag++) {
            if (Axdr.accepts(mask, tag)) {
                bits.add("MS_BIT(MS_TAG_" + tagName(tag) + ")");
            }
        }
        return bits.isEmpty() ? "0" : bits.size() == 1 ? bits.get(0) : "(" + String.join(" | ", bits) + ")";
    }

    private static String tagName(int tag) {
        return Axdr.name(tag).toUpperCase(Locale.ROOT);
    }

    /** Where the spec writes something: its file (an import's own for an imported body) and line. */
    private static String where(Loc loc) {
        return CText.comment(loc.file()) + ":" + loc.line();
    }

    private static String indent(String code, String by) {
        return code.replace("\n", "\n" + by);
    }
}
