package org.meterspec.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Layer;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.TelegramResult;

/**
 * The security layer: what each security control byte decodes to with and without keys, what a
 * wrong or missing key gives, and what requiring authentication changes.
 */
class SecurityTest {
    private static final byte[] EK = org.meterspec.testkit.TestKeys.EK;
    private static final byte[] AK = org.meterspec.testkit.TestKeys.AK;
    private static final byte[] OTHER = org.meterspec.testkit.TestKeys.OTHER;
    private static final byte[] TITLE = org.meterspec.testkit.TestKeys.SYSTEM_TITLE;
    private static final long FRAME_COUNTER = 0x01020304L;

    /** A small telegram with a value of each common kind. */
    private static final Telegram TELEGRAM = new Telegram(0x40000000L, AxdrWriter.dateTimeBytes(2024, 2, 29, 23, 59, 58, 0xFF, -60),
            List.of(new Telegram.Entry(TripletDecoder.ENERGY.obis(), Scalar.number(AxdrWriter.UINT32, 12937), true, 0, 30),
                    new Telegram.Entry(TripletDecoder.CURRENT.obis(), Scalar.number(AxdrWriter.INT16, -57), false, 0, 0),
                    new Telegram.Entry(TripletDecoder.METER_ID.obis(), Scalar.bytes(AxdrWriter.OCTET_STRING,
                            "181220000009".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), false, 0, 0)));

    private static DecoderConfig.Builder config() {
        return TripletDecoder.configure().raw().acceptPlain(false).acceptGlo(true).acceptDed(false)
                .securityControl(0x00, 0x10, 0x20, 0x30, 0x21, 0x31, 0x60, 0x70, 0x80, 0xA0, 0x32);
    }

    private static TelegramResult decode(byte[] apdu, Keys keys) {
        return new TripletDecoder(config().build(), keys).decode(apdu);
    }

    private static byte[] glo(int control, byte[] ek, byte[] ak) {
        return Ciphered.glo(TITLE, FRAME_COUNTER).control(control).keys(ek, ak).wrap(TELEGRAM.apdu());
    }

    private static Reading reading(TelegramResult result) {
        Reading r = assertInstanceOf(Reading.class, result, () -> "decoded " + result);
        TELEGRAM.check(r);
        assertEquals(Hex.encode(TITLE), r.systemTitle());
        assertEquals(FRAME_COUNTER, r.frameCounter());
        return r;
    }

    private static void error(ErrorCode code, long offset, TelegramResult result) {
        assertEquals(new DecodeError(code, offset), result);
    }

    @Test
    void encryptedWithoutTagDecryptsWithOrWithoutTheAuthenticationKey() {
        byte[] apdu = glo(0x20, EK, null);
        assertEquals(Security.ENCRYPTED, reading(decode(apdu, Keys.of(EK, null))).security());
        assertEquals(Security.ENCRYPTED, reading(decode(apdu, Keys.of(EK, AK))).security());
        // no tag: the ciphertext is exactly as long as the plain APDU
        assertEquals(TELEGRAM.apdu().length + 2 + 8 + 1 + 5, apdu.length);
    }

    @Test
    void encryptedAndAuthenticatedIsVerifiedOnlyWithTheAuthenticationKey() {
        byte[] apdu = glo(0x30, EK, AK);
        assertEquals(Security.AUTHENTICATED, reading(decode(apdu, Keys.of(EK, AK))).security());
        assertEquals(Security.ENCRYPTED, reading(decode(apdu, Keys.of(EK, null))).security());
    }

    @Test
    void securitySuiteOneIsTheSameAlgorithm() {
        assertEquals(Security.AUTHENTICATED, reading(decode(glo(0x31, EK, AK), Keys.of(EK, AK))).security());
        assertEquals(Security.ENCRYPTED, reading(decode(glo(0x21, EK, null), Keys.of(EK, null))).security());
    }

    @Test
    void authenticatedOnlyCarriesThePlainApduAndATag() {
        byte[] apdu = glo(0x10, EK, AK);
        byte[] plain = TELEGRAM.apdu();
        int content = apdu.length - Ciphered.TAG_LENGTH - plain.length;
        assertArrayEquals(plain, Arrays.copyOfRange(apdu, content, content + plain.length));
        assertEquals(Security.AUTHENTICATED, reading(decode(apdu, Keys.of(EK, AK))).security());
        // without the authentication key nothing was checked
        assertEquals(Security.NONE, reading(decode(apdu, Keys.of(EK, null))).security());
        assertEquals(Security.NONE, reading(decode(apdu, Keys.none())).security());
    }

    @Test
    void authenticatedOnlyDetectsAChangedPlainApdu() {
        byte[] apdu = glo(0x10, EK, AK);
        apdu[apdu.length - Ciphered.TAG_LENGTH - 1] ^= 1; // last byte of the meter id
        error(ErrorCode.SECURITY_TAG_MISMATCH, apdu.length - Ciphered.TAG_LENGTH, decode(apdu, Keys.of(EK, AK)));
    }

