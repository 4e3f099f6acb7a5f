package org.meterspec.gen.java;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.meterspec.model.Element;
import org.meterspec.model.MeterModel;
import org.meterspec.model.SecuritySpec;
import org.meterspec.model.Transport;
import org.meterspec.model.ValueSpec;
import org.meterspec.model.ValueType;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.AxdrReader;
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
import org.meterspec.runtime.ValueTable;
import org.meterspec.runtime.Version;

/**
 * Generates the Java decoder of one meter spec: a {@link MeterDecoder} subclass holding the spec's
 * layers as a {@link DecoderConfig} constant and its body layout as one method per container.
 * Output depends only on the model, so the same spec always gives the same bytes.
 */
public final class JavaGenerator {
    private static final ClassName AXDR = ClassName.get(Axdr.class);
    private static final ClassName READER = ClassName.get(AxdrReader.class);
    private static final ClassName BUILDER = ClassName.get(ReadingBuilder.class);
    private static final ClassName ERROR_CODE = ClassName.get(ErrorCode.class);
    private static final ClassName VALUE_INFO = ClassName.get(ValueInfo.class);
    private static final ClassName CONFIG = ClassName.get(DecoderConfig.class);

    private final String packageName;

    public JavaGenerator(String packageName) {
        this.packageName = packageName;
    }

