package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.TelegramResult;

/**
 * Garbage between telegrams (line noise, a telegram cut off by a reset) may cost errors but never
 * an intact telegram: every one still decodes, in order, whether fed at once or in chunks. The
 * one exception is noise that, with the bytes after it, forms a frame passing every check of its
 * transport (an 8-bit sum and the stop byte of M-Bus, the FCS of HDLC): no decoder can tell that
 * from a frame the meter sent, and a telegram cut off by a reset followed by the same telegram
 * whole does it now and then.
 */
class NoiseTest {

    @Property(tries = 300)
    void noiseNeverCostsAnIntactTelegram(@ForAll("noisyLines") NoisyLine noisy, @ForAll("chunks") List<Integer> chunks) {
        byte[] data = noisy.stream();
        List<TelegramResult> results = noisy.line().decoder().decodeAll(data);
        List<Reading> readings = new ArrayList<>();
        for (TelegramResult r : results) {
            if (r instanceof Reading reading) {
                readings.add(reading);
            }
        }
        List<Telegram> telegrams = noisy.line().telegrams();
        assertEquals(Line.json(results), Line.json(Line.feed(noisy.line().decoder(), data, chunks)));
        if (readings.size() < telegrams.size() && noisy.formsAFrameWithATelegram()) {
            return;
        }
        assertEquals(telegrams.size(), readings.size(), () -> "results " + results);
        for (int i = 0; i < telegrams.size(); i++) {
            telegrams.get(i).check(readings.get(i));
        }
        assertInStreamOrder(results, noisy.starts());
    }

    /**
     * No result comes after one whose stream position lies beyond its own: a reading's position is
     * its telegram's first byte ({@code starts}, in order), a transport error's its offset. Other
     * errors name APDU offsets, not stream positions, and are left out.
     */
    private static void assertInStreamOrder(List<TelegramResult> results, List<Long> starts) {
        long last = -1;
        int reading = 0;
        for (TelegramResult r : results) {
            long position;
            if (r instanceof Reading) {
                position = starts.get(reading++);
            } else if (((org.meterspec.runtime.DecodeError) r).layer() == org.meterspec.runtime.Layer.TRANSPORT) {
                position = ((org.meterspec.runtime.DecodeError) r).offset();
            } else {
                continue;
            }
            long before = last;
            assertTrue(position >= before, () -> "position " + position + " reported after " + before + ": " + results);
            last = position;
        }
    }

    /**
     * HDLC without LLC headers, where nothing marks a first segment: before each telegram, the
     * first frames of another one whose last frames never came. Each intact telegram still decodes.
     */
    @Property(tries = 150)
    void withoutLlcHeadersATelegramCutOffNeverCostsTheNextOne(@ForAll("cutOffLines") List<List<byte[]>> frames,
                                                           @ForAll("chunks") List<Integer> chunks) {
        TripletDecoder decoder = new TripletDecoder(TripletDecoder.configure().acceptPlain(true).acceptGlo(false).acceptDed(false)
                .hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(org.meterspec.runtime.DecoderConfig.Llc.ABSENT).build(), org.meterspec.runtime.Keys.none());
        List<byte[]> parts = new ArrayList<>();
        int intact = frames.size() / 2;
        for (int i = 0; i < frames.size(); i++) {
            List<byte[]> telegram = frames.get(i);
            // even entries are cut off after at least one and before their last frame
            parts.addAll(i % 2 == 0 ? telegram.subList(0, Math.max(1, telegram.size() / 2)) : telegram);
        }
        byte[] data = Framing.concat(parts);
        List<TelegramResult> results = decoder.decodeAll(data);
        long readings = results.stream().filter(TelegramResult::isOk).count();
        assertEquals(intact, readings, () -> "results " + results);
        assertEquals(Line.json(results), Line.json(Line.feed(decoder, data, chunks)));
    }

    /** Pairs of a telegram in at least two frames, which will be cut off, and an intact one. */
    @Provide
    Arbitrary<List<List<byte[]>>> cutOffLines() {
        Arbitrary<List<byte[]>> framed = Combinators.combine(Gen.numericTelegrams(4, 40), Arbitraries.integers().between(16, 120))
                .as((t, size) -> Framing.hdlc().llc(false).maxInfo(Math.max(size, t.apdu().length / 12 + 1)).frames(t.apdu()));
        return framed.filter(f -> f.size() >= 2).list().ofMinSize(1).ofMaxSize(3)
                .flatMap(cut -> framed.list().ofSize(cut.size()).map(whole -> {
                    List<List<byte[]>> out = new ArrayList<>();
                    for (int i = 0; i < cut.size(); i++) {
                        out.add(cut.get(i));
                        out.add(whole.get(i));
                    }
                    return out;
                }));
    }

    /** A line with {@code noise.get(i)} before telegram i and the last element after the last telegram. */
    record NoisyLine(Line line, List<byte[]> noise) {
        /** Where each telegram begins in {@link #stream()}. */
        List<Long> starts() {
            List<Long> out = new ArrayList<>();
            long at = 0;
            for (int i = 0; i < line.telegrams().size(); i++) {
                at += noise.get(i).length;
                out.add(at);
                at += line.encode(i).length;
            }
            return out;
        }

