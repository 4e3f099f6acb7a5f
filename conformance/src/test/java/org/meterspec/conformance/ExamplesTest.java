package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.engine.ExampleRunner;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;

/** Every example of every spec in examples/, decoded by the decoder the build generated for it. */
class ExamplesTest {

    @TestFactory
    Stream<DynamicTest> everyExampleDecodesAsItStates() {
        List<DynamicTest> tests = new ArrayList<>();
        for (MeterModel model : Specs.all()) {
            var decoder = Specs.decoder(model);
            for (ExampleSpec example : model.examples()) {
                tests.add(DynamicTest.dynamicTest(model.name() + ": " + example.name(), () -> {
                    ExampleRunner.Outcome outcome = ExampleRunner.run(example, decoder);
                    assertTrue(outcome.passed(), () -> example.loc() + "\n  " + String.join("\n  ", outcome.problems()));
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no examples found under " + Specs.EXAMPLES.toAbsolutePath());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> generatedDecodersAreFromTheCurrentSpecs() {
        return Specs.all().stream().map(model -> DynamicTest.dynamicTest(model.name(), () -> {
            Object fingerprint = Specs.generatedClass(model).getField("FINGERPRINT").get(null);
            assertEquals(model.fingerprint(), fingerprint, "generated decoder is stale for " + model.file());
        }));
    }
}
