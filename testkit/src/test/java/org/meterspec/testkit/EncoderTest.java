package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The testkit's own encoding, checked against the standards' examples and against real meters:
 * re-encoding the decrypted content of real captures must give the captures back byte for byte
 * (checksums, CRCs, lengths, GCM tags and all).
 */
class EncoderTest {

    @Test
    void crc16X25CheckValue() {
        // the catalogue check value of CRC-16/X.25 (CRC-16/IBM-SDLC)
        assertEquals(0x906E, HdlcFraming.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    @Test
    void everyTypeHasItsTagAndSize() {
        byte[] b = new AxdrWriter()
                .nullData().bool(true).bitString("1010000011").int32(-2).uint32(0xFFFFFFFEL)
                .octetString(new byte[] {1, 2}).visibleString("AB").utf8String("é").bcd(0x12)
                .int8(-1).int16(-300).uint8(200).uint16(65535).int64(-1).uint64(-1).enumValue(30)
                .float32(1.0f).float64(-2.0).dateTime(AxdrWriter.dateTimeBytes(2021, 9, 27, 9, 47, 15, 0, -120))
                .date(new byte[] {0x07, (byte) 0xE5, 9, 27, 1}).time(new byte[] {9, 47, 15, 0})
                .toByteArray();
        assertEquals("00" + "0301" + "040AA0C0" + "05FFFFFFFE" + "06FFFFFFFE" + "09020102" + "0A024142" + "0C02C3A9"
                + "0D12" + "0FFF" + "10FED4" + "11C8" + "12FFFF" + "14FFFFFFFFFFFFFFFF" + "15FFFFFFFFFFFFFFFF" + "161E"
                + "173F800000" + "18C000000000000000" + "1907E5091BFF092F0F00FF8800" + "1A07E5091B01" + "1B092F0F00",
                Hex.encode(b));
    }

    @Test
    void containersObisAndScalerUnit() {
        byte[] b = new AxdrWriter().array(1).structure(3).obis(1, 0, 1, 8, 0, 255).uint32(12937).scalerUnit(-1, 30)
                .toByteArray();
        assertEquals("0101" + "0203" + "0906" + "0100010800FF" + "0600003289" + "02020FFF161E", Hex.encode(b));
    }

    @Test
    void lengthsInShortAndLongForm() {
        assertEquals("7F", Hex.encode(AxdrWriter.length(0x7F, 0)));
        assertEquals("8180", Hex.encode(AxdrWriter.length(0x80, 0)));
        assertEquals("81FF", Hex.encode(AxdrWriter.length(0xFF, 0)));
        assertEquals("820100", Hex.encode(AxdrWriter.length(0x100, 0)));
        assertEquals("83010000", Hex.encode(AxdrWriter.length(0x10000, 0)));
        assertEquals("8105", Hex.encode(AxdrWriter.length(5, 1)));
        assertEquals("820005", Hex.encode(AxdrWriter.length(5, 2)));
        assertEquals("8400000005", Hex.encode(AxdrWriter.length(5, 4)));
        assertEquals("820100", Hex.encode(AxdrWriter.length(0x100, 1)), "more bytes where the value needs them");
        byte[] longString = new byte[300];
        assertEquals("0982012C", Hex.encode(Arrays.copyOf(new AxdrWriter().octetString(longString).toByteArray(), 4)));
        // lengthForm applies to strings and counts, not to the fixed OBIS and scaler-unit headers
        assertEquals("028102" + "0906" + "000000000000" + "0A810141",
                Hex.encode(new AxdrWriter().lengthForm(1).structure(2).obis(0L).visibleString("A").toByteArray()));
    }

    @Test
    void valuesOutOfRangeAreRejected() {
        AxdrWriter w = new AxdrWriter();
        assertThrows(IllegalArgumentException.class, () -> w.int8(128));
        assertThrows(IllegalArgumentException.class, () -> w.int16(-32769));
        assertThrows(IllegalArgumentException.class, () -> w.uint8(-1));
        assertThrows(IllegalArgumentException.class, () -> w.uint32(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> w.bitString("102"));
        assertThrows(IllegalArgumentException.class, () -> w.visibleString("\u20AC"));
        assertThrows(IllegalArgumentException.class, () -> w.dateTime(new byte[11]));
        assertEquals(0, w.size(), "a rejected value writes nothing");
    }

    @Test
    void dataNotificationAndBlocks() {
        assertEquals("0F" + "00000001" + "00" + "0200",
                Hex.encode(Apdu.dataNotification(1, null, new AxdrWriter().structure(0).toByteArray())));
        assertEquals("0F" + "FFFFFFFF" + "0C" + "07E5091BFF092F0F00FF8800",
                Hex.encode(Apdu.dataNotification(0xFFFFFFFFL, AxdrWriter.dateTimeBytes(2021, 9, 27, 9, 47, 15, 0, -120), new byte[0])));
        List<byte[]> blocks = Apdu.blocks(Hex.decode("0102030405"), 2, Apdu.GBT_STREAMING);
        assertEquals(3, blocks.size());
        assertEquals("E04000010000020102", Hex.encode(blocks.get(0)));
        assertEquals("E04000020000020304", Hex.encode(blocks.get(1)));
        assertEquals("E0C000030000" + "0105", Hex.encode(blocks.get(2)));
    }

    @Test
    void mbusFrame() {
        // C 0x53, A 0xFF, CI 0x10 (segment 0, last), STSAP 0x01, DTSAP 0x67; L = 5 + 3; CS = sum of C..data
        byte[] f = Framing.mbus().encode(Hex.decode("0F0000"));
        int cs = (0x53 + 0xFF + 0x10 + 0x01 + 0x67 + 0x0F) & 0xFF;
        assertEquals("68080868" + "53FF100167" + "0F0000" + String.format("%02X", cs) + "16", Hex.encode(f));
    }

    @Test
    void mbusSegmentsNumberedAndTheLastMarked() {
        List<byte[]> frames = Framing.mbus().maxData(2).frames(new byte[37]);
        assertEquals(19, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals((i & 0x0F) | (i == 18 ? 0x10 : 0), frames.get(i)[6] & 0xFF, "CI of segment " + i);
        }
        assertEquals(5 + 1, frames.get(18)[1], "the last segment holds the rest");
    }

    @Test
    void hdlcReproducesARealPlainFrame() throws IOException {
        // Kaifa MA304H3E: destination 0x01, source 0x02 0x01, control 0x10, LLC, DATA-NOTIFICATION
        byte[] capture = capture("kaifa_ma304/hdlc_kaifa_ma304h3e.hex");
        byte[] apdu = Arrays.copyOfRange(capture, 12, capture.length - 3);
        assertArrayEquals(capture, Framing.hdlc().destination(0x01).source(0x02, 0x01).control(0x10).encode(apdu));
    }

    @Test
    void hdlcSegmentsCarryTheSegmentationBitAndOneLlcHeader() {
        HdlcFraming hdlc = Framing.hdlc().maxInfo(10);
        List<byte[]> frames = hdlc.frames(new byte[25]);
        assertEquals(3, frames.size());
        for (int i = 0; i < 3; i++) {
            byte[] f = frames.get(i);
            assertEquals(i < 2 ? 0xA8 : 0xA0, f[1] & 0xFF, "format of segment " + i);
            assertEquals(f.length - 2, f[2] & 0xFF, "frame length");
            assertEquals(0x7E, f[0] & 0xFF);
            assertEquals(0x7E, f[f.length - 1] & 0xFF);
        }
        assertEquals("E6E700", Hex.encode(Arrays.copyOfRange(frames.get(0), 9, 12)));
        assertEquals("00000000000000000000", Hex.encode(Arrays.copyOfRange(frames.get(1), 9, 19)));
        assertThrows(IllegalArgumentException.class, () -> Framing.hdlc().destination(0x41, 0x03));
        assertThrows(IllegalArgumentException.class, () -> Framing.hdlc().source(0x02));
    }

    @Test
    void reproducesTheNetzNoeMbusCapture() throws IOException {
        byte[] capture = capture("sagemcom_t210d/mbus_netz_noe_p1.hex");
        byte[] ek = Hex.decode("36C66639E48A8CA4D6BC8B282A793BBB");
        // two frames of 245 and 15 data bytes after C A CI STSAP DTSAP
        byte[] apdu = concat(Arrays.copyOfRange(capture, 9, 9 + 245), Arrays.copyOfRange(capture, 256 + 9, capture.length - 2));
        // DB 08 title(8) 81 F8 control counter(4) ciphertext
        byte[] title = Arrays.copyOfRange(apdu, 2, 10);
        assertEquals("81F820", Hex.encode(Arrays.copyOfRange(apdu, 10, 13)));
        long counter = counter(apdu, 13);
        byte[] plain = ctrDecrypt(ek, title, counter, Arrays.copyOfRange(apdu, 17, apdu.length));
        assertEquals(0x0F, plain[0], "the decrypted content is a DATA-NOTIFICATION");

        byte[] again = Ciphered.glo(title, counter).control(0x20).keys(ek, null).wrap(plain);
        assertArrayEquals(capture, Framing.mbus().encode(again));
    }

    @Test
    void reproducesTheKamstrupHdlcCaptureWithItsTag() throws IOException {
        byte[] capture = capture("kamstrup_omnipower/hdlc_kamstrup_omnipower.hex");
        byte[] ek = Hex.decode("00112233445566778899AABBCCDDEEFF");
        byte[] ak = Hex.decode("FFEEDDCCBBAA99887766554433221100");
        byte[] apdu = Arrays.copyOfRange(capture, 11, capture.length - 3);
        byte[] title = Arrays.copyOfRange(apdu, 2, 10);
        assertEquals("8201D0", Hex.encode(Arrays.copyOfRange(apdu, 10, 13)));
        long counter = counter(apdu, 14);
        byte[] plain = gcmDecrypt(ek, ak, apdu[13], title, counter, Arrays.copyOfRange(apdu, 18, apdu.length));

        byte[] again = Ciphered.glo(title, counter).control(0x30).keys(ek, ak).wrap(plain);
        assertArrayEquals(capture, Framing.hdlc().destination(0x41).source(0x03).control(0x13).encode(again));
    }

    @Test
    void reproducesTheLandisGyrBlockTransferCapture() throws IOException {
        byte[] capture = capture("landis_gyr_e450/hdlc_landis_gyr_e450.hex");
        byte[] ek = Hex.decode("5C316162209EBB790B52EB0E7FC5B11C");
        byte[] ak = Hex.decode("92705C5C97286064EABAE38D190F87A4");
        // three HDLC frames, each one block: LLC only in the first; block data after E0 ctrl nr(2) ack(2) len
        int[] starts = new int[3];
        for (int i = 1; i < 3; i++) {
            starts[i] = starts[i - 1] + (((capture[starts[i - 1] + 1] & 0x07) << 8) | (capture[starts[i - 1] + 2] & 0xFF)) + 2;
        }
        byte[][] data = new byte[3][];
        for (int i = 0; i < 3; i++) {
            int info = starts[i] + 9 + (i == 0 ? 3 : 0);
            int length = capture[info + 6] & 0xFF;
            data[i] = Arrays.copyOfRange(capture, info + 7, info + 7 + length);
        }
        byte[] apdu = concat(concat(data[0], data[1]), data[2]);
        byte[] title = Arrays.copyOfRange(apdu, 2, 10);
        long counter = counter(apdu, 14);
        byte[] plain = gcmDecrypt(ek, ak, apdu[13], title, counter, Arrays.copyOfRange(apdu, 18, apdu.length));

        byte[] again = Ciphered.glo(title, counter).control(0x30).keys(ek, ak).wrap(plain);
        HdlcFraming first = Framing.hdlc().destination(0xCE, 0xFF).source(0x03).control(0x13);
        HdlcFraming next = Framing.hdlc().destination(0xCE, 0xFF).source(0x03).control(0x13).llc(false);
        int a = data[0].length;
        int b = a + data[1].length;
        byte[] rebuilt = concat(concat(
                first.encode(Apdu.block(Apdu.GBT_STREAMING, 1, 0, Arrays.copyOfRange(again, 0, a))),
                next.encode(Apdu.block(Apdu.GBT_STREAMING, 2, 0, Arrays.copyOfRange(again, a, b)))),
                next.encode(Apdu.block(Apdu.GBT_STREAMING | Apdu.GBT_LAST, 3, 0, Arrays.copyOfRange(again, b, again.length))));
        assertArrayEquals(capture, rebuilt);
    }

    private static byte[] capture(String name) throws IOException {
        return Hex.decode(Files.readString(Path.of("..", "examples", name)));
    }

    private static long counter(byte[] b, int off) {
        return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static byte[] iv(byte[] title, long counter) {
        byte[] iv = Arrays.copyOf(title, 12);
        for (int i = 0; i < 4; i++) {
            iv[8 + i] = (byte) (counter >>> (24 - 8 * i));
        }
        return iv;
    }

    /** GCM without a tag is CTR mode starting at counter block 2 (NIST SP 800-38D). */
    private static byte[] ctrDecrypt(byte[] key, byte[] title, long counter, byte[] in) {
        byte[] j1 = Arrays.copyOf(iv(title, counter), 16);
        j1[15] = 2;
        SICBlockCipher ctr = (SICBlockCipher) SICBlockCipher.newInstance(AESEngine.newInstance());
        ctr.init(false, new ParametersWithIV(new KeyParameter(key), j1));
        byte[] out = new byte[in.length];
        ctr.processBytes(in, 0, in.length, out, 0);
        return out;
    }

    /** Decrypts and verifies ciphertext ‖ 12-byte tag with AAD = security control ‖ authentication key. */
    private static byte[] gcmDecrypt(byte[] key, byte[] ak, byte control, byte[] title, long counter, byte[] in) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        byte[] aad = concat(new byte[] {control}, ak);
        gcm.init(false, new AEADParameters(new KeyParameter(key), 96, iv(title, counter), aad));
        byte[] out = new byte[gcm.getOutputSize(in.length)];
        int n = gcm.processBytes(in, 0, in.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError("the capture's tag does not verify", e);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
