package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OBIS codes: packing, the dotted and IEC forms, and the errors a user sees for bad ones. */
class ObisTest {

    @Test
    void packAndGroups() {
        long code = Obis.pack(1, 0, 1, 8, 0, 255);
        assertEquals(0x0100010800FFL, code);
        assertEquals(1, Obis.group(code, 0));
        assertEquals(8, Obis.group(code, 3));
        assertEquals(255, Obis.group(code, 5));
        assertEquals(code, Obis.read(Frames.hex("AA0100010800FF"), 1));
    }

    @Test
    void format() {
        assertEquals("1.0.1.8.0.255", Obis.format(Obis.pack(1, 0, 1, 8, 0, 255)));
        assertEquals("0.0.0.0.0.0", Obis.format(0));
        assertEquals("255.255.255.255.255.255", Obis.format(0xFFFFFFFFFFFFL));
        StringBuilder sb = new StringBuilder("obis ");
        Obis.appendTo(sb, Obis.pack(0, 0, 96, 1, 0, 255));
        assertEquals("obis 0.0.96.1.0.255", sb.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.1.8.0.255, 1.0.1.8.0.255",
        "1-0:1.8.0*255, 1.0.1.8.0.255",
        "1-0:1.8.0, 1.0.1.8.0.255",
        "1.0.1.8.0, 1.0.1.8.0.255",
        "0-0:96.1.0*255, 0.0.96.1.0.255",
        "1-1:0.2.129*255, 1.1.0.2.129.255",
        "0.0.0.0.0.0, 0.0.0.0.0.0",
        "001.000.001.008.000.255, 1.0.1.8.0.255",
    })
    void parse(String text, String dotted) {
        assertEquals(dotted, Obis.format(Obis.parse(text)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|not an OBIS code",
        "1.2.3|needs six groups",
        "1.2.3.4|needs six groups",
        "1.2.3.4.5.6.7|not an OBIS code (A.B.C.D.E.F)",
        "256.0.1.8.0.255|OBIS group 1 of '256.0.1.8.0.255' is over 255",
        "1.0.1.8.0.1000|OBIS group 6 of '1.0.1.8.0.1000' is over 255",
        "1..1.8.0.255|not an OBIS code",
        "1.0.1.8.0.255.|not an OBIS code",
        "1.a.1.8.0.255|unexpected 'a'",
        "1 .0.1.8.0.255|unexpected ' '",
        "-1.0.1.8.0.255|not an OBIS code",
    })
    void parseErrorsSayWhatIsWrong(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Obis.parse(text));
        assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), () -> "message names the input: " + e.getMessage());
    }

    @Property(tries = 300)
    void formatThenParseIsTheIdentity(@ForAll @LongRange(min = 0, max = 0xFFFFFFFFFFFFL) long code) {
        assertEquals(code, Obis.parse(Obis.format(code)));
        String iec = Obis.group(code, 0) + "-" + Obis.group(code, 1) + ":" + Obis.group(code, 2) + "." + Obis.group(code, 3)
                + "." + Obis.group(code, 4) + "*" + Obis.group(code, 5);
        assertEquals(code, Obis.parse(iec));
    }
}
