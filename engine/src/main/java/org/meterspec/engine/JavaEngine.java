package org.meterspec.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.BodyStep;
import org.meterspec.runtime.BodyTrace;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.Version;
import org.meterspec.runtime.ZclMap;
import org.meterspec.runtime.ZclState;

/**
 * The generated Java decoder, compiled in memory from the spec ({@link DecoderCompiler}) or
 * taken from the class a build compiled ({@link #of}). Compiled classes are cached between runs
 * ({@link DecoderCache}) under a key of everything they depend on: the spec's fingerprint, the
 * generated source, the meterspec version, the runtime's class files (javac copies their
 * constants into the decoder) and the JDK.
 */
public final class JavaEngine implements Engine {
    public static final String NAME = "java";

    /** Compiler runs in this JVM, so tests can tell a cache hit from a compile. */
    static final AtomicInteger COMPILER_RUNS = new AtomicInteger();

    private static volatile String runtimeDigest;

    private final DecoderCache cache;

    /** The engine with the user's cache directory ({@link DecoderCache#userDirectory}), or none if there is no home. */
    public JavaEngine() {
        Path dir = DecoderCache.userDirectory(NAME);
        this.cache = dir == null ? null : new DecoderCache(dir, DecoderCache.DEFAULT_MAX_BYTES);
    }

