package org.meterspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** COSEM date-time, date and time values in ISO 8601, or hex where ISO 8601 cannot say them. */
class DateTimesTest {

    @ParameterizedTest
    @CsvSource({
        // year  mm dd dw hh mi ss cc  dev  st
        "07E5 09 1B 01 09 2F 0F 00 FF88 80, 2021-09-27T09:47:15.00+02:00",
        "07E5 09 1B FF 09 2F 0F FF FF88 00, 2021-09-27T09:47:15+02:00",
        "07E5 09 1B FF 09 2F FF FF 8000 00, 2021-09-27T09:47",
        "07E5 09 1B FF 09 2F FF 32 8000 00, 2021-09-27T09:47",
        "07EA 03 0C 04 0F 18 1E 00 8000 00, 2026-03-12T15:24:30.00",
        "07E8 02 1D FF 00 00 00 00 0000 00, 2024-02-29T00:00:00.00+00:00",
        "07D0 02 1D FF 17 3B 3B 63 003C 00, 2000-02-29T23:59:59.99-01:00",
        "07E5 01 01 FF 00 00 00 FF FD30 00, 2021-01-01T00:00:00+12:00",
        "07E5 01 01 FF 00 00 00 FF 02D0 00, 2021-01-01T00:00:00-12:00",
        "07E5 01 01 FF 00 00 00 FF FFE2 00, 2021-01-01T00:00:00+00:30",
        "03E7 01 01 FF 00 00 00 FF 8000 00, 0999-01-01T00:00:00",
        "0000 01 01 FF 00 00 00 FF 8000 00, 0000-01-01T00:00:00",
    })
    void dateTimesInIso8601(String hex, String text) {
        assertEquals(text, DateTimes.dateTime(Frames.hex(hex), 0));
    }

    @ParameterizedTest
    @CsvSource({
        "FFFF 09 1B FF 09 2F 0F 00 8000 00, year not specified",
        "07E5 00 1B FF 09 2F 0F 00 8000 00, month 0",
        "07E5 0D 1B FF 09 2F 0F 00 8000 00, month 13",
        "07E5 FD 1B FF 09 2F 0F 00 8000 00, daylight savings end",
        "07E5 FE 1B FF 09 2F 0F 00 8000 00, daylight savings begin",
        "07E5 FF 1B FF 09 2F 0F 00 8000 00, month not specified",
        "07E5 09 00 FF 09 2F 0F 00 8000 00, day 0",
        "07E5 09 1F FF 09 2F 0F 00 8000 00, September 31",
        "07E7 02 1D FF 09 2F 0F 00 8000 00, February 29 of 2023",
        "076C 02 1D FF 09 2F 0F 00 8000 00, February 29 of 1900",
        "07E5 09 FD FF 09 2F 0F 00 8000 00, second last day of the month",
        "07E5 09 FE FF 09 2F 0F 00 8000 00, last day of the month",
        "07E5 09 FF FF 09 2F 0F 00 8000 00, day not specified",
        "07E5 09 1B FF 18 2F 0F 00 8000 00, hour 24",
        "07E5 09 1B FF FF 2F 0F 00 8000 00, hour not specified",
        "07E5 09 1B FF 09 3C 0F 00 8000 00, minute 60",
        "07E5 09 1B FF 09 FF 0F 00 8000 00, minute not specified",
        "07E5 09 1B FF 09 2F 3C 00 8000 00, second 60",
        "07E5 09 1B FF 09 2F 0F 64 8000 00, hundredths 100",
        "07E5 09 1B FF 09 2F 0F 00 02D1 00, deviation over 12 hours",
        "07E5 09 1B FF 09 2F 0F 00 FD2F 00, deviation under -12 hours",
        "2710 01 01 FF 00 00 00 00 8000 00, year 10000 has no YYYY",
    })
    void whatIso8601CannotSayIsHex(String hex, String why) {
        byte[] b = Frames.hex(hex);
        assertEquals(Reference.hex(b), DateTimes.dateTime(b, 0), why);
    }

    @Test
    void readsAtAnOffset() {
        byte[] b = Frames.hex("AAAA 07E5091B01092F0F00FF8800 BB");
        assertEquals("2021-09-27T09:47:15.00+02:00", DateTimes.dateTime(b, 2));
        assertEquals("2021-09-27", DateTimes.date(b, 2));
        assertEquals("09:47:15.00", DateTimes.time(b, 7));
    }

