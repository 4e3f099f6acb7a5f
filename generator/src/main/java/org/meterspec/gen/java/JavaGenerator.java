package org.meterspec.gen.java;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;
import org.meterspec.gen.plan.BodySteps;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.Failure;
import org.meterspec.gen.plan.Op;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.gen.plan.ValueEntry;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.AxdrReader;
import org.meterspec.runtime.BodyStep;
import org.meterspec.runtime.DecodeException;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.ReadingBuilder;
import org.meterspec.runtime.Tolerance;
import org.meterspec.runtime.ValueInfo;
import org.meterspec.runtime.Version;
import org.meterspec.runtime.ZclMap;
import org.meterspec.zcl.ZclTable;

/**
 * Renders a spec's {@link DecodePlan} as Java: a {@link MeterDecoder} subclass holding the layers
 * as a {@link DecoderConfig} constant and the body as one method per container. Every decision is
 * the plan's; this class only knows how Java looks. Output depends only on the plan, so the same
 * spec always gives the same bytes.
 */
public final class JavaGenerator {
    private static final ClassName AXDR = ClassName.get(Axdr.class);
    private static final ClassName READER = ClassName.get(AxdrReader.class);
    private static final ClassName BUILDER = ClassName.get(ReadingBuilder.class);
    private static final ClassName ERROR_CODE = ClassName.get(ErrorCode.class);
    private static final ClassName VALUE_INFO = ClassName.get(ValueInfo.class);
    private static final ClassName CONFIG = ClassName.get(DecoderConfig.class);
    /** Directory entries per initialiser method, well below the JVM's 64 KB of code per method. */
    private static final int ENTRIES_PER_METHOD = 200;

    private final String packageName;

    public JavaGenerator(String packageName) {
        this.packageName = packageName;
    }

    /** {@code netz_noe_p1} becomes {@code NetzNoeP1Decoder}. */
    public static String className(MeterModel model) {
        return className(model.name());
    }

