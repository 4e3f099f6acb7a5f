package org.meterspec.bench;

import gurux.dlms.secure.GXSecure;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Value;

/**
 * Checks made before anything is measured, so that no benchmark times an error path: each
 * contender must have decoded the telegram, and the floors must have produced its plaintext.
 */
final class Expect {
    private Expect() {
    }

    /** The generated decoder's result: ok, with the expected security, value count and one value. */
    static Reading reading(TelegramResult result, Security security, int values, String obis, long raw) {
        if (!(result instanceof Reading r)) {
            throw new IllegalStateException("decoder failed: " + result);
        }
        if (r.security() != security || r.values().size() != values) {
            throw new IllegalStateException("decoder: security " + r.security() + ", " + r.values().size()
                    + " values; expected " + security + ", " + values);
        }
        Value v = r.value(obis);
        if (v == null || v.raw() != raw) {
            throw new IllegalStateException("decoder: " + obis + " = " + v + ", expected raw " + raw);
        }
        return r;
    }

    /** A floor's output: a DATA-NOTIFICATION (0x0F) of the ciphertext's length, equal to the other floor's. */
    static void plaintext(String what, byte[] out, int n, int expectedLength, byte[] other) {
        if (n != expectedLength || out[0] != 0x0F) {
            throw new IllegalStateException(what + ": " + n + " bytes starting " + out[0] + ", expected "
                    + expectedLength + " starting 0x0F");
        }
        if (other != null && !java.util.Arrays.equals(out, 0, n, other, 0, n)) {
            throw new IllegalStateException(what + ": plaintext differs from the other floor's");
        }
    }

    /** Gurux must refuse the telegram with a wrong authentication key: it checks the tag, as the others do. */
    static void guruxChecksTag(Telegram t, GuruxPush.Framing framing) {
        byte[] wrong = t.authKey.clone();
        wrong[15] ^= 1;
        // Gurux logs the mismatch at SEVERE before giving up; that line is expected here
        Logger log = Logger.getLogger(GXSecure.class.getName());
        Level level = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            new GuruxPush(t, framing, wrong).decode(t.wire);
        } catch (Exception expected) {
            return;
        } finally {
            log.setLevel(level);
        }
        throw new IllegalStateException("Gurux accepted a wrong authentication key: it does not check the tag");
    }

    /** Gurux's values: the expected leaf count, among them the integer {@code raw}. */
    static void gurux(GuruxPush gurux, byte[] wire, int leaves, long raw) throws Exception {
        List<Object> out = new ArrayList<>();
        int n = GuruxPush.walk(gurux.decode(wire), out::add);
        boolean found = out.stream().anyMatch(o -> o instanceof Number x && x.longValue() == raw);
        if (n != leaves || !found) {
            throw new IllegalStateException("Gurux: " + n + " values " + out + "; expected " + leaves
                    + " with " + raw);
        }
    }
}
