package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadingBuilderTest {
    private static final ValueInfo CLOCK = new ValueInfo(0, Obis.pack(0, 0, 1, 0, 0, 255), "clock", null,
            ValueInfo.NO_SCALER, Format.AUTO, 0);

    private static ReadingBuilder builder() {
        return new ReadingBuilder(new ValueTable(CLOCK), new ValueInfo[] {CLOCK}, 4, 64, false);
    }

    @Test
    void theDateTimeOctetsFlagIsNoTag() {
        AxdrReader in = new AxdrReader();
        byte[] tag31 = {0x1F, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        in.reset(tag31, 0, tag31.length, 0);
        ReadingBuilder out = builder();
        out.begin(CLOCK);
        DecodeException e = assertThrows(DecodeException.class,
                () -> out.value(in, Axdr.bit(Axdr.DATE_TIME) | Axdr.bit(Axdr.OCTET_STRING) | ReadingBuilder.DATETIME_OCTETS, 12));
        assertEquals(ErrorCode.BODY_TYPE, e.code());
        assertEquals(0, e.offset());
    }
}
