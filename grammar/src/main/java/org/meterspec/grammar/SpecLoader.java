package org.meterspec.grammar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.meterspec.check.Checks;
import org.meterspec.check.DiagCode;
import org.meterspec.check.Diagnostic;
import org.meterspec.check.Diagnostics;
import org.meterspec.model.Bounds;
import org.meterspec.model.Loc;
import org.meterspec.model.MeterModel;
import org.meterspec.model.ValueSpec;

/**
 * Loads a meter spec: parses it and its imports, builds the semantic model and runs the
 * validation passes. Every problem of every file involved is reported at once; the parse tree
 * never leaves this package.
 */
public final class SpecLoader {

    /** The validated model (null if there were errors) and every diagnostic, sorted. */
    public record Result(MeterModel model, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return model != null;
        }

        /** Every diagnostic, formatted, one after another. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            for (Diagnostic d : diagnostics) {
                sb.append(d.format()).append('\n');
            }
            return sb.toString();
        }
    }

    private final Map<String, String[]> sources = new HashMap<>();
    private final Diagnostics diagnostics = new Diagnostics(sources);
    private final MessageDigest digest;

    private SpecLoader() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the spec at {@code file}; its path as given is how diagnostics and banners name it. */
    public static Result load(Path file) {
        return new SpecLoader().run(file);
    }

    /** Whether the file declares a meter (shared definition files do not). */
    public static boolean declaresMeter(Path file) {
        try {
            MeterSpecLexer lexer = new MeterSpecLexer(CharStreams.fromPath(file, StandardCharsets.UTF_8));
            lexer.removeErrorListeners();
            MeterSpecParser parser = new MeterSpecParser(new CommonTokenStream(lexer));
            parser.removeErrorListeners();
            return parser.spec().meterDecl() != null;
        } catch (IOException e) {
            return false;
        }
    }

    private Result run(Path file) {
        String display = file.toString().replace('\\', '/');
        Parsed main = parse(file, display, null);
        if (main == null) {
            return new Result(null, diagnostics.sorted());
        }
        // imports first, in order, depth first; each file once
        Map<Long, ValueSpec> imported = new TreeMap<>();
        List<String> visiting = new ArrayList<>();
        visiting.add(display);
        Set<String> done = new HashSet<>();
        ModelBuilder.SharedBody sharedBody = loadImports(main, file, display, imported, null, visiting, done);
        if (diagnostics.hasErrors()) {
            return new Result(null, diagnostics.sorted());
        }
        ModelBuilder builder = new ModelBuilder(display, file, diagnostics);
        MeterModel draft = builder.build(main.tree, imported, sharedBody, fingerprint());
        if (draft == null) {
            return new Result(null, diagnostics.sorted());
        }
        // the passes run even after the builder's errors, so a file's problems come at once; what
        // they find at an element the builder already reported is a consequence, not news
        int mark = diagnostics.size();
        Bounds bounds = Checks.run(draft, diagnostics);
        diagnostics.dropConsequences(mark);
        if (diagnostics.hasErrors()) {
            return new Result(null, diagnostics.sorted());
        }
        return new Result(draft.withBounds(bounds), diagnostics.sorted());
    }

    private ModelBuilder.SharedBody loadImports(Parsed parsed, Path file, String display, Map<Long, ValueSpec> into,
                                                ModelBuilder.SharedBody shared, List<String> visiting,
                                                Set<String> done) {
        for (MeterSpecParser.ImportDeclContext imp : parsed.tree.importDecl()) {
            Loc loc = loc(display, imp.path);
            String relative = ModelBuilder.unquote(imp.path.getText());
            Path target = file.resolveSibling(relative).normalize();
            String targetDisplay = Path.of(relative).isAbsolute() ? relative : parentOf(display) + relative;
            targetDisplay = Path.of(targetDisplay).normalize().toString().replace('\\', '/');
            if (visiting.contains(targetDisplay)) {
                diagnostics.error(DiagCode.IMPORT_CYCLE, loc, "import cycle: " + String.join(" -> ", visiting)
                        + " -> " + targetDisplay);
                continue;
            }
            if (done.contains(targetDisplay)) {
                continue;
            }
            if (!Files.isRegularFile(target)) {
                diagnostics.error(DiagCode.IMPORT_NOT_FOUND, loc, "cannot find imported file '" + relative + "'",
                        "the path is relative to " + (parentOf(display).isEmpty() ? "the current directory"
                                : "'" + parentOf(display) + "'"));
                continue;
            }
            diagnostics.imported(targetDisplay, loc);
            Parsed child = parse(target, targetDisplay, loc);
            done.add(targetDisplay);
            if (child == null) {
                continue;
            }
            visiting.add(targetDisplay);
            shared = loadImports(child, target, targetDisplay, into, shared, visiting, done);
            visiting.remove(visiting.size() - 1);
            shared = new ModelBuilder(targetDisplay, target, diagnostics).collectImported(child.tree, into, shared);
        }
        return shared;
    }

