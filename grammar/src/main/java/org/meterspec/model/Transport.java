package org.meterspec.model;

/** The transport layer. Null properties are not checked. */
public sealed interface Transport {
    Loc loc();

    /** Frames per telegram the spec allows, or null for the default. */
    Integer maxFrames();

    /** The customer port's line settings the spec states, or null for the transport's usual ones. */
    Serial serial();

    record Mbus(Loc loc, Integer maxFrames, Integer control, Integer address, Integer stsap, Integer dtsap,
                Serial serial) implements Transport {
    }

    record Hdlc(Loc loc, Integer maxFrames, Integer destinationLength, Integer sourceLength, Presence llc,
                Serial serial) implements Transport {
    }

    record Raw(Loc loc, Serial serial) implements Transport {
        @Override
        public Integer maxFrames() {
            return 1;
        }
    }

    /**
     * {@code serial 2400 8E1}: baud rate, data bits (5-8), parity ({@code N}, {@code E}, {@code O},
     * {@code M}, {@code S}) and stop bits ({@code 1}, {@code 1.5}, {@code 2}).
     */
    record Serial(Loc loc, int baud, int dataBits, char parity, String stopBits) {
        /** The frame as written: {@code 8E1}. */
        public String frame() {
            return dataBits + String.valueOf(parity) + stopBits;
        }
    }
}
