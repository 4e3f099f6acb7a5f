package org.meterspec.gen.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * Every spec {@code check} accepts generates Java that compiles and runs: random specs, written
 * the way the spec language allows (and often in ways it does not), with value names that are
 * keywords of Java or C or the generated code's own members; those the checker accepts are
 * generated, compiled together, and fed random bytes, which must give only typed results.
 */
class AcceptedSpecsCompileTest {
    private static final String[] NAMES = {"energy", "config", "fingerprint", "class", "int", "static", "struct",
            "values_x", "directory", "api", "meter_x", "ms_total", "in", "out", "left", "at", "n", "i", "tag",
            "value_x", "count", "decode_body", "null_x", "true_x", "main", "string", "object", "record", "var"};
    private static final String[] TYPES = {"uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "uint64",
            "enum", "boolean", "float32", "float64", "octet_string", "visible_string", "utf8_string", "bit_string",
            "date_time", "date", "time", "integer", "number", "string", "datetime", "any", "null", "bcd"};
    private static final int SPECS_PER_TRY = 24;

    @Property(tries = 6)
    void everyAcceptedSpecCompilesAndDecodesOnlyToTypedResults(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("accepted");
        List<MeterModel> accepted = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < SPECS_PER_TRY; i++) {
            String text = spec(r, "spec" + i);
            Path file = dir.resolve("spec" + i + ".meter");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            SpecLoader.Result result = SpecLoader.load(file);
            if (result.ok()) {
                accepted.add(result.model());
                texts.add(text);
            }
        }
        List<File> sources = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            sources.add(new JavaGenerator("p" + i).generate(accepted.get(i)).writeToPath(dir, StandardCharsets.UTF_8)
                    .toFile());
        }
        if (sources.isEmpty()) {
            return;
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(sources, classes, texts);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                MeterDecoder.class.getClassLoader())) {
            for (int i = 0; i < accepted.size(); i++) {
                MeterModel m = accepted.get(i);
                Class<?> type = loader.loadClass("p" + i + "." + JavaGenerator.className(m));
                MeterDecoder decoder = (MeterDecoder) type.getConstructor(Keys.class).newInstance(Keys.none());
                for (int k = 0; k < 20; k++) {
                    byte[] noise = new byte[r.nextInt(300)];
                    r.nextBytes(noise);
                    if (noise.length > 0 && r.nextBoolean()) {
                        noise[0] = (byte) 0x0F; // a plain DATA-NOTIFICATION start, for the raw framer
                    }
                    for (TelegramResult result : decoder.decodeAll(noise)) {
                        assertTrue(result != null);
                    }
                    decoder.decode(noise);
                }
            }
        }
    }

    private static void compile(List<File> sources, Path classes, List<String> texts) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            String runtime = new File(MeterDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            StringWriter log = new StringWriter();
            boolean ok = compiler.getTask(log, files, diagnostics, List.of("-classpath", runtime, "-d", classes.toString()),
                    null, files.getJavaFileObjectsFromFiles(sources)).call();
            assertTrue(ok, () -> diagnostics.getDiagnostics() + log.toString() + "\nspecs:\n" + String.join("\n----\n", texts));
        }
    }

    // ---- random specs ----------------------------------------------------------------------

    private static String spec(Random r, String meter) {
        StringBuilder sb = new StringBuilder("meter " + meter + " \"" + pick(r, "A \\\"quoted\\\" title", "t", "back\\\\slash \\\\u000a") + "\"\n");
        sb.append("transport ").append(pick(r, "raw", "mbus", "hdlc", "hdlc { llc required }", "mbus { frames max 3 }"))
                .append('\n');
        sb.append("security ").append(pick(r, "none", "glo", "ded", "none glo", "glo { control 0x30 authentication required }"))
                .append('\n');
        if (r.nextBoolean()) {
            sb.append("notification { datetime ").append(pick(r, "optional", "required", "absent"))
                    .append(r.nextInt(3) == 0 ? " block_transfer max 4" : "").append(" }\n");
        }
        if (r.nextInt(3) == 0) {
            sb.append("tolerate ").append(pick(r, "nul_padded_strings", "swapped_obis_header", "bad_fcs",
                    "tagged_notification_datetime", "mbus_length_wrap")).append('\n');
        }
        sb.append("body ").append(element(r, 0, true)).append('\n');
        sb.append("values {\n");
        int entries = r.nextInt(6);
        for (int i = 0; i < entries; i++) {
            sb.append("    ").append(obis(r)).append(' ').append(name(r))
                    .append(r.nextBoolean() ? " unit " + pick(r, "W", "Wh", "V", "A", "var") : "")
                    .append(r.nextInt(4) == 0 ? " scaler " + (r.nextInt(7) - 3) : "")
                    .append(r.nextInt(5) == 0 ? " doc \"*/ @x \\\\u000a\"" : "").append('\n');
        }
        sb.append("}\n");
        if (r.nextBoolean()) {
            sb.append(zigbee(r));
        }
        return sb.toString();
    }

    /** A ZigBee mapping over one to three endpoints: often complete, sometimes not. */
    private static String zigbee(Random r) {
        StringBuilder sb = new StringBuilder("zigbee {\n");
        int endpoints = 1 + r.nextInt(3);
        for (int e = 0; e < endpoints; e++) {
            sb.append("    endpoint ").append(pick(r, 1, 2, 10, 240)).append(r.nextBoolean() ? " profile 0x0104 device 0x0053" : "")
                    .append(" {\n");
            if (r.nextInt(4) != 0) {
                sb.append("        seMetering.unitOfMeasure = 0\n        seMetering.multiplier = 1\n"
                        + "        seMetering.divisor = ").append(pick(r, "1000", "1", "100")).append('\n')
                        .append("        seMetering.summaFormatting = 0xCB\n");
            }
            if (r.nextInt(4) != 0) {
                sb.append("        haElectricalMeasurement.acVoltageMultiplier = 1\n        haElectricalMeasurement.acVoltageDivisor = 10\n"
                        + "        haElectricalMeasurement.acPowerMultiplier = 1\n        haElectricalMeasurement.acPowerDivisor = 1\n");
            }
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) {
                sb.append("        ").append(pick(r,
                        "seMetering.currentSummDelivered = " + obis(r) + " report 10 300 change 10",
                        "seMetering.currentSummReceived = " + obis(r),
                        "seMetering.instantaneousDemand = " + obis(r) + " - " + obis(r),
                        "seMetering.status report 0 60",
                        "seMetering.meterSerialNumber = " + obis(r),
                        "haElectricalMeasurement.rmsVoltage = " + obis(r),
                        "haElectricalMeasurement.activePower = " + obis(r) + " - " + obis(r) + " + " + obis(r),
                        "haElectricalMeasurement.powerFactor = " + obis(r),
                        "haElectricalMeasurement.measurementType",
                        "drop haElectricalMeasurement")).append('\n');
            }
            sb.append("    }\n");
        }
        return sb.append("}\n").toString();
    }

    private static String element(Random r, int depth, boolean root) {
        int kind = depth > 3 ? 4 + r.nextInt(2) : r.nextInt(root ? 4 : 7);
        return switch (kind) {
            case 0 -> "structure {\n" + items(r, depth + 1) + "}";
            case 1 -> "array max " + (1 + r.nextInt(8)) + " of " + element(r, depth + 1, false);
            case 2 -> "structure {\n    repeat max " + (1 + r.nextInt(16)) + " {\n" + group(r, depth + 1) + "    }\n}";
            case 3 -> "one of {\n structure { " + value(r, true) + " }\n structure { " + value(r, true) + " " + value(r, true)
                    + " " + value(r, true) + " }\n" + (r.nextBoolean() ? " " + value(r, true) + "\n" : "") + "}";
            case 4 -> value(r, true);
            case 5 -> "skip " + pick(r, "uint8", "uint32 max 5", "max 16", "array max 32", "structure max 64", "enum");
            default -> "structure {\n" + group(r, depth + 1) + "}";
        };
    }

    private static String items(Random r, int depth) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append("    ").append(r.nextInt(3) == 0 ? element(r, depth, false) : value(r, true)).append('\n');
        }
        if (r.nextInt(4) == 0) {
            sb.append("    push_objects max ").append(2 + r.nextInt(20)).append(" { value max 16 }\n");
        } else if (r.nextInt(3) == 0) {
            sb.append("    ").append(value(r, true)).append("?\n");
        }
        return sb.toString();
    }

    private static String group(Random r, int depth) {
        return "        " + pick(r, "obis", "descriptor") + "\n        " + value(r, false) + "\n"
                + (r.nextBoolean() ? "        scaler_unit" + (r.nextBoolean() ? "?" : "") + "\n" : "");
    }

    private static String value(Random r, boolean fixed) {
        String type = pick(r, TYPES);
        boolean strings = type.contains("string") || type.equals("any");
        return "value" + (fixed ? " " + obis(r) + (r.nextBoolean() ? " as " + name(r) : "") : "")
                + " " + type + (strings || r.nextInt(6) == 0 ? " max " + (1 + r.nextInt(40)) : "");
    }

    /** Names the generated code itself uses, or that are keywords: one of them as it is, half the time. */
    private static final String[] RESERVED = {"config", "fingerprint", "directory", "api", "class", "int", "static",
            "struct"};

    private static String name(Random r) {
        return r.nextBoolean() ? pick(r, RESERVED) : pick(r, NAMES) + "_" + r.nextInt(1000);
    }

    private static String obis(Random r) {
        return "1.0." + r.nextInt(4) + "." + r.nextInt(3) + ".0.255";
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