    @Test
    void noSecurityInsideGloCipheringStillNamesTheSender() {
        Reading r = reading(decode(glo(0x00, null, null), Keys.none()));
        assertEquals(Security.NONE, r.security());
    }

    @Test
    void wrongAuthenticationKeyIsATagMismatchAtTheTag() {
        byte[] apdu = glo(0x30, EK, AK);
        error(ErrorCode.SECURITY_TAG_MISMATCH, apdu.length - Ciphered.TAG_LENGTH, decode(apdu, Keys.of(EK, OTHER)));
    }

    @Test
    void wrongEncryptionKeyIsATagMismatchWhenThereIsATag() {
        byte[] apdu = glo(0x30, EK, AK);
        error(ErrorCode.SECURITY_TAG_MISMATCH, apdu.length - Ciphered.TAG_LENGTH, decode(apdu, Keys.of(OTHER, AK)));
    }

    @Test
    void wrongEncryptionKeyWithoutTagIsReportedAsDecryptionFailure() {
        byte[] apdu = glo(0x20, EK, null);
        // with the other key the first plaintext byte is not 0x0F: the content is noise
        int content = apdu.length - TELEGRAM.apdu().length;
        error(ErrorCode.SECURITY_DECRYPTION, content, decode(apdu, Keys.of(OTHER, null)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 20, 60})
    void anyChangedCiphertextByteIsATagMismatch(int at) {
        byte[] apdu = glo(0x30, EK, AK);
        int content = apdu.length - Ciphered.TAG_LENGTH - TELEGRAM.apdu().length;
        apdu[content + at] ^= (byte) 0x80;
        error(ErrorCode.SECURITY_TAG_MISMATCH, apdu.length - Ciphered.TAG_LENGTH, decode(apdu, Keys.of(EK, AK)));
    }

    @Test
    void changedTagOrFrameCounterOrControlIsATagMismatch() {
        byte[] good = glo(0x30, EK, AK);
        int tagAt = good.length - Ciphered.TAG_LENGTH;
        int controlAt = 2 + 8 + AxdrWriter.length(good.length - 2 - 8 - 2, 0).length;

        byte[] tag = good.clone();
        tag[good.length - 1] ^= 1;
        error(ErrorCode.SECURITY_TAG_MISMATCH, tagAt, decode(tag, Keys.of(EK, AK)));

        byte[] counter = good.clone();
        counter[controlAt + 4] ^= 1; // part of the IV
        error(ErrorCode.SECURITY_TAG_MISMATCH, tagAt, decode(counter, Keys.of(EK, AK)));

        byte[] control = good.clone();
        control[controlAt] = 0x31; // same algorithm, but part of the AAD
        error(ErrorCode.SECURITY_TAG_MISMATCH, tagAt, decode(control, Keys.of(EK, AK)));
    }

    @Test
    void missingEncryptionKey() {
        int controlAt = 2 + 8 + 1;
        error(ErrorCode.SECURITY_KEY_MISSING, controlAt, decode(glo(0x20, EK, null), Keys.none()));
        error(ErrorCode.SECURITY_KEY_MISSING, controlAt, decode(glo(0x30, EK, AK), Keys.of(null, AK)));
    }

    @Test
    void requiredAuthenticationAcceptsOnlyAVerifiedTag() {
        for (boolean bySpec : new boolean[] {false, true}) {
            DecoderConfig c = config().authenticationRequired(bySpec).acceptPlain(true).acceptGlo(true).acceptDed(false).build();
            TripletDecoder withKeys = new TripletDecoder(c, Keys.of(EK, AK), !bySpec);
            TripletDecoder withoutAk = new TripletDecoder(c, Keys.of(EK, null), !bySpec);
            TripletDecoder withoutEk = new TripletDecoder(c, Keys.of(null, AK), !bySpec);
            int controlAt = 2 + 8 + 1;

            assertEquals(Security.AUTHENTICATED, reading(withKeys.decode(glo(0x30, EK, AK))).security());
            assertEquals(Security.AUTHENTICATED, reading(withKeys.decode(glo(0x10, EK, AK))).security());
            error(ErrorCode.SECURITY_TAG_MISSING, controlAt, withKeys.decode(glo(0x20, EK, null)));
            error(ErrorCode.SECURITY_TAG_MISSING, controlAt, withKeys.decode(glo(0x00, null, null)));
            error(ErrorCode.SECURITY_TAG_MISSING, 0, withKeys.decode(TELEGRAM.apdu()));
            error(ErrorCode.SECURITY_AUTH_KEY_MISSING, controlAt, withoutAk.decode(glo(0x30, EK, AK)));
            error(ErrorCode.SECURITY_KEY_MISSING, controlAt, withoutEk.decode(glo(0x10, EK, AK)));
            error(ErrorCode.SECURITY_TAG_MISMATCH, glo(0x30, EK, AK).length - Ciphered.TAG_LENGTH,
                    new TripletDecoder(c, Keys.of(EK, OTHER), !bySpec).decode(glo(0x30, EK, AK)));
        }
    }

    @Test
    void broadcastKeyBitSelectsTheBroadcastKey() {
        byte[] broadcast = glo(0x60, OTHER, null);
        Keys keys = Keys.of(EK, AK, OTHER);
        assertEquals(Security.ENCRYPTED, reading(decode(broadcast, keys)).security());
        assertEquals(Security.AUTHENTICATED, reading(decode(glo(0x70, OTHER, AK), keys)).security());
        error(ErrorCode.SECURITY_KEY_MISSING, 2 + 8 + 1, decode(broadcast, Keys.of(EK, AK)));
    }

    @Test
    void controlBytesTheSpecOrTheRuntimeDoesNotAllow() {
        int controlAt = 2 + 8 + 1;
        TripletDecoder only30 = new TripletDecoder(TripletDecoder.configure().raw().acceptPlain(false).acceptGlo(true).acceptDed(false)
                .securityControl(0x30).build(), Keys.of(EK, AK));
        error(ErrorCode.SECURITY_CONTROL, controlAt, only30.decode(glo(0x20, EK, null)));
        // compression (bit 7) and suite 2 are not supported even where the spec lists them
        error(ErrorCode.SECURITY_CONTROL, controlAt, decode(glo(0xA0, EK, null), Keys.of(EK, AK)));
        error(ErrorCode.SECURITY_CONTROL, controlAt, decode(glo(0x32, EK, AK), Keys.of(EK, AK)));
    }

    @Test
    void cipheringModesTheSpecDoesNotAllow() {
        error(ErrorCode.SECURITY_PLAINTEXT, 0, decode(TELEGRAM.apdu(), Keys.of(EK, AK)));
        byte[] ded = Ciphered.ded(TITLE, FRAME_COUNTER).control(0x30).keys(EK, AK).wrap(TELEGRAM.apdu());
        error(ErrorCode.SECURITY_NOT_ALLOWED, 0, decode(ded, Keys.of(EK, AK)));

        TripletDecoder dedOnly = new TripletDecoder(TripletDecoder.configure().raw().acceptPlain(false).acceptGlo(false).acceptDed(true)
                .securityControl(0x30).build(), Keys.of(EK, AK));
        assertEquals(Security.AUTHENTICATED, reading(dedOnly.decode(ded)).security());
        error(ErrorCode.SECURITY_NOT_ALLOWED, 0, dedOnly.decode(glo(0x30, EK, AK)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void longFormContentLengths(int form) {
        byte[] apdu = Ciphered.glo(TITLE, FRAME_COUNTER).control(0x30).keys(EK, AK).lengthForm(form).wrap(TELEGRAM.apdu());
        assertEquals(0x80 | form, apdu[10] & 0xFF);
        assertEquals(Security.AUTHENTICATED, reading(decode(apdu, Keys.of(EK, AK))).security());
    }

    /**
     * The APDU in one HDLC frame, whose length bounds it: a bare APDU that claims more bytes than
     * follow is only incomplete, and bytes after one are the stream's next.
     */
    private static TelegramResult framed(byte[] apdu, Keys keys) {
        DecoderConfig hdlc = config().hdlc().llc(DecoderConfig.Llc.OPTIONAL).build();
        return new TripletDecoder(hdlc, keys).decode(Framing.hdlc().maxInfo(400).encode(apdu));
    }

    @Test
    void malformedCipheredHeaders() {
        byte[] good = glo(0x30, EK, AK);

        byte[] title = good.clone();
        title[1] = 7;
        error(ErrorCode.SECURITY_SYSTEM_TITLE, 1, decode(title, Keys.of(EK, AK)));
        error(ErrorCode.SECURITY_SYSTEM_TITLE, 1, framed(title, Keys.of(EK, AK)));

        byte[] longer = good.clone();
        longer[10]++;
        error(ErrorCode.SECURITY_LENGTH, 10, framed(longer, Keys.of(EK, AK)));
        error(ErrorCode.TELEGRAM_INCOMPLETE, 0, decode(longer, Keys.of(EK, AK)));

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        error(ErrorCode.APDU_TRAILING_BYTES, good.length, framed(trailing, Keys.of(EK, AK)));
        reading(decode(trailing, Keys.of(EK, AK)));

        // a content too short for security control and frame counter
        byte[] tiny = Hex.decode("DB08" + Hex.encode(TITLE) + "0430010203");
        error(ErrorCode.SECURITY_LENGTH, 10, decode(tiny, Keys.of(EK, AK)));
        error(ErrorCode.SECURITY_LENGTH, 10, framed(tiny, Keys.of(EK, AK)));

        for (int n = 1; n < good.length; n++) {
            TelegramResult r = framed(Arrays.copyOf(good, n), Keys.of(EK, AK));
            DecodeError e = assertInstanceOf(DecodeError.class, r, "truncated to " + n);
            assertEquals(n < 11 ? Layer.APDU : Layer.SECURITY, e.layer(), "truncated to " + n + ": " + e);
            assertEquals(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, 0), decode(Arrays.copyOf(good, n), Keys.of(EK, AK)),
                    "a bare APDU truncated to " + n);
        }
    }
}
