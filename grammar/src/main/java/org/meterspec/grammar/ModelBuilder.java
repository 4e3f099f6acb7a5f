package org.meterspec.grammar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostics;
import org.meterspec.check.Section;
import org.meterspec.grammar.MeterSpecParser.*;
import org.meterspec.model.Element;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.Limits;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.NotificationSpec;
import org.meterspec.model.Presence;
import org.meterspec.model.SecuritySpec;
import org.meterspec.model.ToleranceSpec;
import org.meterspec.model.Transport;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.model.ZigbeeSpec;
import java.math.BigInteger;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.Tolerance;

/** Turns one file's parse tree into model records, reporting what is wrong locally. */
final class ModelBuilder {
    private final String file;
    private final Path path;
    private final Diagnostics diagnostics;
    private final java.util.EnumSet<Section> faulted = java.util.EnumSet.noneOf(Section.class);

    private final ZigbeeSpec.Merger zigbee;

    /** The files this builder's file imports, directly or through others. */
    private java.util.Set<String> imports = java.util.Set.of();

    ModelBuilder(String file, Path path, Diagnostics diagnostics, ZigbeeSpec.Merger zigbee) {
        this.file = file;
        this.path = path;
        this.diagnostics = diagnostics;
        this.zigbee = zigbee;
    }

    /** Names the files this builder's file imports, whose names its own entries may take. */
    ModelBuilder importing(java.util.Set<String> files) {
        this.imports = java.util.Set.copyOf(files);
        return this;
    }

    /** The sections in which this builder reported a problem. */
    java.util.Set<Section> faulted() {
        return java.util.Collections.unmodifiableSet(faulted);
    }

    /**
     * Problems reported where the model still says what the checks need: a repetition ignored with
     * the first kept, a literal out of range replaced by a neutral value (unchecked, or a bound of 1).
     */
    private int ignored;

    /** A mark to compare with: the problems so far that the model could not represent. */
    private int mark() {
        return diagnostics.size() - ignored;
    }

    /** Marks {@code section} faulted when problems the model could not represent were added since {@code mark}. */
    private void section(Section section, int mark) {
        if (mark() > mark) {
            faulted.add(section);
        }
    }

    private Loc loc(Token t) {
        return SpecLoader.loc(file, t);
    }

    private Loc loc(ParserRuleContext c) {
        return loc(c.getStart());
    }

    /** A body layout shared by an imported file, and where it came from. */
    record SharedBody(Element body, Loc loc) {
    }

    /**
     * An imported file shares definitions: values, and at most one body layout, which a meter
     * without a body of its own uses.
     */
    SharedBody collectImported(SpecContext tree, Map<Long, ValueSpec> into, List<ValueSpec> declared, SharedBody shared) {
        if (tree.meterDecl() != null) {
            diagnostics.error(DiagCode.IMPORT_CONTENT, loc(tree.meterDecl()),
                    "an imported file shares definitions and cannot declare a meter",
                    "move the meter into its own file and import this one from it");
        }
        for (DeclarationContext d : tree.declaration()) {
            int mark = mark();
            if (d.bodyDecl() != null) {
                if (shared != null) {
                    diagnostics.error(DiagCode.IMPORT_CONTENT, loc(d), "a second shared body; the first is at "
                            + shared.loc(), "import one body layout per meter");
                    ignored++;
                } else {
                    shared = new SharedBody(element(d.bodyDecl().element()), loc(d));
                }
                section(Section.BODY, mark);
                continue;
            }
            if (d.zigbeeDecl() != null) {
                zigbee(d.zigbeeDecl());
                section(Section.ZIGBEE, mark);
                continue;
            }
            if (d.valuesDecl() == null) {
                diagnostics.error(DiagCode.IMPORT_CONTENT, loc(d),
                        "an imported file may only hold 'values' and 'zigbee' sections and a 'body'");
                continue;
            }
            for (ValueEntryContext e : d.valuesDecl().valueEntry()) {
                addEntry(e, into, declared);
            }
            section(Section.VALUES, mark);
        }
        return shared;
    }

