package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.TelegramResult;

/**
 * General Block Transfer: a ciphered telegram cut into blocks, one transport telegram each, as the
 * Landis+Gyr E450 sends it; blocks in order, out of order, repeated and missing, on every transport.
 */
class BlockTransferTest {
    private static final Telegram FIRST = telegram(1, 30);
    private static final Telegram SECOND = telegram(2, 12);

    private static Telegram telegram(long invokeId, int values) {
        List<Telegram.Entry> entries = new ArrayList<>();
        for (int i = 0; i < values; i++) {
            entries.add(new Telegram.Entry(org.meterspec.runtime.Obis.pack(1, 0, i, 8, 0, 255),
                    Scalar.number(AxdrWriter.UINT32, 1000L * i + invokeId), true, -1, 30));
        }
        return new Telegram(invokeId, null, entries);
    }

    private static TripletDecoder decoder(Line.Transport transport, int maxBlocks) {
        DecoderConfig.Builder b = TripletDecoder.configure().acceptPlain(false).acceptGlo(true).acceptDed(false).securityControl(0x30)
                .blockTransfer(maxBlocks);
        switch (transport) {
            case MBUS -> b.mbus().mbusControl(0x53).mbusAddress(0xFF).stsap(0x01).dtsap(0x67);
            case HDLC -> b.hdlc().llc(DecoderConfig.Llc.OPTIONAL);
            case RAW -> b.raw();
        }
        return new TripletDecoder(b.build(), Keys.of(TestKeys.EK, TestKeys.AK));
    }

    /** The ciphered telegram's blocks of 100 bytes, streaming bit set as the E450 sends them. */
    private static List<byte[]> blocks(Telegram t, long frameCounter) {
        byte[] apdu = Ciphered.glo(TestKeys.SYSTEM_TITLE, frameCounter).control(0x30).keys(TestKeys.EK, TestKeys.AK).wrap(t.apdu());
        return Apdu.blocks(apdu, 100, Apdu.GBT_STREAMING);
    }

