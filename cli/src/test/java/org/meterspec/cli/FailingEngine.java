package org.meterspec.cli;

import java.util.List;
import org.meterspec.engine.DecoderCompiler;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.JavaEngine;
import org.meterspec.engine.SpecDecoder;
import org.meterspec.model.MeterModel;

/**
 * A Java engine whose generated source lost a semicolon, for every spec but Kamstrup's: what the
 * CLI says when a decoder does not compile.
 */
public final class FailingEngine implements Engine {
    static final String NAME = "failing-for-tests";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SpecDecoder load(MeterModel model) throws EngineException {
        if (model.name().startsWith("kamstrup")) {
            return new JavaEngine().load(model);
        }
        DecoderCompiler.Source s = DecoderCompiler.source(model);
        DecoderCompiler.compile(List.of(new DecoderCompiler.Source(model, s.className(),
                s.text().replaceFirst("package ([a-z.]+);", "package $1"))));
        throw new AssertionError("a source without its semicolon compiled");
    }
}