    MeterModel build(SpecContext tree, Map<Long, ValueSpec> imported, List<ValueSpec> importedDeclared,
                     SharedBody sharedBody, String fingerprint) {
        MeterDeclContext meter = tree.meterDecl();
        if (meter == null) {
            diagnostics.error(DiagCode.MISSING_METER, new Loc(file, 1, 1), "a spec must start with 'meter <name>'",
                    "for example: meter netz_noe_t210d \"Sagemcom T210-D (Netz NÖ)\"");
            return null;
        }
        String name = meter.name.getText();
        String title = meter.title == null ? null : unquote(meter.title.getText());

        Transport transport = null;
        SecuritySpec security = null;
        NotificationSpec notification = null;
        Element body = null;
        SortedMap<Long, ValueSpec> values = new TreeMap<>(imported);
        List<ValueSpec> declared = new ArrayList<>(importedDeclared);
        List<ToleranceSpec> tolerances = new ArrayList<>();
        List<ExampleSpec> examples = new ArrayList<>();
        Map<String, Loc> seen = new HashMap<>();

        for (DeclarationContext d : tree.declaration()) {
            boolean taken = true;
            if (d.transportDecl() != null) {
                taken = once(seen, "transport", d);
            } else if (d.securityDecl() != null) {
                taken = once(seen, "security", d);
            } else if (d.notificationDecl() != null) {
                taken = once(seen, "notification", d);
            } else if (d.bodyDecl() != null) {
                taken = once(seen, "body", d);
            }
            if (!taken) {
                continue; // a second section, reported and ignored: the first stands
            }
            int mark = mark();
            if (d.transportDecl() != null) {
                transport = transport(d.transportDecl());
            } else if (d.securityDecl() != null) {
                security = security(d.securityDecl());
            } else if (d.notificationDecl() != null) {
                notification = notification(d.notificationDecl());
            } else if (d.bodyDecl() != null) {
                body = element(d.bodyDecl().element());
            } else if (d.valuesDecl() != null) {
                for (ValueEntryContext e : d.valuesDecl().valueEntry()) {
                    addEntry(e, values, declared);
                }
            } else if (d.tolerateDecl() != null) {
                tolerances.add(tolerance(d.tolerateDecl()));
            } else if (d.zigbeeDecl() != null) {
                zigbee(d.zigbeeDecl());
            } else if (d.exampleDecl() != null) {
                examples.add(example(d.exampleDecl()));
            }
            section(section(d), mark);
        }
        if (body == null && sharedBody != null) {
            body = sharedBody.body();
        }
        if (security == null) {
            security = new SecuritySpec(loc(meter), true, false, false, List.of(), List.of(), false);
        }
        if (notification == null) {
            notification = new NotificationSpec(loc(meter), Presence.OPTIONAL, null, 0);
        }
        return new MeterModel(loc(meter), name, loc(meter.name), title, file, path, transport, security, notification,
                body, values, declared, tolerances, examples, zigbee.result(), fingerprint, null);
    }

    /**
     * Adds a values entry as written, and as it applies: an entry for a code an import defines
     * refines it, keeping what it does not restate.
     */
    private void addEntry(ValueEntryContext e, Map<Long, ValueSpec> values, List<ValueSpec> declared) {
        if (e.uncoded != null) {
            // 'as NAME': what the spec says of a value its body names without a code; such
            // entries live in declared only, the values map being keyed by code
            if (e.name == null) {
                diagnostics.error(DiagCode.UNNAMED_VALUE, loc(e), "'as' needs the name of a value the body names without a code",
                        "e.g. 'as unknown_4 unit W scaler -1' for 'value as unknown_4 uint32'");
                ignored++;
                return;
            }
            // an import's entry for the name, which this one refines
            ValueSpec base = MeterModel.uncoded(declared, e.name.getText());
            declared.add(buildEntry(e, Obis.NONE, 0, base));
            return;
        }
        if (e.pattern != null) {
            // a pattern's entry lives in declared only: it is looked up when no code's entry matches
            long[] pattern = pattern(e.pattern);
            if (pattern == null) {
                return;
            }
            long value = pattern[0];
            int wildcards = (int) pattern[1];
            ValueSpec base = MeterModel.pattern(declared, value, wildcards);
            declared.add(buildEntry(e, value, wildcards, base));
            return;
        }
        Long obis = obis(e.OBIS().getSymbol());
        if (obis == null) {
            return;
        }
        ValueSpec v = buildEntry(e, obis, 0, values.get(obis));
        declared.add(v);
        if (v.name() != null) {
            // names are scoped per file: a name this file gives another code is taken from what it
            // imports, and the imported entry that had it leaves the meter (channel-1 1.1.1.8.0.255
            // as energy_import, say); two files neither of which imports the other still clash
            String name = v.name();
            values.values().removeIf(u -> u.obis() != obis && name.equals(u.name()) && imports.contains(u.loc().file()));
        }
        values.put(obis, v);
    }

    private static Section section(DeclarationContext d) {
        return d.transportDecl() != null ? Section.TRANSPORT : d.securityDecl() != null ? Section.SECURITY
                : d.notificationDecl() != null ? Section.NOTIFICATION : d.bodyDecl() != null ? Section.BODY
                : d.valuesDecl() != null ? Section.VALUES : d.tolerateDecl() != null ? Section.TOLERANCES
                : d.zigbeeDecl() != null ? Section.ZIGBEE : Section.EXAMPLES;
    }

