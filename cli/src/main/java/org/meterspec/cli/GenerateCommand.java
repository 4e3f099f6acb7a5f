package org.meterspec.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import org.meterspec.gen.java.JavaGenerator;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        header = "Generate decoder sources from specs.",
        description = {"java: one decoder class per spec under DIR, in the folders of its package.",
                "c: a C component under DIR (an ESP-IDF component that also builds on a host): the runtime,",
                "its crypto ports, and meters/<meter>.h and .c per spec.",
                "z2m: a Zigbee2MQTT 2.x external converter <meter>.mjs per spec with a zigbee section, for",
                "data/external_converters/.", ""})
final class GenerateCommand implements Callable<Integer> {
    enum Lang { java, c, z2m }

    @Option(names = "--lang", required = true, description = "Target language: ${COMPLETION-CANDIDATES}.")
    Lang lang;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Option(names = "--package", defaultValue = "org.meterspec.generated", paramLabel = "NAME",
            description = "Java package of the generated decoders (default: ${DEFAULT-VALUE}).")
    String packageName;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors (not each file written).")
    boolean quiet;

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, or directories to search for them.")
    List<Path> specs;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        String problem = packageProblem(packageName);
        if (problem != null) {
            err.println("meterspec: --package '" + packageName + "' is not a Java package name: " + problem);
            return Main.BAD_INPUT;
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            err.println("meterspec: the output " + output + " is not a directory");
            return Main.BAD_INPUT;
        }
        boolean failed = false;
        if (lang == Lang.c) {
            return c(out, err);
        }
        if (lang == Lang.z2m) {
            return z2m(out, err);
        }
        JavaGenerator generator = new JavaGenerator(packageName);
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                failed = true;
                continue;
            }
            Path written;
            try {
                written = generator.generate(m).writeToPath(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("meterspec: cannot write the decoder of " + m.file() + ": " + Main.oneLine(e));
                return Main.BAD_INPUT;
            }
            if (!quiet) {
                out.println("generated " + written);
            }
        }
        return failed ? Main.BAD_INPUT : Main.OK;
    }

    /** The C component of every spec: nothing is written unless every spec is valid. */
    private Integer c(java.io.PrintWriter out, java.io.PrintWriter err) throws IOException {
        List<org.meterspec.gen.plan.DecodePlan> plans = new java.util.ArrayList<>();
        boolean failed = false;
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                failed = true;
            } else {
                plans.add(org.meterspec.gen.plan.PlanBuilder.build(m));
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (var plan : plans) {
            if (!names.add(plan.meter())) {
                err.println("meterspec: two specs name meter '" + plan.meter() + "': one component holds one of each");
                failed = true;
            }
        }
        if (failed) {
            return Main.BAD_INPUT;
        }
        java.util.Map<String, String> files = org.meterspec.gen.c.CGenerator.component(plans);
        try {
            org.meterspec.gen.c.CGenerator.write(output, files);
        } catch (IOException e) {
            err.println("meterspec: cannot write the C component: " + Main.oneLine(e));
            return Main.BAD_INPUT;
        }
        if (!quiet) {
            for (var plan : plans) {
                out.println("generated " + output.resolve("meters").resolve(plan.meter() + ".c"));
            }
            out.println("with the runtime in " + output);
        }
        return Main.OK;
    }

    /** A Zigbee2MQTT converter per spec: nothing is written unless every spec is valid and maps onto ZigBee. */
    private Integer z2m(java.io.PrintWriter out, java.io.PrintWriter err) throws IOException {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        boolean failed = false;
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                failed = true;
                continue;
            }
            org.meterspec.gen.plan.DecodePlan plan = org.meterspec.gen.plan.PlanBuilder.build(m);
            if (plan.zcl() == null) {
                err.println("meterspec: " + m.file() + " has no zigbee section, so there is nothing for Zigbee2MQTT to show"
                        + " (hint: import \"../common/zcl.meter\", the standard mapping)");
                failed = true;
            } else if (files.put(org.meterspec.gen.z2m.Z2mGenerator.fileName(plan),
                    org.meterspec.gen.z2m.Z2mGenerator.converter(plan)) != null) {
                err.println("meterspec: two specs name meter '" + plan.meter() + "': each converter is <meter>.mjs");
                failed = true;
            }
        }
        if (failed) {
            return Main.BAD_INPUT;
        }
        try {
            org.meterspec.gen.c.CGenerator.write(output, files);
        } catch (IOException e) {
            err.println("meterspec: cannot write the converters: " + Main.oneLine(e));
            return Main.BAD_INPUT;
        }
        if (!quiet) {
            for (String f : files.keySet()) {
                out.println("generated " + output.resolve(f));
            }
        }
        return Main.OK;
    }

    /**
     * Why {@code name} is not a Java package name (dot-separated identifiers, none a keyword or
     * literal), or null. Its parts become folders under the output directory, so this also keeps
     * writes inside it ({@code ../x} is no package).
     */
    static String packageProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty (the default package cannot be imported)";
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty()) {
                return "it has an empty part";
            }
            if (SourceVersion.isKeyword(part, SourceVersion.RELEASE_17)) {
                return "'" + part + "' is a Java keyword";
            }
            if (!SourceVersion.isIdentifier(part)) {
                return "'" + part + "' is not a Java identifier";
            }
        }
        return null;
    }
}
