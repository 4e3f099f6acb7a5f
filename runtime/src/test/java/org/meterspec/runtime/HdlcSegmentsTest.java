package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.meterspec.runtime.Frames.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HDLC segments joined by the segmentation bit, with and without LLC headers. */
class HdlcSegmentsTest {
    private final Recorder out = new Recorder();

    private static HdlcSegments segments(DecoderConfig.Llc llc) {
        return segments(llc, 16);
    }

    private static HdlcSegments segments(DecoderConfig.Llc llc, int maxFrames) {
        return new HdlcSegments(DecoderConfig.builder("t", "0").maxFrames(maxFrames).maxTelegram(64).maxApdu(64).maxValues(8).hdlc().llc(llc).build());
    }

    /** Feeds a frame at stream offset {@code at} whose information field, at index 9, is {@code info}. */
    private static void frame(HdlcSegments h, long at, boolean more, String info, Recorder out) {
        byte[] d = hex(info);
        byte[] a = new byte[12 + d.length];
        System.arraycopy(d, 0, a, 9, d.length);
        h.frame(a, 0, Recorder.frame(a.length - 1, 9, d.length, -1, more), at, out);
    }

    @Test
    void theLlcHeaderOfTheFirstSegmentIsNotPartOfTheTelegram() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 7, true, "E6E7000F01", out);
        frame(h, 30, false, "0203", out);
        assertEquals(List.of("telegram@7 0F010203"), out.events);
    }

    @Test
    void anLlcHeaderInterruptsTheTelegramBeingJoined() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, true, "E6E7000F01", out);
        frame(h, 30, false, "E6E7000F02", out);
        assertEquals(List.of("HDLC_SEGMENT_SEQUENCE@0", "telegram@30 0F02"), out.events);
    }

    @Test
    void aFrameWithoutTheRequiredLlcHeader() {
        HdlcSegments h = segments(DecoderConfig.Llc.REQUIRED);
        frame(h, 4, false, "0F01", out);
        assertEquals(List.of("HDLC_LLC@4"), out.events);
    }

    @Test
    void withLlcHeadersSeenADamagedTelegramsContinuationIsDropped() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, false, "E6E7000F01", out);
        frame(h, 20, true, "E6E7000F02", out);
        h.damaged(true);
        frame(h, 60, false, "0304", out);
        frame(h, 80, false, "E6E7000F05", out);
        assertEquals(List.of("telegram@0 0F01", "telegram@80 0F05"), out.events);
    }

    @Test
    void withoutLlcHeadersAFrameAfterADamagedOneBeginsATelegram() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        h.damaged(true);
        frame(h, 60, false, "0F06", out);
        assertEquals(List.of("telegram@60 0F06"), out.events);
    }

    /** Without LLC headers a telegram cut off after a segment is joined with the next one's frames. */
    @Test
    void aJoinedTelegramThatDoesNotReadIsTriedFromEachLaterFrame() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, true, "0F02AA", out);          // the first segment of a telegram cut off
        frame(h, 30, false, "0F01BB", out);        // a whole telegram
        frame(h, 60, true, "0F02AA", out);         // cut off again
        frame(h, 90, true, "0F0311", out);         // a telegram in two segments
        frame(h, 120, false, "2233", out);
        assertEquals(List.of("HDLC_SEGMENT_SEQUENCE@0", "telegram@30 0F01BB",
                "HDLC_SEGMENT_SEQUENCE@60", "telegram@90 0F03112233"), out.events);
    }

    @Test
    void whenNoLaterFrameBeginsATelegramThatReadsTheJoinedOneIsHandedOn() {
        HdlcSegments h = segments(DecoderConfig.Llc.ABSENT);
        frame(h, 0, true, "0F02AA", out);
        frame(h, 30, false, "AABB", out);
        assertEquals(List.of("telegram@0 0F02AAAABB"), out.events);
    }

    /** A cut-off telegram and the next together over the frame bound: the newest frames are kept. */
    @Test
    void overTheBoundsWithoutLlcHeadersTheNewestFramesAreKept() {
        HdlcSegments h = segments(DecoderConfig.Llc.ABSENT, 3);
        frame(h, 0, true, "0F09AA", out);          // cut off after two of its frames
        frame(h, 30, true, "BBCC", out);
        frame(h, 60, true, "0F0311", out);         // a telegram in two frames
        frame(h, 90, false, "2233", out);
        assertEquals(List.of("HDLC_SEGMENT_SEQUENCE@0", "telegram@60 0F03112233"), out.events);

        // one telegram longer than the bound: reported once, where it first went over it
        Recorder tooLong = new Recorder();
        HdlcSegments g = segments(DecoderConfig.Llc.ABSENT, 3);
        for (int i = 0; i < 5; i++) {
            frame(g, 30L * i, i < 4, "AA", tooLong);
        }
        assertEquals(List.of("TOO_MANY_FRAMES@90"), tooLong.events);
        // with the LLC header that marks its start, it fails at once, and the rest is dropped
        Recorder marked = new Recorder();
        HdlcSegments m = segments(DecoderConfig.Llc.OPTIONAL, 3);
        frame(m, 0, true, "E6E7000F09", marked);
        for (int i = 1; i < 5; i++) {
            frame(m, 30L * i, i < 4, "AA", marked);
        }
        assertEquals(List.of("TOO_MANY_FRAMES@90"), marked.events);
    }

    @Test
    void aTelegramThatBeganWithAnLlcHeaderIsNotTriedAgain() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, true, "E6E7000F02AA", out);
        frame(h, 30, false, "0F01BB", out);
        assertEquals(List.of("telegram@0 0F02AA0F01BB"), out.events);
    }

    @Test
    void aFrameWithoutInformationIsIgnored() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, true, "E6E7000F01", out);
        frame(h, 20, false, "", out);
        frame(h, 30, false, "02", out);
        assertEquals(List.of("telegram@0 0F0102"), out.events);
    }
}
