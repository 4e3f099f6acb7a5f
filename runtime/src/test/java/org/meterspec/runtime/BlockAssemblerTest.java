package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.runtime.Frames.hex;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * General Block Transfer blocks joined into one APDU, straight from transport telegrams. Each test
 * telegram's payload starts 9 bytes after the telegram, as in an M-Bus frame; errors name stream
 * offsets.
 */
class BlockAssemblerTest {
    private final Recorder out = new Recorder();
    private final BlockAssembler blocks = assembler(4, 64);

    private static BlockAssembler assembler(int maxBlocks, int maxApdu) {
        return new BlockAssembler(DecoderConfig.builder("t", "0").maxFrames(16).maxTelegram(64).maxApdu(maxApdu).maxValues(8).blockTransfer(maxBlocks).build());
    }

    /** {@code E0 control number ack length data}, as a telegram that began at stream offset {@code at}. */
    private static TelegramBuffer block(int number, boolean last, String data, long at) {
        byte[] d = hex(data);
        byte[] b = new byte[7 + d.length];
        b[0] = (byte) 0xE0;
        b[1] = (byte) (last ? 0xC0 : 0x40);
        b[2] = (byte) (number >> 8);
        b[3] = (byte) number;
        b[6] = (byte) d.length;
        System.arraycopy(d, 0, b, 7, d.length);
        return telegram(b, at);
    }

    private static TelegramBuffer telegram(byte[] b, long at) {
        TelegramBuffer t = new TelegramBuffer(b.length, 1);
        t.begin(at);
        t.append(b, 0, b.length, at + 9, at);
        return t;
    }

    private String apdu() {
        return Recorder.hex(Arrays.copyOf(blocks.apdu(), blocks.completed()));
    }

    @Test
    void blocksInOrderAreOneApdu() {
        assertFalse(blocks.block(block(1, false, "0F01", 10), out));
        assertEquals(10, blocks.openSince());
        assertFalse(blocks.block(block(2, false, "0203", 50), out));
        assertTrue(blocks.block(block(3, true, "04", 90), out));
        assertEquals("0F01020304", apdu());
        assertEquals(10, blocks.completedStart());
        assertEquals(-1, blocks.openSince());
        assertEquals(List.of(), out.events);
    }

    @Test
    void aBlockOutOfSequenceBreaksTheTransferOnce() {
        blocks.block(block(1, false, "0F", 0), out);
        blocks.block(block(3, false, "03", 40), out);
        blocks.block(block(2, false, "02", 80), out);
        assertEquals(-1, blocks.openSince());
        assertTrue(blocks.block(block(1, true, "0F05", 120), out), "a new transfer");
        assertEquals("0F05", apdu());
        // block 3 arrived in the telegram at 40: its number field is at 40 + 9 + 2
        assertEquals(List.of("GBT_BLOCK_SEQUENCE@51"), out.events);
    }

    @Test
    void aTelegramThatIsNoBlockCutsAnOpenTransferShort() {
        blocks.block(block(1, false, "0F", 0), out);
        blocks.block(block(2, false, "01", 30), out);
        blocks.interrupt(out);
        blocks.interrupt(out);
        assertEquals(List.of("GBT_BLOCK_SEQUENCE@0"), out.events, "reported once, where the transfer began");
    }

    @Test
    void aNewFirstBlockCutsTheOpenTransferShort() {
        blocks.block(block(1, false, "0F", 7), out);
        assertTrue(blocks.block(block(1, true, "0F02", 40), out));
        assertEquals("0F02", apdu());
        assertEquals(40, blocks.completedStart());
        assertEquals(List.of("GBT_BLOCK_SEQUENCE@7"), out.events);
    }

    @Test
    void aBlockSplitOverFramesNamesTheStreamByteOfItsField() {
        // the block's first two bytes in one frame, the rest from stream offset 200 on
        byte[] b = hex("E040000300000105");
        TelegramBuffer t = new TelegramBuffer(16, 2);
        t.begin(0);
        t.append(b, 0, 2, 9, 0);
        t.append(b, 2, b.length - 2, 200, 191);
        blocks.block(t, out);
        assertEquals(List.of("GBT_BLOCK_SEQUENCE@200"), out.events);
    }

