package org.meterspec.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One spec's decoder, ready to run in an engine. Streams it opens are independent of each other. */
public interface SpecDecoder {
    /** The spec's meter name. */
    String meter();

    /**
     * Opens a stream that decodes the bytes fed to it, as a meter's port delivers them, and hands
     * each telegram's canonical JSON line (without newline) to {@code lines}, in order.
     */
    LineStream open(DecoderKeys keys, DecodeOptions options, Consumer<String> lines) throws EngineException;

    /**
     * The spec's ZigBee endpoint table as one JSON object ({@code meterspec zcl --json}), or null
     * when the spec maps nothing.
     */
    String zclTable() throws EngineException;

    /**
     * What the body layout did for each DATA-NOTIFICATION of {@code capture}, in decoding order,
     * for tools that show which element of the spec read which bytes; null when this engine cannot
     * trace its decoder (the Java one can, and decodes as every engine does).
     */
    default List<BodyRun> trace(byte[] capture, DecoderKeys keys, DecodeOptions options) throws EngineException {
        return null;
    }

    /** The lines of one whole capture. */
    default List<String> decodeAll(byte[] capture, DecoderKeys keys, DecodeOptions options) throws EngineException {
        List<String> lines = new ArrayList<>();
        try (LineStream stream = open(keys, options, lines::add)) {
            stream.feed(capture, 0, capture.length);
            stream.finish();
        }
        return lines;
    }
}
