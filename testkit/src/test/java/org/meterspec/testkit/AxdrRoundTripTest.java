package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.TelegramResult;

/**
 * Every A-XDR scalar type written by the testkit and read by the runtime shows the text the
 * canonical JSON rules give for it, computed independently in {@link Expected}.
 */
class AxdrRoundTripTest {
    private final TripletDecoder decoder = new TripletDecoder(TripletDecoder.configure().raw().build(), Keys.none());

    @Property(tries = 400)
    void everyScalarReadsBackAsItsExpectedText(@ForAll("telegrams") Telegram telegram,
                                               @ForAll("lengthForms") int lengthForm) {
        TelegramResult result = decoder.decode(telegram.apdu(lengthForm));
        telegram.check(assertInstanceOf(Reading.class, result, () -> "decoded " + result));
    }

    /** One value per telegram: every type meets every scaler and unit, and shrinks to one value. */
    @Property(tries = 500)
    void aSingleValueReadsBack(@ForAll("entries") Telegram.Entry entry) {
        Telegram telegram = new Telegram(1, null, List.of(entry));
        TelegramResult result = decoder.decode(telegram.apdu());
        telegram.check(assertInstanceOf(Reading.class, result, () -> "decoded " + result));
    }

    /** The same telegram inside glo-ciphering decodes to the same values as plain. */
    @Property(tries = 100)
    void cipheringDoesNotChangeValues(@ForAll("telegrams") Telegram telegram, @ForAll("controls") int control) {
        DecoderConfig config = TripletDecoder.configure().raw().acceptPlain(false).acceptGlo(true).acceptDed(false).securityControl(control).build();
        TripletDecoder ciphered = new TripletDecoder(config, Keys.of(TestKeys.EK, TestKeys.AK));
        byte[] apdu = Ciphered.glo(TestKeys.SYSTEM_TITLE, 7).control(control).keys(TestKeys.EK, TestKeys.AK)
                .wrap(telegram.apdu());
        TelegramResult result = ciphered.decode(apdu);
        Reading reading = assertInstanceOf(Reading.class, result, () -> "decoded " + result);
        telegram.check(reading);
        assertEquals(7, reading.frameCounter());
    }

    /**
     * Powers of two are where the nearest decimal of a length may fall outside the rounding
     * interval while the other neighbour is inside: every one, both widths, must still come out
     * as the shortest decimal.
     */
    @Test
    void everyPowerOfTwoReadsBackAsItsShortestDecimal() {
        List<Telegram.Entry> entries = new ArrayList<>();
        for (int k = -149; k <= 127; k++) {
            entries.add(new Telegram.Entry(k & 0xFFFF, Scalar.number(AxdrWriter.FLOAT32,
                    Float.floatToRawIntBits(Math.scalb(1f, k)) & 0xFFFFFFFFL), false, 0, 0));
        }
        for (int k = -1074; k <= 1023; k++) {
            entries.add(new Telegram.Entry(k & 0xFFFF, Scalar.number(AxdrWriter.FLOAT64,
                    Double.doubleToRawLongBits(-Math.scalb(1.0, k))), false, 0, 0));
        }
        for (int from = 0; from < entries.size(); from += TripletDecoder.MAX_GROUPS) {
            Telegram telegram = new Telegram(from, null, entries.subList(from, Math.min(entries.size(), from + TripletDecoder.MAX_GROUPS)));
            TelegramResult result = decoder.decode(telegram.apdu());
            telegram.check(assertInstanceOf(Reading.class, result, () -> "decoded " + result));
        }
    }

    @Provide
    Arbitrary<Telegram> telegrams() {
        return Gen.telegrams(25);
    }

    @Provide
    Arbitrary<Telegram.Entry> entries() {
        return Gen.entries();
    }

    /** Shortest lengths, and the long forms 0x81 xx and 0x82 xx xx even where not needed. */
    @Provide
    Arbitrary<Integer> lengthForms() {
        return Arbitraries.of(0, 0, 1, 2);
    }

    @Provide
    Arbitrary<Integer> controls() {
        return Arbitraries.of(0x00, 0x10, 0x20, 0x30, 0x21, 0x31);
    }
}
