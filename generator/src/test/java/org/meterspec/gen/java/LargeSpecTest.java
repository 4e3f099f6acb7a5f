package org.meterspec.gen.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.Limits;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.MeterDecoder;

/** The largest spec the checks accept generates a class the JVM accepts: no method over 64 KB of code. */
class LargeSpecTest {

    @Test
    void aSpecWithAsManyValuesAsAllowedCompiles(@TempDir Path dir) throws IOException, URISyntaxException {
        StringBuilder spec = new StringBuilder("meter large \"" + "t".repeat(Limits.MAX_TEXT) + "\"\n"
                + "transport raw\nsecurity none\n"
                + "body structure { repeat max 64 { obis value max 64 scaler_unit? } }\nvalues {\n");
        for (int i = 0; i < Limits.MAX_VALUES; i++) {
            spec.append("    1.0.").append(i / 250).append('.').append(i % 250).append(".0.255 v")
                    .append(i).append("_").append("x".repeat(Limits.MAX_NAME - 7))
                    .append(" unit W scaler -1 doc \"").append("d".repeat(80)).append("\"\n");
        }
        spec.append("}\n");
        Path file = dir.resolve("large.meter");
        Files.writeString(file, spec, StandardCharsets.UTF_8);
        SpecLoader.Result result = SpecLoader.load(file);
        assertTrue(result.ok(), result::report);
        MeterModel model = result.model();
        Path source = new JavaGenerator("large").generate(model).writeToPath(dir, StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            String runtime = new File(MeterDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            StringWriter log = new StringWriter();
            boolean ok = compiler.getTask(log, files, diagnostics, List.of("-classpath", runtime, "-d", dir.toString()),
                    null, files.getJavaFileObjects(source.toFile())).call();
            assertTrue(ok, () -> diagnostics.getDiagnostics() + log.toString());
        }
    }
}