    /** Block numbers 1 to {@code n}. */
    private static List<Integer> inOrder(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            order.add(i);
        }
        return order;
    }

    /** The blocks in the given order (1-based), each framed as a telegram of its own, then {@code after}. */
    private static byte[] line(Line.Transport transport, List<byte[]> blocks, List<Integer> order, Telegram after) {
        Framing framing = Line.framing(transport, 64);
        List<byte[]> parts = new ArrayList<>();
        for (int n : order) {
            parts.add(framing.encode(blocks.get(n - 1)));
        }
        for (byte[] b : blocks(after, 9)) {
            parts.add(framing.encode(b));
        }
        return Framing.concat(parts);
    }

    /**
     * Stream offset of the block-number field of the block that is part {@code index} of
     * {@link #line}: where that part starts, plus where the block starts in its frame, plus 2.
     */
    private static long numberAt(Line.Transport transport, List<byte[]> blocks, List<Integer> order, int index) {
        Framing framing = Line.framing(transport, 64);
        long at = 0;
        for (int i = 0; i < index; i++) {
            at += framing.encode(blocks.get(order.get(i) - 1)).length;
        }
        byte[] block = blocks.get(order.get(index) - 1);
        return at + indexOf(framing.encode(block), java.util.Arrays.copyOf(block, 6)) + 2;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("block not found in its frame");
    }

    private static void readingOf(Telegram t, TelegramResult result) {
        Reading r = assertInstanceOf(Reading.class, result, () -> "decoded " + result);
        t.check(r);
        assertEquals(Security.AUTHENTICATED, r.security());
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void blocksInOrderDecode(Line.Transport transport) {
        List<byte[]> blocks = blocks(FIRST, 1);
        assertEquals(7, blocks.size(), "the telegram spans several blocks");
        List<TelegramResult> results = decoder(transport, 8).decodeAll(line(transport, blocks, inOrder(7), SECOND));
        assertEquals(2, results.size(), () -> "results " + results);
        readingOf(FIRST, results.get(0));
        readingOf(SECOND, results.get(1));
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void blocksOutOfOrderAreOneErrorAndTheNextTelegramDecodes(Line.Transport transport) {
        List<Integer> order = List.of(1, 3, 2, 4, 5, 6, 7);
        List<TelegramResult> results = decoder(transport, 8).decodeAll(line(transport, blocks(FIRST, 1), order, SECOND));
        assertEquals(2, results.size(), () -> "results " + results);
        // at the number of block 3, the one out of sequence
        assertEquals(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, numberAt(transport, blocks(FIRST, 1), order, 1)),
                results.get(0));
        readingOf(SECOND, results.get(1));
    }

    /**
     * A damaged frame between two blocks: the transfer goes on, and the error, which lies after
     * the transfer's start, comes after its reading.
     */
    @ParameterizedTest
    @EnumSource(value = Line.Transport.class, names = {"MBUS", "HDLC"})
    void aDamagedFrameBetweenBlocksDoesNotBreakTheTransfer(Line.Transport transport) {
        Framing framing = Line.framing(transport, 64);
        List<byte[]> blocks = blocks(FIRST, 1);
        List<byte[]> parts = new ArrayList<>();
        long damagedAt = 0;
        for (int n = 1; n <= blocks.size(); n++) {
            parts.add(framing.encode(blocks.get(n - 1)));
            if (n == 3) {
                damagedAt = Framing.concat(parts).length;
                byte[] damaged = framing.encode(Apdu.block(0, 9, 0, new byte[] {1, 2, 3}));
                damaged[damaged.length - 3] ^= 0x01;        // its checksum or FCS
                parts.add(damaged);
            }
        }
        for (byte[] b : blocks(SECOND, 9)) {
            parts.add(framing.encode(b));
        }
        List<TelegramResult> results = decoder(transport, 8).decodeAll(Framing.concat(parts));
        assertEquals(3, results.size(), () -> "results " + results);
        readingOf(FIRST, results.get(0));
        DecodeError e = assertInstanceOf(DecodeError.class, results.get(1));
        assertEquals(org.meterspec.runtime.Layer.TRANSPORT, e.layer());
        long frameAt = damagedAt;
        assertTrue(e.offset() >= frameAt, () -> e + " before the damaged frame at " + frameAt);
        readingOf(SECOND, results.get(2));
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void aMissingLastBlockIsReportedWhenTheNextTransferStarts(Line.Transport transport) {
        List<TelegramResult> results = decoder(transport, 8).decodeAll(line(transport, blocks(FIRST, 1),
                inOrder(6), SECOND));
        assertEquals(2, results.size(), () -> "results " + results);
        // the transfer cut short is reported where it began
        assertEquals(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 0), results.get(0));
        readingOf(SECOND, results.get(1));
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void aRepeatedFirstBlockRestartsTheTransfer(Line.Transport transport) {
        List<TelegramResult> results = decoder(transport, 8).decodeAll(line(transport, blocks(FIRST, 1),
                List.of(1, 1, 2, 3, 4, 5, 6, 7), SECOND));
        assertEquals(3, results.size(), () -> "results " + results);
        assertEquals(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 0), results.get(0));
        readingOf(FIRST, results.get(1));
        readingOf(SECOND, results.get(2));
    }

    /** Blocks are numbered from 1: a block 0 is reported, also when nothing follows it. */
    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void aBlockNumberedZeroIsAnError(Line.Transport transport) {
        byte[] zero = Line.framing(transport, 64).encode(Apdu.block(0, 0, 0, new byte[] {0x0F}));
        byte[] before = line(transport, blocks(FIRST, 1), inOrder(7), SECOND);
        byte[] first = Framing.concat(List.of(before, zero));
        List<TelegramResult> results = decoder(transport, 8).decodeAll(first);
        assertEquals(3, results.size(), () -> "results " + results);
        readingOf(FIRST, results.get(0));
        readingOf(SECOND, results.get(1));
        long number = before.length + indexOf(zero, new byte[] {(byte) 0xE0, 0, 0, 0}) + 2;
        assertEquals(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, number), results.get(2));
    }

    /**
     * A transfer the stream ends inside is reported, even when its blocks carried no data yet, at
     * the telegram that began it.
     */
    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void aTransferCutOffByTheEndOfTheStreamIsReported(Line.Transport transport) {
        Framing framing = Line.framing(transport, 64);
        byte[] before = new byte[3];
        for (byte[] block : List.of(blocks(FIRST, 1).get(0), Apdu.block(0, 1, 0, new byte[0]))) {
            byte[] data = Framing.concat(List.of(before, framing.encode(block)));
            List<TelegramResult> results = decoder(transport, 8).decodeAll(data);
            assertEquals(List.of(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, before.length)), results);
        }
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void moreBlocksThanTheSpecAllows(Line.Transport transport) {
        List<TelegramResult> results = decoder(transport, 6).decodeAll(line(transport, blocks(FIRST, 1),
                inOrder(7), telegram(3, 2)));
        assertEquals(2, results.size(), () -> "results " + results);
        assertEquals(new DecodeError(ErrorCode.GBT_TOO_MANY_BLOCKS, numberAt(transport, blocks(FIRST, 1), inOrder(7), 6)),
                results.get(0));
        readingOf(telegram(3, 2), results.get(1));
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void blockTransferTheSpecDoesNotAllow(Line.Transport transport) {
        List<TelegramResult> results = decoder(transport, 0).decodeAll(line(transport, blocks(FIRST, 1),
                inOrder(7), SECOND));
        assertEquals(7 + blocks(SECOND, 9).size(), results.size(), () -> "results " + results);
        for (TelegramResult r : results) {
            assertEquals(ErrorCode.GBT_NOT_ALLOWED, assertInstanceOf(DecodeError.class, r).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Line.Transport.class)
    void aPlainNotificationInBlocks(Line.Transport transport) {
        TripletDecoder decoder = Line.decoder(transport);
        Framing framing = Line.framing(transport, 250);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] block : Apdu.blocks(FIRST.apdu(), 77)) {
            frames.add(framing.encode(block));
        }
        List<TelegramResult> results = decoder.decodeAll(Framing.concat(frames));
        assertEquals(1, results.size(), () -> "results " + results);
        Reading r = assertInstanceOf(Reading.class, results.get(0));
        FIRST.check(r);
        assertEquals(Security.NONE, r.security());
    }
}