    @Test
    void aTransferSurvivesAFewRunsOfDamagedFramesBetweenItsBlocks() {
        blocks.block(block(1, false, "0F", 0), out);
        for (int i = 0; i < BlockAssembler.MAX_DAMAGE; i++) {
            blocks.damaged();
        }
        assertTrue(blocks.block(block(2, true, "02", 60), out), "noise between blocks");
        assertEquals("0F02", apdu());

        blocks.block(block(1, false, "0F", 100), out);
        for (int i = 0; i <= BlockAssembler.MAX_DAMAGE; i++) {
            blocks.damaged();
        }
        assertEquals(-1, blocks.openSince(), "given up: what waits for it must stay bounded");
        assertFalse(blocks.block(block(2, true, "02", 160), out));
        assertEquals(List.of(), out.events);
    }

    @Test
    void afterADamagedFrameTheNextBlockOutOfSequenceIsNotReportedAgain() {
        blocks.block(block(1, false, "0F", 0), out);
        blocks.damaged();
        blocks.block(block(3, false, "03", 40), out);
        assertEquals(List.of(), out.events);
    }

    @Test
    void theSpecsBounds() {
        BlockAssembler two = assembler(2, 64);
        two.block(block(1, false, "0F", 0), out);
        two.block(block(2, false, "01", 30), out);
        two.block(block(3, true, "02", 60), out);
        BlockAssembler small = assembler(4, 2);
        small.block(block(1, false, "0F01", 0), out);
        small.block(block(2, true, "02", 30), out);
        BlockAssembler none = assembler(0, 64);
        none.block(block(1, true, "0F", 0), out);
        // the number of the block beyond the bound, the block that overflows, the block not allowed
        assertEquals(List.of("GBT_TOO_MANY_BLOCKS@71", "TELEGRAM_TOO_LONG@39", "GBT_NOT_ALLOWED@9"), out.events);
    }

    @Test
    void aBlockWhoseLengthDoesNotFitItsTelegram() {
        byte[] longer = hex("E0C000010000030F01");        // says 3 data bytes, carries 2
        byte[] shorter = hex("E0C000010000010F01");       // says 1, carries 2
        byte[] header = hex("E0C0000100");                // ends before its length
        blocks.block(telegram(longer, 0), out);
        blocks.block(telegram(shorter, 0), out);
        blocks.block(telegram(header, 0), out);
        // the length field (block byte 6, stream 9 + 6), or the block itself when it has none
        assertEquals(List.of("GBT_BLOCK_LENGTH@15", "GBT_BLOCK_LENGTH@15", "GBT_BLOCK_LENGTH@9"), out.events);
    }

    /** What the HDLC retry asks before it takes a block: nothing changes by asking. */
    @Test
    void whetherABlockReads() {
        blocks.block(block(1, false, "0F", 0), out);
        assertTrue(blocks.readable(block(5, false, "01", 30)), "sound, though out of sequence");
        assertFalse(blocks.readable(telegram(hex("E0400002000005"), 30)));
        assertFalse(blocks.readable(telegram(hex("E04000"), 30)));
        assertFalse(assembler(0, 64).readable(block(1, true, "0F", 0)), "the spec takes no blocks");
        assertEquals(0, blocks.openSince());
        assertTrue(blocks.block(block(2, true, "02", 60), out));
        assertEquals("0F02", apdu());
        assertEquals(List.of(), out.events);
    }

    @Test
    void anUnreadableBlockBreaksTheTransferItInterrupts() {
        blocks.block(block(1, false, "0F", 0), out);
        blocks.block(telegram(hex("E0400002000005"), 30), out);
        assertEquals(-1, blocks.openSince());
        blocks.block(block(3, true, "03", 60), out);
        assertEquals(List.of("GBT_BLOCK_LENGTH@45"), out.events, "the next block is its consequence, not reported again");
    }
}
