package org.meterspec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.gen.java.JavaGenerator;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "generate", description = "Generate decoder sources from specs.")
final class GenerateCommand implements Callable<Integer> {
    enum Lang { java }

    @Option(names = "--lang", required = true, description = "Target language: ${COMPLETION-CANDIDATES}.")
    Lang lang;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output directory.")
    Path output;

    @Option(names = "--package", defaultValue = "org.meterspec.generated",
            description = "Java package of the generated decoders (default: ${DEFAULT-VALUE}).")
    String packageName;

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, or directories to search for them.")
    List<Path> specs;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        boolean failed = false;
        JavaGenerator generator = new JavaGenerator(packageName);
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                failed = true;
                continue;
            }
            Path written = generator.generate(m).writeToPath(output, java.nio.charset.StandardCharsets.UTF_8);
            out.println("generated " + written);
        }
        return failed ? Main.BAD_INPUT : Main.OK;
    }
}