    private boolean once(Map<String, Loc> seen, String section, DeclarationContext d) {
        return first(seen, section, loc(d), DiagCode.DUPLICATE_SECTION, "second '" + section + "' section",
                "merge them into one");
    }

    /** Records {@code name}; a second one is reported as {@code what} and ignored. */
    private boolean first(Map<String, Loc> seen, String name, Loc at, DiagCode code, String what, String hint) {
        Loc previous = seen.putIfAbsent(name, at);
        if (previous != null) {
            diagnostics.error(code, at, what + "; the first is at " + previous, hint);
            ignored++;
            return false;
        }
        return true;
    }

    // ---- transport ---------------------------------------------------------------------------

    private Transport transport(TransportDeclContext c) {
        String kind = c.kind.getText();
        Integer maxFrames = null;
        Integer control = null;
        Integer address = null;
        Integer stsap = null;
        Integer dtsap = null;
        Integer destination = null;
        Integer source = null;
        Presence llc = Presence.OPTIONAL;
        Transport.Serial serial = null;
        Map<String, Loc> given = new HashMap<>();
        for (TransportPropertyContext p : c.transportProperty()) {
            if (p instanceof SerialContext sc) {
                if (firstTime(given, "serial", p)) {
                    serial = serial(sc);
                }
                continue;
            }
            if (kind.equals("raw")) {
                diagnostics.error(DiagCode.MISPLACED_PROPERTY, loc(p), "'transport raw' has no framing properties",
                        "bare APDUs have no framing to describe; only 'serial' applies");
                continue;
            }
            boolean mbusOnly = p instanceof MbusControlContext || p instanceof MbusAddressContext
                    || p instanceof MbusSapContext;
            boolean hdlcOnly = p instanceof HdlcAddressContext || p instanceof LlcContext;
            String name = p instanceof HdlcAddressContext h ? "address " + h.side.getText()
                    : p instanceof MaxFramesContext ? "frames max" : p.getStart().getText();
            if (mbusOnly && !kind.equals("mbus") || hdlcOnly && !kind.equals("hdlc")) {
                diagnostics.error(DiagCode.MISPLACED_PROPERTY, loc(p), "'" + name + "' is "
                        + (mbusOnly ? "an M-Bus" : "an HDLC") + " property, not one of 'transport " + kind + "'");
                continue;
            }
            if (!firstTime(given, name, p)) {
                continue;
            }
            if (p instanceof MaxFramesContext m) {
                maxFrames = integer(m.INT().getSymbol(), 1, 16);
            } else if (p instanceof MbusControlContext m) {
                control = number(m.number(), 0, 255);
            } else if (p instanceof MbusAddressContext m) {
                address = number(m.number(), 0, 255);
            } else if (p instanceof MbusSapContext m) {
                stsap = number(m.stsap, 0, 255);
                dtsap = number(m.dtsap, 0, 255);
            } else if (p instanceof HdlcAddressContext m) {
                Integer n = integer(m.INT().getSymbol(), 1, 4);
                if (m.side.getText().equals("destination")) {
                    destination = n;
                } else {
                    source = n;
                }
            } else if (p instanceof LlcContext m) {
                llc = presence(m.presence());
            }
        }
        return switch (kind) {
            case "mbus" -> new Transport.Mbus(loc(c), maxFrames, control, address, stsap, dtsap, serial);
            case "hdlc" -> new Transport.Hdlc(loc(c), maxFrames, destination, source, llc, serial);
            default -> new Transport.Raw(loc(c), serial);
        };
    }

    private static final java.util.regex.Pattern SERIAL_FRAME = java.util.regex.Pattern.compile("([5-8])([NEOMS])(1|1\\.5|2)");

    /** {@code serial 2400 8E1} (the frame lexes as 8 and E1) or {@code serial 2400 "8E1.5"}; null when wrong. */
    private Transport.Serial serial(SerialContext c) {
        Integer baud = integer(c.baud, 50, 4_000_000);
        String frame = "8N1";
        Loc at = loc(c);
        if (c.frame != null) {
            frame = unquote(c.frame.getText());
            at = loc(c.frame);
        } else if (c.bits != null) {
            at = loc(c.bits);
            boolean adjacent = c.parityStop.getStartIndex() == c.bits.getStopIndex() + 1;
            frame = adjacent ? c.bits.getText() + c.parityStop.getText() : c.bits.getText() + " " + c.parityStop.getText();
        }
        java.util.regex.Matcher m = SERIAL_FRAME.matcher(frame.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            diagnostics.error(DiagCode.SERIAL_SETTINGS, at, "'" + frame + "' is not a serial frame: data bits (5-8), parity"
                    + " (N, E, O, M, S) and stop bits (1, 1.5, 2)", "write it as meters' documentation does: serial 2400 8E1");
            ignored++;
            return null;
        }
        if (baud == null) {
            return null;
        }
        return new Transport.Serial(loc(c), baud, Integer.parseInt(m.group(1)), m.group(2).charAt(0), m.group(3));
    }