    static String className(String meter) {
        StringBuilder sb = new StringBuilder();
        for (String part : meter.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Decoder").toString();
    }

    /** The decoder of a validated model. */
    public JavaFile generate(MeterModel model) {
        return render(PlanBuilder.build(model));
    }

    /** The decoder of a plan. */
    public JavaFile render(DecodePlan plan) {
        return new Emitter(plan, packageName).file();
    }

    /** One rendering of one plan. */
    private static final class Emitter {
        private final DecodePlan p;
        private final String packageName;
        private final List<MethodSpec> methods = new ArrayList<>();
        private final List<MethodSpec> initialisers = new ArrayList<>();
        private final BodySteps steps;

        Emitter(DecodePlan p, String packageName) {
            this.p = p;
            this.packageName = packageName;
            this.steps = BodySteps.of(p);
        }

        JavaFile file() {
            String className = className(p.meter());
            TypeSpec.Builder type = TypeSpec.classBuilder(className)
                    .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                    .superclass(MeterDecoder.class)
                    .addJavadoc(javadoc())
                    .addField(FieldSpec.builder(TypeName.INT, "API", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                            .addJavadoc("The runtime API this class is written against, checked before any other use of the"
                                    + " runtime.\n")
                            .initializer("requireApi($L)", MeterDecoder.API_VERSION).build())
                    .addField(FieldSpec.builder(String.class, "METER", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                            .initializer("$S", p.meter()).build())
                    .addField(FieldSpec.builder(String.class, "FINGERPRINT", Modifier.PUBLIC, Modifier.STATIC,
                                    Modifier.FINAL)
                            .addJavadoc("Identifies the spec text this decoder was generated from.\n")
                            .initializer("$S", p.fingerprint()).build());
            directory(type);
            type.addField(FieldSpec.builder(CONFIG, "CONFIG", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The spec's transport, security and APDU layers, and the bounds derived from it.\n")
                    .initializer(config()).build());
            type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(Keys.class, "keys")
                    .addStatement("this(keys, false)").build());
            type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addJavadoc("@param requireAuthentication reject telegrams whose GCM tag is absent or not verified\n")
                    .addParameter(Keys.class, "keys")
                    .addParameter(TypeName.BOOLEAN, "requireAuthentication")
                    .addStatement("super(CONFIG, keys, requireAuthentication)").build());
            type.addMethod(body());
            methods.forEach(type::addMethod);
            steps(type);
            initialisers.forEach(type::addMethod);
            return JavaFile.builder(packageName, type.build())
                    .addFileComment("Code generated by meterspec $L from $L. DO NOT EDIT.", Version.VERSION,
                            lineComment(p.file()))
                    .skipJavaLangImports(true)
                    .indent("    ")
                    .build();
        }

        private CodeBlock javadoc() {
            CodeBlock.Builder doc = CodeBlock.builder();
            doc.add("Decoder for $L ({@code $L}).\n", p.title() != null ? escapeDoc(p.title()) : "meter", p.meter());
            DecodePlan.Config c = p.config();
            doc.add("\n<p>Transport: $L. Security: $L. Block transfer: $L.\n", transportText(), securityText(),
                    c.notification().maxBlocks() > 0 ? "up to " + c.notification().maxBlocks() + " blocks" : "no");
            doc.add("Bounds: APDU $L bytes, telegram $L bytes, $L values.\n", c.sizes().maxApdu(),
                    c.sizes().maxTelegram(), c.sizes().maxValues());
            doc.add("\n<p>Not thread-safe: use one instance per thread or stream.\n");
            return doc.build();
        }

        private String transportText() {
            DecodePlan.Transport t = p.config().transport();
            if (t instanceof DecodePlan.Transport.Mbus) {
                return "M-Bus long frames";
            }
            return t instanceof DecodePlan.Transport.Hdlc ? "HDLC" : "bare APDUs";
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
                text += " (security control " + controls(s) + ")";
            }
            return s.authenticationRequired() ? text + ", authentication required" : text;
        }

        // ---- value directory -----------------------------------------------------------------

        /**
         * The directory as an array filled by initialiser methods of bounded size, and a named
         * constant for each entry the code refers to.
         */
        private void directory(TypeSpec.Builder type) {
            List<ValueEntry> entries = p.values().entries();
            TypeName array = ArrayTypeName.of(VALUE_INFO);
            type.addField(FieldSpec.builder(array, "DIRECTORY", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Every value entry, by id: the values table (sorted by OBIS code), then the body's own names.\n")
                    .initializer("directory()").build());
            arrayInitialiser("directory", VALUE_INFO, "d", entries.size(), i -> entryStatement(entries.get(i)));
            for (ValueEntry e : referenced()) {
                type.addField(FieldSpec.builder(VALUE_INFO, constant(e), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("DIRECTORY[$L]", e.id()).build());
            }
        }

        /**
         * A static method {@code name()} returning an array of {@code size} elements of
         * {@code element}, each set by {@code statement(i)} on {@code var}; beyond
         * {@link #ENTRIES_PER_METHOD} of them, in methods {@code name0(var)}, {@code name1(var)} …
         * of that many each, well below the JVM's 64 KB of code per method.
         */
        private void arrayInitialiser(String name, ClassName element, String var, int size,
                                      java.util.function.IntFunction<CodeBlock> statement) {
            TypeName array = ArrayTypeName.of(element);
            MethodSpec.Builder all = MethodSpec.methodBuilder(name)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(array)
                    .addStatement("$T[] $L = new $T[$L]", element, var, element, size);
            List<MethodSpec> parts = new ArrayList<>();
            for (int from = 0; from < size; from += ENTRIES_PER_METHOD) {
                CodeBlock.Builder part = CodeBlock.builder();
                for (int i = from; i < Math.min(size, from + ENTRIES_PER_METHOD); i++) {
                    part.add(statement.apply(i));
                }
                if (size <= ENTRIES_PER_METHOD) {
                    all.addCode(part.build());
                    break;
                }
                String partName = name + (from / ENTRIES_PER_METHOD);
                all.addStatement("$L($L)", partName, var);
                parts.add(MethodSpec.methodBuilder(partName)
                        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .addParameter(array, var)
                        .addCode(part.build()).build());
            }
            all.addStatement("return $L", var);
            initialisers.add(all.build());
            initialisers.addAll(parts);
        }

        /**
         * The ZigBee endpoints as a {@link ZclMap}, attribute by attribute: a method per endpoint,
         * so that 240 endpoints of every attribute stay within a method's size.
         */
        private List<MethodSpec> zcl() {
            ClassName map = ClassName.get(ZclMap.class);
            ClassName attribute = map.nestedClass("Attribute");
            List<MethodSpec> methods = new ArrayList<>();
            CodeBlock.Builder c = CodeBlock.builder();
            c.addStatement("$T<$T> endpoints = new $T<>()", List.class, map.nestedClass("Endpoint"), ArrayList.class);
            for (ZclTable.Endpoint ep : p.zcl().endpoints()) {
                String name = "zclEndpoint" + ep.number();
                c.addStatement("endpoints.add($L())", name);
                CodeBlock.Builder e1 = CodeBlock.builder();
                e1.addStatement("$T<$T> clusters = new $T<>()", List.class, map.nestedClass("Cluster"), ArrayList.class);
                for (ZclTable.Cluster cl : ep.clusters()) {
                    e1.add("clusters.add(new $T($L, $S, $T.of(", map.nestedClass("Cluster"), cl.cluster().hex(),
                            cl.cluster().name(), List.class).indent();
                    for (int i = 0; i < cl.attributes().size(); i++) {
                        ZclTable.Entry e = cl.attributes().get(i);
                        CodeBlock terms = CodeBlock.join(e.terms().stream()
                                .map(t -> CodeBlock.of("$L", obisLiteral(t.obis()))).toList(), ", ");
                        ZclTable.Report r = e.report();
                        e1.add("\n// $L\n", lineComment(e.source()));
                        e1.add("new $T($L, $S, $L, $L, $L, $L, $LL, new long[] {$L}, $L, $LL, $LL, $L, $LL, $LL, $L, $L, $LL)",
                                attribute, e.attribute().hex(), e.attribute().name(),
                                String.format("0x%02x", e.attribute().type().id()), e.attribute().type().width(),
                                e.fill().ordinal(), r != null, e.initial().longValueExact(), terms, e.negativeMask(),
                                e.num().longValueExact(), e.den().longValueExact(), e.unit(),
                                e.min().longValueExact(), e.max().longValueExact(), r == null ? 0 : r.min(),
                                r == null ? 0 : r.max(), e.changeOrNone());
                        e1.add(i + 1 < cl.attributes().size() ? "," : "");
                    }
                    e1.unindent().add(")));\n");
                }
                e1.addStatement("return new $T($L, $L, $L, clusters)", map.nestedClass("Endpoint"), ep.number(),
                        String.format("0x%04x", ep.profile()), String.format("0x%04x", ep.device()));
                methods.add(MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .returns(map.nestedClass("Endpoint")).addCode(e1.build()).build());
            }
            c.addStatement("return new $T(endpoints)", map);
            methods.add(0, MethodSpec.methodBuilder("zcl")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(map)
                    .addCode(c.build()).build());
            return methods;
        }

        private CodeBlock entryStatement(ValueEntry e) {
            CodeBlock.Builder c = CodeBlock.builder();
            if (e.doc() != null) {
                c.add("// $L\n", lineComment(e.doc()));
            }
            CodeBlock scaler = e.scaler() != null ? CodeBlock.of("$L", e.scaler()) : CodeBlock.of("$T.NO_SCALER", VALUE_INFO);
            if (e.isPattern()) {
                c.add("// $L\n", Obis.format(e.obis(), e.wildcards()));
                return c.addStatement("d[$L] = new $T($L, $L, null, $S, $L, $T.$L, $L, 0b$L)", e.id(), VALUE_INFO, e.id(),
                        obisLiteral(e.obis()), e.unit(), scaler, Format.class, e.format().name(), mask(e.typeMask()),
                        Integer.toBinaryString(e.wildcards())).build();
            }
            return c.addStatement("d[$L] = new $T($L, $L, $S, $S, $L, $T.$L, $L)", e.id(), VALUE_INFO, e.id(),
                    obisLiteral(e.obis()), e.name(), e.unit(), scaler, Format.class, e.format().name(),
                    mask(e.typeMask())).build();
        }

        /** Entries the code names: positional values, fixed group codes and the reported date-time, in id order. */
        private List<ValueEntry> referenced() {
            java.util.SortedMap<Integer, ValueEntry> used = new java.util.TreeMap<>();
            ValueEntry dt = p.config().notification().dateTimeValue();
            if (dt != null) {
                used.put(dt.id(), dt);
            }
            for (Op op : Op.all(p.body().root())) {
                if (op instanceof Op.Positional pos) {
                    used.put(pos.entry().id(), pos.entry());
                } else if (op instanceof Op.GroupBegin g && g.fixed() != null) {
                    used.put(g.fixed().id(), g.fixed());
                }
            }
            return List.copyOf(used.values());
        }

        private static String constant(ValueEntry e) {
            return e.ident().toUpperCase(Locale.ROOT);
        }

        private CodeBlock obisLiteral(long obis) {
            if (obis == Obis.NONE) {
                return CodeBlock.of("$T.NONE", Obis.class);
            }
            return CodeBlock.of("$T.pack($L, $L, $L, $L, $L, $L)", Obis.class, Obis.group(obis, 0), Obis.group(obis, 1),
                    Obis.group(obis, 2), Obis.group(obis, 3), Obis.group(obis, 4), Obis.group(obis, 5));
        }

        // ---- configuration -------------------------------------------------------------------

        private CodeBlock config() {
            DecodePlan.Config c = p.config();
            CodeBlock.Builder b = CodeBlock.builder().add("$T.builder(METER, FINGERPRINT)", CONFIG).indent();
            DecodePlan.Transport t = c.transport();
            if (t instanceof DecodePlan.Transport.Mbus mb) {
                b.add("\n.mbus()");
                named(b, "mbusControl", mb.control());
                named(b, "mbusAddress", mb.address());
                named(b, "stsap", mb.stsap());
                named(b, "dtsap", mb.dtsap());
            } else if (t instanceof DecodePlan.Transport.Hdlc h) {
                b.add("\n.hdlc()");
                if (h.destinationLength() != null) {
                    b.add("\n.hdlcDestinationLength($L)", h.destinationLength());
                }
                if (h.sourceLength() != null) {
                    b.add("\n.hdlcSourceLength($L)", h.sourceLength());
                }
                b.add("\n.llc($T.Llc.$L)", CONFIG, h.llc().name());
            } else {
                b.add("\n.raw()");
            }
            DecodePlan.Sizes z = c.sizes();
            b.add("\n.maxFrames($L)", z.maxFrames());
            b.add("\n.maxTelegram($L)", z.maxTelegram());
            b.add("\n.maxApdu($L)", z.maxApdu());
            b.add("\n.maxValues($L)", z.maxValues());
            b.add("\n.maxStringBytes($L)", z.maxStringBytes());
            if (z.maxPushObjects() > 0) {
                b.add("\n.maxPushObjects($L)", z.maxPushObjects());
            }
            DecodePlan.Security s = c.security();
            b.add("\n.acceptPlain($L)", s.plain());
            b.add("\n.acceptGlo($L)", s.glo());
            b.add("\n.acceptDed($L)", s.ded());
            if (!s.controls().isEmpty()) {
                b.add("\n.securityControl($L)", controls(s));
            }
            if (s.authenticationRequired()) {
                b.add("\n.authenticationRequired(true)");
            }
            DecodePlan.Notification n = c.notification();
            b.add("\n.dateTime($T.Presence.$L)", CONFIG, n.dateTime().name());
            if (n.dateTimeValue() != null) {
                b.add("\n.reportDateTimeAs($L)", constant(n.dateTimeValue()));
            }
            if (n.maxBlocks() > 0) {
                b.add("\n.blockTransfer($L)", n.maxBlocks());
            }
            for (Tolerance tol : c.tolerances()) {
                b.add("\n.tolerate($T.$L)", Tolerance.class, tol.name());
            }
            b.add("\n.values(DIRECTORY, $L)", p.values().table().size());
            if (p.zcl() != null) {
                b.add("\n.zcl(zcl())");
                initialisers.addAll(zcl());
            }
            return b.add("\n.build()").unindent().build();
        }

        private static void named(CodeBlock.Builder b, String setter, Integer value) {
            if (value != null) {
                b.add("\n.$L($L)", setter, hex(value));
            }
        }

        /** The accepted security control bytes: {@code 0x20, 0x30}. */
        private static String controls(DecodePlan.Security s) {
            List<String> sc = new ArrayList<>();
            for (int v : s.controls()) {
                sc.add(hex(v));
            }
            return String.join(", ", sc);
        }

        private static String hex(int v) {
            return String.format("0x%02X", v);
        }

        // ---- body steps ----------------------------------------------------------------------

        /** The step table, built by initialiser methods of bounded size, and {@code steps()}. */
        private void steps(TypeSpec.Builder type) {
            List<BodyStep> all = steps.steps();
            TypeName list = ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(BodyStep.class));
            type.addField(FieldSpec.builder(list, "STEPS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The body's steps, numbered as {@code in.step} numbers them: the spec element and what it expects.\n")
                    .initializer("$T.of(stepTable())", List.class).build());
            type.addMethod(MethodSpec.methodBuilder("steps")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(list)
                    .addStatement("return STEPS").build());
            arrayInitialiser("stepTable", ClassName.get(BodyStep.class), "s", all.size(), i -> CodeBlock.builder()
                    .addStatement("s[$L] = new $T($S, $S, $S)", i, BodyStep.class, all.get(i).at(), all.get(i).element(),
                            all.get(i).expects()).build());
        }

        /** Marks where the code of {@code op} begins: {@code in.step(N)}. */
        private CodeBlock step(Op op) {
            int n = steps.of(op);
            if (n < 0) {
                throw new IllegalStateException(op + " is not a step");
            }
            return CodeBlock.of("in.step($L);\n", n);
        }

        // ---- body ----------------------------------------------------------------------------

        private MethodSpec body() {
            Op root = p.body().root();
            MethodSpec.Builder method = MethodSpec.methodBuilder("decodeBody")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PROTECTED)
                    .addParameter(READER, "in")
                    .addParameter(BUILDER, "out")
                    .addException(DecodeException.class)
                    .addJavadoc("The body layout of $L.\n", where(p.body().loc()));
            method.addCode(root instanceof Op.Structure s ? structureCode(s) : standalone(root));
            return method.build();
        }

        /** A body method taking the reader and the builder; an instance method, as the runtime helpers it calls are. */
        private MethodSpec.Builder bodyMethod(String name, String kind, Loc loc) {
            return MethodSpec.methodBuilder(name)
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("{@code $L} at $L.\n", kind, where(loc))
                    .addParameter(READER, "in")
                    .addParameter(BUILDER, "out")
                    .addException(DecodeException.class);
        }

        /** Adds a method in the order the body reads: a container before what it holds. */
        private void method(int slot, MethodSpec method) {
            methods.add(slot, method);
        }

        /** Code for an operation that does not count against a containing structure. */
        private CodeBlock standalone(Op op) {
            return op.accept(new Op.Visitor<CodeBlock>() {
                @Override
                public CodeBlock structure(Op.Structure s) {
                    int slot = methods.size();
                    method(slot, bodyMethod(s.name(), "structure", s.loc()).addCode(structureCode(s)).build());
                    return CodeBlock.of("$L(in, out);\n", s.name());
                }

                @Override
                public CodeBlock array(Op.Array a) {
                    int slot = methods.size();
                    MethodSpec.Builder m = bodyMethod(a.name(), "array max " + a.max() + " of ...", a.loc());
                    m.addCode(step(a));
                    m.addStatement("int n = in.array($L)", a.max());
                    m.beginControlFlow("for (int i = 0; i < n; i++)");
                    CodeBlock item = standalone(a.item());
                    m.addCode(item);
                    m.endControlFlow();
                    method(slot, m.build());
                    return CodeBlock.of("$L(in, out);\n", a.name());
                }

                @Override
                public CodeBlock choice(Op.Choice c) {
                    int slot = methods.size();
                    MethodSpec.Builder m = bodyMethod(c.name(), "one of", c.loc());
                    m.addCode(step(c));
                    m.addStatement("int tag = in.nextTag()");
                    List<CodeBlock> cases = new ArrayList<>();
                    if (!c.byCount().isEmpty()) {
                        CodeBlock.Builder byCount = CodeBlock.builder();
                        byCount.beginControlFlow("if (tag == $T.STRUCTURE)", AXDR);
                        byCount.addStatement("int count = in.peekCount()");
                        for (Op.ByCount b : c.byCount()) {
                            byCount.beginControlFlow("if (count >= $L && count <= $L)", b.min(), b.max());
                            byCount.add(standalone(b.alternative()));
                            byCount.addStatement("return");
                            byCount.endControlFlow();
                        }
                        byCount.addStatement("throw $L", fail(c, ErrorCode.BODY_COUNT));
                        byCount.endControlFlow();
                        cases.add(byCount.build());
                    }
                    for (Op.ByTag b : c.byTag()) {
                        CodeBlock.Builder byTag = CodeBlock.builder();
                        byTag.beginControlFlow("if ($L)", tagTest(b.tagMask(), "tag"));
                        byTag.add(standalone(b.alternative()));
                        byTag.addStatement("return");
                        byTag.endControlFlow();
                        cases.add(byTag.build());
                    }
                    cases.forEach(m::addCode);
                    m.addStatement("throw $L", fail(c, ErrorCode.BODY_TYPE));
                    method(slot, m.build());
                    return CodeBlock.of("$L(in, out);\n", c.name());
                }

                @Override
                public CodeBlock positional(Op.Positional pos) {
                    if (pos.structured()) {
                        return CodeBlock.builder().add(step(pos)).add("out.positionalLeaves(in, $L, $L, $L, $L, $L);\n",
                                constant(pos.entry()), mask(pos.typeMask()), pos.maxLength(), pos.maxDepth(),
                                pos.maxLeaves()).build();
                    }
                    return CodeBlock.builder().add(step(pos)).add("out.positional(in, $L, $L, $L);\n", constant(pos.entry()),
                            valueMask(pos.typeMask(), pos.dateTimeOctets()), pos.maxLength()).build();
                }

                @Override
                public CodeBlock skip(Op.Skip s) {
                    return CodeBlock.builder().add(step(s)).add("in.skip($L, $L);\n", mask(s.typeMask()), s.depth())
                            .build();
                }

                @Override
                public CodeBlock repeat(Op.Repeat r) {
                    return inStructure(r);
                }

                @Override
                public CodeBlock element(Op.Element e) {
                    return inStructure(e);
                }

                @Override
                public CodeBlock optional(Op.Optional o) {
                    return inStructure(o);
                }

                @Override
                public CodeBlock groupBegin(Op.GroupBegin g) {
                    return inStructure(g);
                }

                @Override
                public CodeBlock groupEnd(Op.GroupEnd g) {
                    return inStructure(g);
                }

                @Override
                public CodeBlock obisField(Op.ObisField o) {
                    return inStructure(o);
                }

                @Override
                public CodeBlock descriptor(Op.Descriptor d) {
                    return inStructure(d);
                }

                @Override
                public CodeBlock scalerUnit(Op.ScalerUnit s) {
                    return inStructure(s);
                }

                @Override
                public CodeBlock groupValue(Op.GroupValue v) {
                    return inStructure(v);
                }

                @Override
                public CodeBlock pushObjects(Op.PushObjects push) {
                    return inStructure(push);
                }
            });
        }

        private static CodeBlock inStructure(Op op) {
            throw new IllegalStateException("the plan holds " + op + " outside a structure");
        }

        private CodeBlock structureCode(Op.Structure s) {
            CodeBlock.Builder c = CodeBlock.builder();
            c.add(step(s));
            c.addStatement("int at = in.position()");
            c.addStatement("int left = in.structure()");
            s.items().forEach(i -> c.add(item(i)));
            if (!s.items().isEmpty()) {
                // the elements left over are the structure's error, not its last item's
                c.add(step(s));
            }
            c.addStatement("in.end(left, at)");
            return c.build();
        }

        /** Code for an operation inside a structure, which counts down {@code left} of the structure at {@code at}. */
        private CodeBlock item(Op op) {
            return op.accept(new Op.Visitor<CodeBlock>() {
                @Override
                public CodeBlock element(Op.Element e) {
                    return CodeBlock.builder().add(step(e)).addStatement("left = in.element(left, at)").add(item(e.item()))
                            .build();
                }

                @Override
                public CodeBlock optional(Op.Optional o) {
                    return CodeBlock.builder()
                            .add(step(o))
                            .beginControlFlow("if (left > $L && $L)", o.requiredAfter(), tagTest(o.lookahead(), "in.nextTag()"))
                            .add(item(o.element()))
                            .endControlFlow().build();
                }

                @Override
                public CodeBlock repeat(Op.Repeat r) {
                    int slot = methods.size();
                    MethodSpec.Builder m = bodyMethod(r.name(), "repeat max " + r.max() + " { ... }", r.loc())
                            .addJavadoc("<p>Runs while more than $L element(s) of the structure remain.\n", r.requiredAfter())
                            .returns(TypeName.INT)
                            .addParameter(TypeName.INT, "left")
                            .addParameter(TypeName.INT, "at");
                    m.beginControlFlow("for (int n = 0; left > $L; n++)", r.requiredAfter());
                    m.beginControlFlow("if (n == $L)", r.max());
                    m.addCode(step(r));
                    m.addStatement("throw $L", fail(r, ErrorCode.BODY_COUNT));
                    m.endControlFlow();
                    r.items().forEach(i -> m.addCode(item(i)));
                    m.endControlFlow();
                    m.addStatement("return left");
                    method(slot, m.build());
                    return CodeBlock.of("left = $L(in, out, left, at);\n", r.name());
                }

                @Override
                public CodeBlock pushObjects(Op.PushObjects push) {
                    return CodeBlock.builder().add(step(push)).add("left = pushObjects(in, out, left, at, $L, $L, $L, $L);\n",
                            push.maxObjects(), push.maxLength(), push.maxDepth(), push.maxLeaves()).build();
                }

                @Override
                public CodeBlock groupBegin(Op.GroupBegin g) {
                    return g.fixed() == null ? CodeBlock.of("out.begin();\n")
                            : CodeBlock.of("out.begin($L);\n", constant(g.fixed()));
                }

                @Override
                public CodeBlock groupEnd(Op.GroupEnd g) {
                    return CodeBlock.builder().add(step(g)).add("out.end(in);\n").build();
                }

                @Override
                public CodeBlock obisField(Op.ObisField o) {
                    return CodeBlock.builder().add(step(o)).add("out.obis(in.obis($L));\n", o.swappedHeader()).build();
                }

                @Override
                public CodeBlock descriptor(Op.Descriptor d) {
                    return CodeBlock.builder().add(step(d)).add("out.obis(in.descriptor());\n").build();
                }

                @Override
                public CodeBlock scalerUnit(Op.ScalerUnit s) {
                    return CodeBlock.builder().add(step(s)).add("out.scalerUnit(in);\n").build();
                }

                @Override
                public CodeBlock groupValue(Op.GroupValue v) {
                    if (v.structured()) {
                        return CodeBlock.builder().add(step(v)).add("out.leaves(in, $L, $L, $L, $L);\n",
                                mask(v.typeMask()), v.maxLength(), v.maxDepth(), v.maxLeaves()).build();
                    }
                    return CodeBlock.builder().add(step(v)).add("out.value(in, $L, $L);\n",
                            valueMask(v.typeMask(), v.dateTimeOctets()), v.maxLength()).build();
                }

                @Override
                public CodeBlock structure(Op.Structure s) {
                    return standalone(s);
                }

                @Override
                public CodeBlock array(Op.Array a) {
                    return standalone(a);
                }

                @Override
                public CodeBlock choice(Op.Choice c) {
                    return standalone(c);
                }

                @Override
                public CodeBlock positional(Op.Positional pos) {
                    return standalone(pos);
                }

                @Override
                public CodeBlock skip(Op.Skip s) {
                    return standalone(s);
                }
            });
        }

        /** The exception for an error the plan says the operation raises, at the offset its rule names. */
        private static CodeBlock fail(Op op, ErrorCode code) {
            Failure f = op.failures().stream().filter(x -> x.code() == code).findFirst()
                    .orElseThrow(() -> new IllegalStateException(op + " does not raise " + code));
            return switch (f.at()) {
                // the generated code raises these before it moves past the element
                case ELEMENT, CURSOR -> CodeBlock.of("in.error($T.$L)", ERROR_CODE, code.name());
                case CONTAINER -> CodeBlock.of("in.errorAt($T.$L, at)", ERROR_CODE, code.name());
                case END -> throw new IllegalStateException("generated code does not raise " + f);
            };
        }

        /** Whether {@code tag} is in the mask: one comparison for a single tag. */
        private CodeBlock tagTest(int mask, String tag) {
            if (Integer.bitCount(mask) == 1) {
                return CodeBlock.of("$L == $T.$L", tag, AXDR, tagName(Integer.numberOfTrailingZeros(mask)));
            }
            return CodeBlock.of("$T.accepts($L, $L)", AXDR, mask(mask), tag);
        }

        private CodeBlock valueMask(int mask, boolean dateTimeOctets) {
            CodeBlock m = mask(mask);
            return dateTimeOctets ? CodeBlock.of("$L | $T.DATETIME_OCTETS", m, BUILDER) : m;
        }

        /** A tag mask as a readable expression of Axdr constants. */
        private static CodeBlock mask(int mask) {
            if (mask == Axdr.SCALARS) {
                return CodeBlock.of("$T.SCALARS", AXDR);
            }
            if (mask == Axdr.NUMBERS) {
                return CodeBlock.of("$T.NUMBERS", AXDR);
            }
            if (mask == Axdr.INTEGERS) {
                return CodeBlock.of("$T.INTEGERS", AXDR);
            }
            if (mask == Axdr.STRINGS) {
                return CodeBlock.of("$T.STRINGS", AXDR);
            }
            List<CodeBlock> bits = new ArrayList<>();
            for (int tag = 0; tag < 32; tag++) {
                if (Axdr.accepts(mask, tag)) {
                    bits.add(CodeBlock.of("$T.bit($T.$L)", AXDR, AXDR, tagName(tag)));
                }
            }
            return bits.isEmpty() ? CodeBlock.of("0") : CodeBlock.join(bits, " | ");
        }

        private static String tagName(int tag) {
            return Axdr.name(tag).toUpperCase(Locale.ROOT);
        }

        /** Where the spec writes something: the file it is in (an import's own file for an imported body) and the line. */
        private static String where(Loc loc) {
            return lineComment(loc.file()) + ":" + loc.line();
        }
    }

    /** Text for javadoc: no comment end, no tags, no unicode escapes. */
    private static String escapeDoc(String s) {
        return lineComment(s.replace("\\", "&#92;")).replace("*/", "*&#47;").replace("@", "{@literal @}");
    }

    /**
     * Text for a comment: on one line, and with no backslash that could start a unicode escape,
     * which javac reads before it sees comments.
     */
    static String lineComment(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
