package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.meterspec.runtime.Frames.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HDLC segments joined by the segmentation bit, with and without LLC headers. */
class HdlcSegmentsTest {
    private final Recorder out = new Recorder();

    private static HdlcSegments segments(DecoderConfig.Llc llc) {
        return new HdlcSegments(DecoderConfig.builder("t", "0").bounds(16, 64, 64, 8).hdlc(0, 0, llc).build());
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

    @Test
    void aFrameWithoutInformationIsIgnored() {
        HdlcSegments h = segments(DecoderConfig.Llc.OPTIONAL);
        frame(h, 0, true, "E6E7000F01", out);
        frame(h, 20, false, "", out);
        frame(h, 30, false, "02", out);
        assertEquals(List.of("telegram@0 0F0102"), out.events);
    }
}
