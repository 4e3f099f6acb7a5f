package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.Tolerance;
import org.meterspec.testkit.Apdu;
import org.meterspec.testkit.AxdrWriter;
import org.meterspec.testkit.Ciphered;
import org.meterspec.testkit.Framing;
import org.meterspec.testkit.HdlcFraming;
import org.meterspec.testkit.MbusFraming;

/**
 * The whole C pipeline against the Java one, without the generator: the test meter (a hand-written
 * body, triplets.c and TripletMeter) on telegrams the testkit builds independently (M-Bus and
 * HDLC framing with and without LLC headers, bare APDUs, glo and ded ciphering with every
 * security control real meters send and some they do not, right and wrong keys, General Block
 * Transfer), damaged, with noise between them, fed in chunks of every size or one-shot, under
 * configurations that tighten every bound. The C decoder, on each crypto back end, must print
 * exactly the lines the Java decoder prints: every reading with all its fields and values, every
 * error with its code, offset and length, in the same order. Failures shrink to a case that goes
 * into c-stream/regressions.txt, which is replayed first.
 */
class CStreamDifferentialTest {
    static final byte[] TITLE = HexFormat.of().parseHex("4B464D6750000009");
    static final byte[] EK = HexFormat.of().parseHex("00112233445566778899AABBCCDDEEFF");
    static final byte[] AK = HexFormat.of().parseHex("FFEEDDCCBBAA99887766554433221100");
    static final byte[] BK = HexFormat.of().parseHex("0F0E0D0C0B0A09080706050403020100");
    static final byte[] OTHER = HexFormat.of().parseHex("000102030405060708090A0B0C0D0E0F");

    /** What the cases came to: results by kind, for the report in target/c. */
    private static final Map<String, Integer> SEEN = new TreeMap<>();
    private static int cases;

