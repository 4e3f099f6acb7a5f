package org.meterspec.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.model.MeterModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "test", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        header = "Run the examples specs carry: decode each capture, compare every telegram.",
        description = {"Each example's capture is decoded whole and again byte by byte; every telegram's line must "
                + "be what the example expects.", "",
                "Exit codes: 0 every example passed, 1 one failed, 2 a spec has errors (its diagnostics are printed "
                        + "and its examples do not run).", ""})
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files, or directories to search for them.")
    List<Path> specs;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "java",
            completionCandidates = DecodeCommand.EngineNames.class,
            description = "What runs the decoders: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String engine;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        var out = command.commandLine().getOut();
        var err = command.commandLine().getErr();
        Engine runner;
        try {
            runner = Engines.named(engine);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        int badSpecs = 0;
        int tested = 0;
        int passed = 0;
        int failed = 0;
        for (Path spec : Main.specFiles(specs)) {
            MeterModel m = Main.load(spec, err);
            if (m == null) {
                badSpecs++;
                continue;
            }
            SpecDecoder decoder;
            try {
                decoder = runner.load(m);
            } catch (EngineException e) {
                err.println("meterspec: " + e.getMessage());
                badSpecs++;
                continue;
            }
            tested++;
            for (ExampleRunner.Outcome o : ExampleRunner.run(m, decoder, DecodeHints.tracing(m, decoder))) {
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
        if (tested > 0) {
            out.printf("%d passed, %d failed%n", passed, failed);
        }
        if (badSpecs > 0) {
            err.println("meterspec: " + badSpecs + (badSpecs == 1 ? " spec has errors; its examples did not run"
                    : " specs have errors; their examples did not run"));
            return Main.BAD_INPUT;
        }
        return failed > 0 ? Main.DECODE_ERRORS : Main.OK;
    }
}
