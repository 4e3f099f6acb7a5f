package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Runs the command in-process, as the tests of the command line do. */
final class Cli {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path T210D = EXAMPLES.resolve("sagemcom_t210d");
    static final String SPEC = T210D.resolve("netz_noe_p1.meter").toString();
    static final String CAPTURE = T210D.resolve("mbus_netz_noe_p1.hex").toString();
    static final String KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    private Cli() {
    }

    /** Compiled decoders go to a folder of the build, not the user's cache. */
    static void useCacheIn(Path dir) {
        System.setProperty("meterspec.cache", dir.toString());
    }

    record Run(int code, String out, String err) {
        /**
         * Neither stream holds the key, in any spelling: the digits that are left after dropping
         * everything else hold no 8 digits of it in a row.
         */
        Run assertKeyNeverPrinted() {
            for (String stream : List.of(out, err)) {
                String digits = stream.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X", " ").replaceAll("[^0-9A-F]", "");
                for (int i = 0; i + 8 <= KEY.length(); i += 2) {
                    assertFalse(digits.contains(KEY.substring(i, i + 8)), "the key was printed:\n" + stream);
                }
            }
            return this;
        }

        Run assertNoStackTrace() {
            assertFalse(err.contains("Exception"), err);
            assertFalse(err.contains("\tat "), err);
            return this;
        }
    }

    static Run run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    static Run run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, stdin, out, err);
        return new Run(code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }

    /** Runs with standard output going to {@code out}. */
    static Run run(Writer out, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), out, err);
        return new Run(code, "", err.toString().replace("\r\n", "\n"));
    }

    /** A FIFO at {@code path}, or false where mkfifo is not there. */
    static boolean mkfifo(Path path) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0 && Files.exists(path);
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies example folders (and the shared definitions they import) under {@code to}. */
    static void copyExamples(Path to, String... folders) throws IOException {
        for (String folder : List.of(folders)) {
            Path from = EXAMPLES.resolve(folder);
            try (var walk = Files.walk(from)) {
                for (Path p : walk.toList()) {
                    Path target = to.resolve(folder).resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
    }
}
