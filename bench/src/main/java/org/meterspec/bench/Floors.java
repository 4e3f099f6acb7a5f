package org.meterspec.bench;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The floor: the least work any correct decoder must do for a telegram's security mode, on the
 * same ciphertext. Cipher objects and keys are set up once; what a new telegram changes (its
 * system title and frame counter, so the IV) is set per call, as a decoder must. Not thread-safe.
 */
final class Floors {
    private Floors() {
    }

    /** The GCM nonce: system title ‖ frame counter, into {@code block[0, 12)}. */
    static void nonce(Telegram t, byte[] block) {
        System.arraycopy(t.systemTitle, 0, block, 0, 8);
        Telegram.putInt(block, 8, t.frameCounter);
    }

    /** The AAD of the tag: security control ‖ authentication key. */
    static void aad(Telegram t, byte[] aad) {
        aad[0] = (byte) t.securityControl;
        System.arraycopy(t.authKey, 0, aad, 1, 16);
    }

    /** The first counter block of the payload: J0 + 1 = system title ‖ frame counter ‖ 00000002. */
    static void counterBlock(Telegram t, byte[] block) {
        nonce(t, block);
        block[12] = 0;
        block[13] = 0;
        block[14] = 0;
        block[15] = 2;
    }

    /** Security control 0x20: AES-CTR with the JDK's cipher (AES instructions where the CPU has them). */
    static final class JdkCtr {
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final byte[] block = new byte[16];

        JdkCtr(Telegram t) throws GeneralSecurityException {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            key = new SecretKeySpec(t.key, "AES");
        }

        int decrypt(Telegram t, byte[] out) throws GeneralSecurityException {
            counterBlock(t, block);
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(block));
            return cipher.doFinal(t.ciphertext, 0, t.ciphertext.length, out, 0);
        }
    }

    /** Security control 0x20: AES-CTR with Bouncy Castle's lightweight API. */
    static final class BcCtr {
        private final CTRModeCipher cipher = SICBlockCipher.newInstance(AESEngine.newInstance());
        private final byte[] block = new byte[16];

        BcCtr(Telegram t) {
            // key schedule once; later inits pass a null key and only change the IV
            cipher.init(false, new ParametersWithIV(new KeyParameter(t.key), new byte[16]));
        }

        int decrypt(Telegram t, byte[] out) {
            counterBlock(t, block);
            cipher.init(false, new ParametersWithIV(null, block));
            return cipher.processBytes(t.ciphertext, 0, t.ciphertext.length, out, 0);
        }
    }

    /** Security control 0x30: AES-GCM decrypt and verify the 12-byte tag with the JDK's cipher. */
    static final class JdkGcm {
        private final Cipher cipher;
        private final SecretKeySpec key;
        private final byte[] nonce = new byte[12];
        private final byte[] aad = new byte[17];

        JdkGcm(Telegram t) throws GeneralSecurityException {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            key = new SecretKeySpec(t.key, "AES");
        }

        /** Throws {@link javax.crypto.AEADBadTagException} when the tag does not match. */
        int decrypt(Telegram t, byte[] out) throws GeneralSecurityException {
            nonce(t, nonce);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Telegram.TAG_LENGTH * 8, nonce));
            aad(t, aad);
            cipher.updateAAD(aad);
            return cipher.doFinal(t.ciphertextAndTag, 0, t.ciphertextAndTag.length, out, 0);
        }
    }

    /** Security control 0x30: AES-GCM decrypt and verify with Bouncy Castle's GCMBlockCipher. */
    static final class BcGcm {
        private final GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        private final byte[] nonce = new byte[12];
        private final byte[] aad = new byte[17];

        BcGcm(Telegram t) {
            // key schedule and hash subkey once; later inits pass a null key
            cipher.init(false, new AEADParameters(new KeyParameter(t.key), Telegram.TAG_LENGTH * 8, new byte[12]));
        }

        /** Throws {@link InvalidCipherTextException} when the tag does not match. */
        int decrypt(Telegram t, byte[] out) throws InvalidCipherTextException {
            nonce(t, nonce);
            cipher.init(false, new AEADParameters(null, Telegram.TAG_LENGTH * 8, nonce));
            aad(t, aad);
            cipher.processAADBytes(aad, 0, aad.length);
            int n = cipher.processBytes(t.ciphertextAndTag, 0, t.ciphertextAndTag.length, out, 0);
            return n + cipher.doFinal(out, n);
        }
    }
}
