package org.meterspec.check;

import java.util.Map;
import org.meterspec.runtime.Units;

/** What to suggest for a unit that is not a DLMS unit symbol. */
public final class UnitHints {
    /** ASCII spellings of symbols that need other characters. */
    private static final Map<String, String> SPELLINGS = Map.ofEntries(
            Map.entry("m3", "m³"), Map.entry("m^3", "m³"), Map.entry("m3/h", "m³/h"), Map.entry("m3/d", "m³/d"),
            Map.entry("degC", "°C"), Map.entry("deg", "°"), Map.entry("Ohm", "Ω"), Map.entry("ohm", "Ω"),
            Map.entry("V2h", "V²h"), Map.entry("A2h", "A²h"), Map.entry("percent", "%"), Map.entry("1/m3", "1/m³"));
    /** SI prefixes and the scaler that replaces them. */
    private static final Map<Character, Integer> PREFIXES = Map.of('k', 3, 'M', 6, 'G', 9, 'm', -3, 'u', -6, 'µ', -6);

    private UnitHints() {
    }

    /** A hint for {@code unit}, which {@link Units#isKnownSymbol} rejected. */
    public static String hint(String unit) {
        String spelled = SPELLINGS.get(unit);
        if (spelled != null) {
            return "write the symbol itself: unit \"" + spelled + "\"";
        }
        if (unit.length() >= 2 && PREFIXES.containsKey(unit.charAt(0))) {
            String base = unit.substring(1);
            String symbol = Units.isKnownSymbol(base) ? base : SPELLINGS.get(base);
            if (symbol != null) {
                return "DLMS units have no prefixes: write unit '" + symbol + "' and scaler "
                        + PREFIXES.get(unit.charAt(0)) + " (the raw value is in " + unit + ")";
            }
        }
        String close = Diagnostics.didYouMean(unit, Units.knownSymbols());
        return close != null ? close : "units are the symbols of the DLMS unit table, e.g. Wh, W, V, A, var, Hz";
    }
}
