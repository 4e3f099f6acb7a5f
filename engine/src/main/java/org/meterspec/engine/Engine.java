package org.meterspec.engine;

import java.util.ArrayList;
import java.util.List;
import org.meterspec.model.MeterModel;

/**
 * A way to run the decoder generated from a spec. Whatever runs it (generated Java on the JVM,
 * generated C in a host harness), an engine reports each telegram as its canonical JSON line,
 * so the lines of two engines can be compared byte for byte. Engines are found by {@link
 * Engines#named}; each one is listed in {@code META-INF/services/org.meterspec.engine.Engine}.
 */
public interface Engine {
    /** The name users select it by ({@code decode --engine NAME}). */
    String name();

    /** Makes the spec's decoder ready to run; this may generate and compile code, and take a while the first time. */
    SpecDecoder load(MeterModel model) throws EngineException;

    /** Several specs' decoders, in order; an engine may prepare them together, which can be faster. */
    default List<SpecDecoder> loadAll(List<MeterModel> models) throws EngineException {
        List<SpecDecoder> out = new ArrayList<>();
        for (MeterModel m : models) {
            out.add(load(m));
        }
        return out;
    }
}
