package org.meterspec.testkit;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Puts one telegram (an APDU, or one GBT block) into transport frames: {@link MbusFraming},
 * {@link HdlcFraming}, or {@link #raw()} for a bare APDU.
 */
public interface Framing {
    /** The frames of one telegram, in order. */
    List<byte[]> frames(byte[] apdu);

    /** The frames of one telegram, one after another as they arrive on the line. */
    default byte[] encode(byte[] apdu) {
        return concat(frames(apdu));
    }

    /** No framing: the APDU as it is. */
    static Framing raw() {
        return apdu -> List.of(apdu.clone());
    }

    static MbusFraming mbus() {
        return new MbusFraming();
    }

    static HdlcFraming hdlc() {
        return new HdlcFraming();
    }

    /** Byte arrays one after another. */
    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
