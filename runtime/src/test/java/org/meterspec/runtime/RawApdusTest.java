package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.runtime.Frames.hex;
import static org.meterspec.runtime.Recorder.frame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bare APDUs: one telegram per measured frame, and false starts reported once. */
class RawApdusTest {
    private final Recorder out = new Recorder();
    private final RawApdus raw = new RawApdus(DecoderConfig.builder("t", "0").raw().build());
    private final byte[] stream = hex("DB0102030405060708090A0B0C0D0E0F");

    @Test
    void aMeasuredApduIsATelegramInPlace() {
        assertTrue(raw.frame(stream, 0, frame(4, 0, 4, -1, false), 100, out));
        assertEquals(List.of("telegram@100 DB010203"), out.events);
    }

    @Test
    void candidatesInsideOneThatFailedAreNotReportedAgain() {
        out.decodes = false;
        assertFalse(raw.frame(stream, 0, frame(8, 0, 8, -1, false), 0, out), "looked at again one byte on");
        raw.frame(stream, 3, frame(4, 3, 4, -1, false), 3, out);
        raw.frame(stream, 8, frame(4, 8, 4, -1, false), 8, out);
        assertEquals(List.of("telegram@0 DB01020304050607", "telegram@3 03040506 quiet", "telegram@8 08090A0B"),
                out.events);
    }

    @Test
    void afterAnUnmeasurableCandidateNothingIsReportedUntilOneDecodes() {
        out.decodes = false;
        Scan unmeasured = frame(1, 0, 16, -1, false);
        unmeasured.unmeasured = true;
        raw.frame(stream, 0, unmeasured, 0, out);
        raw.frame(stream, 11, frame(2, 11, 2, -1, false), 11, out);
        out.decodes = true;
        raw.frame(stream, 12, frame(1, 12, 1, -1, false), 12, out);
        out.decodes = false;
        raw.frame(stream, 13, frame(2, 13, 2, -1, false), 13, out);
        // a telegram that decodes is reported whatever the flag says about failures
        assertEquals(List.of("telegram@0 DB0102030405060708090A0B0C0D0E0F", "telegram@11 0B0C quiet",
                "telegram@12 0C quiet", "telegram@13 0D0E"), out.events);
    }
}
