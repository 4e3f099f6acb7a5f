package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.meterspec.runtime.Frames.concat;
import static org.meterspec.runtime.Frames.hdlc;
import static org.meterspec.runtime.Frames.hex;
import static org.meterspec.runtime.Frames.notification;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HDLC frames through a decoder: HCS, FCS, flags, addresses, segmentation, LLC, resynchronisation. */
class HdlcFramerTest {
    private static final byte[] DST = hex("41");
    private static final byte[] SRC = hex("0883");
    private static final byte[] LLC = hex("E6E700");

    private final TestDecoder decoder = new TestDecoder(TestDecoder.configure().hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.OPTIONAL).build());

    private static void reading(long value, TelegramResult r) {
        Reading reading = assertInstanceOf(Reading.class, r, () -> "decoded " + r);
        assertEquals(Long.toString(value), reading.value("1.0.1.8.0.255").text());
    }

    private static DecodeError error(ErrorCode code, long offset) {
        return new DecodeError(code, offset);
    }

    /** Offsets in a frame of one-byte destination and two-byte source: 7E A0 L 41 08 83 13 HCS(2) info. */
    private static final int HCS_AT = 7;

    @Test
    void aFrameDecodes() {
        byte[] frame = hdlc(notification(12937));
        assertEquals(0x7E, frame[0]);
        assertEquals(0xA0, frame[1] & 0xFF);
        assertEquals(frame.length - 2, frame[2]);
        List<TelegramResult> results = decoder.decodeAll(frame);
        assertEquals(1, results.size());
        reading(12937, results.get(0));
    }

    @Test
    void badHcsIsReportedAtTheHcsAndTheNextFrameDecodes() {
        byte[] bad = hdlc(notification(1));
        bad[HCS_AT] ^= 1;
        List<TelegramResult> results = decoder.decodeAll(concat(hex("0000"), bad, hdlc(notification(2))));
        assertEquals(List.of(error(ErrorCode.HDLC_HCS, 2 + HCS_AT)), results.subList(0, 1));
        reading(2, results.get(1));
        assertEquals(2, results.size());
    }

    /**
     * A candidate whose length reaches 600 bytes on is found first; a link frame, and a damaged
     * frame whose error lies 7 bytes on, follow inside its span. Errors come out by what they name.
     */
    @Test
    void errorsComeOutInStreamOrderWhicheverIsFoundFirst() {
        byte[] far = hex("7EA258 00000000000000");                // frame length 600: its flag is expected at 601
        byte[] link = Frames.hdlc(false, DST, SRC, 0x93, new byte[0]);
        byte[] near = hex("7EA008 41 0883 13 0000 7E");           // no information, FCS 0000: wrong
        byte[] zeros = new byte[700 - far.length - link.length - near.length];
        byte[] stream = concat(far, link, near, zeros, hdlc(notification(1)));
        List<TelegramResult> results = decoder.decodeAll(stream);
        int nearAt = far.length + link.length;
        assertEquals(List.of(error(ErrorCode.HDLC_FCS, nearAt + 7), error(ErrorCode.HDLC_FLAG, 601)), results.subList(0, 2));
        reading(1, results.get(2));
        assertEquals(3, results.size(), () -> "results " + results);
    }

    /**
     * Many errors waiting at once: candidates of the longest frame length, each followed by an
     * intact telegram that ends its run, all with their flag expected 2048 bytes on, past dozens
     * of the telegrams after them.
     */
    @Test
    void manyErrorsWaitingAtOnceStillComeInOrder() {
        int units = 300;
        byte[][] parts = new byte[units + 2][];
        long[] readingAt = new long[units];
        long at = 0;
        for (int i = 0; i < units; i++) {
            parts[i] = concat(hex("7EA7FF"), hdlc(notification(i)));
            readingAt[i] = at + 3;
            at += parts[i].length;
        }
        parts[units] = new byte[2100];
        parts[units + 1] = hdlc(notification(units));
        List<TelegramResult> results = decoder.decodeAll(concat(parts));
        long last = -1;
        int readings = 0;
        int errors = 0;
        for (TelegramResult r : results) {
            long position;
            if (r instanceof Reading reading) {
                int i = Integer.parseInt(reading.value("1.0.1.8.0.255").text());
                position = i < units ? readingAt[i] : at + 2100;
                readings++;
            } else {
                DecodeError e = (DecodeError) r;
                assertEquals(ErrorCode.HDLC_FLAG, e.code());
                position = e.offset();
                errors++;
            }
            long before = last;
            assertEquals(true, position >= before, () -> position + " after " + before);
            last = position;
        }
        assertEquals(units + 1, readings);
        assertEquals(units, errors);
    }

    @Test
    void damagedFramesOneAfterAnotherAreOneRun() {
        byte[] bad = hdlc(notification(1));
        bad[HCS_AT] ^= 1;
        byte[] badFcs = hdlc(notification(2));
        badFcs[badFcs.length - 3] ^= 1;
        List<TelegramResult> results = decoder.decodeAll(concat(bad, badFcs, hdlc(notification(3))));
        assertEquals(new DecodeError(ErrorCode.HDLC_HCS, HCS_AT, bad.length + 1), results.get(0));
        reading(3, results.get(1));
        assertEquals(2, results.size(), () -> "results " + results);
    }

    @Test
    void withoutLlcHeadersADamagedSegmentDoesNotCostTheNextTelegram() {
        // a damaged frame with S set: its continuation cannot be told from a new telegram when the
        // meter sends no LLC headers, so the next frame is decoded as one
        byte[] damaged = hex("7EA80A41088313000000007E");
        byte[] next = hdlcWithoutLlc(notification(5));
        List<TelegramResult> results = decoder.decodeAll(concat(damaged, next));
        assertEquals(2, results.size(), () -> "results " + results);
        assertInstanceOf(DecodeError.class, results.get(0));
        reading(5, results.get(1));
    }

    @Test
    void afterLlcHeadersAFrameWithoutOneContinuesADamagedTelegram() {
        byte[] first = hdlc(notification(1));
        byte[] damaged = hex("7EA80A41088313000000007E");
        byte[] continuation = hdlcWithoutLlc(notification(7));
        List<TelegramResult> results = decoder.decodeAll(concat(first, damaged, continuation, hdlc(notification(2))));
        reading(1, results.get(0));
        assertInstanceOf(DecodeError.class, results.get(1));
        reading(2, results.get(2));
        assertEquals(3, results.size(), () -> "the continuation is dropped: " + results);
    }

    /**
     * Without LLC headers, a segmented telegram whose last segments never came is joined with the
     * next telegram's frames; the next is found again from its own first frame.
     */
    @Test
    void withoutLlcHeadersATelegramCutOffDoesNotCostTheNextOne() {
        byte[] apdu = notification(1);
        byte[] cutOff = Frames.hdlc(true, DST, SRC, 0x13, Arrays.copyOf(apdu, 12));
        byte[] whole = hdlcWithoutLlc(notification(2));
        byte[] next = notification(3);
        byte[] segmented = concat(Frames.hdlc(true, DST, SRC, 0x13, Arrays.copyOf(next, 10)),
                Frames.hdlc(false, DST, SRC, 0x13, Arrays.copyOfRange(next, 10, next.length)));
        for (DecoderConfig.Llc llc : new DecoderConfig.Llc[] {DecoderConfig.Llc.OPTIONAL, DecoderConfig.Llc.ABSENT}) {
            TestDecoder d = new TestDecoder(TestDecoder.configure().hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(llc).build());
            List<TelegramResult> results = d.decodeAll(concat(cutOff, whole, cutOff, segmented, hdlcWithoutLlc(notification(4))));
            assertEquals(5, results.size(), () -> llc + ": results " + results);
            assertEquals(error(ErrorCode.HDLC_SEGMENT_SEQUENCE, 0), results.get(0));
            reading(2, results.get(1));
            assertEquals(error(ErrorCode.HDLC_SEGMENT_SEQUENCE, cutOff.length + whole.length), results.get(2));
            reading(3, results.get(3));
            reading(4, results.get(4));
            assertEquals(results.get(0), d.decode(concat(cutOff, whole)), "one-shot decode: the stream's first line");
        }
    }

    /** A single unsegmented frame whose information field has no LLC header. */
    private static byte[] hdlcWithoutLlc(byte[] apdu) {
        return Frames.hdlc(false, DST, SRC, 0x13, apdu);
    }

    @Test
    void badFcsIsReportedAtTheFcsAndTheNextFrameDecodes() {
        byte[] bad = hdlc(notification(1));
        bad[bad.length - 3] ^= 1;
        List<TelegramResult> results = decoder.decodeAll(concat(bad, hdlc(notification(2))));
        assertEquals(List.of(error(ErrorCode.HDLC_FCS, bad.length - 3)), results.subList(0, 1));
        reading(2, results.get(1));
        assertEquals(2, results.size());

        byte[] data = hdlc(notification(1));
        data[HCS_AT + 10] ^= 0x10; // inside the information field
        assertEquals(error(ErrorCode.HDLC_FCS, data.length - 3), decoder.decode(data));
    }

    @Test
    void aBadFcsIsAcceptedOnlyWhereTheSpecToleratesIt() {
        TestDecoder tolerant = new TestDecoder(TestDecoder.configure().tolerate(Tolerance.BAD_FCS)
                .hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.OPTIONAL).build());
        byte[] bad = hdlc(notification(1));
        bad[bad.length - 2] ^= 0x55;
        reading(1, tolerant.decode(bad));
        // the header check stays
        byte[] badHeader = hdlc(notification(1));
        badHeader[HCS_AT + 1] ^= 1;
        assertEquals(error(ErrorCode.HDLC_HCS, HCS_AT), tolerant.decode(badHeader));
    }

    @Test
    void aMissingClosingFlagIsReportedAndTheNextFrameDecodes() {
        byte[] bad = hdlc(notification(1));
        bad[bad.length - 1] = 0x00;
        List<TelegramResult> results = decoder.decodeAll(concat(bad, hdlc(notification(2))));
        assertEquals(error(ErrorCode.HDLC_FLAG, bad.length - 1), results.get(0));
        reading(2, results.get(1));
        assertEquals(2, results.size());
    }

    /** A frame cut short by a lost byte: its length reaches into the next frame, which still decodes. */
    @Test
    void aFrameMissingAByteDoesNotCostTheNextFrame() {
        byte[] damaged = hdlc(notification(1));
        byte[] cut = concat(Arrays.copyOf(damaged, 15), Arrays.copyOfRange(damaged, 16, damaged.length));
        List<TelegramResult> results = decoder.decodeAll(concat(cut, hdlc(notification(2))));
        assertEquals(Layer.TRANSPORT, assertInstanceOf(DecodeError.class, results.get(0)).layer());
        reading(2, results.get(results.size() - 1));
    }

    @Test
    void aClosingFlagMayOpenTheNextFrame() {
        byte[] a = hdlc(notification(1));
        byte[] b = hdlc(notification(2));
        List<TelegramResult> results = decoder.decodeAll(concat(a, Arrays.copyOfRange(b, 1, b.length)));
        assertEquals(2, results.size(), () -> "results " + results);
        reading(1, results.get(0));
        reading(2, results.get(1));
    }

    @Test
    void addresses() {
        byte[] apdu = concat(LLC, notification(1));
        // five bytes without the end bit
        byte[] tooLong = hdlc(false, hex("0202020202"), hex("03"), 0x13, apdu);
        TestDecoder any = new TestDecoder(TestDecoder.configure().hdlc().llc(DecoderConfig.Llc.OPTIONAL).build());
        assertEquals(error(ErrorCode.HDLC_ADDRESS, 3), any.decode(tooLong));
        // lengths other than the spec's
        assertEquals(error(ErrorCode.HDLC_ADDRESS, 3), decoder.decode(hdlc(false, hex("0241"), SRC, 0x13, apdu)));
        assertEquals(error(ErrorCode.HDLC_ADDRESS, 4), decoder.decode(hdlc(false, DST, hex("03"), 0x13, apdu)));
        // any length from 1 to 4 where the spec names none
        reading(1, any.decode(hdlc(false, hex("000000FF"), hex("00000003"), 0x13, apdu)));
        reading(1, any.decode(hdlc(false, hex("41"), hex("03"), 0x10, apdu)));
    }

    @Test
    void framesTooShortForTheirHeader() {
        // length 8: format, destination, source, control and one byte where HCS and FCS need four
        TestDecoder any = new TestDecoder(TestDecoder.configure().hdlc().llc(DecoderConfig.Llc.OPTIONAL).build());
        byte[] f = hex("7EA008 41 03 13 000000 7E");
        assertEquals(error(ErrorCode.HDLC_FRAME_TOO_SHORT, 6), any.decode(f));
        // the addresses run into the FCS
        byte[] g = hex("7EA007 00 00 00 0000 7E");
        assertEquals(error(ErrorCode.HDLC_FRAME_TOO_SHORT, 3), any.decode(g));
    }

    @Test
    void aFrameWithoutInformationIsNotATelegram() {
        byte[] link = hdlc(false, DST, SRC, 0x93, new byte[0]);
        List<TelegramResult> results = decoder.decodeAll(concat(link, hdlc(notification(4))));
        assertEquals(1, results.size(), () -> "results " + results);
        reading(4, results.get(0));
    }

    @Test
    void segmentsAreReassembledWithOneLlcHeader() {
        byte[] apdu = concat(LLC, notification(9));
        byte[] stream = concat(hdlc(true, DST, SRC, 0x13, Arrays.copyOf(apdu, 12)),
                hdlc(true, DST, SRC, 0x13, Arrays.copyOfRange(apdu, 12, 20)),
                hdlc(false, DST, SRC, 0x13, Arrays.copyOfRange(apdu, 20, apdu.length)));
        assertEquals(0xA8, stream[1] & 0xFF);
        List<TelegramResult> results = decoder.decodeAll(stream);
        assertEquals(1, results.size(), () -> "results " + results);
        reading(9, results.get(0));
    }

    @Test
    void aSegmentedTelegramInterruptedByANewOne() {
        byte[] apdu = concat(LLC, notification(9));
        byte[] first = hdlc(true, DST, SRC, 0x13, Arrays.copyOf(apdu, 12));
        List<TelegramResult> results = decoder.decodeAll(concat(hex("11"), first, hdlc(notification(10))));
        assertEquals(List.of(error(ErrorCode.HDLC_SEGMENT_SEQUENCE, 1)), results.subList(0, 1));
        reading(10, results.get(1));
        assertEquals(2, results.size());
        // cut off by the end of the stream
        assertEquals(List.of(error(ErrorCode.TELEGRAM_INCOMPLETE, 0)), decoder.decodeAll(first));
    }

    @Test
    void theLlcHeaderAsTheSpecSays() {
        byte[] withoutLlc = hdlc(false, DST, SRC, 0x13, notification(5));
        reading(5, decoder.decode(withoutLlc));
        TestDecoder required = new TestDecoder(TestDecoder.configure().hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.REQUIRED).build());
        assertEquals(error(ErrorCode.HDLC_LLC, 0), required.decode(withoutLlc));
        reading(5, required.decode(hdlc(notification(5))));
        TestDecoder absent = new TestDecoder(TestDecoder.configure().hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.ABSENT).build());
        reading(5, absent.decode(withoutLlc));
        assertEquals(error(ErrorCode.APDU_TAG, 0), absent.decode(hdlc(notification(5))));
    }

    @Test
    void notAnHdlcFormatIsSkippedSilently() {
        // frame type 0x9 instead of 0xA, and a length below the minimum
        List<TelegramResult> results = decoder.decodeAll(concat(hex("7E9020 7EA003 7E"), hdlc(notification(6))));
        assertEquals(1, results.size(), () -> "results " + results);
        reading(6, results.get(0));
    }

    /** The frame fits the spec, the APDU it carries does not: an APDU error at the content's length field. */
    @Test
    void cipheredContentLongerThanTheSpecAllowsAnApdu() {
        TestDecoder small = new TestDecoder(TestDecoder.configure().maxFrames(1).maxTelegram(4096).maxApdu(64).maxValues(8).hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.OPTIONAL)
                .acceptPlain(true).acceptGlo(true).acceptDed(false).securityControl(0x00).build());
        byte[] plain = Frames.longNotification(100);
        byte[] apdu = concat(hex("DB084B464D6750000009" + String.format("81%02X", plain.length + 5) + "000000002A"), plain);
        assertEquals(List.of(error(ErrorCode.APDU_TOO_LONG, 10)), small.decodeAll(hdlc(apdu)));
    }

    @Test
    void theStreamEndingInsideAFrame() {
        byte[] frame = hdlc(notification(5));
        assertEquals(List.of(error(ErrorCode.TELEGRAM_INCOMPLETE, 2)),
                decoder.decodeAll(concat(hex("0000"), Arrays.copyOf(frame, frame.length - 1))));
    }
}
