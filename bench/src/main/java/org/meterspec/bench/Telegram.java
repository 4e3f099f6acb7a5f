package org.meterspec.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.Keys;

/**
 * One measured telegram: the capture exactly as the meter sent it, its keys, and the fields of its
 * glo-ciphered APDU taken out once here, so that the crypto floor benchmarks work on the very
 * ciphertext the decoders see without paying for framing. This unwrapping is deliberately written
 * independently of the runtime's framers: it feeds the floor, and must not share their bugs.
 */
public final class Telegram {
    public static final Telegram NETZ_NOE_P1 = load("netz_noe_p1", "captures/sagemcom_t210d/mbus_netz_noe_p1.hex",
            Transport.MBUS, "36C66639E48A8CA4D6BC8B282A793BBB", null);
    public static final Telegram KAMSTRUP_OMNIPOWER = load("kamstrup_omnipower",
            "captures/kamstrup_omnipower/hdlc_kamstrup_omnipower.hex", Transport.HDLC,
            "00112233445566778899AABBCCDDEEFF", "FFEEDDCCBBAA99887766554433221100");

    static final int TAG_LENGTH = 12;

    enum Transport { MBUS, HDLC }

    public final String name;
    /** The capture as received: every frame, framing included. */
    public final byte[] wire;
    public final byte[] key;
    public final byte[] authKey;
    public final byte[] systemTitle;
    public final int securityControl;
    public final long frameCounter;
    /** The ciphertext alone, and for an authenticated telegram the ciphertext followed by its tag. */
    public final byte[] ciphertext;
    public final byte[] ciphertextAndTag;

    /** @param apdu the reassembled APDU ({@code DB 08 ...}) */
    private Telegram(String name, byte[] wire, String keyHex, String authKeyHex, byte[] apdu) {
        this.name = name;
        this.wire = wire;
        this.key = Keys.parse(keyHex, "encryption");
        this.authKey = Keys.parse(authKeyHex, "authentication");
        if ((apdu[0] & 0xFF) != 0xDB || apdu[1] != 8) {
            throw new IllegalStateException(name + ": not a general-glo-ciphering APDU");
        }
        this.systemTitle = Arrays.copyOfRange(apdu, 2, 10);
        int q = 10;
        int length = apdu[q++] & 0xFF;
        if (length >= 0x80) {
            int n = length & 0x7F;
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | (apdu[q++] & 0xFF);
            }
        }
        if (q + length != apdu.length) {
            throw new IllegalStateException(name + ": ciphered length " + length + " does not fill the APDU");
        }
        this.securityControl = apdu[q] & 0xFF;
        this.frameCounter = (apdu[q + 1] & 0xFFL) << 24 | (apdu[q + 2] & 0xFF) << 16 | (apdu[q + 3] & 0xFF) << 8
                | (apdu[q + 4] & 0xFF);
        int from = q + 5;
        boolean tagged = (securityControl & 0x10) != 0;
        int end = apdu.length - (tagged ? TAG_LENGTH : 0);
        this.ciphertext = Arrays.copyOfRange(apdu, from, end);
        this.ciphertextAndTag = Arrays.copyOfRange(apdu, from, apdu.length);
    }

    public Keys keys() {
        return Keys.of(key, authKey);
    }

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static Telegram load(String name, String resource, Transport transport, String key, String authKey) {
        byte[] wire;
        try (InputStream in = Telegram.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("capture " + resource + " missing from the benchmark jar");
            }
            wire = Captures.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] apdu = transport == Transport.MBUS ? unwrapMbus(wire) : unwrapHdlc(wire);
        return new Telegram(name, wire, key, authKey, apdu);
    }

    /** {@code 68 L L 68 C A CI STSAP DTSAP data CS 16} per frame; the payloads are concatenated. */
    private static byte[] unwrapMbus(byte[] w) {
        byte[] out = new byte[w.length];
        int n = 0;
        int p = 0;
        while (p < w.length) {
            int l = w[p + 1] & 0xFF;
            if ((w[p] & 0xFF) != 0x68 || (w[p + 3] & 0xFF) != 0x68 || (w[p + 5 + l] & 0xFF) != 0x16) {
                throw new IllegalStateException("not an M-Bus long frame at " + p);
            }
            int data = p + 9;
            int dataLength = l - 5;
            System.arraycopy(w, data, out, n, dataLength);
            n += dataLength;
            p += l + 6;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * One unsegmented HDLC frame: each address ends at the first byte with bit 0 set, and the
     * information field starts with the LLC {@code E6 E7 00}.
     */
    private static byte[] unwrapHdlc(byte[] w) {
        if ((w[0] & 0xFF) != 0x7E || (w[1] & 0xF8) != 0xA0) {
            throw new IllegalStateException("not a single unsegmented HDLC frame");
        }
        int len = (w[1] & 0x07) << 8 | (w[2] & 0xFF);
        int q = 3;
        for (int address = 0; address < 2; address++) {
            while ((w[q] & 1) == 0) {
                q++;
            }
            q++;
        }
        q += 1 + 2; // control, HCS
        q += 3; // LLC
        int fcs = len - 1; // the FCS sits at frame offset len - 1 (the flag is at 0)
        return Arrays.copyOfRange(w, q, fcs);
    }
}
