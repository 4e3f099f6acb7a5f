package org.meterspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.infer.InferException;
import org.meterspec.engine.infer.Inference;
import org.meterspec.runtime.Captures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "infer", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Write a draft spec that decodes the captures given.",
        description = {
            "Reads each capture as inspect does (transport detected, decrypted with the keys given) and writes a "
                    + "spec: the transport, the security mode and control bytes seen, the notification date-time and "
                    + "block transfer, and a body layout from the patterns real meters use (OBIS / value / scaler-unit "
                    + "triplets, OBIS / value pairs, OBIS structures, self-describing push, positional values), "
                    + "with the standard OBIS names imported and one example per capture holding what the draft "
                    + "decoded. Positional values get placeholder codes and names marked TODO.",
            "",
            "Keys are never written into the spec: an example of a ciphered capture expects what decoding without "
                    + "the key gives, and holds the values decoded with it as a commented block.",
            "",
            "Exit codes: 0 the draft checks, passes its examples and decodes every telegram read whole; 1 it was "
                    + "written but does not (its comments say where); 2 bad usage, or no draft could be inferred.",
            ""})
final class InferCommand implements Callable<Integer> {
    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--name", paramLabel = "METER", description = "The meter's name (default: from the output file).")
    String name;

    @Option(names = "--obis-names", paramLabel = "FILE", description = "The standard OBIS names file to import "
            + "(default: common/obis.meter found above the output or a capture).")
    Path obisNames;

    @Option(names = {"-o", "--output"}, paramLabel = "SPEC", required = true, description = "The spec file to write.")
    Path output;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "Capture files (hex text or binary) of one meter.")
    List<String> captures;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        DecoderKeys keys;
        try {
            keys = keyOptions.keys();
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (Files.isDirectory(output)) {
            err.println("meterspec: " + output + " is a directory; -o names the spec file to write");
            return Main.BAD_INPUT;
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            err.println("meterspec: " + output + " is not a regular file");
            return Main.BAD_INPUT;
        }
        List<Inference.Capture> read = new ArrayList<>();
        for (String c : captures) {
            Path file = Main.path(c, "capture");
            if (!Files.isRegularFile(file)) {
                err.println("meterspec: " + c + (Files.isDirectory(file) ? " is a directory" : Files.exists(file)
                        ? " is not a regular file" : ": no such file") + "; infer reads capture files");
                return Main.BAD_INPUT;
            }
            try {
                read.add(new Inference.Capture(file, Captures.readFile(file, Captures.MAX_TEXT_BYTES)));
            } catch (IOException e) {
                err.println("meterspec: cannot read " + c + ": " + Main.describe(e));
                return Main.BAD_INPUT;
            } catch (IllegalArgumentException e) {
                err.println("meterspec: " + c + " is neither binary nor hex text: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        Inference.Result result;
        try {
            result = Inference.infer(read, new Inference.Options(name, output, obisNames, keys));
        } catch (InferException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("meterspec: cannot write " + output + ": " + Main.describe(e));
            return Main.BAD_INPUT;
        }
        for (String note : result.notes()) {
            out.println("  " + note);
        }
        out.println("wrote " + output + ": " + (result.ok() ? "it checks, passes its examples and decodes every"
                + " telegram; check its TODOs" : !result.checks() ? "it does not check yet (see its first comment)"
                : !result.examplesPass() ? "its examples do not pass" : "some telegrams do not decode (see its comments)"));
        return result.ok() ? Main.OK : Main.DECODE_ERRORS;
    }
}