    // ---- security ----------------------------------------------------------------------------

    private SecuritySpec security(SecurityDeclContext c) {
        boolean plain = false;
        boolean glo = false;
        boolean ded = false;
        for (SecurityModeContext m : c.securityMode()) {
            switch (m.getText()) {
                case "none" -> plain = true;
                case "glo" -> glo = true;
                default -> ded = true;
            }
        }
        List<Integer> controls = new ArrayList<>();
        List<Loc> controlLocs = new ArrayList<>();
        boolean controlsGiven = false;
        boolean required = false;
        Map<String, Loc> given = new HashMap<>();
        for (SecurityPropertyContext p : c.securityProperty()) {
            if (!firstTime(given, p.getStart().getText(), p)) {
                continue;
            }
            if (p instanceof SecurityControlContext s) {
                controlsGiven = true;
                for (NumberContext n : s.number()) {
                    Integer v = number(n, 0, 255);
                    if (v != null) {
                        controls.add(v);
                        controlLocs.add(loc(n));
                    } else {
                        ignored--; // a control byte left out changes what the security checks see
                    }
                }
            } else if (p instanceof AuthenticationContext a) {
                required = a.level.getText().equals("required");
            }
        }
        if (!controlsGiven && (glo || ded)) {
            for (int v : SecuritySpec.DEFAULT_CONTROLS) {
                controls.add(v);
                controlLocs.add(null);
            }
        }
        return new SecuritySpec(loc(c), plain, glo, ded, controls, controlLocs, required);
    }

    // ---- notification ------------------------------------------------------------------------

    private NotificationSpec notification(NotificationDeclContext c) {
        Presence dateTime = Presence.OPTIONAL;
        Long as = null;
        int maxBlocks = 0;
        Map<String, Loc> given = new HashMap<>();
        for (NotificationPropertyContext p : c.notificationProperty()) {
            if (!firstTime(given, p.getStart().getText(), p)) {
                continue;
            }
            if (p instanceof NotificationDateTimeContext d) {
                dateTime = presence(d.presence());
                if (d.OBIS() != null) {
                    as = obis(d.OBIS().getSymbol());
                }
            } else if (p instanceof BlockTransferContext b) {
                Integer n = integer(b.INT().getSymbol(), 1, 255);
                maxBlocks = n == null ? 0 : n;
            }
        }
        return new NotificationSpec(loc(c), dateTime, as, maxBlocks);
    }

    /** Records a property; a second one of the same name is reported and ignored. */
    private boolean firstTime(Map<String, Loc> given, String name, ParserRuleContext p) {
        return first(given, name, loc(p), DiagCode.DUPLICATE_PROPERTY, "'" + name + "' is given twice", "keep one");
    }

    private static Presence presence(PresenceContext p) {
        return Presence.valueOf(p.getText().toUpperCase(Locale.ROOT));
    }

    // ---- body --------------------------------------------------------------------------------

