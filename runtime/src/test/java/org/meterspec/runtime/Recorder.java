package org.meterspec.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A sink for reassembler and block-assembler tests: what came out, in order, as text. */
final class Recorder implements Reassembler.Sink {
    final List<String> events = new ArrayList<>();
    /** What {@link #telegram} answers: whether the APDU decoded. */
    boolean decodes = true;

    @Override
    public boolean telegram(TelegramBuffer t, boolean report) {
        byte[] b = Arrays.copyOfRange(t.bytes, t.off, t.off + t.length);
        // "quiet": a failure to decode would not be reported
        events.add("telegram@" + t.start + " " + hex(b) + (report ? "" : " quiet"));
        return decodes;
    }

    /** Telegrams that read: {@code 0F n} and exactly n more bytes, a stand-in for an APDU that decodes. */
    @Override
    public boolean reads(TelegramBuffer t) {
        return t.length >= 2 && t.at(0) == 0x0F && t.length == 2 + t.at(1);
    }

    @Override
    public void error(ErrorCode code, long offset) {
        events.add(code + "@" + offset);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x));
        }
        return sb.toString();
    }

    /** A scan that found a frame of {@code consumed} bytes at {@code a[p]} with the given payload. */
    static Scan frame(int consumed, int payloadOff, int payloadLen, int segment, boolean more) {
        Scan s = new Scan();
        s.frame(consumed, payloadOff, payloadLen, segment, more);
        return s;
    }
}
