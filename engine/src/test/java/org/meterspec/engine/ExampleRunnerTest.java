package org.meterspec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.grammar.SpecLoader;
import org.meterspec.model.MeterModel;

/**
 * The runner holds any engine's lines against a spec's examples: the Java engine passes, and an
 * engine whose lines drift (a value, the field order, what byte-by-byte feeding gives) fails
 * with the difference named.
 */
class ExampleRunnerTest {
    static final Path SPEC = Path.of("..", "examples", "sagemcom_t210d", "netz_noe_p1.meter");

    @TempDir
    static Path cache;

    static MeterModel model;
    static SpecDecoder java;

    @BeforeAll
    static void load() throws EngineException {
        SpecLoader.Result r = SpecLoader.load(SPEC);
        assertTrue(r.ok(), r.report());
        model = r.model();
        java = new JavaEngine(new DecoderCache(cache, DecoderCache.DEFAULT_MAX_BYTES)).load(model);
    }

    /** The Java decoder, its lines changed on their way out, when fed in chunks of {@code chunked} bytes or fewer. */
    static SpecDecoder altered(UnaryOperator<String> change, boolean onlyByteByByte) {
        return new SpecDecoder() {
            @Override
            public String meter() {
                return java.meter();
            }

            @Override
            public String zclTable() throws EngineException {
                return java.zclTable();
            }

            @Override
            public LineStream open(DecoderKeys keys, DecodeOptions options, Consumer<String> lines) throws EngineException {
                boolean alter = !onlyByteByByte || options.chunkSize() == 1;
                return java.open(keys, options, alter ? line -> lines.accept(change.apply(line)) : lines);
            }
        };
    }

    @Test
    void theJavaEnginePassesEveryExample() {
        List<ExampleRunner.Outcome> outcomes = ExampleRunner.run(model, java);

        assertFalse(outcomes.isEmpty());
        for (ExampleRunner.Outcome o : outcomes) {
            assertTrue(o.passed(), o.example().name() + ": " + o.problems());
            assertEquals(o.lines().size(), o.telegrams().size());
        }
    }

    @Test
    void aValueOtherThanTheExampleStatesFails() {
        ExampleRunner.Outcome o = ExampleRunner.run(model.examples().get(0),
                altered(l -> l.replace("\"value\":\"12937\"", "\"value\":\"12938\""), false));

        assertEquals(List.of("telegram 1: value 2 is 1.0.1.8.0.255 \"12938\" Wh, expected 1.0.1.8.0.255 \"12937\" Wh"),
                o.problems());
    }

    @Test
    void aLineWhoseFieldsAreOutOfOrderFails() {
        ExampleRunner.Outcome o = ExampleRunner.run(model.examples().get(0),
                altered(l -> l.replace("{\"telegram\":1,\"status\":\"ok\"", "{\"status\":\"ok\",\"telegram\":1"), false));

        assertEquals(1, o.problems().size(), o.problems().toString());
        assertTrue(o.problems().get(0).startsWith("line 1 is not a canonical JSON line (not written canonically;"),
                o.problems().get(0));
    }

    @Test
    void linesThatDifferWhenFedByteByByteFail() {
        ExampleRunner.Outcome o = ExampleRunner.run(model.examples().get(0),
                altered(l -> l.replace("\"frame_counter\":35", "\"frame_counter\":36"), true));

        assertEquals(1, o.problems().size(), o.problems().toString());
        assertTrue(o.problems().get(0).startsWith("fed byte by byte, the capture decodes differently: ["),
                o.problems().get(0));
    }

    @Test
    void aFrameCounterOtherThanTheExampleStatesFails() {
        ExampleRunner.Outcome o = ExampleRunner.run(model.examples().get(0),
                altered(l -> l.replace("\"frame_counter\":35", "\"frame_counter\":36"), false));

        assertEquals(List.of("telegram 1: frame counter is 36, expected 35"), o.problems());
    }

    @Test
    void anErrorInsteadOfAReadingFails() {
        ExampleRunner.Outcome o = ExampleRunner.run(model.examples().get(0), altered(
                l -> "{\"telegram\":1,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}",
                false));

        assertEquals(List.of("telegram 1: expected a reading, got transport error MBUS_CHECKSUM at offset 255"),
                o.problems());
    }
}
