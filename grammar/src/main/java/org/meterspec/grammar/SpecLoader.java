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
import org.meterspec.model.Limits;
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
    /** Sections some file's model builder could not read. */
    private final java.util.EnumSet<org.meterspec.check.Section> faulted =
            java.util.EnumSet.noneOf(org.meterspec.check.Section.class);

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

    /** The ZigBee sections of the imports and the meter, merged in the order they are read. */
    private final org.meterspec.model.ZigbeeSpec.Merger zigbee = new org.meterspec.model.ZigbeeSpec.Merger();

    private Result run(Path file) {
        String display = file.toString().replace('\\', '/');
        Parsed main = parse(file, display, null);
        if (main == null) {
            return new Result(null, diagnostics.sorted());
        }
        // imports first, in order, depth first; each file once
        Map<Long, ValueSpec> imported = new TreeMap<>();
        List<ValueSpec> declared = new ArrayList<>();
        List<String> visiting = new ArrayList<>();
        visiting.add(display);
        Set<String> done = new HashSet<>();
        int beforeImports = diagnostics.size();
        ModelBuilder.SharedBody sharedBody = loadImports(main, file, display, imported, declared, null, visiting, done);
        if (diagnostics.size() > beforeImports) {
            // an import could not be read: what it would define is missing, so the checks of values
            // and body do not run, but the rest of the meter is checked
            faulted.add(org.meterspec.check.Section.VALUES);
            faulted.add(org.meterspec.check.Section.BODY);
            faulted.add(org.meterspec.check.Section.ZIGBEE);
        }
        ModelBuilder builder = new ModelBuilder(display, file, diagnostics, zigbee)
                .importing(importsOf.getOrDefault(display, Set.of()));
        MeterModel draft = builder.build(main.tree, imported, declared, sharedBody, fingerprint());
        if (draft == null) {
            return new Result(null, diagnostics.sorted());
        }
        faulted.addAll(builder.faulted());
        // the passes run after the builder's errors too, so a file's problems come at once; a
        // check that reads a section the builder could not read does not run
        Bounds bounds = Checks.run(draft, faulted, diagnostics);
        if (diagnostics.hasErrors()) {
            return new Result(null, diagnostics.sorted());
        }
        return new Result(draft.withBounds(bounds), diagnostics.sorted());
    }

    /** For each file read, the files it imports, directly or through others. */
    private final Map<String, Set<String>> importsOf = new HashMap<>();

    private ModelBuilder.SharedBody loadImports(Parsed parsed, Path file, String display, Map<Long, ValueSpec> into,
                                                List<ValueSpec> declared, ModelBuilder.SharedBody shared,
                                                List<String> visiting,
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
            Set<String> mine = importsOf.computeIfAbsent(display, k -> new HashSet<>());
            mine.add(targetDisplay);
            if (done.contains(targetDisplay)) {
                mine.addAll(importsOf.getOrDefault(targetDisplay, Set.of()));
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
            shared = loadImports(child, target, targetDisplay, into, declared, shared, visiting, done);
            visiting.remove(visiting.size() - 1);
            importsOf.get(display).addAll(importsOf.getOrDefault(targetDisplay, Set.of()));
            ModelBuilder builder = new ModelBuilder(targetDisplay, target, diagnostics, zigbee)
                    .importing(importsOf.getOrDefault(targetDisplay, Set.of()));
            shared = builder.collectImported(child.tree, into, declared, shared);
            faulted.addAll(builder.faulted());
        }
        return shared;
    }

    private static String parentOf(String display) {
        int slash = display.lastIndexOf('/');
        return slash < 0 ? "" : display.substring(0, slash + 1);
    }

    private record Parsed(MeterSpecParser.SpecContext tree) {
    }

    /** Largest spec file read: far beyond any meter's, small enough to hold. */
    static final long MAX_SPEC_BYTES = 1L << 20;

    private Parsed parse(Path file, String display, Loc importedFrom) {
        String text;
        Loc at = importedFrom != null ? importedFrom : new Loc(display, 1, 1);
        DiagCode notFound = importedFrom != null ? DiagCode.IMPORT_NOT_FOUND : DiagCode.SPEC_NOT_FOUND;
        try {
            // a device or FIFO would never end or would block: only regular files of bounded size
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                diagnostics.error(notFound, at, "cannot read '" + display + "': "
                        + (Files.isDirectory(file) ? "it is a directory" : "it is not a regular file"));
                return null;
            }
            if (Files.exists(file) && Files.size(file) > MAX_SPEC_BYTES) {
                diagnostics.error(DiagCode.TOO_LONG, at, "'" + display + "' has " + Files.size(file)
                        + " bytes; a spec file has at most " + MAX_SPEC_BYTES);
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            digest.update(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : Files.isDirectory(file) ? "it is a directory" : e.getClass().getSimpleName();
            diagnostics.error(notFound, at, "cannot read '" + display + "': " + why);
            return null;
        }
        sources.put(display, text.split("\r\n|\r|\n", -1));
        MeterSpecLexer lexer = new MeterSpecLexer(CharStreams.fromString(text, display));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        MeterSpecParser parser = new MeterSpecParser(tokens);
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
        tokens.fill();
        Token tooDeep = tooDeep(tokens.getTokens());
        if (tooDeep != null) {
            // the parser and the model builder recurse: a layout nested without bound is refused before
            diagnostics.error(DiagCode.NESTING, loc(display, tooDeep), "the layout nests more than "
                    + Limits.MAX_NESTING + " levels deep here", "real meters nest a few levels: flatten the layout");
            return null;
        }
        MeterSpecParser.SpecContext tree = parser.spec();
        return diagnostics.size() > before ? null : new Parsed(tree);
    }

    /**
     * The first token nested deeper than the layout limit allows (with room for the braces of a
     * section), or null: braces nest, and so does each {@code array ... of} until the element it
     * wraps ends, which is at its closing brace or at a leaf.
     */
    static Token tooDeep(List<Token> tokens) {
        int limit = Limits.MAX_NESTING + 2;
        java.util.ArrayDeque<Integer> frames = new java.util.ArrayDeque<>(); // levels each open brace closes
        int depth = 0;
        int pending = 0; // 'array ... of' wrappers waiting for the element they wrap
        Token previous = null;
        for (Token t : tokens) {
            String text = t.getText();
            if (t.getType() == Token.EOF || text == null) {
                continue;
            }
            switch (text) {
                case "of" -> {
                    if (previous == null || !previous.getText().equals("one")) {
                        pending++;
                        if (depth + pending > limit) {
                            return t;
                        }
                    }
                }
                case "{" -> {
                    frames.push(pending + 1);
                    depth += pending + 1;
                    pending = 0;
                    if (depth > limit) {
                        return t;
                    }
                }
                case "}" -> depth -= frames.isEmpty() ? 0 : frames.pop();
                case "obis", "descriptor", "scaler_unit", "value", "skip" -> pending = 0;
                default -> {
                }
            }
            previous = t;
        }
        return null;
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