    private Element element(ElementContext c) {
        if (c instanceof StructureElementContext s) {
            return new Element.Structure(loc(s), elements(s.element()));
        }
        if (c instanceof ArrayElementContext a) {
            Integer max = integer(a.INT().getSymbol(), 1, 65535);
            return new Element.Array(loc(a), max == null ? 1 : max, element(a.element()));
        }
        if (c instanceof RepeatElementContext r) {
            Integer max = integer(r.INT().getSymbol(), 1, 65535);
            return new Element.Repeat(loc(r), max == null ? 1 : max, elements(r.element()));
        }
        if (c instanceof ChoiceElementContext ch) {
            return new Element.Choice(loc(ch), elements(ch.element()));
        }
        if (c instanceof PushObjectsElementContext p) {
            Integer max = integer(p.INT().getSymbol(), 2, 255);
            return new Element.PushObjects(loc(p), max == null ? 2 : max, element(p.element()));
        }
        if (c instanceof ObisElementContext o) {
            return new Element.ObisField(loc(o));
        }
        if (c instanceof DescriptorElementContext d) {
            return new Element.Descriptor(loc(d));
        }
        if (c instanceof ScalerUnitElementContext s) {
            return new Element.ScalerUnit(loc(s), s.optional != null);
        }
        if (c instanceof ValueElementContext v) {
            Long obis = v.OBIS() == null ? null : obis(v.OBIS().getSymbol());
            if (v.pattern != null) {
                // parsed so that the message can say what a pattern is for; the value keeps the code it fixes
                long[] pattern = pattern(v.pattern);
                if (pattern != null) {
                    diagnostics.error(DiagCode.OBIS_PATTERN, loc(v.pattern), "'" + v.pattern.getText() + "' is a pattern,"
                            + " for values entries: a value of the body has one code", "write its code, or take the"
                            + " code from the telegram with 'obis' in a structure");
                    obis = pattern[0];
                }
            }
            ValueType type = v.typeName() == null ? null : type(v.typeName());
            // a bound out of range stands in as 1, so that no check reports it missing
            Integer max = v.max == null ? null : orOne(integer(v.max, 0, 65535));
            Integer leaves = v.leaves == null ? null : orOne(integer(v.leaves, 1, Limits.MAX_STRUCTURED_LEAVES));
            return new Element.Value(loc(v), obis, v.name == null ? null : v.name.getText(), type, max, leaves,
                    v.optional != null, v.name == null ? null : loc(v.name), v.typeName() == null ? null : loc(v.typeName()));
        }
        SkipElementContext s = (SkipElementContext) c;
        ValueType type = s.typeName() == null ? null : type(s.typeName());
        Integer max = s.INT() == null ? null : orOne(integer(s.INT().getSymbol(), 1, 65535));
        return new Element.Skip(loc(s), type, max, s.typeName() == null ? null : loc(s.typeName()));
    }

    private List<Element> elements(List<ElementContext> cs) {
        List<Element> out = new ArrayList<>();
        for (ElementContext c : cs) {
            out.add(element(c));
        }
        return out;
    }

    /** The type of that name, or an unknown one for the types pass to report. */
    private static ValueType type(TypeNameContext c) {
        ValueType t = ValueType.named(c.getText());
        return t != null ? t : ValueType.unknown(c.getText());
    }

    // ---- values ------------------------------------------------------------------------------

    /** An entry; properties it does not give come from {@code base} (an imported definition). */
    private ValueSpec buildEntry(ValueEntryContext e, long obis, int wildcards, ValueSpec base) {
        String name = e.name != null ? e.name.getText() : base != null ? base.name() : null;
        String unit = base != null ? base.unit() : null;
        Integer scaler = base != null ? base.scaler() : null;
        Format format = base != null ? base.format() : Format.AUTO;
        ValueType type = base != null ? base.type() : null;
        String doc = base != null ? base.doc() : null;
        Loc unitLoc = null;
        Loc typeLoc = null;
        Set<String> given = new LinkedHashSet<>();
        for (ValuePropertyContext p : e.valueProperty()) {
            String kind = p instanceof FormatPropertyContext ? "format" : p.getStart().getText();
            if (!given.add(kind)) {
                diagnostics.error(DiagCode.DUPLICATE_PROPERTY, loc(p), "'" + kind + "' is given twice for "
                        + Obis.format(obis, wildcards));
                continue;
            }
            if (p instanceof UnitPropertyContext u) {
                Token t = u.ID() != null ? u.ID().getSymbol() : u.STRING().getSymbol();
                unit = u.ID() != null ? u.ID().getText() : unquote(u.STRING().getText());
                unitLoc = loc(t);
            } else if (p instanceof ScalerPropertyContext s) {
                scaler = scaler(s.INT().getSymbol());
            } else if (p instanceof FormatPropertyContext f) {
                format = Format.valueOf(f.format.getText().toUpperCase(Locale.ROOT));
            } else if (p instanceof TypePropertyContext t) {
                type = type(t.typeName());
                typeLoc = loc(t.typeName());
            } else if (p instanceof DocPropertyContext d) {
                doc = unquote(d.STRING().getText());
            }
        }
        return new ValueSpec(loc(e), obis, name, unit, scaler, format, type, doc, e.name == null ? null : loc(e.name),
                unitLoc, typeLoc, wildcards);
    }

