package org.meterspec.engine.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.meterspec.engine.inspect.Inspector;
import org.meterspec.engine.inspect.Telegram;
import org.meterspec.model.Transport;

/**
 * Writes a capture to a port as a meter sends it: telegram by telegram, each at the line rate,
 * with a pause between them (a meter's push interval).
 */
public final class Replayer {
    /** Pacing granularity: the bytes of about this long are written at once. */
    private static final long SLICE_NANOS = 20_000_000L;

    private Replayer() {
    }

    /**
     * The capture cut into telegrams, as the inspector frames it with {@code transport} (detected
     * when null): each piece from a telegram's first byte to the next one's, what comes before the
     * first with the first. One piece when no telegram is found.
     */
    public static List<byte[]> split(byte[] capture, Transport transport) {
        Inspector.Options options = Inspector.Options.DETECT;
        if (transport != null) {
            Inspector.Transport t = transport instanceof Transport.Mbus ? Inspector.Transport.MBUS
                    : transport instanceof Transport.Hdlc ? Inspector.Transport.HDLC : Inspector.Transport.RAW;
            options = new Inspector.Options(t, options.mbusLengthWrap(), false, null, null, null);
        }
        List<Integer> starts = new ArrayList<>();
        try {
            for (Telegram t : Inspector.inspect(capture, options).telegrams()) {
                if (t.start() > 0 && (starts.isEmpty() || t.start() > starts.get(starts.size() - 1))) {
                    starts.add(t.start());
                }
            }
        } catch (RuntimeException e) {
            starts.clear(); // cannot be cut: sent whole
        }
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int s : starts) {
            if (s < capture.length) {
                out.add(java.util.Arrays.copyOfRange(capture, from, s));
                from = s;
            }
        }
        out.add(java.util.Arrays.copyOfRange(capture, from, capture.length));
        return out;
    }

    /**
     * Writes the telegrams at the line rate of {@code settings}, {@code intervalMillis} between them,
     * and waits until the last byte has left.
     */
    public static void write(SerialLink link, List<byte[]> telegrams, SerialSettings settings, long intervalMillis)
            throws IOException, InterruptedException {
        double perSecond = settings.bytesPerSecond();
        int slice = Math.max(1, (int) (perSecond * SLICE_NANOS / 1e9));
        for (int i = 0; i < telegrams.size(); i++) {
            if (i > 0 && intervalMillis > 0) {
                Thread.sleep(intervalMillis);
            }
            byte[] t = telegrams.get(i);
            long start = System.nanoTime();
            for (int off = 0; off < t.length; off += slice) {
                int n = Math.min(slice, t.length - off);
                link.write(t, off, n);
                long due = start + (long) ((off + n) * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        link.drain();
    }
}
