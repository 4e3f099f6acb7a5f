package org.meterspec.runtime;

/** A-XDR data tags (IEC 62056-6-2 "Data"), their fixed sizes, and tag masks for type checks. */
public final class Axdr {
    public static final int NULL = 0;
    public static final int ARRAY = 1;
    public static final int STRUCTURE = 2;
    public static final int BOOLEAN = 3;
    public static final int BIT_STRING = 4;
    public static final int INT32 = 5;
    public static final int UINT32 = 6;
    public static final int OCTET_STRING = 9;
    public static final int VISIBLE_STRING = 10;
    public static final int UTF8_STRING = 12;
    public static final int BCD = 13;
    public static final int INT8 = 15;
    public static final int INT16 = 16;
    public static final int UINT8 = 17;
    public static final int UINT16 = 18;
    public static final int INT64 = 20;
    public static final int UINT64 = 21;
    public static final int ENUM = 22;
    public static final int FLOAT32 = 23;
    public static final int FLOAT64 = 24;
    public static final int DATE_TIME = 25;
    public static final int DATE = 26;
    public static final int TIME = 27;

    /** Tag masks: bit {@code t} set means tag {@code t} is accepted. */
    public static final int INTEGERS = bit(INT8) | bit(INT16) | bit(INT32) | bit(INT64)
            | bit(UINT8) | bit(UINT16) | bit(UINT32) | bit(UINT64);
    public static final int NUMBERS = INTEGERS | bit(ENUM) | bit(BCD) | bit(FLOAT32) | bit(FLOAT64);
    public static final int STRINGS = bit(OCTET_STRING) | bit(VISIBLE_STRING) | bit(UTF8_STRING);
    public static final int SCALARS = NUMBERS | STRINGS | bit(NULL) | bit(BOOLEAN) | bit(BIT_STRING)
            | bit(DATE_TIME) | bit(DATE) | bit(TIME);
    /** Tags whose length is in the value (strings and bit-strings). */
    public static final int VARIABLE = STRINGS | bit(BIT_STRING);

    private static final int[] FIXED_SIZE = new int[32];

    static {
        java.util.Arrays.fill(FIXED_SIZE, -1);
        FIXED_SIZE[NULL] = 0;
        FIXED_SIZE[BOOLEAN] = 1;
        FIXED_SIZE[INT32] = 4;
        FIXED_SIZE[UINT32] = 4;
        FIXED_SIZE[BCD] = 1;
        FIXED_SIZE[INT8] = 1;
        FIXED_SIZE[INT16] = 2;
        FIXED_SIZE[UINT8] = 1;
        FIXED_SIZE[UINT16] = 2;
        FIXED_SIZE[INT64] = 8;
        FIXED_SIZE[UINT64] = 8;
        FIXED_SIZE[ENUM] = 1;
        FIXED_SIZE[FLOAT32] = 4;
        FIXED_SIZE[FLOAT64] = 8;
        FIXED_SIZE[DATE_TIME] = 12;
        FIXED_SIZE[DATE] = 5;
        FIXED_SIZE[TIME] = 4;
    }

    private Axdr() {
    }

    public static int bit(int tag) {
        return 1 << tag;
    }

    public static boolean accepts(int mask, int tag) {
        return tag >= 0 && tag < 32 && (mask & (1 << tag)) != 0;
    }

    /** Size of the value after the tag for fixed-size types, or -1. */
    public static int fixedSize(int tag) {
        return tag >= 0 && tag < 32 ? FIXED_SIZE[tag] : -1;
    }

    public static boolean isSigned(int tag) {
        return tag == INT8 || tag == INT16 || tag == INT32 || tag == INT64;
    }

    /** The A-XDR type name of a tag, as the spec language spells it. */
    public static String name(int tag) {
        return switch (tag) {
            case NULL -> "null";
            case ARRAY -> "array";
            case STRUCTURE -> "structure";
            case BOOLEAN -> "boolean";
            case BIT_STRING -> "bit_string";
            case INT32 -> "int32";
            case UINT32 -> "uint32";
            case OCTET_STRING -> "octet_string";
            case VISIBLE_STRING -> "visible_string";
            case UTF8_STRING -> "utf8_string";
            case BCD -> "bcd";
            case INT8 -> "int8";
            case INT16 -> "int16";
            case UINT8 -> "uint8";
            case UINT16 -> "uint16";
            case INT64 -> "int64";
            case UINT64 -> "uint64";
            case ENUM -> "enum";
            case FLOAT32 -> "float32";
            case FLOAT64 -> "float64";
            case DATE_TIME -> "date_time";
            case DATE -> "date";
            case TIME -> "time";
            default -> "tag-" + tag;
        };
    }
}