    private Integer scaler(Token t) {
        try {
            long v = Long.parseLong(t.getText());
            if (v >= -128 && v <= 127) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        ignored++; // the entry then fixes no scaler, which no check depends on
        diagnostics.error(DiagCode.SCALER_RANGE, loc(t), "scaler " + t.getText() + " is out of range: a scaler is an"
                + " int8, from -128 to 127");
        return null;
    }

    // ---- ZigBee mapping ----------------------------------------------------------------------

    /** Adds a zigbee section to the mapping so far: an entry replaces the one for its attribute. */
    private void zigbee(ZigbeeDeclContext z) {
        zigbee.section(loc(z));
        for (EndpointDeclContext ep : z.endpointDecl()) {
            Integer number = smallInt(ep.INT().getSymbol(), 1, 240, "an endpoint", "endpoints 1 to 240 are for applications");
            if (number == null) {
                continue;
            }
            Integer profile = null;
            Integer device = null;
            Set<String> given = new LinkedHashSet<>();
            for (EndpointPropertyContext p : ep.endpointProperty()) {
                String kind = p.getStart().getText();
                if (!given.add(kind)) {
                    diagnostics.error(DiagCode.DUPLICATE_PROPERTY, loc(p), "'" + kind + "' is given twice for endpoint "
                            + number);
                    ignored++;
                    continue;
                }
                if (p instanceof EndpointProfileContext c) {
                    profile = smallInt(c.number().getStart(), 0, 0xFFFF, "a profile id", "a profile id is 16 bits");
                } else if (p instanceof EndpointDeviceContext c) {
                    device = smallInt(c.number().getStart(), 0, 0xFFFF, "a device id", "a device id is 16 bits");
                }
            }
            zigbee.endpoint(loc(ep), number, profile, device);
            for (ZclEntryContext e : ep.zclEntry()) {
                if (e instanceof ZclDropContext d) {
                    zigbee.drop(loc(d), number, d.cluster.getText(), d.attribute == null ? null : d.attribute.getText());
                    continue;
                }
                ZclMapContext m = (ZclMapContext) e;
                ZigbeeSpec.Source source = m.zclSource() == null ? null : zclSource(m.zclSource());
                ZigbeeSpec.Report report = m.zclReport() == null ? null : zclReport(m.zclReport());
                AttributeRefContext ref = m.attributeRef();
                zigbee.map(number, new ZigbeeSpec.Mapping(loc(m), ref.cluster.getText(), ref.attribute.getText(),
                        loc(ref.attribute), source, report));
            }
        }
    }

    private ZigbeeSpec.Source zclSource(ZclSourceContext c) {
        if (c instanceof ZclConstantContext k) {
            BigInteger v = bigNumber(k.number().getStart());
            return new ZigbeeSpec.Constant(loc(k), v == null ? BigInteger.ZERO : v);
        }
        ZclTermsContext t = (ZclTermsContext) c;
        List<ZigbeeSpec.Term> terms = new ArrayList<>();
        for (int i = 0; i < t.zclTerm().size(); i++) {
            ZclTermContext term = t.zclTerm(i);
            boolean negative = i > 0 && t.zclSign(i - 1).getText().equals("-");
            if (term.OBIS() != null) {
                Long obis = obis(term.OBIS().getSymbol());
                if (obis == null) {
                    continue; // reported; the section is then not checked
                }
                terms.add(new ZigbeeSpec.Term(loc(term), obis, null, negative));
            } else {
                terms.add(new ZigbeeSpec.Term(loc(term), null, term.ident().getText(), negative));
            }
        }
        return new ZigbeeSpec.Terms(loc(t), terms);
    }

    private ZigbeeSpec.Report zclReport(ZclReportContext c) {
        Integer min = smallInt(c.min, 0, 0xFFFF, "a minimum reporting interval", "intervals are 16-bit seconds");
        Integer max = smallInt(c.max, 0, 0xFFFF, "a maximum reporting interval", "intervals are 16-bit seconds");
        BigInteger change = c.change == null ? null : bigNumber(c.change);
        if (min == null || max == null) {
            return null;
        }
        return new ZigbeeSpec.Report(loc(c), min, max, change);
    }

    /** An integer literal within [lo, hi], or null after reporting it (the model then lacks it). */
    private Integer smallInt(Token t, long lo, long hi, String what, String hint) {
        BigInteger v = bigNumber(t);
        if (v != null && v.compareTo(BigInteger.valueOf(lo)) >= 0 && v.compareTo(BigInteger.valueOf(hi)) <= 0) {
            return v.intValue();
        }
        if (v != null) {
            diagnostics.error(DiagCode.BAD_NUMBER, loc(t), t.getText() + " is out of range for " + what + " (" + lo
                    + " to " + hi + ")", hint);
        }
        return null;
    }

    /** A decimal or 0x literal of any size. */
    private BigInteger bigNumber(Token t) {
        String text = t.getText();
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? new BigInteger(text.substring(2), 16)
                    : new BigInteger(text);
        } catch (NumberFormatException e) {
            diagnostics.error(DiagCode.BAD_NUMBER, loc(t), "'" + text + "' is not a number");
            return null;
        }
    }

