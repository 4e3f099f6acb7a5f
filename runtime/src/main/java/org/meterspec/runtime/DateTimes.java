package org.meterspec.runtime;

/**
 * COSEM date, time and date-time values in ISO 8601. A date-time is written
 * {@code YYYY-MM-DDTHH:MM[:SS[.hh]][±HH:MM]}: seconds and hundredths only where the meter
 * specifies them, the offset only where the deviation is specified (COSEM's deviation is
 * UTC minus local time, so -120 is {@code +02:00}). A value with an unspecified or invalid year,
 * month, day, hour or minute cannot be written in ISO 8601 and is written as hex instead.
 */
public final class DateTimes {
    private DateTimes() {
    }

    public static String dateTime(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(32);
        if (!appendDate(sb, b, off) || !appendTimeTo(sb.append('T'), b, off + 5)) {
            return Json.hex(b, off, 12);
        }
        int deviation = (short) (((b[off + 9] & 0xFF) << 8) | (b[off + 10] & 0xFF));
        if (deviation != (short) 0x8000) {
            if (deviation < -720 || deviation > 720) {
                return Json.hex(b, off, 12);
            }
            int offset = -deviation;
            sb.append(offset < 0 ? '-' : '+');
            offset = Math.abs(offset);
            two(sb, offset / 60).append(':');
            two(sb, offset % 60);
        }
        return sb.toString();
    }

    public static String date(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(10);
        return appendDate(sb, b, off) ? sb.toString() : Json.hex(b, off, 5);
    }

    public static String time(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(11);
        return appendTimeTo(sb, b, off) ? sb.toString() : Json.hex(b, off, 4);
    }

    private static boolean appendDate(StringBuilder sb, byte[] b, int off) {
        int year = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        int month = b[off + 2] & 0xFF;
        int day = b[off + 3] & 0xFF;
        if (year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return false; // also year 0xFFFF, "not specified"
        }
        sb.append((char) ('0' + year / 1000)).append((char) ('0' + year / 100 % 10));
        two(sb, year % 100).append('-');
        two(sb, month).append('-');
        two(sb, day);
        return true;
    }

    /** hour, minute, second, hundredths at {@code off}. */
    private static boolean appendTimeTo(StringBuilder sb, byte[] b, int off) {
        int hour = b[off] & 0xFF;
        int minute = b[off + 1] & 0xFF;
        int second = b[off + 2] & 0xFF;
        int hundredths = b[off + 3] & 0xFF;
        if (hour > 23 || minute > 59 || (second > 59 && second != 0xFF) || (hundredths > 99 && hundredths != 0xFF)) {
            return false;
        }
        two(sb, hour).append(':');
        two(sb, minute);
        if (second != 0xFF) {
            two(sb.append(':'), second);
            if (hundredths != 0xFF) {
                two(sb.append('.'), hundredths);
            }
        }
        return true;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