    /** The engine with its own cache; null compiles every time. */
    public JavaEngine(DecoderCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SpecDecoder load(MeterModel model) throws EngineException {
        return loadAll(List.of(model)).get(0);
    }

    /** Compiles the decoders not cached in one compiler run. */
    @Override
    public List<SpecDecoder> loadAll(List<MeterModel> models) throws EngineException {
        List<DecoderCompiler.Source> sources = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        DecoderCompiler.Factory[] factories = new DecoderCompiler.Factory[models.size()];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            DecoderCompiler.Source source = DecoderCompiler.source(models.get(i));
            String key = cache == null ? null : key(source);
            sources.add(source);
            keys.add(key);
            Map<String, byte[]> cached = key == null ? null : cache.get(models.get(i).name(), key);
            if (cached != null) {
                try {
                    factories[i] = DecoderCompiler.load(source, cached);
                } catch (EngineException e) {
                    // an entry that does not load (made by another JDK, say) is compiled again
                }
            }
            if (factories[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, byte[]> classes = compile(missing.stream().map(sources::get).toList());
            for (int i : missing) {
                DecoderCompiler.Source source = sources.get(i);
                factories[i] = DecoderCompiler.load(source, classes);
                if (keys.get(i) != null) {
                    cache.put(models.get(i).name(), keys.get(i), DecoderCompiler.classesOf(source, classes));
                }
            }
        }
        List<SpecDecoder> out = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            out.add(of(factories[i], models.get(i).name()));
        }
        return out;
    }

    /** Compiles together; when that fails, one by one, so the error names the spec whose decoder does not compile. */
    private static Map<String, byte[]> compile(List<DecoderCompiler.Source> sources) throws EngineException {
        COMPILER_RUNS.incrementAndGet();
        try {
            return DecoderCompiler.compile(sources);
        } catch (EngineException e) {
            if (sources.size() == 1) {
                throw e;
            }
            Map<String, byte[]> all = new LinkedHashMap<>();
            for (DecoderCompiler.Source s : sources) {
                all.putAll(compile(List.of(s)));
            }
            return all;
        }
    }

    /** A decoder of classes already compiled, by a build for instance. */
    public static SpecDecoder of(DecoderCompiler.Factory factory, String meter) {
        return new SpecDecoder() {
            @Override
            public String meter() {
                return meter;
            }

            @Override
            public String zclTable() throws EngineException {
                try {
                    ZclMap map = factory.create(org.meterspec.runtime.Keys.none(), false).config().zcl();
                    return map == null ? null : map.toJson();
                } catch (RuntimeException e) {
                    throw new EngineException("cannot create the decoder of " + meter + ": " + e.getMessage(), e);
                }
            }

            private MeterDecoder create(DecoderKeys keys, DecodeOptions options) throws EngineException {
                try {
                    return factory.create(keys.toKeys(), options.requireAuthentication());
                } catch (RuntimeException e) {
                    throw new EngineException("cannot create the decoder of " + meter + ": " + e.getMessage(), e);
                }
            }

            @Override
            public List<BodyRun> trace(byte[] capture, DecoderKeys keys, DecodeOptions options) throws EngineException {
                MeterDecoder decoder = create(keys, options);
                Tracer tracer = new Tracer(decoder.steps());
                decoder.trace(tracer);
                StreamDecoder stream = decoder.newStream((n, r) -> { });
                stream.feed(capture, 0, capture.length);
                stream.finish();
                tracer.close(null);
                return tracer.runs;
            }

            @Override
            public LineStream open(DecoderKeys keys, DecodeOptions options, Consumer<String> lines)
                    throws EngineException {
                MeterDecoder decoder = create(keys, options);
                if (options.zclPayload() == 0) {
                    return new JavaStream(decoder.newStream((n, r) -> lines.accept(r.toJson(n))), options.chunkSize());
                }
                if (decoder.config().zcl() == null) {
                    throw new EngineException("the spec of " + meter + " has no zigbee section: add"
                            + " import \"../common/zcl.meter\" or a mapping of its own", (String) null);
                }
                ZclState zcl = new ZclState(decoder.config().zcl(), options.zclPayload());
                return new JavaStream(decoder.newStream((n, r) -> lines.accept(ZclState.appendToLine(r.toJson(n),
                        zcl.update(r)))), options.chunkSize());
            }
        };
    }

    /** Collects a decoder's body steps, body by body; a step the table does not hold is left out. */
    private static final class Tracer implements BodyTrace {
        /** Most steps kept per body: a bound on what one telegram can make the trace hold. */
        private static final int MAX_TAKEN = 1 << 16;
        /** Most bodies kept. */
        private static final int MAX_RUNS = 1 << 12;

        private final List<BodyStep> steps;
        final List<BodyRun> runs = new ArrayList<>();
        private List<BodyRun.Taken> taken;
        private int start = -1;

        Tracer(List<BodyStep> steps) {
            this.steps = steps;
        }

        private BodyStep step(int i) {
            return i >= 0 && i < steps.size() ? steps.get(i) : null;
        }

        @Override
        public void begin(int offset) {
            close(null);
            start = offset;
            taken = new ArrayList<>();
        }

        @Override
        public void step(int offset, int step) {
            BodyStep s = step(step);
            if (taken != null && s != null && taken.size() < MAX_TAKEN) {
                taken.add(new BodyRun.Taken(offset, s));
            }
        }

        @Override
        public void stopped(int step, ErrorCode code, long offset) {
            close(new BodyRun.Stop(step(step), code.name(), offset));
        }

        /** Ends the body begun last, if one is open. */
        void close(BodyRun.Stop stop) {
            if (taken != null && runs.size() < MAX_RUNS) {
                runs.add(new BodyRun(start, taken, stop));
            }
            taken = null;
        }
    }

    private static final class JavaStream implements LineStream {
        private final StreamDecoder stream;
        private final int chunk;

        JavaStream(StreamDecoder stream, int chunk) {
            this.stream = stream;
            this.chunk = chunk;
        }

        @Override
        public void feed(byte[] b, int off, int len) {
            if (chunk == 0) {
                stream.feed(b, off, len);
                return;
            }
            for (int at = off; at < off + len; at += chunk) {
                stream.feed(b, at, Math.min(chunk, off + len - at));
            }
        }

        @Override
        public void finish() {
            stream.finish();
            stream.reset();
        }

        @Override
        public long count() {
            return stream.count();
        }

        @Override
        public void close() {
            // a Java stream holds no resources beyond memory
        }
    }

    /** The cache key of a source, or null when the runtime cannot be identified (then nothing is cached). */
    static String key(DecoderCompiler.Source source) {
        String runtime = runtimeDigest();
        if (runtime == null) {
            return null;
        }
        MessageDigest d = DecoderCache.sha256();
        for (String part : List.of("java engine 1", Version.VERSION, String.valueOf(MeterDecoder.API_VERSION), runtime,
                Runtime.version().toString(), source.model().fingerprint(), source.className(),
                HexFormat.of().formatHex(DecoderCache.sha256().digest(source.text().getBytes(StandardCharsets.UTF_8))))) {
            d.update(part.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * A digest of the runtime's class files, where generated code's constants come from: from a
     * jar, the names, sizes and CRCs its directory lists (no entry is read); from a class folder
     * (a build's tests), the files' bytes. Null when the runtime's location cannot be read.
     */
    static String runtimeDigest() {
        String digest = runtimeDigest;
        if (digest == null) {
            digest = computeRuntimeDigest();
            runtimeDigest = digest;
        }
        return digest.isEmpty() ? null : digest;
    }

    private static String computeRuntimeDigest() {
        String prefix = MeterDecoder.class.getPackageName().replace('.', '/') + "/";
        MessageDigest d = DecoderCache.sha256();
        try {
            Path location = Path.of(MeterDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                Path classes = location.resolve(prefix);
                List<Path> files;
                try (Stream<Path> walk = Files.walk(classes)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    d.update(classes.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(f)) {
                        d.update(in.readAllBytes());
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile(), false)) {
                    List<JarEntry> entries = jar.stream().filter(e -> e.getName().startsWith(prefix))
                            .sorted(Comparator.comparing(JarEntry::getName)).toList();
                    for (JarEntry e : entries) {
                        d.update((e.getName() + "\0" + e.getSize() + "\0" + e.getCrc() + "\0")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return "";
        }
    }
}