    // ---- tolerances --------------------------------------------------------------------------

    /** A tolerance by name; one the names pass will report when the name is not a tolerance's. */
    private ToleranceSpec tolerance(TolerateDeclContext c) {
        String name = c.name.getText();
        Tolerance known = null;
        for (Tolerance t : Tolerance.values()) {
            if (t.specName().equals(name)) {
                known = t;
            }
        }
        return new ToleranceSpec(loc(c), name, loc(c.name), known, c.reason == null ? null : unquote(c.reason.getText()));
    }

    // ---- examples ----------------------------------------------------------------------------

    private ExampleSpec example(ExampleDeclContext c) {
        String name = unquote(c.name.getText());
        List<String> corpus = new ArrayList<>();
        Path captureFile = null;
        StringBuilder captureHex = null;
        Loc captureFileLoc = null;
        Loc captureHexLoc = null;
        String key = null;
        String authKey = null;
        Loc keyLoc = null;
        StringBuilder note = null;
        List<ExampleSpec.Expectation> expectations = new ArrayList<>();
        Map<String, Loc> first = new HashMap<>();
        for (ExamplePropertyContext p : c.exampleProperty()) {
            String kind = p instanceof CaptureFileContext ? "capture file" : p instanceof CaptureHexContext ? "capture hex"
                    : p.getStart().getText();
            boolean expectation = p instanceof ExpectOkContext || p instanceof ExpectErrorContext;
            if (!expectation && !first(first, kind, loc(p), DiagCode.DUPLICATE_PROPERTY,
                    "'" + kind + "' is given twice in example '" + name + "'", "keep one")) {
                continue;
            }
            if (p instanceof CorpusPropertyContext cp) {
                for (TerminalNode id : cp.ID()) {
                    corpus.add(id.getText());
                }
            } else if (p instanceof CaptureFileContext f) {
                captureFile = path.resolveSibling(unquote(f.STRING().getText())).normalize();
                captureFileLoc = loc(f.STRING().getSymbol());
            } else if (p instanceof CaptureHexContext h) {
                captureHexLoc = loc(h.STRING(0).getSymbol());
                captureHex = new StringBuilder();
                for (TerminalNode s : h.STRING()) {
                    captureHex.append(unquote(s.getText())).append('\n');
                }
            } else if (p instanceof KeyPropertyContext k) {
                key = unquote(k.STRING().getText());
                keyLoc = keyLoc == null ? loc(k.STRING().getSymbol()) : keyLoc;
            } else if (p instanceof AuthKeyPropertyContext k) {
                authKey = unquote(k.STRING().getText());
                keyLoc = keyLoc == null ? loc(k.STRING().getSymbol()) : keyLoc;
            } else if (p instanceof NotePropertyContext n) {
                note = new StringBuilder();
                for (TerminalNode s : n.STRING()) {
                    note.append(note.length() > 0 ? " " : "").append(unquote(s.getText()));
                }
            } else if (p instanceof ExpectOkContext ok) {
                expectations.add(expectReading(ok));
            } else if (p instanceof ExpectErrorContext err) {
                expectations.add(expectError(err));
            }
        }
        return new ExampleSpec(loc(c), name, corpus, captureFile, captureHex == null ? null : captureHex.toString(),
                captureFileLoc, captureHexLoc, key, authKey, keyLoc, note == null ? null : note.toString(), expectations);
    }

    private ExampleSpec.ExpectReading expectReading(ExpectOkContext c) {
        String systemTitle = null;
        Long frameCounter = null;
        Security security = null;
        List<ExampleSpec.ExpectValue> values = new ArrayList<>();
        for (ExpectItemContext item : c.expectItem()) {
            if (item instanceof ExpectSystemTitleContext s) {
                systemTitle = unquote(s.STRING().getText()).toUpperCase(Locale.ROOT);
            } else if (item instanceof ExpectFrameCounterContext f) {
                frameCounter = longInteger(f.INT().getSymbol(), 0, 0xFFFFFFFFL);
            } else if (item instanceof ExpectSecurityContext s) {
                security = Security.valueOf(s.level.getText().toUpperCase(Locale.ROOT));
            } else if (item instanceof ExpectValueContext v) {
                Long obis = obis(v.OBIS().getSymbol());
                String[] valueUnit = valueAndUnit(v, v.STRING(), v.ID());
                if (obis != null) {
                    values.add(new ExampleSpec.ExpectValue(loc(v), obis, valueUnit[0], valueUnit[1]));
                }
            } else if (item instanceof ExpectNamedValueContext v) {
                String[] valueUnit = valueAndUnit(v, v.STRING(), v.ID());
                values.add(new ExampleSpec.ExpectValue(loc(v), Obis.NONE, v.name.getText(), valueUnit[0], valueUnit[1]));
            }
        }
        boolean partial = c.expectItem().stream().anyMatch(i -> i instanceof ExpectMoreContext);
        return new ExampleSpec.ExpectReading(loc(c), systemTitle, frameCounter, security, values, partial);
    }

