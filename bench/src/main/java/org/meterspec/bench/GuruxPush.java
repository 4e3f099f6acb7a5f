package org.meterspec.bench;

import gurux.dlms.GXByteBuffer;
import gurux.dlms.GXReplyData;
import gurux.dlms.enums.Authentication;
import gurux.dlms.enums.Command;
import gurux.dlms.enums.InterfaceType;
import gurux.dlms.enums.Security;
import gurux.dlms.secure.GXDLMSSecureClient;
import java.util.List;
import java.util.function.Consumer;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Gurux DLMS (GPL-2.0, this module only) receiving a push telegram the way its push-listener users
 * do: one {@link GXDLMSSecureClient} per port with the keys set, the received bytes handed to
 * {@code getData(buffer, reply, notify)}, then the values read out of {@code notify.getValue()}.
 * Reading out only walks the objects Gurux already built (no formatting is charged to it). One
 * instance per thread, like the client it wraps.
 *
 * <p>M-Bus: Gurux 4.0.47's {@code InterfaceType.WIRED_MBUS} cannot take the Netz NÖ telegram. Its
 * checksum test ({@code GXDLMS.validateCheckSum}) sums into a signed {@code byte} and compares it
 * with an unsigned one, so it rejects every frame whose checksum is 0x80 or more (here the second
 * frame, checksum 0x83), and it leaves the read position on the checksum, not after the stop byte.
 * Its users strip the M-Bus framing themselves and hand Gurux the APDU ({@code InterfaceType.PDU});
 * so does {@link Framing#MBUS_BY_HAND}, inside the measured call.
 */
final class GuruxPush {
    enum Framing {
        /** Gurux's own HDLC framing on the received bytes. */
        HDLC,
        /** M-Bus long frames stripped by the caller, the APDU given to Gurux as a PDU. */
        MBUS_BY_HAND
    }

    private final Framing framing;
    private final GXDLMSSecureClient client;
    private final GXReplyData reply = new GXReplyData();
    private final GXReplyData notify = new GXReplyData();

    GuruxPush(Telegram t, Framing framing) {
        this(t, framing, t.authKey);
    }

    /** With another authentication key than the telegram's, to see that Gurux checks the tag. */
    GuruxPush(Telegram t, Framing framing, byte[] authKey) {
        this.framing = framing;
        InterfaceType interfaceType = framing == Framing.HDLC ? InterfaceType.HDLC : InterfaceType.PDU;
        client = new GXDLMSSecureClient(true, 16, 1, Authentication.NONE, null, interfaceType);
        boolean authenticated = (t.securityControl & 0x10) != 0;
        client.getCiphering().setSecurity(authenticated ? Security.AUTHENTICATION_ENCRYPTION : Security.ENCRYPTION);
        client.getCiphering().setBlockCipherKey(t.key.clone());
        if (authKey != null) {
            client.getCiphering().setAuthenticationKey(authKey.clone());
        }
    }

    /**
     * Decodes one telegram (all its frames) and returns the notification body as Gurux's objects
     * (its date-time is in {@link #time()}); throws when Gurux did not produce a complete
     * data-notification (a wrong tag among other things).
     */
    Object decode(byte[] wire) throws Exception {
        GXByteBuffer received = framing == Framing.HDLC ? new GXByteBuffer(wire) : stripMbus(wire);
        reply.clear();
        notify.clear();
        client.getData(received, reply, notify);
        if (!notify.isComplete() || notify.isMoreData() || notify.getCommand() != Command.DATA_NOTIFICATION) {
            throw new IllegalStateException("Gurux produced no complete data-notification (command "
                    + notify.getCommand() + ")");
        }
        return notify.getValue();
    }

    /** {@code 68 L L 68 C A CI STSAP DTSAP data CS 16}, frame after frame: the data concatenated. */
    private static GXByteBuffer stripMbus(byte[] wire) {
        GXByteBuffer apdu = new GXByteBuffer(wire.length);
        for (int p = 0; p + 9 < wire.length; ) {
            int l = wire[p + 1] & 0xFF;
            apdu.set(wire, p + 9, l - 5);
            p += l + 6;
        }
        return apdu;
    }

    /** The notification's date-time of the last {@link #decode}, or null. */
    Object time() {
        return notify.getTime();
    }

    /** Reads the values out: every leaf of the body, in order; returns how many. */
    static int walk(Object value, Consumer<Object> sink) {
        if (value instanceof List<?> list) {
            int n = 0;
            for (Object o : list) {
                n += walk(o, sink);
            }
            return n;
        }
        sink.accept(value);
        return 1;
    }

    /** {@link #walk} into a blackhole, without a capturing lambda per telegram. */
    static int walk(Object value, Blackhole sink) {
        if (value instanceof List<?> list) {
            int n = 0;
            for (Object o : list) {
                n += walk(o, sink);
            }
            return n;
        }
        sink.consume(value);
        return 1;
    }
}