    /** {@code netz_noe_p1} becomes {@code NetzNoeP1Decoder}. */
    public static String className(MeterModel model) {
        StringBuilder sb = new StringBuilder();
        for (String part : model.name().split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Decoder").toString();
    }

    public JavaFile generate(MeterModel model) {
        return new Emitter(model).file();
    }

    /** One generation run over one model. */
    private final class Emitter {
        private final MeterModel m;
        private final String className;
        private final Map<String, String> infoConstants = new HashMap<>();
        private final List<FieldSpec> infoFields = new ArrayList<>();
        /** Entries beyond the value table (positional values with names of their own), in id order. */
        private final List<String> extraInfos = new ArrayList<>();
        private final List<MethodSpec> methods = new ArrayList<>();
        private final boolean swappedObis;
        private int counter;

        Emitter(MeterModel m) {
            this.m = m;
            this.className = className(m);
            this.swappedObis = m.tolerates(Tolerance.SWAPPED_OBIS_HEADER);
        }

        JavaFile file() {
            List<String> tableConstants = new ArrayList<>();
            for (ValueSpec v : m.values().values()) {
                tableConstants.add(info(v.obis(), v.name()));
            }
            MethodSpec body = body();

            TypeSpec.Builder type = TypeSpec.classBuilder(className)
                    .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                    .superclass(MeterDecoder.class)
                    .addJavadoc(javadoc())
                    .addField(FieldSpec.builder(String.class, "METER", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                            .initializer("$S", m.name()).build())
                    .addField(FieldSpec.builder(String.class, "FINGERPRINT", Modifier.PUBLIC, Modifier.STATIC,
                                    Modifier.FINAL)
                            .addJavadoc("Identifies the spec text this decoder was generated from.\n")
                            .initializer("$S", m.fingerprint()).build())
                    .addStaticBlock(CodeBlock.of("requireApi($L);\n", MeterDecoder.API_VERSION));
            infoFields.forEach(type::addField);
            CodeBlock.Builder table = CodeBlock.builder().add("new $T(", ValueTable.class);
            for (int i = 0; i < tableConstants.size(); i++) {
                table.add(i == 0 ? "\n$L" : ",\n$L", tableConstants.get(i));
            }
            table.add(")");
            type.addField(FieldSpec.builder(ValueTable.class, "VALUES", Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer(table.build()).build());
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
            type.addMethod(body);
            methods.forEach(type::addMethod);
            return JavaFile.builder(packageName, type.build())
                    .addFileComment("Code generated by meterspec $L from $L. DO NOT EDIT.", Version.VERSION, m.file())
                    .skipJavaLangImports(true)
                    .indent("    ")
                    .build();
        }

        private CodeBlock javadoc() {
            CodeBlock.Builder doc = CodeBlock.builder();
            doc.add("Decoder for $L ({@code $L}).\n", m.title() != null ? escapeDoc(m.title()) : "meter", m.name());
            doc.add("\n<p>Transport: $L. Security: $L. Block transfer: $L.\n", transportText(), securityText(),
                    m.notification().maxBlocks() > 0 ? "up to " + m.notification().maxBlocks() + " blocks" : "no");
            doc.add("Bounds: APDU $L bytes, telegram $L bytes, $L values.\n", m.bounds().maxApdu(),
                    m.bounds().maxTelegram(), m.bounds().maxValues());
            doc.add("\n<p>Not thread-safe: use one instance per thread or stream.\n");
            return doc.build();
        }

        private String transportText() {
            Transport t = m.transport();
            if (t instanceof Transport.Mbus) {
                return "M-Bus long frames";
            }
            return t instanceof Transport.Hdlc ? "HDLC" : "bare APDUs";
        }

        private String securityText() {
            SecuritySpec s = m.security();
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
            if (s.ciphered()) {
                text += " (security control " + controls(s) + ")";
            }
            return s.authenticationRequired() ? text + ", authentication required" : text;
        }

        private CodeBlock config() {
            CodeBlock.Builder c = CodeBlock.builder().add("$T.builder(METER, FINGERPRINT)", CONFIG).indent();
            Transport t = m.transport();
            if (t instanceof Transport.Mbus mb) {
                c.add("\n.mbus($L, $L, $L, $L)", hexOrAny(mb.control()), hexOrAny(mb.address()), hexOrAny(mb.stsap()),
                        hexOrAny(mb.dtsap()));
            } else if (t instanceof Transport.Hdlc h) {
                c.add("\n.hdlc($L, $L, $T.Llc.$L)", h.destinationLength() == null ? 0 : h.destinationLength(),
                        h.sourceLength() == null ? 0 : h.sourceLength(), CONFIG, h.llc().name());
            } else {
                c.add("\n.raw()");
            }
            c.add("\n.bounds($L, $L, $L, $L)", m.bounds().maxFrames(), m.bounds().maxTelegram(), m.bounds().maxApdu(),
                    m.bounds().maxValues());
            SecuritySpec s = m.security();
            c.add("\n.ciphering($L, $L, $L)", s.plain(), s.glo(), s.ded());
            if (!s.controls().isEmpty()) {
                c.add("\n.securityControl($L)", controls(s));
            }
            if (s.authenticationRequired()) {
                c.add("\n.authenticationRequired(true)");
            }
            Long dt = m.notification().dateTimeObis();
            c.add("\n.dateTime($T.Presence.$L, $L)", CONFIG, m.notification().dateTime().name(),
                    dt == null ? "null" : info(dt, m.values().get(dt).name()));
            if (m.notification().maxBlocks() > 0) {
                c.add("\n.blockTransfer($L)", m.notification().maxBlocks());
            }
            for (var tol : m.tolerances()) {
                c.add("\n.tolerate($T.$L)", Tolerance.class, tol.tolerance().name());
            }
            c.add("\n.values(VALUES");
            for (String extra : extraInfos) {
                c.add(", $L", extra);
            }
            return c.add(")\n.build()").unindent().build();
        }

        /** The accepted security control bytes: {@code 0x20, 0x30}. */
        private String controls(SecuritySpec s) {
            List<String> sc = new ArrayList<>();
            for (int v : s.controls()) {
                sc.add(String.format("0x%02X", v));
            }
            return String.join(", ", sc);
        }

        private String hexOrAny(Integer v) {
            return v == null ? "-1" : String.format("0x%02X", v);
        }

        /** The constant for an OBIS code under a name, declared on first use. */
        private String info(long obis, String name) {
            String key = obis + "/" + name;
            String existing = infoConstants.get(key);
            if (existing != null) {
                return existing;
            }
            String constant = name.toUpperCase(Locale.ROOT);
            int id = infoConstants.size();
            infoConstants.put(key, constant);
            ValueSpec v = m.values().get(obis);
            if (v == null || !v.name().equals(name)) {
                extraInfos.add(constant);
            }
            CodeBlock.Builder init = CodeBlock.builder().add("new $T($L, $L, $S, ", VALUE_INFO, id, obisLiteral(obis), name);
            if (v != null && v.unit() != null) {
                init.add("$S, ", v.unit());
            } else {
                init.add("null, ");
            }
            if (v != null && v.scaler() != null) {
                init.add("$L, ", v.scaler());
            } else {
                init.add("$T.NO_SCALER, ", VALUE_INFO);
            }
            init.add("$T.$L, ", Format.class, v == null ? Format.AUTO.name() : v.format().name());
            init.add("$L)", v == null || v.type() == null ? CodeBlock.of("0") : mask(v.type().tagMask()));
            FieldSpec.Builder field = FieldSpec.builder(VALUE_INFO, constant, Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer(init.build());
            if (v != null && v.doc() != null) {
                field.addJavadoc("$L\n", escapeDoc(v.doc()));
            }
            infoFields.add(field.build());
            return constant;
        }

        private CodeBlock obisLiteral(long obis) {
            return CodeBlock.of("$T.pack($L, $L, $L, $L, $L, $L)", Obis.class, Obis.group(obis, 0), Obis.group(obis, 1),
                    Obis.group(obis, 2), Obis.group(obis, 3), Obis.group(obis, 4), Obis.group(obis, 5));
        }

        // ---- body ----------------------------------------------------------------------------

        private MethodSpec body() {
            MethodSpec.Builder method = MethodSpec.methodBuilder("decodeBody")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PROTECTED)
                    .addParameter(READER, "in")
                    .addParameter(BUILDER, "out")
                    .addException(DecodeException.class);
            Element root = m.body();
            method.addJavadoc("The body layout of $L:$L.\n", m.file(), root.loc().line());
            if (root instanceof Element.Structure s) {
                method.addCode(structureBody(s));
            } else {
                method.addCode(standalone(root));
            }
            return method.build();
        }

        /** An element that is not counted against a containing structure (root, array element). */
        private CodeBlock standalone(Element e) {
            CodeBlock.Builder c = CodeBlock.builder();
            if (e instanceof Element.Structure || e instanceof Element.Array) {
                c.addStatement("$L(in, out)", containerMethod(e));
            } else if (e instanceof Element.Choice ch) {
                c.addStatement("$L(in, out)", choiceMethod(ch));
            } else if (e instanceof Element.Value v) {
                c.addStatement("out.positional(in, $L, $L, $L)", info(v.obis(), valueName(v)), valueMask(v), valueMax(v));
            } else if (e instanceof Element.Skip s) {
                c.addStatement("in.skip($L, $L)", skipMask(s), org.meterspec.check.Checks.SKIP_DEPTH);
            } else {
                throw new IllegalStateException("validated model holds a standalone " + e);
            }
            return c.build();
        }

        /** A method for a structure or an array. */
        private String containerMethod(Element e) {
            String name = (e instanceof Element.Structure ? "structure" : "array") + (++counter);
            MethodSpec.Builder method = bodyMethod(name).addJavadoc("$L\n", where(e));
            if (e instanceof Element.Structure s) {
                method.addCode(structureBody(s));
            } else {
                Element.Array a = (Element.Array) e;
                method.addStatement("int n = in.array($L)", a.max());
                method.beginControlFlow("for (int i = 0; i < n; i++)");
                method.addCode(standalone(a.item()));
                method.endControlFlow();
            }
            methods.add(method.build());
            return name;
        }

        /** A private static method of the body taking the reader and the builder. */
        private MethodSpec.Builder bodyMethod(String name) {
            return MethodSpec.methodBuilder(name)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(READER, "in")
                    .addParameter(BUILDER, "out")
                    .addException(DecodeException.class);
        }

        /**
         * Dispatches on the next element: its tag, and for structures their element count, which
         * the checker proved tell the alternatives apart.
         */
        private String choiceMethod(Element.Choice ch) {
            String name = "choice" + (++counter);
            MethodSpec.Builder method = bodyMethod(name).addJavadoc("$L\n", where(ch));
            method.addStatement("int tag = in.nextTag()");
            List<Element> structures = new ArrayList<>();
            for (Element a : ch.alternatives()) {
                if (a instanceof Element.Structure) {
                    structures.add(a);
                }
            }
            if (!structures.isEmpty()) {
                method.beginControlFlow("if (tag == $T.STRUCTURE)", AXDR);
                method.addStatement("int count = in.peekCount()");
                for (Element a : structures) {
                    Element.Structure s = (Element.Structure) a;
                    long[] range = s.elementCounts();
                    method.beginControlFlow("if (count >= $L && count <= $L)", range[0], range[1]);
                    method.addCode(standalone(a));
                    method.addStatement("return");
                    method.endControlFlow();
                }
                method.addStatement("throw in.error($T.BODY_COUNT)", ERROR_CODE);
                method.endControlFlow();
            }
            for (Element a : ch.alternatives()) {
                if (a instanceof Element.Structure) {
                    continue;
                }
                method.beginControlFlow("if ($T.accepts($L, tag))", AXDR, mask(m.firstTags(a)));
                method.addCode(standalone(a));
                method.addStatement("return");
                method.endControlFlow();
            }
            method.addStatement("throw in.error($T.BODY_TYPE)", ERROR_CODE);
            methods.add(method.build());
            return name;
        }

        private CodeBlock structureBody(Element.Structure s) {
            CodeBlock.Builder c = CodeBlock.builder();
            c.addStatement("int at = in.position()");
            c.addStatement("int left = in.structure()");
            c.add(items(s.items(), 0));
            c.addStatement("in.end(left, at)");
            return c.build();
        }

        /**
         * The items of one structure or repeat body, which count down {@code left} of the structure
         * that started at {@code at}. {@code trailing} counts required elements after a repeat.
         */
        private CodeBlock items(List<Element> items, int trailing) {
            CodeBlock.Builder c = CodeBlock.builder();
            Element.Value groupValue = groupValue(items);
            int groupStart = groupValue == null ? -1 : groupItem(items, groupValue, true);
            int groupEnd = groupValue == null ? -1 : groupItem(items, groupValue, false);
            for (int i = 0; i < items.size(); i++) {
                Element e = items.get(i);
                if (i == groupStart) {
                    if (groupValue.obis() != null) {
                        c.addStatement("out.begin($L)", info(groupValue.obis(), valueName(groupValue)));
                    } else {
                        c.addStatement("out.begin()");
                    }
                }
                int after = Element.minElements(items.subList(i + 1, items.size()));
                int requiredAfter = trailing + after;
                if (e instanceof Element.Repeat r) {
                    c.addStatement("left = $L(in, out, left, at)", repeatMethod(r, after));
                    continue;
                }
                if (e instanceof Element.PushObjects p) {
                    c.addStatement("left = out.pushObjects(in, left, at, $L, $L)", p.max(),
                            valueMax((Element.Value) p.value()));
                    continue;
                }
                CodeBlock take = item(e, e == groupValue);
                if (Element.isOptional(e)) {
                    c.beginControlFlow("if (left > $L && $L)", requiredAfter, startsWith(e));
                    c.addStatement("left = in.element(left, at)");
                    c.add(take);
                    c.endControlFlow();
                } else {
                    c.addStatement("left = in.element(left, at)");
                    c.add(take);
                }
                if (i == groupEnd) {
                    c.addStatement("out.end(in)");
                }
            }
            return c.build();
        }

        /** Index of the first (or last) item of the scope's group: OBIS field, descriptor, value, scaler-unit. */
        private int groupItem(List<Element> items, Element.Value value, boolean first) {
            int found = -1;
            for (int i = 0; i < items.size(); i++) {
                Element e = items.get(i);
                if (e instanceof Element.ObisField || e instanceof Element.Descriptor || e instanceof Element.ScalerUnit
                        || e == value) {
                    if (first) {
                        return i;
                    }
                    found = i;
                }
            }
            return found;
        }

        private String repeatMethod(Element.Repeat r, int trailing) {
            String name = "repeat" + (++counter);
            MethodSpec.Builder method = bodyMethod(name)
                    .addJavadoc("$L\n<p>Runs while more than $L element(s) of the structure remain.\n", where(r), trailing)
                    .returns(TypeName.INT)
                    .addParameter(TypeName.INT, "left")
                    .addParameter(TypeName.INT, "at");
            method.beginControlFlow("for (int n = 0; left > $L; n++)", trailing);
            method.beginControlFlow("if (n == $L)", r.max());
            method.addStatement("throw in.errorAt($T.BODY_COUNT, at)", ERROR_CODE);
            method.endControlFlow();
            method.addCode(items(r.items(), trailing));
            method.endControlFlow();
            method.addStatement("return left");
            methods.add(method.build());
            return name;
        }

        /** Reads one item (its element already counted). */
        private CodeBlock item(Element e, boolean grouped) {
            CodeBlock.Builder c = CodeBlock.builder();
            if (e instanceof Element.ObisField) {
                c.addStatement("out.obis(in.obis($L))", swappedObis);
            } else if (e instanceof Element.Descriptor) {
                c.addStatement("out.obis(in.descriptor())");
            } else if (e instanceof Element.ScalerUnit) {
                c.addStatement("out.scalerUnit(in)");
            } else if (e instanceof Element.Value v && grouped) {
                c.addStatement("out.value(in, $L, $L)", valueMask(v), valueMax(v));
            } else {
                c.add(standalone(e));
            }
            return c.build();
        }

        /**
         * The value of the scope's group: the one without a fixed OBIS code, or with a scaler-unit
         * and every value fixed, the only value; null when the scope has no group.
         */
        private Element.Value groupValue(List<Element> items) {
            boolean scalerUnit = false;
            List<Element.Value> values = new ArrayList<>();
            for (Element e : items) {
                if (e instanceof Element.ScalerUnit) {
                    scalerUnit = true;
                } else if (e instanceof Element.Value v) {
                    if (v.obis() == null) {
                        return v;
                    }
                    values.add(v);
                }
            }
            return scalerUnit && values.size() == 1 ? values.get(0) : null;
        }

        private CodeBlock startsWith(Element e) {
            if (e instanceof Element.ScalerUnit) {
                return CodeBlock.of("in.nextTag() == $T.STRUCTURE", AXDR);
            }
            return CodeBlock.of("$T.accepts($L, in.nextTag())", AXDR, mask(m.typeOf((Element.Value) e).tagMask()));
        }

        private String valueName(Element.Value v) {
            return v.name() != null ? v.name() : m.values().get(v.obis()).name();
        }

        private CodeBlock valueMask(Element.Value v) {
            ValueType t = m.typeOf(v);
            CodeBlock mask = mask(t.tagMask());
            return t.dateTimeOctets() ? CodeBlock.of("$L | $T.DATETIME_OCTETS", mask, BUILDER) : mask;
        }

        private int valueMax(Element.Value v) {
            if (v.max() != null) {
                return v.max();
            }
            return m.typeOf(v).dateTimeOctets() ? 12 : 0;
        }

        private CodeBlock skipMask(Element.Skip s) {
            return s.type() == null ? CodeBlock.of("0") : mask(s.type().tagMask());
        }

        /** A tag mask as a readable expression of Axdr constants. */
        private CodeBlock mask(int mask) {
            for (String family : new String[] {"SCALARS", "NUMBERS", "INTEGERS", "STRINGS"}) {
                if (mask == familyMask(family)) {
                    return CodeBlock.of("$T.$L", AXDR, family);
                }
            }
            List<CodeBlock> bits = new ArrayList<>();
            for (int tag = 0; tag < 32; tag++) {
                if (Axdr.accepts(mask, tag)) {
                    bits.add(CodeBlock.of("$T.bit($T.$L)", AXDR, AXDR, Axdr.name(tag).toUpperCase(Locale.ROOT)));
                }
            }
            return bits.isEmpty() ? CodeBlock.of("0") : CodeBlock.join(bits, " | ");
        }

        private int familyMask(String family) {
            return switch (family) {
                case "SCALARS" -> Axdr.SCALARS;
                case "NUMBERS" -> Axdr.NUMBERS;
                case "INTEGERS" -> Axdr.INTEGERS;
                default -> Axdr.STRINGS;
            };
        }

        private String where(Element e) {
            String kind = e instanceof Element.Structure ? "structure"
                    : e instanceof Element.Array a ? "array max " + a.max() + " of ..."
                    : e instanceof Element.Repeat r ? "repeat max " + r.max() + " { ... }" : "one of";
            return "{@code " + kind + "} at " + m.file() + ":" + e.loc().line() + ".";
        }
    }

    private static String escapeDoc(String s) {
        return s.replace("*/", "*&#47;").replace("@", "{@literal @}");
    }
}
