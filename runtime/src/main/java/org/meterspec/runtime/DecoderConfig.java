package org.meterspec.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything a spec says about the transport, security and APDU layers, and the bounds derived
 * from it. Generated decoders build one as a constant; the runtime's layers read it.
 */
public final class DecoderConfig {
    public enum Transport { MBUS, HDLC, RAW }

    /** Whether the first HDLC segment of a telegram starts with the LLC header {@code E6 E7 00}. */
    public enum Llc { OPTIONAL, REQUIRED, ABSENT }

    /** Whether the DATA-NOTIFICATION carries a date-time. */
    public enum Presence { OPTIONAL, REQUIRED, ABSENT }

    final String meter;
    final String fingerprint;
    final Transport transport;
    final int maxFrames;
    final int maxTelegram;
    final int maxApdu;
    final int maxValues;
    final int mbusControl;
    final int mbusAddress;
    final int stsap;
    final int dtsap;
    final int hdlcDestinationLength;
    final int hdlcSourceLength;
    final Llc llc;
    final boolean allowPlain;
    final boolean allowGlo;
    final boolean allowDed;
    final boolean[] allowedControl;
    final boolean authRequired;
    final Presence dateTime;
    final ValueInfo dateTimeValue;
    final int maxBlocks;
    final Set<Tolerance> tolerances;
    final ValueTable values;
    /** Every spec entry a decoder uses, indexed by {@link ValueInfo#id()}. */
    final ValueInfo[] directory;

    private DecoderConfig(Builder b) {
        meter = b.meter;
        fingerprint = b.fingerprint;
        transport = b.transport;
        maxFrames = b.maxFrames;
        maxTelegram = b.maxTelegram;
        maxApdu = b.maxApdu;
        maxValues = b.maxValues;
        mbusControl = b.mbusControl;
        mbusAddress = b.mbusAddress;
        stsap = b.stsap;
        dtsap = b.dtsap;
        hdlcDestinationLength = b.hdlcDestinationLength;
        hdlcSourceLength = b.hdlcSourceLength;
        llc = b.llc;
        allowPlain = b.allowPlain;
        allowGlo = b.allowGlo;
        allowDed = b.allowDed;
        allowedControl = b.allowedControl.clone();
        authRequired = b.authRequired;
        dateTime = b.dateTime;
        dateTimeValue = b.dateTimeValue;
        maxBlocks = b.maxBlocks;
        tolerances = Set.copyOf(b.tolerances);
        values = b.values;
        directory = b.directory;
    }

    public static Builder builder(String meter, String fingerprint) {
        return new Builder(meter, fingerprint);
    }

    public String meter() {
        return meter;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public Transport transport() {
        return transport;
    }

    public int maxApdu() {
        return maxApdu;
    }

    public int maxTelegram() {
        return maxTelegram;
    }

    public boolean tolerates(Tolerance t) {
        return tolerances.contains(t);
    }

    public static final class Builder {
        private final String meter;
        private final String fingerprint;
        private Transport transport = Transport.RAW;
        private int maxFrames = 16;
        private int maxTelegram = 2048;
        private int maxApdu = 2048;
        private int maxValues = 64;
        private int mbusControl = -1;
        private int mbusAddress = -1;
        private int stsap = -1;
        private int dtsap = -1;
        private int hdlcDestinationLength;
        private int hdlcSourceLength;
        private Llc llc = Llc.OPTIONAL;
        private boolean allowPlain = true;
        private boolean allowGlo;
        private boolean allowDed;
        private final boolean[] allowedControl = new boolean[256];
        private boolean authRequired;
        private Presence dateTime = Presence.OPTIONAL;
        private ValueInfo dateTimeValue;
        private int maxBlocks;
        private final EnumSet<Tolerance> tolerances = EnumSet.noneOf(Tolerance.class);
        private ValueTable values = new ValueTable();
        private ValueInfo[] directory = new ValueInfo[0];

        private Builder(String meter, String fingerprint) {
            this.meter = meter;
            this.fingerprint = fingerprint;
        }

        public Builder mbus(int control, int address, int stsap, int dtsap) {
            this.transport = Transport.MBUS;
            this.mbusControl = control;
            this.mbusAddress = address;
            this.stsap = stsap;
            this.dtsap = dtsap;
            return this;
        }

        /** Address lengths in bytes, 0 for "any". */
        public Builder hdlc(int destinationLength, int sourceLength, Llc llc) {
            this.transport = Transport.HDLC;
            this.hdlcDestinationLength = destinationLength;
            this.hdlcSourceLength = sourceLength;
            this.llc = llc;
            return this;
        }

        public Builder raw() {
            this.transport = Transport.RAW;
            return this;
        }

        public Builder bounds(int maxFrames, int maxTelegram, int maxApdu, int maxValues) {
            this.maxFrames = maxFrames;
            this.maxTelegram = maxTelegram;
            this.maxApdu = maxApdu;
            this.maxValues = maxValues;
            return this;
        }

        /** Which APDU forms are accepted: plain DATA-NOTIFICATION, glo- and ded-ciphering. */
        public Builder ciphering(boolean plain, boolean glo, boolean ded) {
            this.allowPlain = plain;
            this.allowGlo = glo;
            this.allowDed = ded;
            return this;
        }

        public Builder securityControl(int... values) {
            for (int v : values) {
                allowedControl[v & 0xFF] = true;
            }
            return this;
        }

        public Builder authenticationRequired(boolean required) {
            this.authRequired = required;
            return this;
        }

        public Builder dateTime(Presence presence, ValueInfo reportAs) {
            this.dateTime = presence;
            this.dateTimeValue = reportAs;
            return this;
        }

        public Builder blockTransfer(int maxBlocks) {
            this.maxBlocks = maxBlocks;
            return this;
        }

        public Builder tolerate(Tolerance... ts) {
            for (Tolerance t : ts) {
                tolerances.add(t);
            }
            return this;
        }

        /**
         * The spec's value table, and the entries beyond it (positional values with names of their
         * own); together their ids must number them 0, 1, 2, ...
         */
        public Builder values(ValueTable table, ValueInfo... extras) {
            this.values = table;
            ValueInfo[] entries = table.entries();
            ValueInfo[] all = java.util.Arrays.copyOf(entries, entries.length + extras.length);
            System.arraycopy(extras, 0, all, entries.length, extras.length);
            this.directory = new ValueInfo[all.length];
            for (ValueInfo info : all) {
                if (info.id() < 0 || info.id() >= all.length || directory[info.id()] != null) {
                    throw new IllegalArgumentException("value entry ids must number the entries 0.." + (all.length - 1)
                            + ": " + info);
                }
                directory[info.id()] = info;
            }
            return this;
        }

        public DecoderConfig build() {
            return new DecoderConfig(this);
        }
    }
}
