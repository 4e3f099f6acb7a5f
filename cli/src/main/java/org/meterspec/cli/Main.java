package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.meterspec.check.Diagnostic;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meterspec} command. Exit codes: 0 ok, 1 decode errors or failed examples, 2 bad usage or bad spec. */
@Command(name = "meterspec", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Declarative specs for DLMS/COSEM smart-meter telegrams, compiled to decoders.",
        subcommands = {CheckCommand.class, GenerateCommand.class, DecodeCommand.class, TestCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int DECODE_ERRORS = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("meterspec: " + redact(String.valueOf(e.getMessage())));
            return BAD_INPUT;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            // picocli quotes the arguments it could not match: a mistyped option would print its key
            CommandLine command = e.getCommandLine();
            command.getErr().println("meterspec: " + redact(e.getMessage()));
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            return BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** Why a file could not be read, in words, without repeating its path. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : redact(message);
    }

    /**
     * Replaces anything that may be a key in a message: 24 or more hex digits in a row (a key has
     * 32; temporary file names and offsets have fewer).
     */
    static String redact(String message) {
        return message.replaceAll("[0-9A-Fa-f]{24,}", "<redacted>");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meterspec " + Version.VERSION};
        }
    }

    /** Loads a spec, printing its diagnostics; null when it has errors. */
    static MeterModel load(Path spec, PrintWriter err) {
        SpecLoader.Result result = SpecLoader.load(spec);
        for (Diagnostic d : result.diagnostics()) {
            err.println(d.format());
        }
        return result.model();
    }

    /** The spec files named: files as given, directories searched for files that declare a meter. */
    static List<Path> specFiles(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> f.toString().endsWith(".meter")).sorted().forEach(f -> {
                        if (SpecLoader.declaresMeter(f)) {
                            out.add(f);
                        }
                    });
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
