package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.meterspec.runtime.Frames.concat;
import static org.meterspec.runtime.Frames.hex;
import static org.meterspec.runtime.Frames.mbus;
import static org.meterspec.runtime.Frames.notification;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** M-Bus long frames through a decoder: checks, segments, and where the stream resumes after damage. */
class MbusFramerTest {
    private final TestDecoder decoder = new TestDecoder(TestDecoder.configure().mbus().mbusControl(0x53).mbusAddress(0xFF).stsap(0x01).dtsap(0x67).build());

    private static void reading(long value, TelegramResult r) {
        Reading reading = assertInstanceOf(Reading.class, r, () -> "decoded " + r);
        assertEquals(Long.toString(value), reading.value("1.0.1.8.0.255").text());
    }

    private static DecodeError error(ErrorCode code, long offset) {
        return new DecodeError(code, offset);
    }

    @Test
    void aFrameDecodes() {
        byte[] frame = mbus(0x10, notification(12937));
        assertEquals(0x68, frame[0]);
        assertEquals(5 + 27, frame[1]);
        List<TelegramResult> results = decoder.decodeAll(frame);
        assertEquals(1, results.size());
        reading(12937, results.get(0));
        reading(12937, decoder.decode(frame));
    }

    @Test
    void badChecksumIsReportedAtTheChecksumAndTheNextFrameDecodes() {
        byte[] bad = mbus(0x10, notification(1));
        int l = bad[1];
        bad[4 + l]++;
        List<TelegramResult> results = decoder.decodeAll(concat(hex("AABB"), bad, mbus(0x10, notification(2))));
        assertEquals(2, results.size(), () -> "results " + results);
        assertEquals(error(ErrorCode.MBUS_CHECKSUM, 2 + 4 + l), results.get(0));
        reading(2, results.get(1));
    }

    @Test
    void aChangedDataByteBreaksTheChecksum() {
        byte[] bad = mbus(0x10, notification(1));
        bad[20] ^= 0x40;
        assertEquals(error(ErrorCode.MBUS_CHECKSUM, 4 + bad[1]), decoder.decode(bad));
    }

    @Test
    void badStopByteIsReportedAtTheStopByteAndTheNextFrameDecodes() {
        byte[] bad = mbus(0x10, notification(1));
        bad[bad.length - 1] = 0x17;
        List<TelegramResult> results = decoder.decodeAll(concat(bad, mbus(0x10, notification(2))));
        assertEquals(List.of(error(ErrorCode.MBUS_STOP_BYTE, bad.length - 1)), results.subList(0, 1));
        reading(2, results.get(1));
        assertEquals(2, results.size());
    }

