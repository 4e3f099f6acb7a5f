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
    final int maxStringBytes;
    final int maxPushObjects;
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
    /** The ZigBee mapping, or null when the spec has none. */
    final ZclMap zcl;

    private DecoderConfig(Builder b) {
        meter = b.meter;
        fingerprint = b.fingerprint;
        transport = b.transport;
        maxFrames = b.maxFrames;
        maxTelegram = b.maxTelegram;
        maxApdu = b.maxApdu;
        maxValues = b.maxValues;
        maxStringBytes = b.maxStringBytes;
        maxPushObjects = b.maxPushObjects;
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
        zcl = b.zcl;
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

    /** The spec's ZigBee mapping, or null. */
    public ZclMap zcl() {
        return zcl;
    }

    public static final class Builder {
        private final String meter;
        private final String fingerprint;
        private Transport transport = Transport.RAW;
        private int maxFrames = 16;
        private int maxTelegram = 2048;
        private int maxApdu = 2048;
        private int maxValues = 64;
        /** Derived from the APDU and telegram bounds unless set. */
        private int maxStringBytes = -1;
        private int maxPushObjects;
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
        private ZclMap zcl;

        private Builder(String meter, String fingerprint) {
            this.meter = meter;
            this.fingerprint = fingerprint;
        }

        /** M-Bus long frames; their fields are checked where named. */
        public Builder mbus() {
            this.transport = Transport.MBUS;
            return this;
        }

        /** The C field every M-Bus frame carries. */
        public Builder mbusControl(int control) {
            this.mbusControl = control;
            return this;
        }

        /** The A field every M-Bus frame carries. */
        public Builder mbusAddress(int address) {
            this.mbusAddress = address;
            return this;
        }

        /** The STSAP every M-Bus frame carries. */
        public Builder stsap(int stsap) {
            this.stsap = stsap;
            return this;
        }

        /** The DTSAP every M-Bus frame carries. */
        public Builder dtsap(int dtsap) {
            this.dtsap = dtsap;
            return this;
        }

        /** HDLC frames; address lengths are checked where named. */
        public Builder hdlc() {
            this.transport = Transport.HDLC;
            return this;
        }

        /** Bytes of the HDLC destination address (1-4). */
        public Builder hdlcDestinationLength(int bytes) {
            this.hdlcDestinationLength = bytes;
            return this;
        }

        /** Bytes of the HDLC source address (1-4). */
        public Builder hdlcSourceLength(int bytes) {
            this.hdlcSourceLength = bytes;
            return this;
        }

        public Builder llc(Llc llc) {
            this.llc = llc;
            return this;
        }

        public Builder raw() {
            this.transport = Transport.RAW;
            return this;
        }

        /** Most frames one telegram may take. */
        public Builder maxFrames(int frames) {
            this.maxFrames = frames;
            return this;
        }

        /** Most bytes of a telegram's reassembled transport payload. */
        public Builder maxTelegram(int bytes) {
            this.maxTelegram = bytes;
            return this;
        }

        /** Most bytes of an APDU, as sent or decrypted. */
        public Builder maxApdu(int bytes) {
            this.maxApdu = bytes;
            return this;
        }

        /** Most values one reading may hold. */
        public Builder maxValues(int values) {
            this.maxValues = values;
            return this;
        }

        /** Most bytes the strings, dates and times of one reading may take together. */
        public Builder maxStringBytes(int bytes) {
            this.maxStringBytes = bytes;
            return this;
        }

        /** Most entries of a self-describing push's object list (0: the body has none). */
        public Builder maxPushObjects(int entries) {
            this.maxPushObjects = entries;
            return this;
        }

        /** Whether plain DATA-NOTIFICATIONs are accepted. */
        public Builder acceptPlain(boolean accept) {
            this.allowPlain = accept;
            return this;
        }

        /** Whether general-glo-ciphering is accepted. */
        public Builder acceptGlo(boolean accept) {
            this.allowGlo = accept;
            return this;
        }

        /** Whether general-ded-ciphering is accepted. */
        public Builder acceptDed(boolean accept) {
            this.allowDed = accept;
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

        /** Whether the DATA-NOTIFICATION carries a date-time. */
        public Builder dateTime(Presence presence) {
            this.dateTime = presence;
            return this;
        }

        /** The entry the notification's date-time is reported under. */
        public Builder reportDateTimeAs(ValueInfo value) {
            this.dateTimeValue = value;
            return this;
        }

        /** General Block Transfer of at most {@code maxBlocks} blocks. */
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

        /**
         * The value directory, indexed by id; its first {@code tableEntries} entries, sorted by
         * OBIS code, are the table a telegram's codes are looked up in; its patterns, in directory
         * order, are matched against a code the table does not hold.
         */
        public Builder values(ValueInfo[] directory, int tableEntries) {
            ValueInfo[] extras = java.util.Arrays.copyOfRange(directory, tableEntries, directory.length);
            ValueInfo[] patterns = java.util.Arrays.stream(extras).filter(ValueInfo::isPattern).toArray(ValueInfo[]::new);
            return values(new ValueTable(java.util.Arrays.copyOf(directory, tableEntries), patterns), extras);
        }

        public Builder zcl(ZclMap map) {
            this.zcl = map;
            return this;
        }

        public DecoderConfig build() {
            if (maxStringBytes < 0) {
                // every string of a reading is in its APDU; the notification date-time takes 12 more
                maxStringBytes = Math.max(maxApdu, maxTelegram) + 12;
            }
            return new DecoderConfig(this);
        }
    }
}
