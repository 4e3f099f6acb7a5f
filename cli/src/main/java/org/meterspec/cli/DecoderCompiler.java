package org.meterspec.cli;

import com.squareup.javapoet.JavaFile;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    static final String PACKAGE = "org.meterspec.generated";

    private DecoderCompiler() {
    }

    /** A factory for decoders of one spec. */
    public interface Factory {
        MeterDecoder create(Keys keys, boolean requireAuthentication);
    }

    public static Factory compile(MeterModel model) {
        JavaFile source = new JavaGenerator(PACKAGE).generate(model);
        String className = source.packageName + "." + source.typeSpec.name;
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("decoding a spec needs a JDK (its compiler), and this is a JRE;"
                    + " run meterspec with a JDK 17 or later");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, null);
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
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
        List<String> options = List.of("-classpath", runtimeClassPath(), "-proc:none", "-g:none", "-nowarn");
        StringWriter out = new StringWriter();
        boolean ok = compiler.getTask(out, manager, diagnostics, options, null, List.of(source.toJavaFileObject())).call();
        if (!ok) {
            throw new IllegalStateException("generated decoder does not compile (a meterspec bug): "
                    + diagnostics.getDiagnostics() + out);
        }
        ClassLoader loader = new ClassLoader(MeterDecoder.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        try {
            return factoryOf(loader.loadClass(className));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load compiled decoder " + className, e);
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
