package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results passed on in stream order, each once, numbered from 1. */
class InOrderTest {
    private final List<String> out = new ArrayList<>();
    private final InOrder inOrder = new InOrder(4, (n, r) -> out.add(n + ":" + ((DecodeError) r).offset()));

    private void add(long position) {
        inOrder.add(new DecodeError(ErrorCode.MBUS_STOP_BYTE, position), position);
    }

    @Test
    void resultsWaitUntilNothingBeforeThemCanCome() {
        add(255);
        inOrder.release(248);
        assertEquals(List.of(), out);
        add(248);
        inOrder.release(249);
        assertEquals(List.of("1:248"), out);
        inOrder.release(300);
        assertEquals(List.of("1:248", "2:255"), out);
        assertEquals(0, inOrder.waiting());
    }

    @Test
    void equalPositionsKeepTheOrderTheyCameIn() {
        List<String> codes = new ArrayList<>();
        InOrder o = new InOrder(4, (n, r) -> codes.add(((DecodeError) r).code().name()));
        o.add(new DecodeError(ErrorCode.MBUS_CHECKSUM, 10), 10);
        o.add(new DecodeError(ErrorCode.MBUS_STOP_BYTE, 5), 5);
        o.add(new DecodeError(ErrorCode.MBUS_SAP, 10), 10);
        o.flush();
        assertEquals(List.of("MBUS_STOP_BYTE", "MBUS_CHECKSUM", "MBUS_SAP"), codes);
    }

    @Test
    void whenFullTheEarliestGoesFirst() {
        for (long p : new long[] {40, 10, 30, 20, 5}) {
            add(p);
        }
        assertEquals(List.of("1:10"), out);
        inOrder.flush();
        assertEquals(List.of("1:10", "2:5", "3:20", "4:30", "5:40"), out);
    }

    @Test
    void clearForgets() {
        add(1);
        inOrder.clear();
        inOrder.flush();
        assertEquals(List.of(), out);
        assertEquals(0, inOrder.count());
    }
}
