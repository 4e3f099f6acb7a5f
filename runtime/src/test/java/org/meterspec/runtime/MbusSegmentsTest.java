package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.meterspec.runtime.Frames.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

/** M-Bus segments joined by their CI numbering, straight from frames the framer found. */
class MbusSegmentsTest {
    private final Recorder out = new Recorder();

    private static MbusSegments segments(int maxFrames, int maxTelegram) {
        return new MbusSegments(DecoderConfig.builder("t", "0").maxFrames(maxFrames).maxTelegram(maxTelegram).maxApdu(maxTelegram).maxValues(8)
                .mbus().build());
    }

    /** Feeds a frame of 20 bytes at stream offset {@code at} whose payload is {@code data} at index 9. */
    private static void frame(MbusSegments m, long at, int segment, boolean more, String data, Recorder out) {
        byte[] a = new byte[20];
        byte[] d = hex(data);
        System.arraycopy(d, 0, a, 9, d.length);
        m.frame(a, 0, Recorder.frame(20, 9, d.length, segment, more), at, out);
    }

    @Test
    void segmentsNumberedFromZeroAreOneTelegram() {
        MbusSegments m = segments(16, 64);
        frame(m, 5, 0, true, "0F01", out);
        assertEquals(5, m.openSince());
        frame(m, 25, 1, true, "0203", out);
        frame(m, 45, 2, false, "04", out);
        assertEquals(List.of("telegram@5 0F01020304"), out.events);
        assertEquals(-1, m.openSince());
    }

    @Test
    void aSegmentOutOfSequenceIsReportedAtItsFrameAndTheRestDropped() {
        MbusSegments m = segments(16, 64);
        frame(m, 0, 0, true, "0F", out);
        frame(m, 20, 2, true, "01", out);
        frame(m, 40, 3, false, "02", out);
        assertEquals(List.of("MBUS_SEGMENT_SEQUENCE@20"), out.events);
    }

    @Test
    void aNewFirstSegmentReportsTheUnfinishedTelegramAtItsStart() {
        MbusSegments m = segments(16, 64);
        frame(m, 3, 0, true, "0F", out);
        frame(m, 23, 0, false, "0F02", out);
        assertEquals(List.of("MBUS_SEGMENT_SEQUENCE@3", "telegram@23 0F02"), out.events);
    }

    @Test
    void afterADamagedFrameItsContinuationIsDroppedSilently() {
        MbusSegments m = segments(16, 64);
        frame(m, 0, 0, true, "0F", out);
        m.damaged(true);
        assertEquals(-1, m.openSince());
        frame(m, 40, 1, false, "01", out);
        frame(m, 60, 0, false, "0F03", out);
        assertEquals(List.of("telegram@60 0F03"), out.events);
    }

    @Test
    void theSpecsBoundsOnFramesAndLength() {
        MbusSegments m = segments(2, 64);
        frame(m, 0, 0, true, "0F", out);
        frame(m, 20, 1, true, "01", out);
        frame(m, 40, 2, false, "02", out);
        assertEquals(List.of("TOO_MANY_FRAMES@40"), out.events);

        Recorder longer = new Recorder();
        MbusSegments small = segments(16, 3);
        frame(small, 0, 0, true, "0F01", longer);
        frame(small, 20, 1, false, "0203", longer);
        assertEquals(List.of("TELEGRAM_TOO_LONG@20"), longer.events);
    }
}
