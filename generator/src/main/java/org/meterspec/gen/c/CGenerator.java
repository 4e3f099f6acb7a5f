package org.meterspec.gen.c;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meterspec.runtime.Version;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;

/**
 * Renders decode plans as C99 for the meterspec C runtime: per meter a header and a source,
 * and the runtime's error list from the language-neutral error table. Templates only lay out
 * code; every decision is the plan's.
 */
public final class CGenerator {
    private CGenerator() {
    }

    private static STGroup group(String name) {
        STGroup g = new STGroupFile(CGenerator.class.getResource(name), "UTF-8", '$', '$');
        g.registerModelAdaptor(Record.class, new RecordAdaptor());
        return g;
    }

    /** The runtime's error list: {@code include/ms_errors.h} and {@code runtime/ms_errors.c}. */
    public static Map<String, String> errors() {
        STGroup g = group("errors.stg");
        Map<String, String> out = new LinkedHashMap<>();
        out.put("include/ms_errors.h", render(g.getInstanceOf("header")));
        out.put("runtime/ms_errors.c", render(g.getInstanceOf("source")));
        return out;
    }

    private static String render(ST st) {
        if (st.impl.formalArguments.containsKey("version")) {
            st.add("version", Version.VERSION);
        }
        if (st.impl.formalArguments.containsKey("rows")) {
            st.add("rows", ErrorTable.rows());
        }
        return st.render().replace("\r\n", "\n");
    }

    /** A meter's header and source: {@code meters/<meter>.h} and {@code meters/<meter>.c}. */
    public static Map<String, String> meter(org.meterspec.gen.plan.DecodePlan plan) {
        CMeterRenderer r = new CMeterRenderer(plan, group("meter.stg"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("meters/" + plan.meter() + ".h", r.header());
        out.put("meters/" + plan.meter() + ".c", r.source());
        return out;
    }

    /**
     * A whole component for the plans: the hand-written runtime, the error list, and a header and
     * source per meter, by path. It builds as an ESP-IDF component and on a host.
     */
    public static Map<String, String> component(java.util.List<org.meterspec.gen.plan.DecodePlan> plans) {
        Map<String, String> out = new java.util.TreeMap<>(Component.files());
        out.putAll(errors());
        for (org.meterspec.gen.plan.DecodePlan p : plans) {
            out.putAll(meter(p));
        }
        return out;
    }

    /**
     * The runtime files (by name) that {@code unity/ms_one_meter.c} of a component compiles with
     * one meter; the rest of {@code runtime/} is compiled as it is in every build.
     */
    public static java.util.Set<String> oneMeterRuntime(Map<String, String> component) {
        String unity = component.get("unity/ms_one_meter.c");
        if (unity == null) {
            throw new IllegalStateException("the C component has no unity/ms_one_meter.c");
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#include \"\\.\\./runtime/([a-z_0-9]+\\.c)\"$")
                .matcher(unity);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Writes files relative to {@code dir}. */
    public static void write(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
