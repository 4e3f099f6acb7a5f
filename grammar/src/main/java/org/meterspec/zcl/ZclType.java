package org.meterspec.zcl;

import java.math.BigInteger;

/**
 * The ZCL data types the mapping uses (ZCL 8, table 2-11), with the range a value may take: the
 * integer types leave out their "invalid" sentinel (all ones unsigned, the most negative signed).
 */
public enum ZclType {
    BITMAP8(0x18, 1, false, Kind.BITS),
    BITMAP32(0x1B, 4, false, Kind.BITS),
    UINT8(0x20, 1, false, Kind.INTEGER),
    UINT16(0x21, 2, false, Kind.INTEGER),
    UINT24(0x22, 3, false, Kind.INTEGER),
    UINT32(0x23, 4, false, Kind.INTEGER),
    UINT48(0x25, 6, false, Kind.INTEGER),
    INT8(0x28, 1, true, Kind.INTEGER),
    INT16(0x29, 2, true, Kind.INTEGER),
    INT24(0x2A, 3, true, Kind.INTEGER),
    INT32(0x2B, 4, true, Kind.INTEGER),
    ENUM8(0x30, 1, false, Kind.BITS),
    OCTET_STRING(0x41, 0, false, Kind.STRING);

    /** Integers are numbers, bitmaps and enums take any bit pattern, strings are length-prefixed bytes. */
    public enum Kind { INTEGER, BITS, STRING }

    private final int id;
    private final int width;
    private final boolean signed;
    private final Kind kind;

    ZclType(int id, int width, boolean signed, Kind kind) {
        this.id = id;
        this.width = width;
        this.signed = signed;
        this.kind = kind;
    }

    /** The data type id a frame carries. */
    public int id() {
        return id;
    }

    /** Bytes of the value on the air; 0 for strings. */
    public int width() {
        return width;
    }

    public boolean signed() {
        return signed;
    }

    public Kind kind() {
        return kind;
    }

    /** The smallest value allowed: above the signed sentinel. */
    public BigInteger min() {
        if (kind == Kind.STRING) {
            throw new IllegalStateException(name() + " has no range");
        }
        return signed ? BigInteger.ONE.shiftLeft(width * 8 - 1).negate().add(BigInteger.ONE) : BigInteger.ZERO;
    }

    /** The largest value allowed: below the unsigned sentinel (enum8's is 0xFF too); bitmaps take every pattern. */
    public BigInteger max() {
        if (kind == Kind.STRING) {
            throw new IllegalStateException(name() + " has no range");
        }
        if (signed) {
            return BigInteger.ONE.shiftLeft(width * 8 - 1).subtract(BigInteger.ONE);
        }
        BigInteger all = BigInteger.ONE.shiftLeft(width * 8).subtract(BigInteger.ONE);
        return kind == Kind.BITS && this != ENUM8 ? all : all.subtract(BigInteger.ONE);
    }

    /** {@code 0x25}-style. */
    public String hex() {
        return String.format("0x%02x", id);
    }

    /** The lower-case name zigbee-herdsman gives the type, for messages. */
    public String herdsmanName() {
        switch (this) {
            case OCTET_STRING:
                return "octetStr";
            default:
                return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