    @Test
    void datesAndTimes() {
        assertEquals("2024-02-29", DateTimes.date(Frames.hex("07E8021D04"), 0));
        assertEquals("07E7021D04", DateTimes.date(Frames.hex("07E7021D04"), 0));
        assertEquals("23:59", DateTimes.time(Frames.hex("173BFFFF"), 0));
        assertEquals("23:59:01", DateTimes.time(Frames.hex("173B01FF"), 0));
        assertEquals("173B3CFF", DateTimes.time(Frames.hex("173B3CFF"), 0));
        assertEquals("FF3B01FF", DateTimes.time(Frames.hex("FF3B01FF"), 0));
    }

    @Property(tries = 1000)
    void dateTimesFollowTheRules(@ForAll("dateTimes") byte[] b) {
        assertEquals(Reference.dateTime(b), DateTimes.dateTime(b, 0));
    }

    @Property(tries = 300)
    void datesAndTimesFollowTheRules(@ForAll("dateTimes") byte[] b) {
        String date = Reference.date(b, 0);
        assertEquals(date != null ? date : Reference.hex(java.util.Arrays.copyOf(b, 5)), DateTimes.date(b, 0));
        String time = Reference.time(b, 5);
        assertEquals(time != null ? time : Reference.hex(java.util.Arrays.copyOfRange(b, 5, 9)), DateTimes.time(b, 5));
    }

    /** Mostly valid fields, with unspecified and invalid ones mixed in. */
    @Provide
    Arbitrary<byte[]> dateTimes() {
        Arbitrary<Integer> year = Arbitraries.oneOf(Arbitraries.integers().between(1890, 2110), Arbitraries.integers().between(0, 9999),
                Arbitraries.of(0xFFFF, 1900, 2000, 2100, 2400));
        Arbitrary<Integer> month = Arbitraries.oneOf(Arbitraries.integers().between(1, 12), Arbitraries.of(0, 13, 0xFD, 0xFE, 0xFF));
        Arbitrary<Integer> day = Arbitraries.oneOf(Arbitraries.integers().between(1, 31), Arbitraries.integers().between(28, 31),
                Arbitraries.of(0, 32, 0xFD, 0xFE, 0xFF));
        Arbitrary<Integer> hour = Arbitraries.oneOf(Arbitraries.integers().between(0, 23), Arbitraries.of(24, 0xFF));
        Arbitrary<Integer> minute = Arbitraries.oneOf(Arbitraries.integers().between(0, 59), Arbitraries.of(60, 0xFF));
        Arbitrary<Integer> second = Arbitraries.oneOf(Arbitraries.integers().between(0, 59), Arbitraries.of(60, 0xFF, 0xFF));
        Arbitrary<Integer> hundredths = Arbitraries.oneOf(Arbitraries.integers().between(0, 99), Arbitraries.of(100, 0xFF, 0xFF));
        Arbitrary<Integer> deviation = Arbitraries.oneOf(Arbitraries.integers().between(-720, 720),
                Arbitraries.of(-721, 721, 0x8000, 0, -60, -120), Arbitraries.integers().between(-32768, 32767));
        Arbitrary<byte[]> date = Combinators.combine(year, month, day, Arbitraries.integers().between(0, 255))
                .as((y, m, d, w) -> new byte[] {(byte) (y >> 8), (byte) (int) y, (byte) (int) m, (byte) (int) d, (byte) (int) w});
        Arbitrary<byte[]> time = Combinators.combine(hour, minute, second, hundredths)
                .as((h, m, s, c) -> new byte[] {(byte) (int) h, (byte) (int) m, (byte) (int) s, (byte) (int) c});
        return Combinators.combine(date, time, deviation, Arbitraries.integers().between(0, 255)).as((d, t, dev, st) -> {
            byte[] b = new byte[12];
            System.arraycopy(d, 0, b, 0, 5);
            System.arraycopy(t, 0, b, 5, 4);
            b[9] = (byte) (dev >> 8);
            b[10] = (byte) (int) dev;
            b[11] = (byte) (int) st;
            return b;
        });
    }
}
