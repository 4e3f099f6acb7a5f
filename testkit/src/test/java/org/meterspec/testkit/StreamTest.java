package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.TelegramResult;

/**
 * Segmented telegrams (M-Bus segments, HDLC segments, block transfer) decode to their values, and
 * feeding the line in chunks of any size gives exactly what decoding it in one piece gives.
 */
class StreamTest {

    @Property(tries = 250)
    void chunkedFeedingGivesTheOneShotResults(@ForAll("lines") Line line,
                                              @ForAll("chunks") List<Integer> chunks) {
        byte[] data = line.stream();
        TripletDecoder decoder = line.decoder();
        List<TelegramResult> oneShot = decoder.decodeAll(data);

        assertEquals(line.telegrams().size(), oneShot.size(), () -> "results " + oneShot);
        for (int i = 0; i < oneShot.size(); i++) {
            TelegramResult result = oneShot.get(i);
            Reading reading = assertInstanceOf(Reading.class, result, () -> "decoded " + result);
            line.telegrams().get(i).check(reading);
            assertEquals(line.ciphered() ? Security.AUTHENTICATED : Security.NONE, reading.security());
            assertEquals(line.ciphered() ? i + 1 : -1, reading.frameCounter());
        }
        assertEquals(Line.json(oneShot), Line.json(Line.feed(line.decoder(), data, chunks)));
    }

    /** One byte at a time: every frame and length field is split at every position. */
    @Property(tries = 40)
    void byteByByteFeedingGivesTheOneShotResults(@ForAll("lines") Line line) {
        byte[] data = line.stream();
        assertEquals(Line.json(line.decoder().decodeAll(data)), Line.json(Line.feed(line.decoder(), data, List.of(1))));
    }

    @Provide
    Arbitrary<Line> lines() {
        return lines(Arbitraries.of(Line.Transport.class));
    }

    static Arbitrary<Line> lines(Arbitrary<Line.Transport> transports) {
        Arbitrary<List<Telegram>> telegrams = Gen.numericTelegrams(1, 60).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Integer> frameSize = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(16, 250)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(245, 250, 128)));
        Arbitrary<Integer> blockSize = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(40, 400)));
        return Combinators.combine(transports, telegrams, frameSize, blockSize, Arbitraries.of(true, false))
                .as(Line::new);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(1, 2, 120, 4096))).list().ofMinSize(1).ofMaxSize(8);
    }
}