    /**
     * An expected value's text (null for {@code null}) and unit (null for none) after its code or
     * name: {@code "233.7" V}, {@code "1.5" "m³"}, {@code null}.
     */
    private static String[] valueAndUnit(ParserRuleContext item, List<TerminalNode> strings, TerminalNode id) {
        String value = strings.isEmpty() || item.getChild(1).getText().equals("null") ? null
                : unquote(strings.get(0).getText());
        String unit = null;
        if (id != null) {
            unit = id.getText();
        } else if (strings.size() == 2 || (value == null && strings.size() == 1)) {
            unit = unquote(strings.get(strings.size() - 1).getText());
        }
        return new String[] {value, unit};
    }

    private ExampleSpec.ExpectError expectError(ExpectErrorContext c) {
        String name = c.code.getText();
        ErrorCode code = null;
        for (ErrorCode e : ErrorCode.values()) {
            if (e.name().equals(name)) {
                code = e;
            }
        }
        Long offset = c.INT() == null ? null : longInteger(c.INT().getSymbol(), 0, Integer.MAX_VALUE);
        return new ExampleSpec.ExpectError(loc(c), code, offset, name, loc(c.code), c.layer.getText(), loc(c.layer));
    }

    // ---- literals ----------------------------------------------------------------------------

    private Long obis(Token t) {
        try {
            return Obis.parse(t.getText());
        } catch (IllegalArgumentException e) {
            diagnostics.error(DiagCode.BAD_OBIS, loc(t), e.getMessage());
            return null;
        }
    }

    /**
     * A pattern {@code A.B.C.D.E.F} with {@code *} for open groups: its code (open groups 0) and
     * the bits of its open groups; null after saying what is wrong. C and D say what is measured,
     * so they stay fixed.
     */
    private long[] pattern(Token t) {
        String[] groups = t.getText().split("\\.", -1);
        long value = 0;
        int wildcards = 0;
        for (int i = 0; i < 6; i++) {
            value <<= 8;
            if (groups[i].equals("*")) {
                wildcards |= 1 << i;
                continue;
            }
            int g;
            try {
                g = Integer.parseInt(groups[i]);
            } catch (NumberFormatException ex) {
                g = 256;
            }
            if (g > 255) {
                diagnostics.error(DiagCode.BAD_OBIS, loc(t), "OBIS group " + (i + 1) + " of '" + t.getText()
                        + "' is over 255");
                return null;
            }
            value |= g;
        }
        if ((wildcards & 0b001100) != 0) {
            diagnostics.error(DiagCode.OBIS_PATTERN, loc(t), "'" + t.getText() + "' leaves group "
                    + ((wildcards & 0b000100) != 0 ? "C" : "D") + " open, which says what is measured",
                    "a pattern may leave open A (medium), B (channel), E (tariff) and F (billing period)");
            return null;
        }
        return new long[] {value, wildcards};
    }

    private static Integer orOne(Integer bound) {
        return bound == null ? Integer.valueOf(1) : bound;
    }

    private Integer integer(Token t, long min, long max) {
        Long v = longInteger(t, min, max);
        return v == null ? null : v.intValue();
    }

    private Long longInteger(Token t, long min, long max) {
        try {
            long v = Long.parseLong(t.getText());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // beyond a long: reported below
        }
        ignored++; // callers stand in a neutral value: the property unchecked, a bound of 1
        diagnostics.error(DiagCode.BAD_NUMBER, loc(t), t.getText() + " is out of range: it must be between "
                + min + " and " + max);
        return null;
    }

    private Integer number(NumberContext n, int min, int max) {
        Token t = n.getStart();
        if (n.HEX() != null) {
            String digits = t.getText().substring(2);
            long v = digits.length() > 8 ? Long.MAX_VALUE : Long.parseLong(digits, 16);
            if (v < min || v > max) {
                ignored++;
                diagnostics.error(DiagCode.BAD_NUMBER, loc(t), t.getText() + " is out of range: it must be between "
                        + min + " and 0x" + Integer.toHexString(max).toUpperCase(Locale.ROOT));
                return null;
            }
            return (int) v;
        }
        return integer(t, min, max);
    }

    static String unquote(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

}
