package org.meterspec.engine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.meterspec.gen.java.JavaGenerator;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;

/**
 * Turns a spec into a working decoder without a build step: generates the decoder's Java source
 * and compiles it in memory with the JDK's compiler. The decoder is exactly what
 * {@code generate --lang java} writes.
 */
public final class DecoderCompiler {
    public static final String PACKAGE = "org.meterspec.generated";

    private DecoderCompiler() {
    }

    /** A factory for decoders of one spec. */
    public interface Factory {
        MeterDecoder create(Keys keys, boolean requireAuthentication);
    }

    /** The generated source of one spec's decoder; {@code className} is qualified. */
    public record Source(MeterModel model, String className, String text) {
    }

    public static Source source(MeterModel model) {
        var file = new JavaGenerator(PACKAGE).generate(model);
        return new Source(model, file.packageName + "." + file.typeSpec.name, file.toString());
    }

    /** Generates and compiles one spec's decoder. */
    public static Factory compile(MeterModel model) throws EngineException {
        Source source = source(model);
        return load(source, compile(List.of(source)));
    }

    /**
     * Compiles sources in one run of the compiler (one run costs about what one source does):
     * the class files by binary name.
     */
    public static Map<String, byte[]> compile(List<Source> sources) throws EngineException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new EngineException("decoding a spec needs a JDK (its compiler), and this is a JRE;"
                    + " run meterspec with a JDK 17 or later", "");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
        JavaFileManager manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(name, out);
                        return out;
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        for (Source s : sources) {
            units.add(new SimpleJavaFileObject(URI.create("mem:///" + s.className().replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.text();
                }
            });
        }
        List<String> options = List.of("-classpath", runtimeClassPath(), "-proc:none", "-g:none", "-nowarn");
        StringWriter out = new StringWriter();
        boolean ok = compiler.getTask(out, manager, diagnostics, options, null, units).call();
        if (!ok) {
            StringBuilder all = new StringBuilder(out.toString());
            String first = null;
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String message = d.getMessage(Locale.ROOT);
                    String file = d.getSource() == null ? "" : d.getSource().getName();
                    String at = file.substring(file.lastIndexOf('/') + 1) + ":" + d.getLineNumber();
                    if (first == null) {
                        first = at + ": " + message.lines().findFirst().orElse("");
                    }
                    all.append(at).append(": ").append(message).append('\n');
                }
            }
            String which = sources.size() == 1 ? "the decoder generated from " + sources.get(0).model().file()
                    : "the decoders generated from " + sources.size() + " specs";
            throw new EngineException(which + " does not compile (a meterspec bug): "
                    + (first == null ? "the compiler failed" : first), all.toString());
        }
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        classes.forEach((name, b) -> bytes.put(name, b.toByteArray()));
        return bytes;
    }

    /** The class files of {@code source}'s decoder among {@code classes}: its class and those nested in it. */
    public static Map<String, byte[]> classesOf(Source source, Map<String, byte[]> classes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        classes.forEach((name, b) -> {
            if (name.equals(source.className()) || name.startsWith(source.className() + "$")) {
                out.put(name, b);
            }
        });
        return out;
    }

    /**
     * Loads a compiled decoder and checks it is the one of {@code source}'s spec (its fingerprint),
     * which also runs its static initialiser: a decoder for another runtime fails here.
     */
    public static Factory load(Source source, Map<String, byte[]> classes) throws EngineException {
        Map<String, byte[]> own = new HashMap<>(classesOf(source, classes));
        ClassLoader loader = new ClassLoader(MeterDecoder.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = own.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        try {
            Class<?> type = Class.forName(source.className(), true, loader);
            Object fingerprint = type.getField("FINGERPRINT").get(null);
            if (!source.model().fingerprint().equals(fingerprint)) {
                throw new EngineException("compiled decoder " + source.className() + " is not the one of "
                        + source.model().file(), "fingerprint " + fingerprint);
            }
            return factoryOf(type);
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
            throw new EngineException("cannot load the compiled decoder of " + source.model().file() + ": "
                    + oneLine(e), e);
        }
    }

    /** A factory for a generated decoder class (one compiled by a build, say). */
    public static Factory factoryOf(Class<?> type) {
        try {
            Constructor<?> constructor = type.getConstructor(Keys.class, boolean.class);
            return (keys, requireAuthentication) -> {
                try {
                    return (MeterDecoder) constructor.newInstance(keys, requireAuthentication);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create decoder " + type.getName(), e);
                }
            };
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " is not a generated meterspec decoder", e);
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e.getCause() != null && e instanceof LinkageError ? e.getCause() : e;
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Where the runtime classes are, for compiling against them. */
    private static String runtimeClassPath() {
        try {
            String runtime = new File(MeterDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getPath();
            String javaClassPath = System.getProperty("java.class.path", "");
            return javaClassPath.isEmpty() ? runtime : runtime + File.pathSeparator + javaClassPath;
        } catch (URISyntaxException | SecurityException e) {
            return System.getProperty("java.class.path", "");
        }
    }
}
