package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.meterspec.gen.plan.DecodePlan;
import org.meterspec.gen.plan.PlanBuilder;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.testkit.Hex;

/** Telegrams made from each example spec's plan decode, in the spec's own Java decoder, to readings. */
class PlanTelegramsTest {
    private static final int PER_SPEC = 500;

    @TestFactory
    Stream<DynamicTest> telegramsMadeFromAPlanDecodeToReadings() {
        return Specs.all().stream().map(model -> DynamicTest.dynamicTest(model.name(), () -> check(model)));
    }

    private static void check(MeterModel model) {
        DecodePlan plan = PlanBuilder.build(model);
        var factory = Specs.factory(model);
        Random random = new Random(model.name().hashCode());
        PlanTelegrams telegrams = new PlanTelegrams(plan, random);
        long values = 0;
        for (int i = 0; i < PER_SPEC; i++) {
            PlanTelegrams.Telegram t = telegrams.next();
            MeterDecoder decoder = factory.create(Keys.of(t.key(), t.authKey()), false);
            TelegramResult r = decoder.decode(t.bytes());
            assertTrue(r.isOk(), () -> model.name() + " telegram " + " (" + t.how() + "): " + r.toJson(1) + "\n"
                    + Hex.encode(t.bytes()));
            values += ((org.meterspec.runtime.Reading) r).size();
        }
        // the telegrams are not all empty: the layouts' values are exercised
        long total = values;
        assertTrue(total >= PER_SPEC / 2, () -> model.name() + ": only " + total + " values in " + PER_SPEC + " telegrams");
    }
}
