package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * The JSON lines the Java decoders print for every example capture, and for fixed damaged copies
 * of each, are kept in {@code lines/examples.txt}: a change of output shows up as a diff to review.
 * After an intended change run {@code mvn -pl conformance -am verify -Dmeterspec.lines.update=true}
 * and commit the file with the reason.
 */
class OutputUnchangedTest {
    private static final Path GOLDEN = Path.of("conformance/src/test/resources/lines/examples.txt");
    private static final boolean UPDATE = Boolean.getBoolean("meterspec.lines.update");
    /** Damaged copies per example capture. */
    private static final int MUTATIONS = 24;

    @Test
    void everyExampleAndDamagedCopyPrintsTheLinesItPrintedBefore() throws IOException {
        String actual = render();
        if (UPDATE) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(GOLDEN), "no " + GOLDEN + ": run with -Dmeterspec.lines.update=true");
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual,
                "decoder output changed; if intended, run: mvn -pl conformance -am verify -Dmeterspec.lines.update=true");
    }

    private static String render() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (MeterModel model : Specs.all()) {
            var factory = Specs.factory(model);
            for (ExampleSpec example : model.examples()) {
                byte[] capture = example.captureFile() != null ? Captures.read(example.captureFile())
                        : Captures.parseHex(example.captureHex());
                MeterDecoder decoder = factory.create(Keys.ofHex(example.key(), example.authKey()), false);
                sb.append("== ").append(model.file()).append(" / ").append(example.name()).append('\n');
                lines(decoder, capture, sb);
                Random random = new Random(model.name().hashCode() * 31L + example.name().hashCode());
                for (int i = 0; i < MUTATIONS; i++) {
                    String[] how = new String[1];
                    byte[] damaged = damage(capture, random, how);
                    sb.append("-- ").append(i).append(' ').append(how[0]).append('\n');
                    lines(decoder, damaged, sb);
                }
            }
        }
        return sb.toString();
    }

    /** The lines of the whole capture, then of the one-shot decode. */
    private static void lines(MeterDecoder decoder, byte[] input, StringBuilder sb) {
        List<TelegramResult> results = new ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> results.add(r));
        stream.feed(input);
        stream.finish();
        for (int i = 0; i < results.size(); i++) {
            sb.append(results.get(i).toJson(i + 1)).append('\n');
        }
        sb.append("one-shot ").append(decoder.decode(input).toJson(1)).append('\n');
    }

    static byte[] damage(byte[] b, Random r, String[] how) {
        if (b.length < 2) {
            how[0] = "none";
            return b;
        }
        int at = r.nextInt(b.length);
        int n = 1 + r.nextInt(Math.min(16, b.length - at));
        switch (r.nextInt(6)) {
            case 0 -> {
                byte[] out = b.clone();
                int bit = r.nextInt(8);
                out[at] ^= (byte) (1 << bit);
                how[0] = "flip bit " + bit + " at " + at;
                return out;
            }
            case 1 -> {
                byte[] out = Bytes.drop(b, at, n);
                how[0] = "drop " + n + " at " + at;
                return out;
            }
            case 2 -> {
                byte[] noise = new byte[n];
                r.nextBytes(noise);
                how[0] = "insert " + n + " random at " + at;
                return Bytes.splice(b, at, noise);
            }
            case 3 -> {
                how[0] = "repeat " + n + " at " + at;
                return Bytes.splice(b, at, java.util.Arrays.copyOfRange(b, at, at + n));
            }
            case 4 -> {
                how[0] = "cut at " + at;
                return java.util.Arrays.copyOf(b, at);
            }
            default -> {
                how[0] = "twice, second cut at " + at;
                byte[] out = new byte[b.length + at];
                System.arraycopy(b, 0, out, 0, b.length);
                System.arraycopy(b, 0, out, b.length, at);
                return out;
            }
        }
    }
}
