/*
 * meterspec C runtime: the text of a value and the canonical JSON line, byte for byte what the
 * Java runtime writes (Value.text, Reading.toJson, DecodeError.toJson), as UTF-8.
 *
 * Every function here writes into the caller's buffer like snprintf: at most cap - 1 bytes and a
 * NUL (nothing when cap is 0, when out may be NULL), and returns the length of the whole text,
 * so a return value >= cap means the text was cut. A text may hold NUL bytes of its own (a value
 * written as text whose bytes are NUL): use the returned length, not strlen. Nothing allocates,
 * nothing recurses, no libc number formatting is used.
 */
#ifndef MS_TEXT_H
#define MS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "ms_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The longest text of a number (integer, BCD or float of any scaler from -128 to 127), without
 * its NUL: -4.9E-324 shifted by 10^-128 is "-0." and 451 zeros and "5"; the 17 digits of a
 * float64 near 2.2E-308 take as many.
 */
#define MS_NUMBER_TEXT_MAX 455

/*
 * The value's text as the JSON line writes it between quotes (Value.text): numbers as exact
 * decimals of raw x 10^scaler, floats as the shortest decimal that reads back as the same float,
 * dates and times in ISO 8601 (hex where ISO 8601 cannot say them), strings by the directory
 * entry's format. *is_null (if is_null is not NULL) is set to 1 for null-data, whose text is
 * empty, else to 0. The reading gives the directory and the pool the value's bytes are in.
 */
size_t ms_value_text(char *out, size_t cap, const ms_reading *r, const ms_value *v, int *is_null);

/*
 * The value's unit as the JSON line writes it: the symbol of the telegram's unit code, else the
 * directory entry's unit. *is_none (if not NULL) is set to 1 when the value has none (text empty).
 */
size_t ms_value_unit(char *out, size_t cap, const ms_reading *r, const ms_value *v, int *is_none);

/*
 * The symbol of a DLMS unit code (IEC 62056-6-2, Units.symbol) in UTF-8; NULL for a code that
 * defines none (the JSON line writes an undefined code 1..252 as "unit-N", and no unit for 0,
 * 253, 254 and 255).
 */
const char *ms_unit_symbol(unsigned code);

/*
 * raw x 10^scaler with exactly -scaler fraction digits (Decimals.scaled); unsigned_raw: raw is
 * a uint64's bits. Scalers here may be any of -32768..32767 (a reading's are -128..127).
 */
size_t ms_decimal_text(char *out, size_t cap, int64_t raw, int unsigned_raw, int scaler);

/*
 * A float32 / float64 (its bits) times 10^scaler, as Decimals.float32 / float64 write it: the
 * shortest decimal that reads back as the same float, shifted, without trailing zeros; "NaN",
 * "Infinity", "-Infinity"; both zeros "0".
 */
size_t ms_float32_text(char *out, size_t cap, uint32_t bits, int scaler);
size_t ms_float64_text(char *out, size_t cap, uint64_t bits, int scaler);

#if MS_JSON
/*
 * The canonical JSON line (without newline) of telegram `number`: a reading's (Reading.toJson)
 * or an error's (DecodeError.toJson). Returns 0 and writes an empty text for a result that is
 * neither: a reading that is NULL or has an unknown security, or an unknown error code.
 */
size_t ms_json_line(char *out, size_t cap, uint64_t number, const ms_result *r);
#endif

#ifdef __cplusplus
}
#endif

#endif /* MS_TEXT_H */
