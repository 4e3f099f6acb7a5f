package org.meterspec.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.meterspec.check.Diagnostic;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meterspec} command. Exit codes: 0 ok, 1 decode errors or failed examples, 2 bad usage or bad spec. */
@Command(name = "meterspec", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"Declarative specs for DLMS/COSEM smart-meter telegrams, compiled to decoders.", "",
                "Exit codes: 0 ok, 1 decode errors or failed examples, 2 bad usage or a bad spec.",
                "Run 'meterspec COMMAND --help' for a command's options."},
        subcommands = {CheckCommand.class, GenerateCommand.class, DecodeCommand.class, InspectCommand.class,
                InferCommand.class, ZclCommand.class, TestCommand.class, ReadCommand.class, PortsCommand.class,
                ReplayCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int DECODE_ERRORS = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Standard output without redaction, for decoded data (the canonical lines must stay byte for byte). */
    private PrintWriter data;
    private GuardedWriter guardedOut;
    private InputStream stdin;

    public static void main(String[] args) {
        int code;
        Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8));
        Writer err = new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8);
        try {
            code = run(args, System.in, out, err);
        } catch (Throwable e) {
            // nothing may escape as a JVM stack trace (it could quote an argument, or a key)
            try {
                err.write("meterspec: internal error: " + Redaction.redact(oneLine(e)) + "\n");
                err.flush();
            } catch (IOException | RuntimeException ignored) {
                // standard error is gone too: the exit code is all that is left
            }
            code = BAD_INPUT;
        }
        System.exit(code);
    }

    /** Runs the command line with standard input and the given output streams; returns the exit code. */
    public static int run(String[] args, Writer out, Writer err) {
        return run(args, System.in, out, err);
    }

    /**
     * Runs the command line; returns the exit code. Everything written to {@code err}, and to
     * {@code out} except decoded lines, is redacted line by line ({@link Redaction}). A failure
     * to write {@code out} ends the run with exit code 2 and one line on {@code err}.
     */
    public static int run(String[] args, InputStream in, Writer out, Writer err) {
        GuardedWriter guardedOut = new GuardedWriter(out);
        RedactingWriter messagesOut = new RedactingWriter(guardedOut);
        RedactingWriter messagesErr = new RedactingWriter(err);
        PrintWriter outWriter = new PrintWriter(messagesOut, true);
        PrintWriter errWriter = new PrintWriter(messagesErr, true);
        Main main = new Main();
        main.data = new PrintWriter(guardedOut, false);
        main.guardedOut = guardedOut;
        main.stdin = in;
        CommandLine cli = new CommandLine(main);
        // an argument '@FILE' (--key @FILE) is the program's to read, bounded and never split into options
        cli.setExpandAtFiles(false);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("meterspec: " + oneLine(e));
            return BAD_INPUT;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            // picocli quotes the arguments it could not use; the writer redacts what may be a key
            CommandLine command = e.getCommandLine();
            command.getErr().println("meterspec: " + oneLine(e));
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            return BAD_INPUT;
        });
        int code = cli.execute(args);
        main.data.flush();
        outWriter.flush();
        try {
            messagesOut.drain();
        } catch (IOException e) {
            // recorded by the guard, reported below
        }
        if (guardedOut.failure() != null) {
            errWriter.println("meterspec: cannot write the output: " + guardedOut.failure());
            code = BAD_INPUT;
        }
        try {
            messagesErr.drain();
        } catch (IOException e) {
            // standard error is gone: the exit code is all that is left
        }
        return code;
    }

    /** An exception's message on one line; an unexpected kind says what it is. */
    static String oneLine(Throwable e) {
        if (e instanceof FileSystemException f) {
            return (f.getFile() != null ? f.getFile() + ": " : "") + describe(f);
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName() + " (a meterspec bug; please report it)";
        }
        String first = m.lines().findFirst().orElse("").strip();
        boolean expected = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof IOException || e instanceof CommandLine.ParameterException
                || e instanceof org.meterspec.engine.EngineException;
        return expected ? first : e.getClass().getSimpleName() + ": " + first;
    }

    PrintWriter data() {
        return data;
    }

    /** Whether standard output failed; Main says why once the command returns. */
    boolean outputFailed() {
        return guardedOut.failure() != null;
    }

    InputStream stdin() {
        return stdin;
    }

    /** Without a command: the usage on standard error, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meterspec " + Version.VERSION};
        }
    }

    /** Why a file could not be read, in words, without repeating its path. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** A path from an argument; {@link IllegalArgumentException} when it cannot name a file. */
    static Path path(String argument, String what) {
        try {
            return Path.of(argument);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " '" + argument + "' is not a valid path: " + e.getReason());
        }
    }

    /**
     * Loads a spec, printing its diagnostics; null when it has errors. What is not a regular file
     * (a device, a FIFO) is refused before the loader would read it.
     */
    static MeterModel load(Path spec, PrintWriter err) {
        if (Files.exists(spec) && !Files.isRegularFile(spec)) {
            err.println("meterspec: " + spec + (Files.isDirectory(spec) ? " is a directory; this needs one spec file"
                    : " is not a regular file (a device, FIFO or socket); a spec must be a file"));
            return null;
        }
        SpecLoader.Result result = SpecLoader.load(spec);
        for (Diagnostic d : result.diagnostics()) {
            err.println(d.format());
        }
        return result.model();
    }

    /**
     * The spec files named: files as given, directories searched for regular files that declare a
     * meter. Devices and FIFOs are refused, named or found.
     */
    static List<Path> specFiles(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> f.toString().endsWith(".meter") && Files.isRegularFile(f)).sorted().forEach(f -> {
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
