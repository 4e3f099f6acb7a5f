/*
 * The meter this reader is built for: the one line to change for another meter is METER (and
 * METER_UPPER and METER_HEADER), naming a spec's generated sources in the meterspec component (generated-c/, or
 * `meterspec generate --lang c` for a spec of your own). Everything below follows from it.
 */
#ifndef READER_METER_H
#define READER_METER_H

#ifndef METER
#define METER netz_noe_p1
#define METER_UPPER NETZ_NOE_P1
#define METER_HEADER "netz_noe_p1.h"
#endif

#include METER_HEADER

#define READER_CAT2(a, b) a##b
#define READER_CAT(a, b) READER_CAT2(a, b)

#define METER_DECODER READER_CAT(METER, _decoder)
#define METER_INIT READER_CAT(METER, _init)
#define METER_FEED READER_CAT(METER, _feed)
#define METER_CLEAR READER_CAT(METER, _clear)
#define METER_ZCL READER_CAT(METER, _zcl)
#define METER_ZCL_ATTRIBUTES READER_CAT(METER_UPPER, _ZCL_ATTRIBUTES)
#define METER_ZCL_MODEL_ID READER_CAT(METER_UPPER, _ZCL_MODEL_ID)

#endif /* READER_METER_H */
