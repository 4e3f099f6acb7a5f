package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a value's text follows the format its spec entry names. */
class ValueTest {

    @ParameterizedTest
    @CsvSource({
        "07E50C1BFF092F0F00FF8880, 2021-12-27T09:47:15.00+02:00",
        "07E50C1BFF,               2021-12-27",
        "092F0F00,                 09:47:15.00",
        // another length is not a COSEM date, time or date-time
        "07E50C1BFF09,             07E50C1BFF09",
    })
    void datetimeFormatTellsDateTimeDateAndTimeByLength(String hex, String text) {
        ValueInfo info = new ValueInfo(0, Obis.pack(0, 0, 1, 0, 0, 255), "clock", null, ValueInfo.NO_SCALER,
                Format.DATETIME, 0);
        Value v = new Value(info.obis(), info, Axdr.OCTET_STRING, 0, 0, null, Frames.hex(hex));
        assertEquals(text, v.text());
    }
}
