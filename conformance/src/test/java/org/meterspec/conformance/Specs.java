package org.meterspec.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.meterspec.engine.DecoderCompiler;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.gen.java.JavaGenerator;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;

/** The example specs and the feature specs, and the decoders the build generated from them. */
final class Specs {
    static final Path EXAMPLES = Path.of("examples");
    /** Specs of language features no example meter uses, with their own examples. */
    static final Path FEATURES = Path.of("conformance/src/test/resources/features");
    static final String PACKAGE = "org.meterspec.examples";

    private Specs() {
    }

    /** Every spec under examples/ that declares a meter, loaded and validated. */
    static List<MeterModel> all() {
        return under(EXAMPLES);
    }

    /** The example meters' specs, then the feature specs. */
    static List<MeterModel> withFeatures() {
        return Stream.concat(all().stream(), under(FEATURES).stream()).toList();
    }

    private static List<MeterModel> under(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".meter")).sorted().filter(SpecLoader::declaresMeter)
                    .map(Specs::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MeterModel load(Path spec) {
        SpecLoader.Result result = SpecLoader.load(spec);
        if (!result.ok()) {
            throw new AssertionError("spec " + spec + " does not load:\n" + result.report());
        }
        return result.model();
    }

    /** The decoder class the build generated for {@code model}. */
    static Class<?> generatedClass(MeterModel model) {
        try {
            return Class.forName(PACKAGE + "." + JavaGenerator.className(model));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the build generated no decoder for " + model.file(), e);
        }
    }

    static DecoderCompiler.Factory factory(MeterModel model) {
        return DecoderCompiler.factoryOf(generatedClass(model));
    }

    /** The build's decoder for {@code model} as the Java engine runs it. */
    static SpecDecoder decoder(MeterModel model) {
        return JavaEngine.of(factory(model), model.name());
    }
}
