package org.meterspec.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the measured telegrams as a C header for {@code bench/c/bench.c}: each one's wire bytes
 * and keys, and the fields of its ciphered APDU, taken out by {@link Telegram}, so that the C floor
 * works on the same ciphertext the decoder sees.
 */
public final class CInputs {
    private CInputs() {
    }

    public static void main(String[] args) throws IOException {
        StringBuilder sb = new StringBuilder("/* Written by bench/c/run.sh (org.meterspec.bench.CInputs). */\n");
        for (Telegram t : new Telegram[] {Telegram.NETZ_NOE_P1, Telegram.KAMSTRUP_OMNIPOWER}) {
            String p = t.name.toUpperCase(java.util.Locale.ROOT);
            array(sb, p + "_WIRE", t.wire);
            array(sb, p + "_KEY", t.key);
            if (t.authKey != null) {
                array(sb, p + "_AUTH_KEY", t.authKey);
            }
            array(sb, p + "_SYSTEM_TITLE", t.systemTitle);
            sb.append("#define ").append(p).append("_SECURITY_CONTROL 0x")
                    .append(Integer.toHexString(t.securityControl)).append('\n');
            sb.append("#define ").append(p).append("_FRAME_COUNTER ").append(t.frameCounter).append("u\n");
            array(sb, p + "_CIPHERTEXT", t.ciphertext);
            array(sb, p + "_CIPHERTEXT_AND_TAG", t.ciphertextAndTag);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    }

    private static void array(StringBuilder sb, String name, byte[] b) {
        sb.append("static const unsigned char ").append(name).append("[").append(b.length).append("] = {");
        for (int i = 0; i < b.length; i++) {
            sb.append(i % 16 == 0 ? "\n    " : " ").append(String.format("0x%02X,", b[i]));
        }
        sb.append("\n};\n");
    }
}
