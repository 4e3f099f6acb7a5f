/*
 * The DLMS/COSEM unit enumeration (IEC 62056-6-2) and its symbols, as Units.java has them. The
 * symbols are UTF-8 written as octal escapes, so the source is ASCII whatever a compiler assumes.
 */
#include "ms_text.h"

/* Codes 0 to 72; 0 means "count" (no unit), the others without a symbol are not defined. */
static const char *const ms_unit_symbols[] = {
    NULL, /* 0 */
    "a", /* 1 */
    "mo", /* 2 */
    "wk", /* 3 */
    "d", /* 4 */
    "h", /* 5 */
    "min", /* 6 */
    "s", /* 7 */
    "\302\260", /* 8: degree */
    "\302\260C", /* 9: degree Celsius */
    "currency", /* 10 */
    "m", /* 11 */
    "m/s", /* 12 */
    "m\302\263", /* 13: m3 volume */
    "m\302\263", /* 14: m3 corrected volume */
    "m\302\263/h", /* 15: m3/h volume flux */
    "m\302\263/h", /* 16: m3/h corrected volume flux */
    "m\302\263/d", /* 17: m3/d volume flux */
    "m\302\263/d", /* 18: m3/d corrected volume flux */
    "l", /* 19 */
    "kg", /* 20 */
    "N", /* 21 */
    "Nm", /* 22 */
    "Pa", /* 23 */
    "bar", /* 24 */
    "J", /* 25 */
    "J/h", /* 26 */
    "W", /* 27 */
    "VA", /* 28 */
    "var", /* 29 */
    "Wh", /* 30 */
    "VAh", /* 31 */
    "varh", /* 32 */
    "A", /* 33 */
    "C", /* 34 */
    "V", /* 35 */
    "V/m", /* 36 */
    "F", /* 37 */
    "\316\251", /* 38: Ohm */
    "\316\251m\302\262/m", /* 39: Ohm m2/m resistivity */
    "Wb", /* 40 */
    "T", /* 41 */
    "A/m", /* 42 */
    "H", /* 43 */
    "Hz", /* 44 */
    "1/(Wh)", /* 45 */
    "1/(varh)", /* 46 */
    "1/(VAh)", /* 47 */
    "V\302\262h", /* 48: V2h */
    "A\302\262h", /* 49: A2h */
    "kg/s", /* 50 */
    "S", /* 51 */
    "K", /* 52 */
    "1/(V\302\262h)", /* 53: 1/(V2h) */
    "1/(A\302\262h)", /* 54: 1/(A2h) */
    "1/m\302\263", /* 55: 1/m3 */
    "%", /* 56 */
    "Ah", /* 57 */
    NULL, /* 58 */
    NULL, /* 59 */
    "Wh/m\302\263", /* 60: Wh/m3 */
    "J/m\302\263", /* 61: J/m3 */
    "Mol %", /* 62 */
    "g/m\302\263", /* 63: g/m3 */
    "Pa s", /* 64 */
    "J/kg", /* 65 */
    "g/cm\302\262", /* 66: g/cm2 */
    "atm", /* 67 */
    NULL, /* 68 */
    NULL, /* 69 */
    "dBm", /* 70 */
    "dB\302\265V", /* 71: dB microvolt */
    "dB", /* 72 */
};

const char *ms_unit_symbol(unsigned code) {
    return code < sizeof ms_unit_symbols / sizeof ms_unit_symbols[0] ? ms_unit_symbols[code] : NULL;
}
