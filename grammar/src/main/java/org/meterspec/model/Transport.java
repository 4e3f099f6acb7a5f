package org.meterspec.model;

/** The transport layer. Null properties are not checked. */
public sealed interface Transport {
    Loc loc();

    /** Frames per telegram the spec allows, or null for the default. */
    Integer maxFrames();

    record Mbus(Loc loc, Integer maxFrames, Integer control, Integer address, Integer stsap, Integer dtsap)
            implements Transport {
    }

    record Hdlc(Loc loc, Integer maxFrames, Integer destinationLength, Integer sourceLength, Presence llc)
            implements Transport {
    }

    record Raw(Loc loc) implements Transport {
        @Override
        public Integer maxFrames() {
            return 1;
        }
    }
}
