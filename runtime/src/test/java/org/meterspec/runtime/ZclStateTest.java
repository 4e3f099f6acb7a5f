package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The conversion of values to ZCL integers, and which frames a state reports. */
class ZclStateTest {
    private static final long A = Obis.parse("1.0.1.7.0.255");
    private static final long B = Obis.parse("1.0.2.7.0.255");

    /** An int24 demand in kW at divisor 1000: the integer counts W, clamped to ±(2^23 − 1). */
    private static ZclMap.Attribute demand(long... terms) {
        return new ZclMap.Attribute(0x0400, "instantaneousDemand", 0x2A, 3, ZclMap.FILL_MEASURED, true, -8388608,
                terms, terms.length > 1 ? 0b10 : 0, 1, 1, 27, -8388607, 8388607, 5, 300, 10);
    }

    /** A reading of (code, tag, raw, scaler, unit code or -1) values. */
    private static Reading reading(long[][] values) {
        long[] longs = new long[2 * values.length];
        int[] ints = new int[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            longs[2 * i] = values[i][0];
            longs[2 * i + 1] = values[i][2];
            ints[4 * i] = -1;
            ints[4 * i + 1] = Reading.pack((int) values[i][1], (int) values[i][3], (int) values[i][4]);
        }
        return new Reading("m", null, -1, Security.NONE, 0, null, values.length, longs, ints, new byte[0],
                new ValueInfo[0]);
    }

    private static Long measure(ZclMap.Attribute a, long[]... values) {
        return ZclState.measure(a, reading(values));
    }

    @Test
    void roundsHalfAwayFromZero() {
        // 2.5 W at scaler -1 (25 × 10^-1)
        assertEquals(3L, measure(demand(A), new long[] {A, Axdr.INT32, 25, -1, 27}));
        assertEquals(-3L, measure(demand(A), new long[] {A, Axdr.INT32, -25, -1, 27}));
        assertEquals(2L, measure(demand(A), new long[] {A, Axdr.INT32, 249, -2, 27}));
        assertEquals(0L, measure(demand(A), new long[] {A, Axdr.INT32, 4, -1, 27}));
    }

    @Test
    void sumsExactlyAcrossScalers() {
        // 1.5 kW import (15 × 10^2) minus 1999 W export: -499 W
        assertEquals(-499L, measure(demand(A, B), new long[] {A, Axdr.UINT32, 15, 2, 27},
                new long[] {B, Axdr.UINT32, 1999, 0, 27}));
    }

    @Test
    void clampsToTheRangeWithoutTheSentinel() {
        assertEquals(8388607L, measure(demand(A), new long[] {A, Axdr.UINT32, 9_000_000, 0, 27}));
        assertEquals(-8388607L, measure(demand(A), new long[] {A, Axdr.INT64, -9_000_000_000L, 3, 27}));
        // a huge term saturates toward its sign, however the sum would cancel
        assertEquals(8388607L, measure(demand(A, B), new long[] {A, Axdr.UINT64, -1L, 127, 27},
                new long[] {B, Axdr.UINT32, 1, -128, 27}));
        // 10^-128 W rounds to 0
        assertEquals(0L, measure(demand(A), new long[] {A, Axdr.UINT32, 1, -128, 27}));
    }

    @Test
    void givesNoValueForAnotherUnitAMissingTermOrAFloat() {
        assertNull(measure(demand(A), new long[] {A, Axdr.UINT32, 5, 0, 30}));
        assertNull(measure(demand(A, B), new long[] {A, Axdr.UINT32, 5, 0, 27}));
        assertNull(measure(demand(A), new long[] {A, Axdr.FLOAT32, Float.floatToIntBits(5f), 0, 27}));
        assertEquals(5L, measure(demand(A), new long[] {A, Axdr.UINT32, 5, 0, -1}));
    }

    @Test
    void reportsEverythingFirstThenChangesAndStatus() {
        ZclMap.Attribute status = new ZclMap.Attribute(0x0200, "status", 0x18, 1, ZclMap.FILL_STATUS, true, 1,
                new long[0], 0, 1, 1, -1, 0, 255, 0, 300, -1);
        ZclMap map = new ZclMap(List.of(new ZclMap.Endpoint(1, 0x0104, 0x0053,
                List.of(new ZclMap.Cluster(0x0702, "seMetering", List.of(status, demand(A)))))));
        ZclState s = new ZclState(map, ZclState.MIN_PAYLOAD);
        assertEquals(List.of(), s.update(new DecodeError(ErrorCode.MBUS_CHECKSUM, 3)));
        List<ZclState.Frame> first = s.update(reading(new long[][] {{A, Axdr.UINT32, 7, 0, 27}}));
        assertEquals("18000A0002180000042A070000", Json.hex(first.get(0).bytes()));
        assertEquals(List.of(), s.update(reading(new long[][] {{A, Axdr.UINT32, 7, 0, 27}})));
        assertEquals("18010A00042A080000",
                Json.hex(s.update(reading(new long[][] {{A, Axdr.UINT32, 8, 0, 27}})).get(0).bytes()));
        assertEquals("18020A00021801", Json.hex(s.timeout().get(0).bytes()));
    }
}
