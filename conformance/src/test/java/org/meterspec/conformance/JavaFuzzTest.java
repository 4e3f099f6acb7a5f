package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.meterspec.engine.DecodeOptions;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.LineStream;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * Jazzer fuzz tests of the Java decoders: in the normal test run they replay their inputs (under
 * {@code src/test/resources/org/meterspec/conformance/JavaFuzzTestInputs/}); with {@code JAZZER_FUZZ=1}
 * they fuzz (conformance/fuzz.sh). One checks the Java invariants of docs/SECURITY.md, the other
 * that the C decoder prints the very same lines for the same bytes.
 */
class JavaFuzzTest {
    private static final List<MeterModel> SPECS = Specs.all();

    @FuzzTest(maxDuration = "10s")
    void anyBytesGiveTypedResultsWhateverTheChunks(FuzzedDataProvider data) {
        MeterModel model = SPECS.get(data.consumeInt(0, SPECS.size() - 1));
        int chunk = data.consumeInt(1, 300);
        byte[] bytes = data.consumeRemainingAsBytes();
        MeterDecoder decoder = Specs.factory(model).create(Keys.none(), false);
        List<TelegramResult> whole = decoder.decodeAll(bytes);
        List<TelegramResult> chunked = new ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> chunked.add(r));
        for (int at = 0; at < bytes.length; at += chunk) {
            stream.feed(bytes, at, Math.min(chunk, bytes.length - at));
        }
        stream.finish();
        assertEquals(lines(whole), lines(chunked), "chunking changed the results");
        for (TelegramResult r : whole) {
            if (r instanceof DecodeError e) {
                assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, () -> "offset outside the input: " + e);
            }
        }
        TelegramResult first = decoder.decode(bytes);
        if (!whole.isEmpty()) {
            assertEquals(whole.get(0).toJson(1), first.toJson(1), "one-shot decode is not the stream's first result");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void javaAndCPrintTheSameLines(FuzzedDataProvider data) throws Exception {
        MeterModel model = SPECS.get(data.consumeInt(0, SPECS.size() - 1));
        int chunk = data.consumeInt(0, 300);
        byte[] bytes = data.consumeRemainingAsBytes();
        DecodeOptions options = DecodeOptions.DEFAULT.withChunkSize(chunk);
        List<String> java = new ArrayList<>();
        try (LineStream s = Specs.decoder(model).open(DecoderKeys.NONE, options, java::add)) {
            s.feed(bytes, 0, bytes.length);
            s.finish();
        }
        List<String> c = new ArrayList<>();
        try (LineStream s = JavaCSyncTest.c(model).open(DecoderKeys.NONE, options, c::add)) {
            s.feed(bytes, 0, bytes.length);
            s.finish();
        }
        assertEquals(java, c, model.name());
    }

    private static List<String> lines(List<TelegramResult> results) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(results.get(i).toJson(i + 1));
        }
        return out;
    }
}
