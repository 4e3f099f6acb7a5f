/*
 * meterspec C runtime options. Each may be set by the build (-DMS_JSON=0, say) or, in ESP-IDF, by
 * Kconfig (CONFIG_METERSPEC_*, from sdkconfig.h, where an option that is off is not defined at
 * all); the defaults suit the host build and a firmware alike.
 */
#ifndef MS_CONFIG_H
#define MS_CONFIG_H

#include <stdint.h>

#if defined(ESP_PLATFORM)
#include "sdkconfig.h"
#endif

/* Messages for error codes (ms_err_message); names are always there, the JSON line needs them. */
#ifndef MS_ERROR_MESSAGES
#if !defined(ESP_PLATFORM) || defined(CONFIG_METERSPEC_ERROR_MESSAGES)
#define MS_ERROR_MESSAGES 1
#else
#define MS_ERROR_MESSAGES 0
#endif
#endif

/* The canonical JSON line (ms_json_line): a firmware that only reports values can leave it out. */
#ifndef MS_JSON
#if !defined(ESP_PLATFORM) || defined(CONFIG_METERSPEC_JSON)
#define MS_JSON 1
#else
#define MS_JSON 0
#endif
#endif

/* The names of a meter's values (ms_value_info.name): the JSON line needs them, a firmware that
   reports values by their id or OBIS code does not. */
#ifndef MS_VALUE_NAMES
#if !defined(ESP_PLATFORM) || defined(CONFIG_METERSPEC_VALUE_NAMES)
#define MS_VALUE_NAMES 1
#else
#define MS_VALUE_NAMES 0
#endif
#endif

/* Loops over 64-bit words where the machine has them (the M-Bus checksum, the AES-CTR keystream);
   a 32-bit target takes bytes, which are smaller there and no slower. */
#ifndef MS_WIDE_WORDS
#if UINTPTR_MAX > 0xFFFFFFFFu
#define MS_WIDE_WORDS 1
#else
#define MS_WIDE_WORDS 0
#endif
#endif

/*
 * MS_ONE_METER (a meter's name, netz_noe_p1 say) is set for unity/ms_one_meter.c alone, which
 * compiles the decoding runtime and that one meter as a single unit. The functions of the decoding
 * runtime that only it and generated meters call are then static (MS_INTERNAL), and the runtime
 * reads that meter's constant description instead of the one a decoder points to (MS_METER_OF):
 * the compiler sees every call and every field, and drops what the spec does not use.
 */
#if defined(MS_ONE_METER) && !defined(MS_ONE_METER_UNIT)
#error "meterspec: MS_ONE_METER is for unity/ms_one_meter.c alone; compile the other files without it"
#endif
#if defined(MS_ONE_METER) && defined(__GNUC__)
#define MS_INTERNAL static __attribute__((unused))
#elif defined(MS_ONE_METER)
#define MS_INTERNAL static
#else
#define MS_INTERNAL
#endif

#if MS_JSON && !MS_VALUE_NAMES
#error "meterspec: the JSON line (MS_JSON) needs the value names (MS_VALUE_NAMES)"
#endif

#endif /* MS_CONFIG_H */
