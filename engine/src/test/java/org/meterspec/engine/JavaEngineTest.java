package org.meterspec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;

/** The Java engine compiles a spec once: later loads come from the cache, and a stale or damaged entry is compiled again. */
class JavaEngineTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path SPEC = EXAMPLES.resolve("sagemcom_t210d").resolve("netz_noe_p1.meter");

    @TempDir
    Path tmp;

    static MeterModel load(Path spec) {
        SpecLoader.Result r = SpecLoader.load(spec);
        assertTrue(r.ok(), r.report());
        return r.model();
    }

    static List<String> lines(SpecDecoder decoder, MeterModel model) throws Exception {
        ExampleSpec example = model.examples().get(0);
        return decoder.decodeAll(ExampleRunner.capture(example), DecoderKeys.ofHex(example.key(), example.authKey(), null),
                DecodeOptions.DEFAULT);
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".cache")).toList();
        }
    }

    @Test
    void aSecondLoadOfTheSameSpecDoesNotCompile() throws Exception {
        MeterModel model = load(SPEC);
        DecoderCache cache = new DecoderCache(tmp.resolve("java"), DecoderCache.DEFAULT_MAX_BYTES);
        int before = JavaEngine.COMPILER_RUNS.get();

        List<String> first = lines(new JavaEngine(cache).load(model), model);
        assertEquals(before + 1, JavaEngine.COMPILER_RUNS.get());
        // another engine, as another run would make, with the same directory
        List<String> second = lines(new JavaEngine(new DecoderCache(tmp.resolve("java"), DecoderCache.DEFAULT_MAX_BYTES))
                .load(load(SPEC)), model);

        assertEquals(before + 1, JavaEngine.COMPILER_RUNS.get(), "the second load compiled");
        assertEquals(first, second);
        assertEquals(1, entries(tmp.resolve("java")).size());
    }

    @Test
    void aChangedSpecIsCompiledAgain() throws Exception {
        Path copy = tmp.resolve("spec");
        copyTree(SPEC.getParent().getParent(), copy);
        Path spec = copy.resolve("sagemcom_t210d").resolve("netz_noe_p1.meter");
        DecoderCache cache = new DecoderCache(tmp.resolve("java"), DecoderCache.DEFAULT_MAX_BYTES);
        MeterModel model = load(spec);
        new JavaEngine(cache).load(model);
        int before = JavaEngine.COMPILER_RUNS.get();

        Files.writeString(spec, Files.readString(spec) + "\n// a comment changes the fingerprint\n");
        MeterModel changed = load(spec);
        assertNotEquals(model.fingerprint(), changed.fingerprint());
        new JavaEngine(cache).load(changed);

        assertEquals(before + 1, JavaEngine.COMPILER_RUNS.get(), "a changed spec was served from the cache");
        assertEquals(2, entries(tmp.resolve("java")).size());
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndDecodesAlike() throws Exception {
        MeterModel model = load(SPEC);
        Path dir = tmp.resolve("java");
        List<String> fresh = lines(new JavaEngine(new DecoderCache(dir, DecoderCache.DEFAULT_MAX_BYTES)).load(model), model);
        Path entry = entries(dir).get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 1;
        Files.write(entry, bytes);
        int before = JavaEngine.COMPILER_RUNS.get();

        List<String> again = lines(new JavaEngine(new DecoderCache(dir, DecoderCache.DEFAULT_MAX_BYTES)).load(model), model);

        assertEquals(before + 1, JavaEngine.COMPILER_RUNS.get(), "a damaged entry was loaded");
        assertEquals(fresh, again);
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyCostsACompile() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("file"), "in the way");
        MeterModel model = load(SPEC);
        JavaEngine engine = new JavaEngine(new DecoderCache(notADirectory.resolve("java"), DecoderCache.DEFAULT_MAX_BYTES));

        assertEquals(lines(new JavaEngine(null).load(model), model), lines(engine.load(model), model));
    }

    @Test
    void severalSpecsCompileInOneRunAndEachIsCached() throws Exception {
        List<MeterModel> models;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            models = walk.filter(p -> p.toString().endsWith(".meter")).filter(SpecLoader::declaresMeter).sorted()
                    .limit(4).map(JavaEngineTest::load).toList();
        }
        DecoderCache cache = new DecoderCache(tmp.resolve("java"), DecoderCache.DEFAULT_MAX_BYTES);
        int before = JavaEngine.COMPILER_RUNS.get();

        List<SpecDecoder> decoders = new JavaEngine(cache).loadAll(models);

        assertEquals(before + 1, JavaEngine.COMPILER_RUNS.get());
        for (int i = 0; i < models.size(); i++) {
            assertEquals(models.get(i).name(), decoders.get(i).meter());
            assertNotNull(cache.get(models.get(i).name(), JavaEngine.key(DecoderCompiler.source(models.get(i)))));
        }
    }

    @Test
    void theEngineIsFoundByName() {
        assertEquals(JavaEngine.NAME, Engines.named("java").name());
        assertTrue(Engines.names().contains("java"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