        /**
         * Whether a frame candidate starting in the noise before a telegram ends inside that
         * telegram and passes its transport's checks (M-Bus: stop byte and sum; HDLC: FCS).
         */
        boolean formsAFrameWithATelegram() {
            byte[] a = stream();
            List<Long> starts = starts();
            for (int i = 0; i < starts.size(); i++) {
                int telegram = (int) (long) starts.get(i);
                for (int p = telegram - noise.get(i).length; p < telegram; p++) {
                    int end = frameEnd(a, p);
                    if (end > telegram) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The end of a frame that passes its checks at a[p], or -1. */
        private int frameEnd(byte[] a, int p) {
            if (line.transport() == Line.Transport.MBUS) {
                if (p + 4 > a.length || (a[p] & 0xFF) != 0x68 || a[p + 1] != a[p + 2] || (a[p + 3] & 0xFF) != 0x68) {
                    return -1;
                }
                int l = a[p + 1] & 0xFF;
                int end = p + l + 6;
                if (end > a.length || (a[end - 1] & 0xFF) != 0x16) {
                    return -1;
                }
                int sum = 0;
                for (int k = p + 4; k < p + 4 + l; k++) {
                    sum += a[k] & 0xFF;
                }
                return (sum & 0xFF) == (a[p + 4 + l] & 0xFF) ? end : -1;
            }
            if (line.transport() == Line.Transport.HDLC) {
                if (p + 3 > a.length || (a[p] & 0xFF) != 0x7E || (a[p + 1] & 0xF0) != 0xA0) {
                    return -1;
                }
                int len = ((a[p + 1] & 0x07) << 8) | (a[p + 2] & 0xFF);
                int end = p + len + 2;
                if (len < 7 || end > a.length || (a[end - 1] & 0xFF) != 0x7E) {
                    return -1;
                }
                int fcs = HdlcFraming.crc16(a, p + 1, len - 2);
                int sent = (a[p + len - 1] & 0xFF) | (a[p + len] & 0xFF) << 8;
                return fcs == sent ? end : -1;
            }
            return -1; // bare APDUs: the noise holds no APDU start byte
        }

        byte[] stream() {
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0; i < line.telegrams().size(); i++) {
                parts.add(noise.get(i));
                parts.add(line.encode(i));
            }
            parts.add(noise.get(line.telegrams().size()));
            return Framing.concat(parts);
        }

        @Override
        public String toString() {
            return line + " noise " + noise.stream().map(Hex::encode).toList();
        }
    }

    @Provide
    Arbitrary<NoisyLine> noisyLines() {
        return StreamTest.lines(Arbitraries.of(Line.Transport.class)).flatMap(line -> {
            Arbitrary<byte[]> noise = noise(line);
            return noise.list().ofSize(line.telegrams().size() + 1).map(n -> new NoisyLine(line, n));
        });
    }

    /**
     * Random bytes, bytes full of start bytes (0x68, 0x7E, 0xA0, 0x0F, 0xDB, ...), and the first
     * part of a telegram of the same line. Bare APDUs have no framing: a false block-transfer
     * header in noise can claim the bytes of the APDU after it, so on raw streams the noise holds
     * no APDU start byte (RawFramerTest covers false starts that do not decode).
     */
    private static Arbitrary<byte[]> noise(Line line) {
        Arbitrary<byte[]> random = Gen.octets(150);
        Arbitrary<byte[]> starts = Arbitraries.of(0x68, 0x16, 0x7E, 0xA0, 0xA8, 0x0F, 0xDB, 0xE0, 0xE6, 0x00, 0xFA)
                .map(b -> (byte) (int) b).list().ofMaxSize(40).map(NoiseTest::bytes);
        if (line.transport() == Line.Transport.RAW) {
            return Arbitraries.oneOf(random, starts).map(NoiseTest::withoutApduStarts);
        }
        Arbitrary<byte[]> cut = Combinators.combine(Arbitraries.integers().between(0, line.telegrams().size() - 1),
                Arbitraries.doubles().between(0, 1)).as((i, at) -> {
                    // at least the last two bytes cut: a telegram missing only its closing flag or
                    // stop byte is still whole when the next byte happens to be one
                    byte[] t = line.encode(i);
                    return Arrays.copyOf(t, (int) (at * (t.length - 2)));
                });
        return Arbitraries.frequencyOf(Tuple.of(3, random), Tuple.of(2, starts), Tuple.of(2, cut),
                Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
        }
        return b;
    }

    private static byte[] withoutApduStarts(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int x = out[i] & 0xFF;
            if (x == 0x0F || x == 0xDB || x == 0xDC || x == 0xE0) {
                out[i] = 0x55;
            }
        }
        return out;
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 300).list().ofMinSize(1).ofMaxSize(8);
    }
}