    static synchronized void count(List<String> lines) {
        cases++;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("E")) {
                SEEN.merge(f[2] + (f[4].equals("0") ? "" : " (run)"), 1, Integer::sum);
            } else if (f[0].equals("R")) {
                SEEN.merge("reading " + f[2], 1, Integer::sum);
            }
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        CStreamHarness.stopAll();
    }

    @AfterContainer
    static void report() throws IOException {
        CStreamHarness.stopAll();
        StringBuilder sb = new StringBuilder(cases + " cases\n");
        SEEN.forEach((k, v) -> sb.append(v).append('\t').append(k).append('\n'));
        Files.createDirectories(CToolchain.OUT);
        Files.writeString(CToolchain.OUT.resolve("differential-results.txt"), sb.toString());
    }

    static void compare(StreamCase c) {
        List<String> java = c.javaLines();
        for (CToolchain.Backend b : CToolchain.Backend.values()) {
            List<String> lines = CStreamHarness.of(b).run(c);
            assertEquals(java, lines, () -> b + " back end differs from Java on this case (add it to regressions.txt):\n" + c);
        }
        count(java);
    }

    @Property(tries = 10000, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void theCDecoderReportsWhatTheJavaDecoderReports(@ForAll("cases") StreamCase c) {
        compare(c);
    }

    /** Every shrunk failure found so far, as its harness input. */
    @Test
    void regressionVectors() {
        List<StreamCase> vectors = regressions();
        assertFalse(vectors.isEmpty());
        for (StreamCase c : vectors) {
            compare(c);
        }
    }

    static List<StreamCase> regressions() {
        try (InputStream in = CStreamDifferentialTest.class.getResourceAsStream("/c-stream/regressions.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertTrue(lines.size() % 3 == 0, "regressions.txt holds meter, keys and run lines");
            List<StreamCase> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i += 3) {
                out.add(StreamCase.parse(lines.get(i), lines.get(i + 1), lines.get(i + 2)).how("regression " + (i / 3 + 1)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- What a case is made of ------------------------------------------------------------------

    /** The meter's configuration and keys. */
    record Config(DecoderConfig.Transport transport, int spec, int bounds, int security, int keys, int blocks,
                  int tolerances, int presence) {
    }

    /** One group: OBIS code, an encoded value, maybe a scaler-unit. */
    record Entry(long obis, byte[] value, boolean scalerUnit, int scaler, int unit) {
    }

    /** The DATA-NOTIFICATION: groups, a miscounted structure, long-form counts, date-time. */
    record Body(List<Entry> entries, int countDelta, int lengthForm, long invokeId, int dateTimeKind, byte[] dateTime,
                byte[] garbage) {
    }

    /** How it is ciphered: 0 plain, 1 glo, 2 ded; the control byte; 1 for a wrong key. */
    record Wrap(int kind, int control, int wrongKey, long frameCounter, int lengthForm) {
    }

    /**
     * How it travels: block size (0 none), a block dropped, swapped or repeated, runs of rejected
     * frames between blocks, frame size, LLC, addresses.
     */
    record Carriage(int blockSize, int blockDamage, int runsBetweenBlocks, boolean streaming, int frameSize, boolean llc,
                    int addresses, boolean wrapped) {
    }

    record Telegram(Body body, Wrap wrap, Carriage carriage) {
    }

    /** Between telegrams: nothing, random bytes, start bytes, or the first part of a telegram. */
    record Noise(int kind, byte[] bytes, int which, int fraction) {
    }

    /** A change to the finished stream: a bit flipped, bytes dropped, inserted, repeated, or the end cut. */
    record Damage(int kind, int where, int n, byte[] bytes) {
    }

    record Feeding(boolean oneShot, List<Integer> chunks) {
    }

    @Provide
    Arbitrary<StreamCase> cases() {
        Arbitrary<Config> config = Combinators.combine(
                Arbitraries.of(DecoderConfig.Transport.class), Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 19),
                Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 19)).as(Config::new);
        Arbitrary<List<Telegram>> telegrams = telegram().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Noise>> noise = noise().list().ofSize(5);
        Arbitrary<List<Damage>> damage = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<Damage>of())),
                Tuple.of(2, damage().list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Feeding> feeding = Combinators.combine(Arbitraries.integers().between(0, 9), chunks())
                .as((k, chunks) -> new Feeding(k == 0, chunks));
        return Combinators.combine(config, telegrams, noise, damage, feeding).as(CStreamDifferentialTest::build);
    }

    static Arbitrary<List<Integer>> chunks() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 300)),
                Tuple.of(1, Arbitraries.of(1, 2, 120, 4096, 100000))).list().ofMinSize(1).ofMaxSize(6);
    }

    static Arbitrary<Telegram> telegram() {
        Arbitrary<Entry> entry = Combinators.combine(obis(), value(), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(-128, 127), Arbitraries.integers().between(0, 255))
                .as((obis, value, su, scaler, unit) -> new Entry(obis, value, su == 1, scaler, unit));
        Arbitrary<List<Entry>> entries = Arbitraries.frequencyOf(
                Tuple.of(6, entry.list().ofMaxSize(6)),
                Tuple.of(1, entry.list().ofMinSize(7).ofMaxSize(40)));
        Arbitrary<Body> body = Combinators.combine(entries,
                Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(-1, 1))),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(1, 2))),
                Arbitraries.longs().between(0, 0xFFFFFFFFL),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)), Tuple.of(3, Arbitraries.just(1)),
                        Tuple.of(1, Arbitraries.of(2, 3))),
                Arbitraries.bytes().array(byte[].class).ofSize(12),
                Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just(new byte[0])),
                        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(30))))
                .as(Body::new);
        Arbitrary<Wrap> wrap = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)), Tuple.of(5, Arbitraries.just(1)),
                        Tuple.of(2, Arbitraries.just(2))),
                Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(0x30, 0x20, 0x10, 0x00, 0x31, 0x21)),
                        Tuple.of(1, Arbitraries.of(0x70, 0x60, 0x50, 0x40, 0x22, 0xB0, 0x02, 0x13, 0x11))),
                Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0)), Tuple.of(1, Arbitraries.just(1))),
                Arbitraries.longs().between(0, 0xFFFFFFFFL),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(1, 2, 4))))
                .as(Wrap::new);
        Arbitrary<Carriage> carriage = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 300))),
                Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(1, 2, 3))),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 7))),
                Arbitraries.of(false, true),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(8, 250)),
                        Tuple.of(1, Arbitraries.of(250, 2000, 16))),
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false))),
                Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(1, 2))),
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .as(Carriage::new);
        return Combinators.combine(body, wrap, carriage).as(Telegram::new);
    }

    static Arbitrary<Long> obis() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(TripletMeter.ENERGY.obis(), TripletMeter.CURRENT.obis(),
                        TripletMeter.METER_ID.obis(), TripletMeter.MESSAGE.obis(), TripletMeter.CLOCK.obis())),
                Tuple.of(1, Arbitraries.longs().between(0, (1L << 48) - 1)));
    }

    /** An encoded A-XDR value: mostly what meters send, sometimes too long or of a type the layout refuses. */
    static Arbitrary<byte[]> value() {
        Arbitrary<byte[]> octets = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 0xFFFFFFFFL).map(v -> new AxdrWriter().uint32(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(-128, 127).map(v -> new AxdrWriter().int8(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(-32768, 32767).map(v -> new AxdrWriter().int16(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().map(v -> new AxdrWriter().int32(v).toByteArray())),
                Tuple.of(1, Arbitraries.longs().map(v -> new AxdrWriter().int64(v).toByteArray())),
                Tuple.of(1, Arbitraries.longs().map(v -> new AxdrWriter().uint64(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 65535).map(v -> new AxdrWriter().uint16(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(v -> new AxdrWriter().uint8(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(v -> new AxdrWriter().enumValue(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(v -> new AxdrWriter().bcd(v).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 1).map(v -> new AxdrWriter().bool(v == 1).toByteArray())),
                Tuple.of(1, Arbitraries.just(new AxdrWriter().nullData().toByteArray())),
                Tuple.of(1, Arbitraries.floats().map(v -> new AxdrWriter().float32(v).toByteArray())),
                Tuple.of(1, Arbitraries.doubles().map(v -> new AxdrWriter().float64(v).toByteArray())),
                Tuple.of(3, octets.map(b -> new AxdrWriter().octetString(b).toByteArray())),
                Tuple.of(1, octets.map(b -> new AxdrWriter().visibleString(b).toByteArray())),
                Tuple.of(1, octets.map(b -> new AxdrWriter().utf8String(b).toByteArray())),
                Tuple.of(1, Arbitraries.integers().between(0, 1100).map(n -> new AxdrWriter().octetString(new byte[n]).toByteArray())),
                Tuple.of(1, Arbitraries.strings().withChars('0', '1').ofMaxLength(140)
                        .map(bits -> new AxdrWriter().bitString(bits).toByteArray())),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(12).map(b -> new AxdrWriter().dateTime(b).toByteArray())),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(5).map(b -> new AxdrWriter().date(b).toByteArray())),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> new AxdrWriter().time(b).toByteArray())),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6)));
    }

    static Arbitrary<Noise> noise() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(new Noise(0, new byte[0], 0, 0))),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(60).map(b -> new Noise(0, b, 0, 0))),
                Tuple.of(2, Arbitraries.of(0x68, 0x16, 0x7E, 0xA0, 0xA8, 0x0F, 0xDB, 0xDC, 0xE0, 0xE6, 0x00, 0xFA)
                        .map(b -> (byte) (int) b).list().ofMinSize(1).ofMaxSize(30)
                        .map(list -> new Noise(0, bytes(list), 0, 0))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 999)).as((kind, which, fraction) -> new Noise(kind, new byte[0], which, fraction))),
                Tuple.of(1, Arbitraries.of("68030368 53FF10 62 16", "7EA008 41 03 13 000000 7E", "7EA007 00 00 00 0000 7E",
                        "7EA7FF", "681A1B68", "E0C0000100", "DB0005", "0F000000010005")
                        .map(h -> new Noise(0, CFrames.hex(h), 0, 0))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("68", "7EA7FF", "68FFFF68", "7E"),
                        Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.integers().between(1, 30)), Tuple.of(1, Arbitraries.just(1000))))
                        .as((h, count) -> new Noise(3, CFrames.hex(h), 0, count))));
    }

    static Arbitrary<Damage> damage() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 999),
                Arbitraries.integers().between(1, 8), Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(Damage::new);
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
        }
        return b;
    }

    // ---- Making the case ---------------------------------------------------------------------------

    static StreamCase build(Config config, List<Telegram> telegrams, List<Noise> noise, List<Damage> damage, Feeding feeding) {
        StreamCase c = configure(config);
        List<List<byte[]>> encoded = new ArrayList<>();
        for (Telegram t : telegrams) {
            encoded.add(encode(t, config.transport()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i <= encoded.size(); i++) {
            Noise n = noise.get(i);
            List<byte[]> other = encoded.get(n.which() % encoded.size());
            switch (n.kind()) {
                case 0 -> out.writeBytes(n.bytes());
                case 1 -> {
                    byte[] t = Framing.concat(other);
                    out.writeBytes(Arrays.copyOf(t, (int) ((long) n.fraction() * Math.max(0, t.length - 2) / 1000)));
                }
                case 2 -> {
                    // a telegram cut off after a frame: without LLC headers only decoding tells where the next begins
                    int frames = Math.max(1, (int) ((long) n.fraction() * (other.size() - 1) / 1000));
                    out.writeBytes(Framing.concat(other.subList(0, Math.min(frames, other.size()))));
                }
                default -> {
                    // a flood of frame candidates, past the run cap sometimes
                    for (int k = 0; k < n.fraction() * 70; k += n.bytes().length) {
                        out.writeBytes(n.bytes());
                    }
                }
            }
            if (i < encoded.size()) {
                out.writeBytes(Framing.concat(encoded.get(i)));
            }
        }
        byte[] data = out.toByteArray();
        for (Damage d : damage) {
            data = damaged(data, d);
        }
        c.data(data);
        c.oneShot = feeding.oneShot();
        c.chunks(feeding.chunks());
        c.how = config + " " + telegrams.size() + " telegrams, " + damage.size() + " damages";
        return c;
    }

    /** The configuration: mostly a meter that takes what the telegrams are, sometimes one that does not. */
    static StreamCase configure(Config config) {
        StreamCase c = new StreamCase();
        c.transport = config.transport();
        int spec = config.spec();
        switch (config.transport()) {
            case MBUS -> {
                if (spec < 8) {
                    c.mbus();
                } else {
                    c.transport = DecoderConfig.Transport.MBUS;
                }
            }
            case HDLC -> {
                DecoderConfig.Llc llc = spec < 6 ? DecoderConfig.Llc.OPTIONAL : spec < 8 ? DecoderConfig.Llc.ABSENT : DecoderConfig.Llc.REQUIRED;
                c.hdlc(spec % 3 == 2 ? 0 : 1, spec % 3 == 2 ? 0 : 2, llc);
            }
            case RAW -> c.raw();
        }
        int bounds = config.bounds();
        if (bounds >= 15) {
            // one bound tightened: frames, telegram, APDU, values, groups, string length
            switch (bounds) {
                case 15 -> c.maxFrames = 1 + bounds % 4;
                case 16 -> c.maxTelegram = 300;
                case 17 -> c.maxApdu = 120;
                case 18 -> {
                    c.maxValues = 3;
                    c.groups = 4;
                }
                default -> c.maxLength = 10;
            }
        }
        int security = config.security();
        c.plain = security != 0;
        c.glo = security != 1;
        c.ded = security % 2 == 0;
        if (security < 17) {
            c.controls(0x00, 0x10, 0x20, 0x30, 0x21, 0x31);
        } else {
            c.controls(security == 17 ? 0x30 : 0x20);
        }
        if (security >= 15) {
            c.controls(0x70, 0x60, 0x50, 0x40);
        }
        c.authRequired = security == 14;
        int keys = config.keys();
        c.encryption = keys == 1 ? null : keys == 2 ? OTHER : EK;
        c.authentication = keys == 3 ? null : keys == 4 ? OTHER : AK;
        c.broadcast = keys >= 15 ? BK : null;
        c.requireAuthentication = keys == 5 || keys == 6;
        int blocks = config.blocks();
        c.maxBlocks = blocks < 5 ? 64 : blocks < 8 ? 0 : blocks - 6;
        int tolerances = config.tolerances();
        if ((tolerances & 7) == 1) {
            c.tolerances.add(Tolerance.BAD_FCS);
        }
        if ((tolerances & 7) == 2 || (tolerances & 56) == 8) {
            c.tolerances.add(Tolerance.MBUS_LENGTH_WRAP);
        }
        if ((tolerances & 7) == 3 || (tolerances & 56) == 16) {
            c.tolerances.add(Tolerance.TAGGED_NOTIFICATION_DATETIME);
        }
        int presence = config.presence();
        c.dateTime = presence == 18 ? DecoderConfig.Presence.REQUIRED : presence == 19 ? DecoderConfig.Presence.ABSENT
                : DecoderConfig.Presence.OPTIONAL;
        c.reportDateTime = presence % 3 == 0;
        return c;
    }

    static byte[] body(Body b) {
        int count = 0;
        for (Entry e : b.entries()) {
            count += e.scalerUnit() ? 3 : 2;
        }
        AxdrWriter w = new AxdrWriter().lengthForm(b.lengthForm()).structure(Math.max(0, count + b.countDelta()));
        for (Entry e : b.entries()) {
            w.obis(e.obis()).raw(e.value());
            if (e.scalerUnit()) {
                w.scalerUnit(e.scaler(), e.unit());
            }
        }
        return w.raw(b.garbage()).toByteArray();
    }

    /** The DATA-NOTIFICATION, its date-time absent, plain, tagged (09 0C, a tolerance), or broken. */
    static byte[] notification(Body b) {
        byte[] body = body(b);
        byte[] plain = Apdu.dataNotification(b.invokeId(), b.dateTimeKind() == 1 ? b.dateTime() : null, body);
        return switch (b.dateTimeKind()) {
            case 2 -> CFrames.concat(Arrays.copyOf(plain, 5), new byte[] {0x09, 0x0C}, b.dateTime(), Arrays.copyOfRange(plain, 6, plain.length));
            case 3 -> CFrames.concat(Arrays.copyOf(plain, 5), new byte[] {0x0C}, Arrays.copyOf(b.dateTime(), 7));
            default -> plain;
        };
    }

    static byte[] apdu(Telegram t) {
        byte[] plain = notification(t.body());
        Wrap w = t.wrap();
        if (w.kind() == 0) {
            return plain;
        }
        Ciphered c = w.kind() == 1 ? Ciphered.glo(TITLE, w.frameCounter()) : Ciphered.ded(TITLE, w.frameCounter());
        byte[] key = w.wrongKey() == 1 ? OTHER : (w.control() & 0x40) != 0 ? BK : EK;
        return c.control(w.control()).keys(key, AK).lengthForm(w.lengthForm()).wrap(plain);
    }

    /** The telegram's frames, in order. */
    static List<byte[]> encode(Telegram t, DecoderConfig.Transport transport) {
        byte[] apdu = apdu(t);
        Carriage k = t.carriage();
        List<byte[]> parts = new ArrayList<>();
        if (k.blockSize() == 0) {
            parts.add(apdu);
        } else {
            parts.addAll(Apdu.blocks(apdu, k.blockSize(), k.streaming() ? Apdu.GBT_STREAMING : 0));
            if (parts.size() > 1 && k.blockDamage() == 1) {
                parts.remove(parts.size() / 2);
            } else if (parts.size() > 1 && k.blockDamage() == 2) {
                byte[] first = parts.get(0);
                parts.set(0, parts.get(1));
                parts.set(1, first);
            } else if (k.blockDamage() == 3) {
                parts.add(parts.size() / 2, parts.get(parts.size() / 2));
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.addAll(runs(transport, k.runsBetweenBlocks()));
            }
            out.addAll(frames(parts.get(i), transport, k));
        }
        return out;
    }

    private static final byte[] LINK_FRAME = CFrames.hdlc(false, CFrames.hex("41"), CFrames.hex("0883"), 0x93, new byte[0]);
    private static final byte[] STRAY_SEGMENT = CFrames.mbus(0x03, new byte[] {0x0F});

    /**
     * Runs of rejected frame candidates, each ended by a frame that is no telegram (an HDLC link
     * frame, an M-Bus segment out of sequence): an open block transfer survives a few of them.
     */
    static List<byte[]> runs(DecoderConfig.Transport transport, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n && transport != DecoderConfig.Transport.RAW; i++) {
            if (transport == DecoderConfig.Transport.HDLC) {
                out.add(CFrames.hex("7EA008 41 03 13 000000 7E"));
                out.add(LINK_FRAME);
            } else {
                out.add(CFrames.hex("68030368 53FF10 62 16"));
                out.add(STRAY_SEGMENT);
            }
        }
        return out;
    }

    static List<byte[]> frames(byte[] part, DecoderConfig.Transport transport, Carriage k) {
        switch (transport) {
            case MBUS -> {
                if (k.wrapped() && part.length > MbusFraming.MAX_DATA && part.length <= 506) {
                    // one frame whose L field holds its length modulo 256, as some meters send
                    return List.of(CFrames.mbus(0x10, part));
                }
                int size = Math.min(MbusFraming.MAX_DATA, Math.max(Math.min(k.frameSize(), MbusFraming.MAX_DATA), (part.length + 15) / 16));
                MbusFraming f = Framing.mbus().maxData(size);
                if (k.addresses() == 1) {
                    f.control(0x73).address(0xFE);
                } else if (k.addresses() == 2) {
                    f.sap(0x02, 0x66);
                }
                return f.frames(part);
            }
            case HDLC -> {
                HdlcFraming f = Framing.hdlc().llc(k.llc());
                if (k.addresses() == 1) {
                    f.destination(0x03).source(0x05);
                } else if (k.addresses() == 2) {
                    f.destination(0x00, 0x02, 0x00, 0x21).source(0x02, 0x00, 0x00, 0x01);
                }
                int limit = HdlcFraming.MAX_FRAME_LENGTH - 16;
                return f.maxInfo(Math.min(limit, Math.max(k.frameSize(), (part.length + 3 + 15) / 16))).frames(part);
            }
            default -> {
                return List.of(part);
            }
        }
    }

    static byte[] damaged(byte[] data, Damage d) {
        if (data.length == 0) {
            return data;
        }
        int at = (int) ((long) d.where() * data.length / 1000);
        int n = Math.min(d.n(), data.length - at);
        return switch (d.kind()) {
            case 0 -> {
                byte[] out = data.clone();
                out[at] ^= (byte) (1 << (d.n() % 8));
                yield out;
            }
            case 1 -> Bytes.drop(data, at, n);
            case 2 -> Bytes.splice(data, at, d.bytes());
            case 3 -> Bytes.splice(data, at, Arrays.copyOfRange(data, at, at + n));
            default -> Arrays.copyOf(data, at);
        };
    }
}
