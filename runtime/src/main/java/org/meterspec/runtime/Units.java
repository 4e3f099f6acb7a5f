package org.meterspec.runtime;

/**
 * The DLMS/COSEM unit enumeration (IEC 62056-6-2, class "Register", attribute scaler_unit) and its
 * symbols. Codes 0, 253, 254 and 255 ("count", no unit) have no symbol; an undefined code prints
 * as {@code unit-N} so that nothing the meter said is lost.
 */
public final class Units {
    private static final String[] SYMBOLS = new String[256];

    static {
        String[] table = {
            null, "a", "mo", "wk", "d", "h", "min", "s", "°", "°C", // 0-9
            "currency", "m", "m/s", "m³", "m³", "m³/h", "m³/h", "m³/d", "m³/d", "l", // 10-19
            "kg", "N", "Nm", "Pa", "bar", "J", "J/h", "W", "VA", "var", // 20-29
            "Wh", "VAh", "varh", "A", "C", "V", "V/m", "F", "Ω", "Ωm²/m", // 30-39
            "Wb", "T", "A/m", "H", "Hz", "1/(Wh)", "1/(varh)", "1/(VAh)", "V²h", "A²h", // 40-49
            "kg/s", "S", "K", "1/(V²h)", "1/(A²h)", "1/m³", "%", "Ah", null, null, // 50-59
            "Wh/m³", "J/m³", "Mol %", "g/m³", "Pa s", "J/kg", "g/cm²", "atm", null, null, // 60-69
            "dBm", "dBµV", "dB", // 70-72
        };
        System.arraycopy(table, 0, SYMBOLS, 0, table.length);
        for (int code = 1; code < 253; code++) {
            if (SYMBOLS[code] == null) {
                SYMBOLS[code] = "unit-" + code;
            }
        }
    }

    private Units() {
    }

    /** The symbol of a unit code, or {@code null} where the code means "no unit". */
    public static String symbol(int code) {
        return SYMBOLS[code & 0xFF];
    }

    /**
     * The lowest code whose symbol is {@code symbol} (m³ is 13 and 14: both print alike).
     *
     * @throws IllegalArgumentException for a symbol {@link #isKnownSymbol} rejects
     */
    public static int code(String symbol) {
        for (int code = 1; code < 253; code++) {
            if (SYMBOLS[code].equals(symbol) && !symbol.startsWith("unit-")) {
                return code;
            }
        }
        throw new IllegalArgumentException("not a DLMS unit symbol: " + symbol);
    }

    /** Whether {@code symbol} is the symbol of a defined DLMS unit. */
    public static boolean isKnownSymbol(String symbol) {
        for (String s : SYMBOLS) {
            if (s != null && s.equals(symbol) && !s.startsWith("unit-")) {
                return true;
            }
        }
        return false;
    }

    /** All defined symbols, for "did you mean" hints. */
    public static java.util.List<String> knownSymbols() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String s : SYMBOLS) {
            if (s != null && !s.startsWith("unit-") && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
