package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.conformance.CFrames.concat;
import static org.meterspec.conformance.CFrames.hdlc;
import static org.meterspec.conformance.CFrames.hex;
import static org.meterspec.conformance.CFrames.longNotification;
import static org.meterspec.conformance.CFrames.mbus;
import static org.meterspec.conformance.CFrames.notification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.Tolerance;
import org.meterspec.testkit.Apdu;

/**
 * The vectors of the Java runtime's framer tests (MbusFramerTest, HdlcFramerTest, RawFramerTest)
 * through the C decoder, on both crypto back ends: each gives exactly the lines the Java decoder
 * gives, and what the Java test says of them.
 */
class CFramerVectorsTest {
    private static final byte[] DST = hex("41");
    private static final byte[] SRC = hex("0883");
    private static final byte[] LLC = hex("E6E700");
    /** Offsets in a frame of one-byte destination and two-byte source: 7E A0 L 41 08 83 13 HCS(2) info. */
    private static final int HCS_AT = 7;
    private static final int RUN_CAP = 65536;

    @AfterAll
    static void stop() {
        CStreamHarness.stopAll();
    }

    /** The C decoders' lines, held equal to the Java decoder's. */
    static List<String> lines(StreamCase c) {
        List<String> java = c.javaLines();
        for (CToolchain.Backend b : CToolchain.Backend.values()) {
            assertEquals(java, CStreamHarness.of(b).run(c), () -> b + " back end, case:\n" + c);
        }
        return java;
    }

    /** The result lines (readings and errors), without values and the end line. */
    static List<String> results(StreamCase c) {
        return lines(c).stream().filter(l -> l.startsWith("R ") || l.startsWith("E ")).toList();
    }

    static String error(int number, String code, long offset) {
        return error(number, code, offset, 0);
    }

    static String error(int number, String code, long offset, long length) {
        return "E " + number + " " + code + " " + offset + " " + length;
    }

