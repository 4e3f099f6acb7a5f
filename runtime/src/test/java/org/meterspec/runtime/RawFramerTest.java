package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.meterspec.runtime.Frames.concat;
import static org.meterspec.runtime.Frames.hex;
import static org.meterspec.runtime.Frames.notification;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bare APDUs one after another: plain notifications measured by the body, ciphered ones by their length. */
class RawFramerTest {
    private static final String TITLE = "4B464D6750000009";

    private final TestDecoder decoder = new TestDecoder(TestDecoder.configure().raw()
            .acceptPlain(true).acceptGlo(true).acceptDed(false).securityControl(0x00).build());

    private static Reading reading(long value, TelegramResult r) {
        Reading reading = assertInstanceOf(Reading.class, r, () -> "decoded " + r);
        assertEquals(Long.toString(value), reading.value("1.0.1.8.0.255").text());
        return reading;
    }

    /** general-glo-ciphering with security control 0x00: the APDU travels in clear. */
    private static byte[] glo(byte[] plain, String length) {
        return concat(hex("DB08" + TITLE + length + "00" + "0000002A"), plain);
    }

    @Test
    void notificationsOneAfterAnother() {
        List<TelegramResult> results = decoder.decodeAll(concat(notification(1), notification(2), notification(3)));
        assertEquals(3, results.size(), () -> "results " + results);
        for (int i = 0; i < 3; i++) {
            reading(i + 1, results.get(i));
        }
    }

    /** A plain notification states no length: decoding it measures it, once. */
    @Test
    void eachNotificationIsDecodedOnce() {
        byte[] stream = concat(notification(1), notification(2), notification(3));
        List<TelegramResult> results = decoder.decodeAll(stream);
        assertEquals(3, results.size(), () -> "results " + results);
        assertEquals(3, decoder.bodies);
    }

    @Test
    void bytesThatStartNoApduAreSkippedSilently() {
        List<TelegramResult> results = decoder.decodeAll(concat(hex("00 11 22 7E 68"), notification(1), hex("FF FF"),
                notification(2), hex("16")));
        assertEquals(2, results.size(), () -> "results " + results);
        reading(1, results.get(0));
        reading(2, results.get(1));
    }

    @Test
    void cipheredApdusSayTheirLength() {
        byte[] plain = notification(7);
        String shortForm = String.format("%02X", plain.length + 5);
        String longForm = String.format("8200%02X", plain.length + 5);
        List<TelegramResult> results = decoder.decodeAll(concat(glo(plain, shortForm), glo(plain, longForm)));
        assertEquals(2, results.size(), () -> "results " + results);
        for (TelegramResult r : results) {
            Reading reading = reading(7, r);
            assertEquals(TITLE, reading.systemTitle());
            assertEquals(42, reading.frameCounter());
            assertEquals(Security.NONE, reading.security());
        }
    }

    @Test
    void anUnreadableNotificationIsReportedOnceAndTheNextDecodes() {
        byte[] bad = notification(1);
        bad[5] = 0x05; // neither 00 nor 0C: no date-time
        List<TelegramResult> results = decoder.decodeAll(concat(bad, notification(2)));
        assertEquals(List.of(new DecodeError(ErrorCode.APDU_DATETIME, 5)), results.subList(0, 1));
        reading(2, results.get(1));
        assertEquals(2, results.size(), () -> "false starts inside the bad APDU are not reported: " + results);
    }

    @Test
    void aFalseCipheredStartDoesNotSwallowTheApduAfterIt() {
        // DB with a zero-length system title and a length that covers the next APDU's first bytes
        List<TelegramResult> results = decoder.decodeAll(concat(hex("DB0005"), notification(3)));
        assertEquals(List.of(new DecodeError(ErrorCode.SECURITY_SYSTEM_TITLE, 1)), results.subList(0, 1));
        reading(3, results.get(1));
        assertEquals(2, results.size(), () -> "results " + results);
    }

    @Test
    void theStreamEndingInsideAnApdu() {
        byte[] apdu = notification(1);
        assertEquals(List.of(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 3)),
                decoder.decodeAll(concat(hex("112233"), Arrays.copyOf(apdu, apdu.length - 1))));
        byte[] ciphered = glo(apdu, String.format("%02X", apdu.length + 5));
        assertEquals(List.of(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0)),
                decoder.decodeAll(Arrays.copyOf(ciphered, 20)));
    }

    @Test
    void anApduLongerThanTheSpecAllows() {
        TestDecoder small = new TestDecoder(TestDecoder.configure().maxFrames(1).maxTelegram(64).maxApdu(64).maxValues(8).raw()
                .acceptPlain(true).acceptGlo(true).acceptDed(false).securityControl(0x00).build());
        byte[] tooLong = concat(hex("DB08" + TITLE + "81C8"), new byte[100]);
        List<TelegramResult> results = small.decodeAll(concat(tooLong, notification(3)));
        assertEquals(new DecodeError(ErrorCode.TELEGRAM_TOO_LONG, 0), results.get(0));
        reading(3, results.get(results.size() - 1));
    }

    /** One-shot decode gives what the stream gives first, whatever follows. */
    @Test
    void decodeGivesTheStreamsFirstTelegram() {
        reading(5, decoder.decode(notification(5)));
        reading(5, decoder.decode(concat(notification(5), hex("00"))));
        reading(5, decoder.decode(concat(notification(5), notification(6))));
        byte[] cut = Arrays.copyOf(notification(5), 20);
        assertEquals(decoder.decodeAll(cut).get(0), decoder.decode(cut), "a truncated APDU, one-shot and streamed");
        assertEquals(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0), decoder.decode(cut));
        assertEquals(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0), decoder.decode(hex("C4")), "no APDU at all");
        assertEquals(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0), decoder.decode(new byte[0]));
        assertEquals(new DecodeError(ErrorCode.GBT_NOT_ALLOWED, 0), decoder.decode(hex("E0800001000000")));
    }

    private static List<String> json(List<TelegramResult> results) {
        return results.stream().map(r -> r.toJson(1)).toList();
    }

    /** {@code 0F, invoke id, 09 0C + date-time, body}: the date-time as a tagged octet-string. */
    private static byte[] taggedDateTime(long value) {
        byte[] plain = notification(value);
        return concat(Arrays.copyOf(plain, 5), hex("090C07E5091B010A2F0F00FF8880"), Arrays.copyOfRange(plain, 6, plain.length));
    }

    @Test
    void aChunkEndingAfterTheTagOfATaggedDateTimeWaitsForTheNextByte() {
        TestDecoder tolerant = new TestDecoder(TestDecoder.configure().raw().tolerate(Tolerance.TAGGED_NOTIFICATION_DATETIME)
                .acceptPlain(true).acceptGlo(false).acceptDed(false).build());
        byte[] stream = concat(taggedDateTime(1), taggedDateTime(2));
        List<TelegramResult> whole = tolerant.decodeAll(stream);
        assertEquals(2, whole.size(), () -> "results " + whole);
        reading(1, whole.get(0));
        reading(2, whole.get(1));
        for (int cut : new int[] {6, stream.length / 2 + 6}) {
            List<TelegramResult> chunked = new java.util.ArrayList<>();
            StreamDecoder s = tolerant.newStream((n, r) -> chunked.add(r));
            // chunks of their own, as a UART hands them over: nothing past the cut to peek at
            s.feed(Arrays.copyOf(stream, cut));
            s.feed(Arrays.copyOfRange(stream, cut, stream.length));
            s.finish();
            assertEquals(json(whole), json(chunked), "chunk ending after the 09 at " + cut);
        }
    }
}