    /**
     * A frame damaged so that its L field reaches into the next frame (the seed device's UART
     * log): the byte its error names lies inside the intact telegram after it, so the error is
     * reported after that telegram, in stream order.
     */
    @Test
    void lostBytesInsideAFrameDoNotCostTheNextFrame() {
        byte[] damaged = mbus(0x10, notification(1));
        byte[] cut = concat(Arrays.copyOf(damaged, 12), Arrays.copyOfRange(damaged, 20, damaged.length));
        byte[] good = mbus(0x10, notification(2));
        List<TelegramResult> results = decoder.decodeAll(concat(cut, good));
        assertEquals(2, results.size(), () -> "results " + results);
        reading(2, results.get(0));
        assertEquals(error(ErrorCode.MBUS_STOP_BYTE, 5 + damaged[1]), results.get(1));
        assertEquals(true, 5 + damaged[1] > cut.length, "the stop byte it expected lies inside the next frame");
        reading(2, decoder.decode(concat(cut, good)));
        // fed a byte at a time, the error is found long before the telegram ends; it still waits
        List<TelegramResult> chunked = new java.util.ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> chunked.add(r));
        for (byte b : concat(cut, good)) {
            stream.feed(new byte[] {b});
        }
        stream.finish();
        assertEquals(results.stream().map(r -> r.toJson(1)).toList(), chunked.stream().map(r -> r.toJson(1)).toList());
    }

    /** Several damaged frames reaching into the segmented telegrams after them: still stream order. */
    @Test
    void errorsReachingIntoLaterTelegramsComeAfterThem() {
        List<byte[]> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] damaged = mbus(0x10, notification(10 + i));
            parts.add(Arrays.copyOf(damaged, 12 + i));        // cut: its L reaches far past its end
            byte[] apdu = notification(i);
            // in two segments: the error is found before the telegram's last frame arrives
            parts.add(concat(mbus(0x00, Arrays.copyOf(apdu, 20)), mbus(0x11, Arrays.copyOfRange(apdu, 20, apdu.length))));
        }
        byte[] stream = concat(parts.toArray(new byte[0][]));
        List<TelegramResult> results = decoder.decodeAll(stream);
        long last = -1;
        int readings = 0;
        long at = 0;
        java.util.Map<Long, Long> starts = new java.util.HashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 1) {
                starts.put((long) i / 2, at);
            }
            at += parts.get(i).length;
        }
        for (TelegramResult r : results) {
            long position = r instanceof DecodeError e ? e.offset() : starts.get(Long.parseLong(((Reading) r).value("1.0.1.8.0.255").text()));
            assertEquals(true, position >= last, () -> "out of stream order: " + results);
            last = position;
            readings += r.isOk() ? 1 : 0;
        }
        assertEquals(6, readings, () -> "results " + results);
    }

    /** 8 MB of 0x68: every byte starts a candidate (L 0x68, no stop byte), one line per 64 KiB run. */
    @Test
    void aFloodOfStartBytesIsOneLinePerRun() {
        byte[] flood = new byte[8 << 20];
        Arrays.fill(flood, (byte) 0x68);
        // the zeros after the frame settle the last candidates, whose L reaches past the frame
        List<TelegramResult> results = decoder.decodeAll(concat(flood, mbus(0x10, notification(1)), new byte[200]));
        int cap = StreamDecoder.RUN_CAP;
        assertEquals(new DecodeError(ErrorCode.MBUS_STOP_BYTE, 5 + 0x68, cap), results.get(0));
        assertEquals(new DecodeError(ErrorCode.MBUS_STOP_BYTE, cap + 5 + 0x68, cap), results.get(1));
        long covered = 0;
        for (TelegramResult r : results.subList(0, results.size() - 1)) {
            DecodeError e = assertInstanceOf(DecodeError.class, r);
            assertEquals(ErrorCode.MBUS_STOP_BYTE, e.code());
            covered += e.length();
        }
        assertEquals(flood.length / cap, results.size() - 1, "one line per run of at most 64 KiB");
        // the last two bytes start no candidate: 68 68 | 68 L L 68 has no second L equal to the first
        assertEquals(flood.length - 2, covered, "the runs cover the flood");
        reading(1, results.get(results.size() - 1));
    }

    @Test
    void anEndlessFloodIsReportedWhileItLasts() {
        List<TelegramResult> results = new java.util.ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> results.add(r));
        byte[] chunk = new byte[120];
        Arrays.fill(chunk, (byte) 0x68);
        long fed = 0;
        while (results.isEmpty() && fed < 10L * StreamDecoder.RUN_CAP) {
            stream.feed(chunk);
            fed += chunk.length;
        }
        assertEquals(1, results.size());
        assertEquals(StreamDecoder.RUN_CAP, ((DecodeError) results.get(0)).length());
        long after = fed;
        assertEquals(true, after <= StreamDecoder.RUN_CAP + 120 + 6 + 0x68, () -> "reported after " + after + " bytes");
    }

    /** The stream buffers at most one frame's worth: a large chunk after a small one is taken in pieces. */
    @Test
    void aLargeChunkAfterABufferedTailGivesWhatOneChunkGives() {
        byte[] telegrams = concat(mbus(0x10, notification(1)), new byte[3000], mbus(0x10, notification(2)), mbus(0x10, notification(3)));
        List<TelegramResult> chunked = new java.util.ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> chunked.add(r));
        stream.feed(telegrams, 0, 5);
        stream.feed(telegrams, 5, telegrams.length - 5);
        stream.finish();
        assertEquals(3, chunked.size(), () -> "results " + chunked);
        for (int i = 0; i < 3; i++) {
            reading(i + 1, chunked.get(i));
        }
        assertEquals(telegrams.length, stream.position());
    }

    @Test
    void consecutiveDamagedFramesAreOneRun() {
        byte[] a = mbus(0x10, notification(1));
        a[4 + a[1]]++;
        byte[] b = mbus(0x10, notification(2));
        b[b.length - 1] = 0x17;
        byte[] good = mbus(0x10, notification(3));
        List<TelegramResult> results = decoder.decodeAll(concat(hex("00"), a, hex("AA"), b, good, a));
        // from the first byte of the first candidate (1) through the first byte of the last
        assertEquals(List.of(new DecodeError(ErrorCode.MBUS_CHECKSUM, 1 + 4 + a[1], a.length + 1 + 1)), results.subList(0, 1));
        assertEquals("{\"telegram\":1,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":"
                + (1 + 4 + a[1]) + ",\"length\":" + (a.length + 2) + "}", results.get(0).toJson(1));
        reading(3, results.get(1));
        // a single damaged frame is a line of its own, without a length
        DecodeError last = assertInstanceOf(DecodeError.class, results.get(2));
        assertEquals(0, last.length());
        assertEquals(false, last.toJson(3).contains("length"));
        assertEquals(3, results.size());
    }

    @Test
    void headerLookalikesAreSkippedSilently() {
        // 68 L L' 68 with L != L', and a lone 68: not frames, so no errors
        List<TelegramResult> results = decoder.decodeAll(concat(hex("681A1B68 68 00 16"), mbus(0x10, notification(3))));
        assertEquals(1, results.size(), () -> "results " + results);
        reading(3, results.get(0));
    }

    @Test
    void controlAddressAndCiMustBeTheSpecs() {
        byte[] data = notification(1);
        assertEquals(error(ErrorCode.MBUS_CONTROL, 4), decoder.decode(mbus(0x73, 0xFF, 0x10, 0x01, 0x67, data)));
        assertEquals(error(ErrorCode.MBUS_CONTROL, 5), decoder.decode(mbus(0x53, 0xFE, 0x10, 0x01, 0x67, data)));
        assertEquals(error(ErrorCode.MBUS_CONTROL, 6), decoder.decode(mbus(0x53, 0xFF, 0x30, 0x01, 0x67, data)));
        assertEquals(error(ErrorCode.MBUS_SAP, 7), decoder.decode(mbus(0x53, 0xFF, 0x10, 0x02, 0x67, data)));
        assertEquals(error(ErrorCode.MBUS_SAP, 8), decoder.decode(mbus(0x53, 0xFF, 0x10, 0x01, 0x66, data)));
        // -1 in the spec accepts any value
        TestDecoder any = new TestDecoder(TestDecoder.configure().mbus().build());
        reading(1, any.decode(mbus(0x73, 0x01, 0x10, 0x22, 0x33, data)));
    }

    @Test
    void aFrameTooShortForItsHeader() {
        byte[] frame = hex("68030368 53FF10 00 16");
        frame[7] = (byte) (0x53 + 0xFF + 0x10);
        assertEquals(error(ErrorCode.MBUS_FRAME_TOO_SHORT, 1), decoder.decode(frame));
    }

    @Test
    void segmentsAreReassembled() {
        byte[] apdu = notification(77);
        byte[] stream = concat(mbus(0x00, Arrays.copyOf(apdu, 10)), mbus(0x01, Arrays.copyOfRange(apdu, 10, 20)),
                mbus(0x12, Arrays.copyOfRange(apdu, 20, apdu.length)));
        List<TelegramResult> results = decoder.decodeAll(stream);
        assertEquals(1, results.size(), () -> "results " + results);
        reading(77, results.get(0));
    }

    @Test
    void segmentsOutOfSequence() {
        byte[] apdu = notification(5);
        byte[] first = mbus(0x00, Arrays.copyOf(apdu, 10));
        byte[] last = mbus(0x11, Arrays.copyOfRange(apdu, 10, apdu.length));
        byte[] whole = mbus(0x10, notification(6));

        // a last segment without its first: one error at that frame, then the next telegram
        List<TelegramResult> results = decoder.decodeAll(concat(last, whole));
        assertEquals(List.of(error(ErrorCode.MBUS_SEGMENT_SEQUENCE, 0)), results.subList(0, 1));
        reading(6, results.get(1));

        // a first segment whose continuation never came: reported at its start when the next begins
        results = decoder.decodeAll(concat(hex("00"), first, whole));
        assertEquals(error(ErrorCode.MBUS_SEGMENT_SEQUENCE, 1), results.get(0));
        reading(6, results.get(1));
        assertEquals(2, results.size());

        // a repeated segment
        byte[] second = mbus(0x01, Arrays.copyOfRange(apdu, 10, 12));
        List<TelegramResult> repeated = decoder.decodeAll(concat(first, second, last, whole));
        assertEquals(error(ErrorCode.MBUS_SEGMENT_SEQUENCE, first.length + second.length), repeated.get(0));
        reading(6, repeated.get(repeated.size() - 1));
        assertEquals(2, repeated.size(), () -> "the continuation is dropped without a second report: " + repeated);
    }

    @Test
    void theStreamEndingInsideATelegram() {
        byte[] apdu = notification(5);
        byte[] first = mbus(0x00, Arrays.copyOf(apdu, 10));
        assertEquals(List.of(error(ErrorCode.TELEGRAM_INCOMPLETE, 3)), decoder.decodeAll(concat(hex("112233"), first)));
        byte[] frame = mbus(0x10, apdu);
        assertEquals(List.of(error(ErrorCode.TELEGRAM_INCOMPLETE, 0)), decoder.decodeAll(Arrays.copyOf(frame, frame.length - 1)));
        // decode() always answers, even when the input is too short to be known as a frame
        assertEquals(error(ErrorCode.TELEGRAM_INCOMPLETE, 0), decoder.decode(Arrays.copyOf(frame, 3)));
    }

    @Test
    void moreFramesThanTheSpecAllows() {
        TestDecoder twoFrames = new TestDecoder(TestDecoder.configure().maxFrames(2).maxTelegram(4096).maxApdu(4096).maxValues(8).mbus().build());
        byte[] apdu = notification(5);
        byte[] a = mbus(0x00, Arrays.copyOf(apdu, 9));
        byte[] b = mbus(0x01, Arrays.copyOfRange(apdu, 9, 18));
        byte[] c = mbus(0x12, Arrays.copyOfRange(apdu, 18, apdu.length));
        List<TelegramResult> results = twoFrames.decodeAll(concat(a, b, c, mbus(0x10, notification(6))));
        assertEquals(error(ErrorCode.TOO_MANY_FRAMES, a.length + b.length), results.get(0));
        reading(6, results.get(1));
        assertEquals(2, results.size());
    }

    /** An L field holding the length modulo 256, as some meters send: only with the spec's tolerance. */
    @Test
    void lengthWrapOnlyWhereTheSpecToleratesIt() {
        byte[] apdu = Frames.longNotification(240);
        byte[] wrapped = mbus(0x10, apdu);
        assertEquals(5 + apdu.length - 256, wrapped[1], "the L field holds the length modulo 256");
        TestDecoder tolerant = new TestDecoder(TestDecoder.configure().tolerate(Tolerance.MBUS_LENGTH_WRAP)
                .mbus().mbusControl(0x53).mbusAddress(0xFF).stsap(0x01).dtsap(0x67).build());
        Reading r = assertInstanceOf(Reading.class, tolerant.decode(wrapped));
        assertEquals(240, r.values().get(0).text().length());
        DecodeError strict = assertInstanceOf(DecodeError.class, decoder.decode(wrapped));
        assertEquals(Layer.TRANSPORT, strict.layer());
    }

    @Test
    void aWrappedFrameCutShortIsIncompleteNotAShortFrame() {
        // 257 bytes of user data: the L field says 1, which no frame can be
        byte[] apdu = Frames.longNotification(240);
        apdu = Frames.longNotification(240 + 252 - apdu.length);
        byte[] wrapped = mbus(0x10, apdu);
        assertEquals(1, wrapped[1]);
        TestDecoder tolerant = new TestDecoder(TestDecoder.configure().tolerate(Tolerance.MBUS_LENGTH_WRAP)
                .mbus().mbusControl(0x53).mbusAddress(0xFF).stsap(0x01).dtsap(0x67).build());
        assertInstanceOf(Reading.class, tolerant.decode(wrapped));
        byte[] cut = java.util.Arrays.copyOf(wrapped, wrapped.length - 4);
        assertEquals(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0), tolerant.decode(cut));
    }

    @net.jqwik.api.Property(tries = 300)
    void theChecksumIsTheByteSumModulo256(@net.jqwik.api.ForAll @net.jqwik.api.constraints.Size(max = 520) byte[] data,
                                          @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(max = 8) int skip) {
        int from = Math.min(skip, data.length);
        int expected = 0;
        for (int i = from; i < data.length; i++) {
            expected += data[i] & 0xFF;
        }
        assertEquals(expected & 0xFF, MbusFramer.sum(data, from, data.length));
    }

    @Test
    void theChecksumOfTheLongestFrameOfFFBytes() {
        // the most every 16-bit lane of the summing can hold: 511 bytes of 0xFF
        byte[] data = new byte[511];
        java.util.Arrays.fill(data, (byte) 0xFF);
        assertEquals((511 * 0xFF) & 0xFF, MbusFramer.sum(data, 0, data.length));
    }
}
