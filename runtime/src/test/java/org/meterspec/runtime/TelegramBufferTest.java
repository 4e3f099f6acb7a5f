package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.runtime.Frames.hex;

import org.junit.jupiter.api.Test;

/** A telegram's bytes and where in the stream each piece came from. */
class TelegramBufferTest {

    @Test
    void offsetsInsideAJoinedTelegramMapBackToTheStream() {
        TelegramBuffer t = new TelegramBuffer(16, 3);
        t.begin(100);
        byte[] stream = hex("00112233445566778899");
        t.append(stream, 2, 3, 102, 100);   // telegram 0..2 from stream 102..104
        t.append(stream, 7, 2, 150, 140);   // telegram 3..4 from stream 150..151
        assertEquals(5, t.length);
        assertEquals("2233447788", Recorder.hex(java.util.Arrays.copyOf(t.bytes, t.length)));
        assertEquals(102, t.streamOffset(0));
        assertEquals(104, t.streamOffset(2));
        assertEquals(150, t.streamOffset(3));
        assertEquals(151, t.streamOffset(4));
        assertEquals(152, t.streamOffset(5), "the end maps to the byte after the last piece");
        assertEquals(100, t.start);
    }

    @Test
    void theTelegramFromALaterFrameOn() {
        TelegramBuffer t = new TelegramBuffer(16, 3);
        t.begin(100);
        byte[] stream = hex("00112233445566778899");
        t.append(stream, 2, 3, 102, 100);
        t.append(stream, 7, 2, 150, 140);
        t.append(stream, 0, 1, 170, 160);
        TelegramBuffer tail = new TelegramBuffer(0, 3);
        t.suffix(1, tail);
        assertEquals(140, tail.start, "it begins where the frame of its first piece begins");
        assertEquals(3, tail.length);
        assertEquals(0x77, tail.at(0));
        assertEquals(0x00, tail.at(2));
        assertEquals(151, tail.streamOffset(1));
        assertEquals(170, tail.streamOffset(2));
        assertEquals(2, tail.pieces);
    }

    @Test
    void droppingTheFirstFrame() {
        TelegramBuffer t = new TelegramBuffer(16, 3);
        t.begin(100);
        t.append(hex("AABB"), 0, 2, 109, 100);
        t.append(hex("CCDDEE"), 0, 3, 209, 200);
        t.dropFirst();
        assertEquals(1, t.pieces);
        assertEquals("CCDDEE", Recorder.hex(java.util.Arrays.copyOf(t.bytes, t.length)));
        assertEquals(210, t.streamOffset(1));
        assertEquals(100, t.start, "the telegram still began where it began");
        assertTrue(t.fits(13));
    }

    @Test
    void itHoldsWhatTheSpecBoundsAndNoMore() {
        TelegramBuffer t = new TelegramBuffer(4, 2);
        t.begin(0);
        assertTrue(t.fits(4));
        assertFalse(t.fits(5), "more bytes than the telegram may have");
        t.append(new byte[2], 0, 2, 0, 0);
        t.append(new byte[1], 0, 1, 10, 10);
        assertFalse(t.fits(0), "more pieces than the telegram may have frames");
    }

    @Test
    void aViewIsTheStreamsOwnBytes() {
        byte[] stream = hex("AABBCCDD");
        TelegramBuffer t = new TelegramBuffer(0, 1);
        t.view(stream, 1, 2, 41, null);
        assertSame(stream, t.bytes);
        assertEquals(0xBB, t.at(0));
        assertEquals(42, t.streamOffset(1));
        assertEquals(41, t.start);
    }
}