    private static String parentOf(String display) {
        int slash = display.lastIndexOf('/');
        return slash < 0 ? "" : display.substring(0, slash + 1);
    }

    private record Parsed(MeterSpecParser.SpecContext tree) {
    }

    private Parsed parse(Path file, String display, Loc importedFrom) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            digest.update(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Loc at = importedFrom != null ? importedFrom : new Loc(display, 1, 1);
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName();
            diagnostics.error(importedFrom != null ? DiagCode.IMPORT_NOT_FOUND : DiagCode.SPEC_NOT_FOUND, at,
                    "cannot read '" + display + "': " + why);
            return null;
        }
        sources.put(display, text.split("\r\n|\r|\n", -1));
        MeterSpecLexer lexer = new MeterSpecLexer(CharStreams.fromString(text, display));
        MeterSpecParser parser = new MeterSpecParser(new CommonTokenStream(lexer));
        int before = diagnostics.size();
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column,
                                    String message, RecognitionException e) {
                diagnostics.error(DiagCode.SYNTAX, new Loc(display, line, column + 1), friendly(message, offending));
            }
        };
        lexer.removeErrorListeners();
        parser.removeErrorListeners();
        lexer.addErrorListener(listener);
        parser.addErrorListener(listener);
        MeterSpecParser.SpecContext tree = parser.spec();
        return diagnostics.size() > before ? null : new Parsed(tree);
    }

    /** Token names as a spec author calls them. */
    private static final java.util.Map<String, String> TOKEN_WORDS = java.util.Map.of(
            "INT", "a number", "ID", "a name", "STRING", "a string", "OBIS", "an OBIS code", "HEX", "a hex number",
            "'<EOF>'", "end of file", "<EOF>", "end of file");

    /** ANTLR's message in the spec author's words: no token names, long token sets shortened. */
    private static String friendly(String message, Object offending) {
        if (offending instanceof Token t && t.getType() == MeterSpecLexer.UNEXPECTED) {
            return t.getText().equals("\"") ? "unterminated string: a string ends with \" on the same line"
                    : "unexpected character '" + t.getText() + "'";
        }
        if (offending instanceof Token t && t.getType() == Token.EOF
                && (message.startsWith("extraneous input") || message.startsWith("mismatched input"))) {
            int expecting = message.indexOf(" expecting ");
            return "the file ends early" + (expecting >= 0 ? "," + words(message.substring(expecting)) : "");
        }
        String m = words(message);
        if (offending instanceof Token t && isKeyword(t) && m.contains("expecting a name")) {
            return "'" + t.getText() + "' is a keyword of the spec language and cannot be a name";
        }
        return m;
    }

    private static final String ITEM = "(?:'(?:[^'\\\\]|\\\\.)*'|<EOF>|[A-Z_]+)";
    private static final java.util.regex.Pattern TOKEN_SET =
            java.util.regex.Pattern.compile("\\{(" + ITEM + "(?:, " + ITEM + ")*)}");
    private static final java.util.regex.Pattern SET_ITEM = java.util.regex.Pattern.compile("'(?:[^']|\\\\')*'|<EOF>|[A-Z_]+");

    /** ANTLR's token names and token sets in words. */
    private static String words(String message) {
        String m = message;
        java.util.regex.Matcher set = TOKEN_SET.matcher(m);
        if (set.find()) {
            List<String> options = new ArrayList<>();
            java.util.regex.Matcher item = SET_ITEM.matcher(set.group(1));
            while (item.find()) {
                options.add(TOKEN_WORDS.getOrDefault(item.group(), item.group()));
            }
            String text = options.size() == 2 ? options.get(0) + " or " + options.get(1)
                    : options.size() > 8 ? "one of " + String.join(", ", options.subList(0, 8)) + ", ..."
                    : "one of " + String.join(", ", options);
            m = m.substring(0, set.start()) + text + m.substring(set.end());
        }
        for (var w : TOKEN_WORDS.entrySet()) {
            m = m.replaceAll("(?<=(missing|expecting) )" + java.util.regex.Pattern.quote(w.getKey()) + "(?![A-Za-z_])",
                    java.util.regex.Matcher.quoteReplacement(w.getValue()));
        }
        return m.replace("<EOF>", "end of file");
    }

    private static boolean isKeyword(Token t) {
        String literal = MeterSpecLexer.VOCABULARY.getLiteralName(t.getType());
        return literal != null && literal.length() > 2 && Character.isLetter(literal.charAt(1));
    }

    static Loc loc(String file, Token t) {
        return new Loc(file, t.getLine(), t.getCharPositionInLine() + 1);
    }

    private String fingerprint() {
        byte[] hash = digest.digest();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02x", hash[i]));
        }
        return sb.toString();
    }
}
