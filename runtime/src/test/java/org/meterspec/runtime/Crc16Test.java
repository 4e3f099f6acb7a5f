package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** CRC-16/X.25, the HDLC HCS and FCS. */
class Crc16Test {

    @Test
    void checkValue() {
        // the catalogue check value of CRC-16/X.25
        byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x906E, Crc16.compute(digits, 0, digits.length));
    }

    @Test
    void emptyInput() {
        assertEquals(0x0000, Crc16.compute(new byte[0], 0, 0));
    }

    @Test
    void aRealFrameHeader() {
        // Kaifa MA304H3E: 7E A0 79 01 02 01 10 | HCS 80 93, sent least significant byte first
        byte[] frame = Frames.hex("7EA0790102011080 93");
        assertEquals(0x9380, Crc16.compute(frame, 1, 7));
        assertTrue(Crc16.matches(frame, 1, 7));
        frame[8] = (byte) 0x92;
        assertFalse(Crc16.matches(frame, 1, 7));
    }

    @Property(tries = 200)
    void agreesWithTheBitwiseDefinition(@ForAll byte[] data) {
        assertEquals(Frames.crc(data), Crc16.compute(data, 0, data.length));
    }

    @Property(tries = 200)
    void detectsEverySingleBitError(@ForAll byte[] data, @ForAll int position) {
        byte[] framed = java.util.Arrays.copyOf(data, data.length + 2);
        int crc = Crc16.compute(data, 0, data.length);
        framed[data.length] = (byte) crc;
        framed[data.length + 1] = (byte) (crc >>> 8);
        assertTrue(Crc16.matches(framed, 0, data.length));
        int bit = Math.floorMod(position, framed.length * 8);
        framed[bit / 8] ^= (byte) (1 << (bit % 8));
        assertFalse(Crc16.matches(framed, 0, data.length));
    }
}
