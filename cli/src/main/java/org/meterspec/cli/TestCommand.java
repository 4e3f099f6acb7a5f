package org.meterspec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "test", description = "Run the examples specs carry: decode each capture, compare every telegram.")
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, or directories to search for them.")
    List<Path> specs;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        boolean badSpec = false;
        int passed = 0;
        int failed = 0;
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                badSpec = true;
                continue;
            }
            SpecDecoder decoder = new JavaEngine().load(m);
            for (ExampleRunner.Outcome o : ExampleRunner.run(m, decoder)) {
                if (o.passed()) {
                    passed++;
                    out.printf("PASS %s: %s%n", m.file(), o.example().name());
                } else {
                    failed++;
                    out.printf("FAIL %s: %s (%s)%n", m.file(), o.example().name(), o.example().loc());
                    o.problems().forEach(p -> out.println("    " + p));
                }
            }
        }
        out.printf("%d passed, %d failed%n", passed, failed);
        return badSpec ? Main.BAD_INPUT : failed > 0 ? Main.DECODE_ERRORS : Main.OK;
    }
}