    /** The energy value of the reading numbered {@code number}. */
    static long energy(List<String> lines, int number) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("R " + number + " ")) {
                for (int k = i + 1; k < lines.size() && lines.get(k).startsWith("V "); k++) {
                    String[] f = lines.get(k).split(" ");
                    if (f[1].equals("0100010800FF")) {
                        return Long.parseLong(f[4]);
                    }
                }
            }
        }
        throw new AssertionError("no reading " + number + " with an energy value in " + lines);
    }

    private static StreamCase mbusCase() {
        return new StreamCase().testDecoder().mbus();
    }

    private static StreamCase hdlcCase() {
        return new StreamCase().testDecoder().hdlc(1, 2, DecoderConfig.Llc.OPTIONAL);
    }

    private static StreamCase rawCase() {
        StreamCase c = new StreamCase().testDecoder().raw().controls(0x00);
        c.glo = true;
        return c;
    }

    // ---- M-Bus ------------------------------------------------------------------------------------

    @Test
    void mbusFrameDecodes() {
        byte[] frame = mbus(0x10, notification(12937));
        assertEquals(12937, energy(lines(mbusCase().data(frame)), 1));
        assertEquals(12937, energy(lines(mbusCase().data(frame).oneShot()), 1));
    }

    @Test
    void mbusBadChecksumAndStopByte() {
        byte[] bad = mbus(0x10, notification(1));
        int l = bad[1];
        bad[4 + l]++;
        List<String> lines = lines(mbusCase().data(hex("AABB"), bad, mbus(0x10, notification(2))));
        assertEquals(error(1, "MBUS_CHECKSUM", 2 + 4 + l), lines.get(0));
        assertEquals(2, energy(lines, 2));
        byte[] changed = mbus(0x10, notification(1));
        changed[20] ^= 0x40;
        assertEquals(error(1, "MBUS_CHECKSUM", 4 + changed[1]), lines(mbusCase().data(changed).oneShot()).get(0));
        byte[] stop = mbus(0x10, notification(1));
        stop[stop.length - 1] = 0x17;
        assertEquals(error(1, "MBUS_STOP_BYTE", stop.length - 1), results(mbusCase().data(stop, mbus(0x10, notification(2)))).get(0));
    }

    @Test
    void mbusLostBytesInsideAFrameDoNotCostTheNextFrame() {
        byte[] damaged = mbus(0x10, notification(1));
        byte[] cut = concat(Arrays.copyOf(damaged, 12), Arrays.copyOfRange(damaged, 20, damaged.length));
        byte[] good = mbus(0x10, notification(2));
        List<String> whole = lines(mbusCase().data(cut, good));
        assertEquals(2, energy(whole, 1));
        assertEquals(error(2, "MBUS_STOP_BYTE", 5 + damaged[1]), results(mbusCase().data(cut, good)).get(1));
        assertEquals(whole, lines(mbusCase().data(cut, good).chunks(1)), "fed a byte at a time");
        assertEquals(2, energy(lines(mbusCase().data(cut, good).oneShot()), 1));
    }

    @Test
    void mbusErrorsReachingIntoLaterTelegramsComeAfterThem() {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] damaged = mbus(0x10, notification(10 + i));
            parts.add(Arrays.copyOf(damaged, 12 + i));
            byte[] apdu = notification(i);
            parts.add(concat(mbus(0x00, Arrays.copyOf(apdu, 20)), mbus(0x11, Arrays.copyOfRange(apdu, 20, apdu.length))));
        }
        List<String> results = results(mbusCase().data(parts.toArray(new byte[0][])));
        assertEquals(6, results.stream().filter(l -> l.startsWith("R ")).count(), () -> "results " + results);
        for (Integer chunk : List.of(1, 7, 120)) {
            lines(mbusCase().data(parts.toArray(new byte[0][])).chunks(chunk));
        }
    }

    @Test
    void mbusAFloodOfStartBytesIsOneLinePerRun() {
        int flood = 8 << 20;
        StreamCase c = mbusCase().repeat(0x68, flood).data(mbus(0x10, notification(1)), new byte[200]);
        List<String> results = results(c);
        assertEquals(error(1, "MBUS_STOP_BYTE", 5 + 0x68, RUN_CAP), results.get(0));
        assertEquals(error(2, "MBUS_STOP_BYTE", RUN_CAP + 5 + 0x68, RUN_CAP), results.get(1));
        assertEquals(flood / RUN_CAP + 1, results.size());
        assertTrue(results.get(results.size() - 1).startsWith("R "));
        // an endless flood, fed as a UART hands it over
        results(mbusCase().repeat(0x68, 3 * RUN_CAP + 1000).chunks(120));
    }

    @Test
    void mbusRunsChunksAndLookalikes() {
        byte[] telegrams = concat(mbus(0x10, notification(1)), new byte[3000], mbus(0x10, notification(2)),
                mbus(0x10, notification(3)));
        List<String> lines = lines(mbusCase().data(telegrams).chunks(5, telegrams.length - 5));
        assertEquals(3, energy(lines, 3));
        assertEquals("end 3 " + telegrams.length, lines.get(lines.size() - 1));

        byte[] a = mbus(0x10, notification(1));
        a[4 + a[1]]++;
        byte[] b = mbus(0x10, notification(2));
        b[b.length - 1] = 0x17;
        byte[] good = mbus(0x10, notification(3));
        List<String> run = results(mbusCase().data(hex("00"), a, hex("AA"), b, good, a));
        assertEquals(List.of(error(1, "MBUS_CHECKSUM", 1 + 4 + a[1], a.length + 2)), run.subList(0, 1));
        assertEquals(error(3, "MBUS_CHECKSUM", a.length + 2 + b.length + good.length + 4 + a[1]), run.get(2));

        List<String> lookalikes = results(mbusCase().data(hex("681A1B68 68 00 16"), mbus(0x10, notification(3))));
        assertEquals(1, lookalikes.size());
    }

    @Test
    void mbusFieldsTheSpecNames() {
        byte[] data = notification(1);
        assertEquals(error(1, "MBUS_CONTROL", 4), lines(mbusCase().data(mbus(0x73, 0xFF, 0x10, 0x01, 0x67, data)).oneShot()).get(0));
        assertEquals(error(1, "MBUS_CONTROL", 5), lines(mbusCase().data(mbus(0x53, 0xFE, 0x10, 0x01, 0x67, data)).oneShot()).get(0));
        assertEquals(error(1, "MBUS_CONTROL", 6), lines(mbusCase().data(mbus(0x53, 0xFF, 0x30, 0x01, 0x67, data)).oneShot()).get(0));
        assertEquals(error(1, "MBUS_SAP", 7), lines(mbusCase().data(mbus(0x53, 0xFF, 0x10, 0x02, 0x67, data)).oneShot()).get(0));
        assertEquals(error(1, "MBUS_SAP", 8), lines(mbusCase().data(mbus(0x53, 0xFF, 0x10, 0x01, 0x66, data)).oneShot()).get(0));
        StreamCase any = new StreamCase().testDecoder();
        any.transport = DecoderConfig.Transport.MBUS;
        assertEquals(1, energy(lines(any.data(mbus(0x73, 0x01, 0x10, 0x22, 0x33, data)).oneShot()), 1));
        byte[] tooShort = hex("68030368 53FF10 00 16");
        tooShort[7] = (byte) (0x53 + 0xFF + 0x10);
        assertEquals(error(1, "MBUS_FRAME_TOO_SHORT", 1), lines(mbusCase().data(tooShort).oneShot()).get(0));
    }

    @Test
    void mbusSegments() {
        byte[] apdu = notification(77);
        List<String> joined = lines(mbusCase().data(mbus(0x00, Arrays.copyOf(apdu, 10)),
                mbus(0x01, Arrays.copyOfRange(apdu, 10, 20)), mbus(0x12, Arrays.copyOfRange(apdu, 20, apdu.length))));
        assertEquals(77, energy(joined, 1));

        byte[] five = notification(5);
        byte[] first = mbus(0x00, Arrays.copyOf(five, 10));
        byte[] last = mbus(0x11, Arrays.copyOfRange(five, 10, five.length));
        byte[] whole = mbus(0x10, notification(6));
        assertEquals(error(1, "MBUS_SEGMENT_SEQUENCE", 0), results(mbusCase().data(last, whole)).get(0));
        assertEquals(error(1, "MBUS_SEGMENT_SEQUENCE", 1), results(mbusCase().data(hex("00"), first, whole)).get(0));
        byte[] second = mbus(0x01, Arrays.copyOfRange(five, 10, 12));
        List<String> repeated = results(mbusCase().data(first, second, last, whole));
        assertEquals(List.of(error(1, "MBUS_SEGMENT_SEQUENCE", first.length + second.length)), repeated.subList(0, 1));
        assertEquals(2, repeated.size());

        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 3)), results(mbusCase().data(hex("112233"), first)));
        byte[] frame = mbus(0x10, five);
        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 0)), results(mbusCase().data(Arrays.copyOf(frame, frame.length - 1))));
        assertEquals(error(1, "TELEGRAM_INCOMPLETE", 0), lines(mbusCase().data(Arrays.copyOf(frame, 3)).oneShot()).get(0));

        StreamCase twoFrames = new StreamCase().testDecoder().mbus();
        twoFrames.maxFrames = 2;
        twoFrames.maxValues = 8;
        byte[] a = mbus(0x00, Arrays.copyOf(five, 9));
        byte[] b = mbus(0x01, Arrays.copyOfRange(five, 9, 18));
        byte[] c = mbus(0x12, Arrays.copyOfRange(five, 18, five.length));
        assertEquals(error(1, "TOO_MANY_FRAMES", a.length + b.length), results(twoFrames.data(a, b, c, whole)).get(0));
    }

    @Test
    void mbusLengthWrapOnlyWhereTheSpecToleratesIt() {
        byte[] wrapped = mbus(0x10, longNotification(240));
        StreamCase tolerant = mbusCase().data(wrapped).oneShot();
        tolerant.tolerances.add(Tolerance.MBUS_LENGTH_WRAP);
        assertTrue(lines(tolerant).get(0).startsWith("R "));
        assertTrue(lines(mbusCase().data(wrapped).oneShot()).get(0).startsWith("E "));

        byte[] apdu = longNotification(240);
        byte[] one = mbus(0x10, longNotification(240 + 252 - apdu.length));
        assertEquals(1, one[1]);
        StreamCase cut = mbusCase().data(Arrays.copyOf(one, one.length - 4)).oneShot();
        cut.tolerances.add(Tolerance.MBUS_LENGTH_WRAP);
        assertEquals(error(1, "TELEGRAM_INCOMPLETE", 0), lines(cut).get(0));
        StreamCase streamed = mbusCase().data(one, Arrays.copyOf(one, one.length - 4), wrapped).chunks(1, 33, 300);
        streamed.tolerances.add(Tolerance.MBUS_LENGTH_WRAP);
        lines(streamed);
    }

    // ---- HDLC ---------------------------------------------------------------------------------------

    private static byte[] hdlcWithoutLlc(byte[] apdu) {
        return hdlc(false, DST, SRC, 0x13, apdu);
    }

    @Test
    void hdlcFramesAndTheirChecks() {
        assertEquals(12937, energy(lines(hdlcCase().data(hdlc(notification(12937)))), 1));
        byte[] bad = hdlc(notification(1));
        bad[HCS_AT] ^= 1;
        assertEquals(error(1, "HDLC_HCS", 2 + HCS_AT), results(hdlcCase().data(hex("0000"), bad, hdlc(notification(2)))).get(0));
        byte[] badFcs = hdlc(notification(1));
        badFcs[badFcs.length - 3] ^= 1;
        assertEquals(error(1, "HDLC_FCS", badFcs.length - 3), results(hdlcCase().data(badFcs, hdlc(notification(2)))).get(0));
        byte[] inside = hdlc(notification(1));
        inside[HCS_AT + 10] ^= 0x10;
        assertEquals(error(1, "HDLC_FCS", inside.length - 3), lines(hdlcCase().data(inside).oneShot()).get(0));

        StreamCase tolerant = hdlcCase().oneShot();
        tolerant.tolerances.add(Tolerance.BAD_FCS);
        byte[] fcs = hdlc(notification(1));
        fcs[fcs.length - 2] ^= 0x55;
        assertEquals(1, energy(lines(tolerant.data(fcs)), 1));
        StreamCase header = hdlcCase().oneShot();
        header.tolerances.add(Tolerance.BAD_FCS);
        byte[] badHeader = hdlc(notification(1));
        badHeader[HCS_AT + 1] ^= 1;
        assertEquals(error(1, "HDLC_HCS", HCS_AT), lines(header.data(badHeader)).get(0));

        byte[] flag = hdlc(notification(1));
        flag[flag.length - 1] = 0x00;
        assertEquals(error(1, "HDLC_FLAG", flag.length - 1), results(hdlcCase().data(flag, hdlc(notification(2)))).get(0));
        byte[] damaged = hdlc(notification(1));
        byte[] cut = concat(Arrays.copyOf(damaged, 15), Arrays.copyOfRange(damaged, 16, damaged.length));
        assertTrue(results(hdlcCase().data(cut, hdlc(notification(2)))).get(0).startsWith("E 1 HDLC_"));
        byte[] b = hdlc(notification(2));
        assertEquals(2, results(hdlcCase().data(hdlc(notification(1)), Arrays.copyOfRange(b, 1, b.length))).size());
    }

    @Test
    void hdlcErrorsComeOutInStreamOrder() {
        byte[] far = hex("7EA258 00000000000000");
        byte[] link = hdlc(false, DST, SRC, 0x93, new byte[0]);
        byte[] near = hex("7EA008 41 0883 13 0000 7E");
        byte[] zeros = new byte[700 - far.length - link.length - near.length];
        List<String> results = results(hdlcCase().data(far, link, near, zeros, hdlc(notification(1))));
        int nearAt = far.length + link.length;
        assertEquals(List.of(error(1, "HDLC_FCS", nearAt + 7), error(2, "HDLC_FLAG", 601)), results.subList(0, 2));
        assertEquals(3, results.size());

        int units = 300;
        byte[][] parts = new byte[units + 2][];
        for (int i = 0; i < units; i++) {
            parts[i] = concat(hex("7EA7FF"), hdlc(notification(i)));
        }
        parts[units] = new byte[2100];
        parts[units + 1] = hdlc(notification(units));
        List<String> many = results(hdlcCase().data(parts));
        assertEquals(2 * units + 1, many.size());
        results(hdlcCase().data(parts).chunks(1000, 3, 7));

        byte[] bad = hdlc(notification(1));
        bad[HCS_AT] ^= 1;
        byte[] badFcs = hdlc(notification(2));
        badFcs[badFcs.length - 3] ^= 1;
        assertEquals(error(1, "HDLC_HCS", HCS_AT, bad.length + 1), results(hdlcCase().data(bad, badFcs, hdlc(notification(3)))).get(0));
    }

    @Test
    void hdlcWithAndWithoutLlcHeaders() {
        byte[] damaged = hex("7EA80A41088313000000007E");
        List<String> next = results(hdlcCase().data(damaged, hdlcWithoutLlc(notification(5))));
        assertEquals(2, next.size());
        List<String> continued = results(hdlcCase().data(hdlc(notification(1)), damaged, hdlcWithoutLlc(notification(7)),
                hdlc(notification(2))));
        assertEquals(3, continued.size(), () -> "the continuation is dropped: " + continued);

        byte[] apdu = notification(1);
        byte[] cutOff = hdlc(true, DST, SRC, 0x13, Arrays.copyOf(apdu, 12));
        byte[] whole = hdlcWithoutLlc(notification(2));
        byte[] three = notification(3);
        byte[] segmented = concat(hdlc(true, DST, SRC, 0x13, Arrays.copyOf(three, 10)),
                hdlc(false, DST, SRC, 0x13, Arrays.copyOfRange(three, 10, three.length)));
        for (DecoderConfig.Llc llc : new DecoderConfig.Llc[] {DecoderConfig.Llc.OPTIONAL, DecoderConfig.Llc.ABSENT}) {
            StreamCase c = new StreamCase().testDecoder().hdlc(1, 2, llc)
                    .data(cutOff, whole, cutOff, segmented, hdlcWithoutLlc(notification(4)));
            List<String> results = results(c);
            assertEquals(5, results.size(), () -> llc + ": results " + results);
            assertEquals(error(1, "HDLC_SEGMENT_SEQUENCE", 0), results.get(0));
            assertEquals(error(3, "HDLC_SEGMENT_SEQUENCE", cutOff.length + whole.length), results.get(2));
            assertEquals(error(1, "HDLC_SEGMENT_SEQUENCE", 0),
                    lines(new StreamCase().testDecoder().hdlc(1, 2, llc).data(cutOff, whole).oneShot()).get(0));
        }

        byte[] nine = concat(LLC, notification(9));
        List<String> joined = lines(hdlcCase().data(hdlc(true, DST, SRC, 0x13, Arrays.copyOf(nine, 12)),
                hdlc(true, DST, SRC, 0x13, Arrays.copyOfRange(nine, 12, 20)),
                hdlc(false, DST, SRC, 0x13, Arrays.copyOfRange(nine, 20, nine.length))));
        assertEquals(9, energy(joined, 1));
        byte[] first = hdlc(true, DST, SRC, 0x13, Arrays.copyOf(nine, 12));
        assertEquals(error(1, "HDLC_SEGMENT_SEQUENCE", 1), results(hdlcCase().data(hex("11"), first, hdlc(notification(10)))).get(0));
        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 0)), results(hdlcCase().data(first)));

        byte[] withoutLlc = hdlcWithoutLlc(notification(5));
        assertEquals(5, energy(lines(hdlcCase().data(withoutLlc).oneShot()), 1));
        StreamCase required = new StreamCase().testDecoder().hdlc(1, 2, DecoderConfig.Llc.REQUIRED);
        assertEquals(error(1, "HDLC_LLC", 0), lines(required.data(withoutLlc).oneShot()).get(0));
        StreamCase absent = new StreamCase().testDecoder().hdlc(1, 2, DecoderConfig.Llc.ABSENT);
        assertEquals(error(1, "APDU_TAG", 0), lines(absent.data(hdlc(notification(5))).oneShot()).get(0));
    }

    /**
     * Without LLC headers, a cut-off first frame and a telegram of three frames together exceed a
     * bound of three frames: the newest frames are kept, and they are the telegram.
     */
    @Test
    void hdlcOverTheBoundsTheNewestFramesAreTheTelegram() {
        byte[] apdu = notification(5);
        StreamCase c = new StreamCase().testDecoder().hdlc(1, 2, DecoderConfig.Llc.ABSENT).data(
                hdlc(true, DST, SRC, 0x13, hex("AA")),
                hdlc(true, DST, SRC, 0x13, Arrays.copyOf(apdu, 9)),
                hdlc(true, DST, SRC, 0x13, Arrays.copyOfRange(apdu, 9, 18)),
                hdlc(false, DST, SRC, 0x13, Arrays.copyOfRange(apdu, 18, apdu.length)));
        c.maxFrames = 3;
        List<String> lines = lines(c);
        assertEquals(error(1, "HDLC_SEGMENT_SEQUENCE", 0), lines.get(0));
        assertEquals(5, energy(lines, 2));
    }

    /**
     * An open block transfer survives four runs of damaged frames between its blocks (here each
     * ended by a link frame), and is given up at the fifth, without a report of its own.
     */
    @Test
    void aBlockTransferSurvivesFourRunsOfDamagedFrames() {
        byte[] apdu = notification(8);
        byte[] first = hdlc(Apdu.block(0, 1, 0, Arrays.copyOf(apdu, 12)));
        byte[] second = hdlc(Apdu.block(Apdu.GBT_LAST, 2, 0, Arrays.copyOfRange(apdu, 12, apdu.length)));
        byte[] link = hdlc(false, DST, SRC, 0x93, new byte[0]);
        byte[] damaged = hex("7EA008 41 03 13 000000 7E");
        for (int runs : new int[] {4, 5}) {
            List<byte[]> parts = new ArrayList<>(List.of(first));
            for (int i = 0; i < runs; i++) {
                parts.add(damaged);
                parts.add(link);
            }
            parts.add(second);
            StreamCase c = hdlcCase().data(parts.toArray(new byte[0][]));
            c.maxBlocks = 4;
            List<String> results = results(c);
            // the errors wait for the transfer's reading, which comes first; given up, it has none
            assertEquals(runs == 4 ? runs + 1 : runs, results.size(), () -> "results " + results);
            assertEquals(runs == 4, results.get(0).startsWith("R 1 "), () -> runs + " runs: " + results);
        }
    }

    @Test
    void hdlcAddressesAndShortFrames() {
        byte[] apdu = concat(LLC, notification(1));
        StreamCase any = new StreamCase().testDecoder().hdlc(0, 0, DecoderConfig.Llc.OPTIONAL).oneShot();
        assertEquals(error(1, "HDLC_ADDRESS", 3), lines(any.configCopy().data(hdlc(false, hex("0202020202"), hex("03"), 0x13, apdu))).get(0));
        assertEquals(error(1, "HDLC_ADDRESS", 3), lines(hdlcCase().oneShot().data(hdlc(false, hex("0241"), SRC, 0x13, apdu))).get(0));
        assertEquals(error(1, "HDLC_ADDRESS", 4), lines(hdlcCase().oneShot().data(hdlc(false, DST, hex("03"), 0x13, apdu))).get(0));
        assertEquals(1, energy(lines(any.configCopy().data(hdlc(false, hex("000000FF"), hex("00000003"), 0x13, apdu))), 1));
        assertEquals(error(1, "HDLC_FRAME_TOO_SHORT", 6), lines(any.configCopy().data(hex("7EA008 41 03 13 000000 7E"))).get(0));
        assertEquals(error(1, "HDLC_FRAME_TOO_SHORT", 3), lines(any.configCopy().data(hex("7EA007 00 00 00 0000 7E"))).get(0));
        byte[] link = hdlc(false, DST, SRC, 0x93, new byte[0]);
        assertEquals(1, results(hdlcCase().data(link, hdlc(notification(4)))).size());
        assertEquals(1, results(hdlcCase().data(hex("7E9020 7EA003 7E"), hdlc(notification(6)))).size());
        byte[] frame = hdlc(notification(5));
        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 2)),
                results(hdlcCase().data(hex("0000"), Arrays.copyOf(frame, frame.length - 1))));
    }

    @Test
    void hdlcCipheredContentLongerThanTheSpecAllowsAnApdu() {
        StreamCase small = hdlcCase().controls(0x00);
        small.glo = true;
        small.maxFrames = 1;
        small.maxApdu = 64;
        small.maxValues = 8;
        byte[] plain = longNotification(100);
        byte[] apdu = concat(hex("DB084B464D6750000009" + String.format("81%02X", plain.length + 5) + "000000002A"), plain);
        assertEquals(List.of(error(1, "APDU_TOO_LONG", 10)), results(small.data(hdlc(apdu))));
        // the bound itself is allowed
        for (int n : new int[] {46, 47}) {
            byte[] content = longNotification(n);
            StreamCase c = small.configCopy();
            c.data(hdlc(concat(hex("DB084B464D6750000009" + String.format("%02X", content.length + 5) + "000000002A"), content)));
            assertEquals(n == 46 ? 64 : 65, content.length);
            assertEquals(n == 46, results(c).get(0).startsWith("R 1 "), () -> content.length + " bytes: " + lines(c));
        }
    }

    // ---- Bare APDUs ------------------------------------------------------------------------------

    private static byte[] glo(byte[] plain, String length) {
        return concat(hex("DB084B464D6750000009" + length + "00" + "0000002A"), plain);
    }

    @Test
    void rawApdus() {
        List<String> three = lines(rawCase().data(notification(1), notification(2), notification(3)));
        assertEquals(3, energy(three, 3));
        List<String> skipped = results(rawCase().data(hex("00 11 22 7E 68"), notification(1), hex("FF FF"), notification(2), hex("16")));
        assertEquals(2, skipped.size());
        byte[] plain = notification(7);
        List<String> ciphered = lines(rawCase().data(glo(plain, String.format("%02X", plain.length + 5)),
                glo(plain, String.format("8200%02X", plain.length + 5))));
        assertTrue(ciphered.contains("R 2 none 4B464D6750000009 42 1 - 1"), () -> "ciphered " + ciphered);
        byte[] bad = notification(1);
        bad[5] = 0x05;
        assertEquals(List.of(error(1, "APDU_DATETIME", 5)), results(rawCase().data(bad, notification(2))).subList(0, 1));
        assertEquals(error(1, "SECURITY_SYSTEM_TITLE", 1), results(rawCase().data(hex("DB0005"), notification(3))).get(0));
        byte[] apdu = notification(1);
        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 3)),
                results(rawCase().data(hex("112233"), Arrays.copyOf(apdu, apdu.length - 1))));
        byte[] cipheredApdu = glo(apdu, String.format("%02X", apdu.length + 5));
        assertEquals(List.of(error(1, "TELEGRAM_INCOMPLETE", 0)), results(rawCase().data(Arrays.copyOf(cipheredApdu, 20))));
        StreamCase small = rawCase();
        small.maxFrames = 1;
        small.maxTelegram = 64;
        small.maxApdu = 64;
        small.maxValues = 8;
        assertEquals(error(1, "TELEGRAM_TOO_LONG", 0),
                results(small.data(concat(hex("DB084B464D6750000009" + "81C8"), new byte[100]), notification(3))).get(0));
    }

    @Test
    void rawOneShot() {
        assertEquals(5, energy(lines(rawCase().data(notification(5)).oneShot()), 1));
        assertEquals(5, energy(lines(rawCase().data(notification(5), hex("00")).oneShot()), 1));
        assertEquals(5, energy(lines(rawCase().data(notification(5), notification(6)).oneShot()), 1));
        byte[] cut = Arrays.copyOf(notification(5), 20);
        assertEquals(error(1, "TELEGRAM_INCOMPLETE", 0), lines(rawCase().data(cut).oneShot()).get(0));
        assertEquals(error(1, "TELEGRAM_INCOMPLETE", 0), lines(rawCase().data(hex("C4")).oneShot()).get(0));
        assertEquals(error(1, "TELEGRAM_INCOMPLETE", 0), lines(rawCase().oneShot()).get(0));
        assertEquals(error(1, "GBT_NOT_ALLOWED", 0), lines(rawCase().data(hex("E0800001000000")).oneShot()).get(0));
    }

    @Test
    void rawTaggedDateTimeCutAfterItsTag() {
        byte[] one = notification(1);
        byte[] two = notification(2);
        byte[] stream = concat(Arrays.copyOf(one, 5), hex("090C07E5091B010A2F0F00FF8880"), Arrays.copyOfRange(one, 6, one.length),
                Arrays.copyOf(two, 5), hex("090C07E5091B010A2F0F00FF8880"), Arrays.copyOfRange(two, 6, two.length));
        for (int cut : new int[] {6, stream.length / 2 + 6}) {
            StreamCase c = new StreamCase().testDecoder().raw().chunks(cut, stream.length - cut).data(stream);
            c.tolerances.add(Tolerance.TAGGED_NOTIFICATION_DATETIME);
            c.reportDateTime = true;
            assertEquals(2, energy(lines(c), 2));
        }
    }
}
