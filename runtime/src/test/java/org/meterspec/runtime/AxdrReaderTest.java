package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bounds-checked A-XDR cursor: lengths, containers, OBIS fields, skipping, and error offsets. */
class AxdrReaderTest {

    private static AxdrReader reader(String hex) {
        byte[] b = Frames.hex(hex);
        AxdrReader in = new AxdrReader();
        in.reset(b, 0, b.length, 0);
        return in;
    }

    private static void fails(ErrorCode code, long offset, Executable e) {
        DecodeException x = assertThrows(DecodeException.class, e::run);
        assertEquals(code, x.code());
        assertEquals(offset, x.offset());
    }

    interface Executable {
        void run() throws DecodeException;
    }

    @ParameterizedTest
    @CsvSource({"00, 0", "7F, 127", "8180, 128", "81FF, 255", "820100, 256", "8200FF, 255", "83010000, 65536", "847FFFFFFF, 2147483647"})
    void lengths(String hex, int length) throws DecodeException {
        AxdrReader in = reader(hex);
        assertEquals(length, in.length());
        assertEquals(0, in.remaining());
    }

    @Test
    void badLengths() {
        fails(ErrorCode.BODY_LENGTH, 0, () -> reader("80").length());
        fails(ErrorCode.BODY_LENGTH, 0, () -> reader("850000000001").length());
        fails(ErrorCode.BODY_LENGTH, 0, () -> reader("8480000000").length());
        // a truncated read is reported at the end of the data
        fails(ErrorCode.BODY_TRUNCATED, 2, () -> reader("8201").length());
        fails(ErrorCode.BODY_TRUNCATED, 0, () -> reader("").length());
    }

    @Test
    void containers() throws DecodeException {
        AxdrReader in = reader("0202 0101 11 05 12 0006");
        int left = in.structure();
        assertEquals(2, left);
        left = in.element(left, 0);
        assertEquals(1, in.array(4));
        in.skip(Axdr.SCALARS, 0);
        left = in.element(left, 0);
        in.skip(0, 0);
        in.end(left, 0);
        fails(ErrorCode.BODY_COUNT, 0, () -> in.element(0, 0));
        fails(ErrorCode.BODY_COUNT, 7, () -> in.end(1, 7));
        fails(ErrorCode.BODY_COUNT, 0, () -> reader("0105").array(4));
        fails(ErrorCode.BODY_TYPE, 0, () -> reader("0101").structure());
    }

    @Test
    void obisFields() throws DecodeException {
        assertEquals(Obis.pack(1, 0, 1, 8, 0, 255), reader("09060100010800FF").obis(false));
        assertEquals(Obis.pack(1, 0, 31, 7, 0, 255), reader("060901001F0700FF").obis(true));
        fails(ErrorCode.BODY_OBIS, 0, () -> reader("060901001F0700FF").obis(false));
        fails(ErrorCode.BODY_OBIS, 0, () -> reader("09050100010800").obis(false));
        fails(ErrorCode.BODY_TRUNCATED, 7, () -> reader("0906010001080A").obis(false));
    }

    @Test
    void skippingNestedValues() throws DecodeException {
        AxdrReader in = reader("0202 0203 0A0141 0402C0 1200FF 0900 16");
        in.skip(0, 2);
        assertEquals(1, in.remaining());
        fails(ErrorCode.BODY_DEPTH, 2, () -> reader("0201 0201 11 00").skip(0, 1));
        fails(ErrorCode.BODY_TYPE, 0, () -> reader("11 00").skip(Axdr.STRINGS, 0));
        fails(ErrorCode.BODY_TYPE, 0, () -> reader("07 00").skip(0, 0));
        fails(ErrorCode.BODY_TRUNCATED, 0, () -> reader("").skip(Axdr.SCALARS, 0));
        fails(ErrorCode.BODY_TRUNCATED, 5, () -> reader("0A05414243").skip(0, 0));
    }

    @Test
    void errorOffsetsCountFromTheOrigin() {
        byte[] b = Frames.hex("0F0000000100 0A00");
        AxdrReader in = new AxdrReader();
        in.reset(b, 6, b.length, 0);
        fails(ErrorCode.BODY_TYPE, 6, in::structure);
        in.reset(b, 6, b.length, 6);
        fails(ErrorCode.BODY_TYPE, 0, in::structure);
    }
}
