/*
 * The decoding runtime and one generated meter as a single translation unit: what a firmware
 * for one meter compiles instead of meters/ and the decoding part of runtime/. Compile it with
 * the meter's name and its headers on the include path, beside the files that present a reading
 * (ms_decimal.c, ms_errors.c, ms_text.c, ms_units.c, ms_zcl.c) and a crypto port:
 *
 *     cc -DMS_ONE_METER=netz_noe_p1 -Iinclude -Imeters -c unity/ms_one_meter.c
 *
 * (without MS_ONE_METER the unit is empty). Built so, the runtime's own functions are static and it
 * reads that meter's constant description (ms_config.h: MS_INTERNAL, ms_runtime.h: MS_METER_OF),
 * so the compiler keeps only the code the spec can reach: the same sources, the same decoding,
 * less flash. The CMake build does this for METERSPEC_ONE_METER (Kconfig: "Build for one meter
 * only").
 */
#if defined(MS_ONE_METER)

#define MS_ONE_METER_UNIT 1
#define MS_ONE_METER_STRING2(name) #name
#define MS_ONE_METER_STRING(name) MS_ONE_METER_STRING2(name)

#include "../runtime/ms_apdu.c"
#include "../runtime/ms_blocks.c"
#include "../runtime/ms_body.c"
#include "../runtime/ms_hdlc.c"
#include "../runtime/ms_inorder.c"
#include "../runtime/ms_mbus.c"
#include "../runtime/ms_raw.c"
#include "../runtime/ms_segments.c"
#include "../runtime/ms_stream.c"
#include MS_ONE_METER_STRING(MS_ONE_METER.c)

#else
/* Without MS_ONE_METER this unit holds nothing, so that a build of every file beside the shared
   runtime links as it would without it. */
typedef int ms_one_meter_not_chosen;
#endif
