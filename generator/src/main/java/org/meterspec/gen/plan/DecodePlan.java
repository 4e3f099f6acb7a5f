package org.meterspec.gen.plan;

import java.util.List;
import org.meterspec.model.Loc;
import org.meterspec.model.Presence;
import org.meterspec.runtime.Tolerance;
import org.meterspec.zcl.ZclTable;

/**
 * What a decoder for one spec does, target-neutral: the value directory, the configuration of
 * the transport, security and APDU layers with named bounds, and the body as a tree of
 * operations with every decision made. The Java and C generators only render it, so the two
 * decoders cannot disagree about a rule.
 *
 * @param file        the spec's path as the user named it
 * @param fingerprint identifies the spec text (with its imports)
 * @param zcl         the ZigBee mapping, resolved; null when the spec has none
 */
public record DecodePlan(String meter, String title, String file, String fingerprint, Config config,
                         ValueDirectory values, Body body, ZclTable zcl) {

    /** The layers around the body, and the sizes every buffer is made from. */
    public record Config(Transport transport, Security security, Notification notification, Sizes sizes,
                         List<Tolerance> tolerances) {
        public Config {
            tolerances = List.copyOf(tolerances);
        }

        public boolean tolerates(Tolerance t) {
            return tolerances.contains(t);
        }
    }

    /** The transport layer; a null property is not checked. */
    public sealed interface Transport {
        /** M-Bus long frames: control field, address field, STSAP and DTSAP each frame must carry. */
        record Mbus(Integer control, Integer address, Integer stsap, Integer dtsap) implements Transport {
        }

        /** HDLC frames: destination and source address lengths in bytes, and the LLC header. */
        record Hdlc(Integer destinationLength, Integer sourceLength, Presence llc) implements Transport {
        }

        /** Bare APDUs. */
        record Raw() implements Transport {
        }
    }

    /**
     * Which APDUs are accepted: plain DATA-NOTIFICATIONs, glo- and ded-ciphering with these
     * security control bytes; with {@code authenticationRequired} a verified tag is mandatory.
     */
    public record Security(boolean plain, boolean glo, boolean ded, List<Integer> controls,
                           boolean authenticationRequired) {
        public Security {
            controls = List.copyOf(controls);
        }
    }

    /**
     * The DATA-NOTIFICATION header: whether it carries a date-time, the entry it is reported
     * under (null: not reported), and the most General Block Transfer blocks (0: none allowed).
     */
    public record Notification(Presence dateTime, ValueEntry dateTimeValue, int maxBlocks) {
    }

    /**
     * Every size a decoder needs, from the spec and the language's limits: frames per telegram,
     * bytes of the longest telegram (transport payload), of the longest APDU as sent and as
     * decrypted, values per reading, bytes all string values of a reading may take, nesting depth,
     * how deep {@code skip} walks, and the most entries of a push object list (0: no push).
     */
    public record Sizes(int maxFrames, int maxTelegram, int maxApdu, int maxPlainApdu, int maxValues,
                        int maxStringBytes, int maxDepth, int skipDepth, int maxPushObjects) {
    }

    /** The body layout: its root operation and where the spec writes it. */
    public record Body(Loc loc, Op root) {
    }
}
