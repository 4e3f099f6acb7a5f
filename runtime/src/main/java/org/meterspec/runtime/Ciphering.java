package org.meterspec.runtime;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-GCM as DLMS uses it (IV = system title ‖ frame counter, 12-byte tag, AAD = security
 * control ‖ authentication key), on the JDK's AES, which runs on the CPU's AES instructions.
 * Without a tag to check, the plaintext is AES-CTR from counter block J0+1. One instance per
 * decoder; not thread-safe.
 */
final class Ciphering {
    static final int TAG_LENGTH = 12;

    private Cipher ctr;
    private Cipher gcm;
    private final byte[] iv = new byte[16];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[17];

    /** Decrypts {@code len} bytes without checking a tag. */
    void decrypt(SecretKeySpec key, byte[] systemTitle, int stOff, long frameCounter,
                 byte[] in, int off, int len, byte[] out, int outOff) {
        try {
            if (ctr == null) {
                ctr = Cipher.getInstance("AES/CTR/NoPadding");
            }
            System.arraycopy(systemTitle, stOff, iv, 0, 8);
            putInt(iv, 8, frameCounter);
            iv[12] = 0;
            iv[13] = 0;
            iv[14] = 0;
            iv[15] = 2;
            ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
            ctr.doFinal(in, off, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable in this JDK", e);
        }
    }

    /**
     * Decrypts {@code len} bytes followed by their tag and verifies the tag; returns false when the
     * tag does not match. With {@code encrypted} false the content is plain and only authenticated.
     */
    boolean decryptVerified(SecretKeySpec key, byte[] authKey, int securityControl, boolean encrypted,
                            byte[] systemTitle, int stOff, long frameCounter,
                            byte[] in, int off, int len, byte[] out, int outOff) {
        try {
            if (gcm == null) {
                gcm = Cipher.getInstance("AES/GCM/NoPadding");
            }
            System.arraycopy(systemTitle, stOff, nonce, 0, 8);
            putInt(nonce, 8, frameCounter);
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            aad[0] = (byte) securityControl;
            System.arraycopy(authKey, 0, aad, 1, 16);
            gcm.updateAAD(aad);
            if (encrypted) {
                gcm.doFinal(in, off, len + TAG_LENGTH, out, outOff);
            } else {
                gcm.updateAAD(in, off, len);
                gcm.doFinal(in, off + len, TAG_LENGTH, out, outOff);
                System.arraycopy(in, off, out, outOff, len);
            }
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable in this JDK", e);
        }
    }

    private static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
