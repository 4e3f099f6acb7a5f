package org.meterspec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical lines read back, and everything that is not one refused. */
class TelegramLineTest {
    static final String READING = "{\"telegram\":1,\"status\":\"ok\",\"meter\":\"netz_noe_p1\","
            + "\"system_title\":\"4B464D6750000009\",\"frame_counter\":35,\"security\":\"encrypted\",\"values\":["
            + "{\"obis\":\"0.0.1.0.0.255\",\"name\":\"clock\",\"value\":\"2021-09-27T09:47:15.00+02:00\"},"
            + "{\"obis\":\"1.0.1.8.0.255\",\"name\":\"energy_import\",\"value\":\"12937\",\"unit\":\"Wh\"},"
            + "{\"obis\":\"0.0.96.1.0.255\",\"value\":null},"
            + "{\"obis\":\"0.0.96.1.1.255\",\"value\":\"tab\\u0009quote\\\"backslash\\\\ \\u0001 N\u00d6\"}]}";
    static final String ERROR = "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\","
            + "\"offset\":255}";

    @Test
    void aReadingReadsBackFieldByField() {
        TelegramLine.Reading r = (TelegramLine.Reading) TelegramLine.parse(READING);

        assertEquals(1, r.telegram());
        assertEquals("netz_noe_p1", r.meter());
        assertEquals("4B464D6750000009", r.systemTitle());
        assertEquals(35L, r.frameCounter());
        assertEquals("encrypted", r.security());
        assertEquals(4, r.values().size());
        assertEquals(new TelegramLine.Value("1.0.1.8.0.255", "energy_import", "12937", "Wh"), r.values().get(1));
        assertNull(r.values().get(2).value());
        assertNull(r.values().get(2).name());
        assertEquals("tab\tquote\"backslash\\ \u0001 N\u00d6", r.values().get(3).value());
        assertEquals(READING, r.json());
    }

    @Test
    void anErrorReadsBack() {
        assertEquals(new TelegramLine.Error(2, "transport", "MBUS_CHECKSUM", 255), TelegramLine.parse(ERROR));
    }

    @Test
    void aPlainReadingHasNoSystemTitle() {
        String plain = "{\"telegram\":3,\"status\":\"ok\",\"meter\":\"aidon\",\"security\":\"none\",\"values\":[]}";

        TelegramLine.Reading r = (TelegramLine.Reading) TelegramLine.parse(plain);

        assertNull(r.systemTitle());
        assertNull(r.frameCounter());
        assertEquals(List.of(), r.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // fields out of order
        "{\"status\":\"error\",\"telegram\":2,\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}",
        // spaces
        "{\"telegram\":2, \"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}",
        // an escape the canonical form does not use
        "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transp\\u006frt\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}",
        // a field too many, a field missing, a wrong type
        "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255,\"x\":1}",
        "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\"}",
        "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":\"255\"}",
        "{\"telegram\":2.0,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}",
        // a system title without its frame counter
        "{\"telegram\":1,\"status\":\"ok\",\"meter\":\"m\",\"system_title\":\"4B\",\"security\":\"none\",\"values\":[]}",
        // not JSON, or JSON with something after it
        "{\"telegram\":2,\"status\":\"error\"",
        "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transport\",\"error\":\"MBUS_CHECKSUM\",\"offset\":255}x",
        "{\"telegram\":2,\"telegram\":2,\"status\":\"error\",\"layer\":\"t\",\"error\":\"E\",\"offset\":1}",
        "{\"telegram\":1,\"status\":\"maybe\"}",
        "[]",
        "",
    })
    void whatIsNotACanonicalLineIsRefused(String line) {
        assertThrows(IllegalArgumentException.class, () -> TelegramLine.parse(line));
    }

    @Test
    void theNonCanonicalFormIsToldAndTheCanonicalOneShown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TelegramLine.parse(
                "{\"telegram\":2,\"status\":\"error\",\"layer\":\"transp\\u006frt\",\"error\":\"E\",\"offset\":1}"));

        assertTrue(e.getMessage().startsWith("not written canonically; the canonical form is {\"telegram\":2,"
                + "\"status\":\"error\",\"layer\":\"transport\""), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));

        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void jsonValuesOfEveryKind() {
        assertEquals(List.of(1L, -2L, new java.math.BigDecimal("1.5e3"), true, false, "\uD83D\uDE00"),
                JsonReader.parse(" [1, -2, 1.5e3, true, false, \"\\ud83d\\ude00\"] "));
        assertEquals(new java.math.BigDecimal("123456789012345678901"), JsonReader.parse("123456789012345678901"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"\\ud83d\""));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("01"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\u0001\""));
    }
}
