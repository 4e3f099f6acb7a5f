package org.meterspec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        header = "Validate specs: every problem of every file, with file:line:column.",
        description = {"Exit codes: 0 every spec is valid, 2 one has errors.", ""})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, or directories to search for them.")
    List<Path> specs;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        boolean failed = false;
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                failed = true;
                continue;
            }
            out.printf("ok %s: meter %s, %d named values, APDU up to %d bytes, %d example(s)%n", m.file(), m.name(),
                    m.values().size(), m.bounds().maxApdu(), m.examples().size());
        }
        return failed ? Main.BAD_INPUT : Main.OK;
    }
}
