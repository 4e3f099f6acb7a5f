package org.meterspec.testkit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Wraps a plain APDU in general-glo-ciphering (0xDB) or general-ded-ciphering (0xDC), with AES-GCM
 * from Bouncy Castle, so that the runtime (JDK crypto) and the tests never share crypto code:
 *
 * <pre>{@code
 * byte[] apdu = Ciphered.glo(systemTitle, 35).control(0x30).keys(ek, ak).wrap(notification);
 * }</pre>
 *
 * The result is {@code tag, 08, system title (8), A-XDR length, security control, frame counter (4),
 * content [, tag (12)]} with IV = system title ‖ frame counter. The security control byte decides
 * the content: bit 5 (0x20) encrypts, bit 4 (0x10) appends the 12-byte GCM tag over
 * AAD = security control ‖ authentication key (‖ plaintext when not encrypted). Encrypted without
 * a tag (0x20) the ciphertext is GCM's with its tag left off. Not thread-safe.
 */
public final class Ciphered {
    public static final int GLO = 0xDB;
    public static final int DED = 0xDC;
    public static final int TAG_LENGTH = 12;

    private final int apduTag;
    private final byte[] systemTitle;
    private final long frameCounter;
    private int control = 0x30;
    private byte[] encryptionKey;
    private byte[] authenticationKey;
    private int lengthForm;

    private Ciphered(int apduTag, byte[] systemTitle, long frameCounter) {
        if (systemTitle.length != 8) {
            throw new IllegalArgumentException("a system title is 8 bytes, got " + systemTitle.length);
        }
        if (frameCounter < 0 || frameCounter > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("the frame counter is 4 bytes: " + frameCounter);
        }
        this.apduTag = apduTag;
        this.systemTitle = systemTitle.clone();
        this.frameCounter = frameCounter;
    }

    /** general-glo-ciphering. */
    public static Ciphered glo(byte[] systemTitle, long frameCounter) {
        return new Ciphered(GLO, systemTitle, frameCounter);
    }

    /** general-ded-ciphering. */
    public static Ciphered ded(byte[] systemTitle, long frameCounter) {
        return new Ciphered(DED, systemTitle, frameCounter);
    }

    /** The security control byte; 0x30 unless set. */
    public Ciphered control(int securityControl) {
        if ((securityControl & ~0xFF) != 0) {
            throw new IllegalArgumentException("security control is one byte");
        }
        this.control = securityControl;
        return this;
    }

    /**
     * The AES-128 key to encrypt and authenticate with (for bit 6, the broadcast key) and the
     * authentication key mixed into the tag's AAD; either may be null where the control byte does
     * not need it.
     */
    public Ciphered keys(byte[] encryptionKey, byte[] authenticationKey) {
        this.encryptionKey = encryptionKey == null ? null : check(encryptionKey).clone();
        this.authenticationKey = authenticationKey == null ? null : check(authenticationKey).clone();
        return this;
    }

    /** How the content length is written: 0 shortest, 1–4 long form with at least that many bytes. */
    public Ciphered lengthForm(int bytes) {
        if (bytes < 0 || bytes > 4) {
            throw new IllegalArgumentException("length form must be 0..4 bytes, got " + bytes);
        }
        this.lengthForm = bytes;
        return this;
    }

    /** The complete ciphered APDU around {@code plain}. */
    public byte[] wrap(byte[] plain) {
        byte[] content = content(plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 20);
        out.write(apduTag);
        out.write(8);
        out.writeBytes(systemTitle);
        out.writeBytes(AxdrWriter.length(5L + content.length, lengthForm));
        out.write(control);
        for (int i = 3; i >= 0; i--) {
            out.write((int) (frameCounter >>> (8 * i)) & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** What follows the frame counter: the (encrypted) APDU and, with bit 4, the tag. */
    public byte[] content(byte[] plain) {
        boolean authenticated = (control & 0x10) != 0;
        boolean encrypted = (control & 0x20) != 0;
        if (!authenticated && !encrypted) {
            return plain.clone();
        }
        if (encryptionKey == null) {
            throw new IllegalStateException("security control 0x" + Integer.toHexString(control) + " needs a key");
        }
        if (authenticated && authenticationKey == null) {
            throw new IllegalStateException("security control 0x" + Integer.toHexString(control)
                    + " needs an authentication key");
        }
        byte[] aad;
        if (!authenticated) {
            aad = new byte[0]; // no tag is sent, so what it would cover does not matter
        } else if (encrypted) {
            aad = concat(new byte[] {(byte) control}, authenticationKey);
        } else {
            aad = concat(new byte[] {(byte) control}, authenticationKey, plain);
        }
        byte[] sealed = gcm(encrypted ? plain : new byte[0], aad);
        if (!authenticated) {
            return Arrays.copyOf(sealed, sealed.length - TAG_LENGTH);
        }
        return encrypted ? sealed : concat(plain, sealed);
    }

    /** AES-128-GCM encryption with a 12-byte tag: ciphertext ‖ tag. */
    private byte[] gcm(byte[] input, byte[] aad) {
        byte[] iv = new byte[12];
        System.arraycopy(systemTitle, 0, iv, 0, 8);
        for (int i = 0; i < 4; i++) {
            iv[8 + i] = (byte) (frameCounter >>> (8 * (3 - i)));
        }
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(true, new AEADParameters(new KeyParameter(encryptionKey), TAG_LENGTH * 8, iv, aad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = cipher.processBytes(input, 0, input.length, out, 0);
        try {
            n += cipher.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] check(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("an AES-128 key is 16 bytes, got " + key.length);
        }
        return key;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
