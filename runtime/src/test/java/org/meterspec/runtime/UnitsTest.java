package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The DLMS unit enumeration (IEC 62056-6-2) and its symbols. */
class UnitsTest {

    @ParameterizedTest
    @CsvSource({
        "1, a", "5, h", "7, s", "9, °C", "13, m³", "14, m³", "19, l", "27, W", "28, VA", "29, var", "30, Wh",
        "31, VAh", "32, varh", "33, A", "35, V", "38, Ω", "44, Hz", "45, 1/(Wh)", "52, K", "56, %", "57, Ah",
        "70, dBm", "72, dB",
    })
    void symbols(int code, String symbol) {
        assertEquals(symbol, Units.symbol(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 253, 254, 255})
    void countAndNoUnitHaveNoSymbol(int code) {
        assertNull(Units.symbol(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {58, 59, 68, 69, 73, 100, 252})
    void undefinedCodesAreKeptAsNumbers(int code) {
        assertEquals("unit-" + code, Units.symbol(code));
    }

    @Test
    void theCodeIsOneByte() {
        // the scaler-unit carries the unit as an enum byte; a sign-extended byte means the same code
        assertEquals("Wh", Units.symbol(30 + 256));
        assertNull(Units.symbol(-1));
    }

    @Test
    void knownSymbols() {
        assertTrue(Units.isKnownSymbol("Wh"));
        assertTrue(Units.isKnownSymbol("°C"));
        assertFalse(Units.isKnownSymbol("kWh"));
        assertFalse(Units.isKnownSymbol("unit-73"));
        assertFalse(Units.isKnownSymbol(null));
        List<String> all = Units.knownSymbols();
        assertEquals(all.size(), new HashSet<>(all).size(), "no symbol listed twice (m³ has two codes)");
        assertTrue(all.containsAll(List.of("W", "Wh", "var", "varh", "VA", "VAh", "A", "V", "Hz")));
        assertTrue(all.stream().noneMatch(s -> s.startsWith("unit-")));
    }

    @Test
    void everyKnownSymbolHasTheCodeThatPrintsIt() {
        for (String symbol : Units.knownSymbols()) {
            assertEquals(symbol, Units.symbol(Units.code(symbol)));
        }
        assertEquals(30, Units.code("Wh"));
        assertEquals(13, Units.code("m³"), "the first of its two codes");
        assertThrows(IllegalArgumentException.class, () -> Units.code("kWh"));
        assertThrows(IllegalArgumentException.class, () -> Units.code("unit-73"));
    }
}
