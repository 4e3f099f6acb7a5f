package org.meterspec.conformance;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Tolerance;

/**
 * One run of the test meter: its configuration, keys, the bytes of a stream and how they are fed
 * (in chunks, cycling through the sizes, or one-shot). It says what the Java decoder reports, as
 * lines, and writes itself as the C harness's input (generated-c/test/harness.c), whose output is
 * the same lines for the C decoder.
 */
final class StreamCase {
    DecoderConfig.Transport transport = DecoderConfig.Transport.RAW;
    int mbusControl = -1;
    int mbusAddress = -1;
    int stsap = -1;
    int dtsap = -1;
    int hdlcDestination;
    int hdlcSource;
    DecoderConfig.Llc llc = DecoderConfig.Llc.OPTIONAL;
    int maxFrames = 16;
    int maxTelegram = 16384;
    int maxApdu = 16384;
    int maxValues = 200;
    boolean plain = true;
    boolean glo;
    boolean ded;
    final boolean[] controls = new boolean[256];
    boolean authRequired;
    DecoderConfig.Presence dateTime = DecoderConfig.Presence.OPTIONAL;
    boolean reportDateTime;
    int maxBlocks;
    final Set<Tolerance> tolerances = EnumSet.noneOf(Tolerance.class);
    int groups = 200;
    int maxLength = 1024;

    byte[] encryption;
    byte[] authentication;
    byte[] broadcast;
    boolean requireAuthentication;

    boolean oneShot;
    List<Integer> chunks = List.of(4096);
    /** The stream: byte arrays, and runs of one byte (for floods too long to write out). */
    final List<Object> pieces = new ArrayList<>();
    /** How the case was made, for failure messages. */
    String how = "";

    private record Run(int value, int count) {
    }

    /** M-Bus with the Sagemcom T210-D's fields, as the runtime tests' decoder checks them. */
    StreamCase mbus() {
        transport = DecoderConfig.Transport.MBUS;
        mbusControl = 0x53;
        mbusAddress = 0xFF;
        stsap = 0x01;
        dtsap = 0x67;
        return this;
    }

    StreamCase hdlc(int destination, int source, DecoderConfig.Llc llc) {
        transport = DecoderConfig.Transport.HDLC;
        hdlcDestination = destination;
        hdlcSource = source;
        this.llc = llc;
        return this;
    }

    StreamCase raw() {
        transport = DecoderConfig.Transport.RAW;
        return this;
    }

    /** The runtime tests' TestDecoder: 64 groups of values up to 512 bytes, 4096-byte telegrams. */
    StreamCase testDecoder() {
        groups = 64;
        maxLength = 512;
        maxTelegram = 4096;
        maxApdu = 4096;
        maxValues = 64;
        return this;
    }

    StreamCase controls(int... values) {
        for (int v : values) {
            controls[v & 0xFF] = true;
        }
        return this;
    }

    StreamCase keys(byte[] encryption, byte[] authentication) {
        this.encryption = encryption;
        this.authentication = authentication;
        return this;
    }

    StreamCase data(byte[]... parts) {
        for (byte[] p : parts) {
            pieces.add(p.clone());
        }
        return this;
    }

    StreamCase repeat(int value, int count) {
        pieces.add(new Run(value & 0xFF, count));
        return this;
    }

    StreamCase chunks(List<Integer> sizes) {
        chunks = List.copyOf(sizes);
        return this;
    }

    StreamCase chunks(Integer... sizes) {
        return chunks(List.of(sizes));
    }

    StreamCase oneShot() {
        oneShot = true;
        return this;
    }

    StreamCase how(String how) {
        this.how = how;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : pieces) {
            if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                Run r = (Run) p;
                byte[] run = new byte[r.count()];
                Arrays.fill(run, (byte) r.value());
                out.writeBytes(run);
            }
        }
        return out.toByteArray();
    }

    DecoderConfig config() {
        DecoderConfig.Builder b = DecoderConfig.builder("triplets", "0000000000000000")
                .maxFrames(maxFrames).maxTelegram(maxTelegram).maxApdu(maxApdu).maxValues(maxValues)
                .values(TripletMeter.VALUES, TripletMeter.CLOCK)
                .mbusControl(mbusControl).mbusAddress(mbusAddress).stsap(stsap).dtsap(dtsap)
                .hdlcDestinationLength(hdlcDestination).hdlcSourceLength(hdlcSource).llc(llc)
                .acceptPlain(plain).acceptGlo(glo).acceptDed(ded).authenticationRequired(authRequired)
                .dateTime(dateTime).blockTransfer(maxBlocks).tolerate(tolerances.toArray(new Tolerance[0]));
        switch (transport) {
            case MBUS -> b.mbus();
            case HDLC -> b.hdlc();
            case RAW -> b.raw();
        }
        for (int sc = 0; sc < 256; sc++) {
            if (controls[sc]) {
                b.securityControl(sc);
            }
        }
        if (reportDateTime) {
            b.reportDateTimeAs(TripletMeter.CLOCK);
        }
        return b.build();
    }

    TripletMeter decoder() {
        return new TripletMeter(config(), Keys.of(encryption, authentication, broadcast), requireAuthentication, groups,
                maxLength);
    }

    /** What the Java decoder reports. */
    List<String> javaLines() {
        TripletMeter decoder = decoder();
        byte[] data = bytes();
        List<String> out = new ArrayList<>();
        if (oneShot) {
            lines(1, decoder.decode(data), out);
            out.add("end 1 " + data.length);
            return out;
        }
        StreamDecoder stream = decoder.newStream((n, r) -> lines(n, r, out));
        int off = 0;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(chunks.get(i % chunks.size()), data.length - off);
            stream.feed(data, off, n);
            off += n;
        }
        stream.finish();
        out.add("end " + stream.count() + " " + stream.position());
        return out;
    }

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static String hex(byte[] b) {
        return b == null || b.length == 0 ? "-" : HEX.formatHex(b);
    }

    /**
     * A result as the harness prints one: {@code E number code offset length}, or {@code R number
     * security system-title frame-counter invoke-id date-time count} and a {@code V obis info tag raw
     * scaler unit bytes} line per value, read straight from the reading's arrays.
     */
    static void lines(long number, TelegramResult r, List<String> out) {
        if (r instanceof DecodeError e) {
            out.add("E " + number + " " + e.code().name() + " " + e.offset() + " " + e.length());
            return;
        }
        Reading reading = (Reading) r;
        byte[] systemTitle = (byte[]) field(reading, "systemTitle");
        byte[] notificationTime = (byte[]) field(reading, "notificationTime");
        int count = (int) field(reading, "count");
        long[] longs = (long[]) field(reading, "longs");
        int[] ints = (int[]) field(reading, "ints");
        byte[] pool = (byte[]) field(reading, "pool");
        out.add("R " + number + " " + reading.security().jsonName() + " " + hex(systemTitle) + " " + reading.frameCounter()
                + " " + reading.invokeId() + " " + hex(notificationTime) + " " + count);
        for (int i = 0; i < count; i++) {
            int packed = ints[4 * i + 1];
            byte[] bytes = Arrays.copyOfRange(pool, ints[4 * i + 2], ints[4 * i + 2] + ints[4 * i + 3]);
            out.add(String.format("V %012X %d %d %d %d %d %s", longs[2 * i], ints[4 * i], packed & 0xFF, longs[2 * i + 1],
                    (int) (byte) (packed >>> 8), (packed >>> 16) - 1, hex(bytes)));
        }
    }

    private static Object field(Reading r, String name) {
        try {
            Field f = Reading.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Reading has no field " + name + ": the test reads its arrays", e);
        }
    }

    /** The harness's input for this case: a meter line, a keys line and a run line. */
    String harnessInput() {
        StringBuilder controlBits = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                bits |= controls[8 * i + k] ? 1 << k : 0;
            }
            controlBits.append(String.format("%02X", bits));
        }
        int tolerated = 0;
        for (Tolerance t : tolerances) {
            tolerated |= 1 << t.ordinal();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("meter ").append(transport.ordinal()).append(' ').append(mbusControl).append(' ').append(mbusAddress)
                .append(' ').append(stsap).append(' ').append(dtsap).append(' ').append(hdlcDestination).append(' ')
                .append(hdlcSource).append(' ').append(llc.ordinal()).append(' ').append(maxFrames).append(' ')
                .append(maxTelegram).append(' ').append(maxApdu).append(' ').append(maxValues).append(' ')
                .append(plain ? 1 : 0).append(' ').append(glo ? 1 : 0).append(' ').append(ded ? 1 : 0).append(' ')
                .append(controlBits).append(' ').append(authRequired ? 1 : 0).append(' ').append(dateTime.ordinal())
                .append(' ').append(reportDateTime ? TripletMeter.CLOCK.id() : -1).append(' ').append(maxBlocks)
                .append(' ').append(tolerated).append(' ').append(groups).append(' ').append(maxLength).append('\n');
        sb.append("keys ").append(hex(encryption)).append(' ').append(hex(authentication)).append(' ')
                .append(hex(broadcast)).append(' ').append(requireAuthentication ? 1 : 0).append('\n');
        sb.append("run ").append(oneShot ? "oneshot" : "stream").append(' ').append(chunks.size());
        for (int c : chunks) {
            sb.append(' ').append(c);
        }
        sb.append(' ');
        boolean first = true;
        for (Object p : pieces) {
            if (p instanceof byte[] b && b.length == 0) {
                continue;
            }
            sb.append(first ? "" : ",");
            first = false;
            if (p instanceof byte[] b) {
                sb.append("hex:").append(HEX.formatHex(b));
            } else {
                Run r = (Run) p;
                sb.append(String.format("rep:%02X:%d", r.value(), r.count()));
            }
        }
        if (first) {
            sb.append("hex:");
        }
        return sb.append('\n').toString();
    }

    /** The case a harness input describes: how regression vectors are read back. */
    static StreamCase parse(String meterLine, String keysLine, String runLine) {
        StreamCase c = new StreamCase();
        String[] m = meterLine.trim().split(" ");
        if (m.length != 24 || !m[0].equals("meter")) {
            throw new IllegalArgumentException("not a meter line: " + meterLine);
        }
        c.transport = DecoderConfig.Transport.values()[Integer.parseInt(m[1])];
        c.mbusControl = Integer.parseInt(m[2]);
        c.mbusAddress = Integer.parseInt(m[3]);
        c.stsap = Integer.parseInt(m[4]);
        c.dtsap = Integer.parseInt(m[5]);
        c.hdlcDestination = Integer.parseInt(m[6]);
        c.hdlcSource = Integer.parseInt(m[7]);
        c.llc = DecoderConfig.Llc.values()[Integer.parseInt(m[8])];
        c.maxFrames = Integer.parseInt(m[9]);
        c.maxTelegram = Integer.parseInt(m[10]);
        c.maxApdu = Integer.parseInt(m[11]);
        c.maxValues = Integer.parseInt(m[12]);
        c.plain = m[13].equals("1");
        c.glo = m[14].equals("1");
        c.ded = m[15].equals("1");
        byte[] bits = HEX.parseHex(m[16]);
        for (int sc = 0; sc < 256; sc++) {
            c.controls[sc] = (bits[sc >> 3] & (1 << (sc & 7))) != 0;
        }
        c.authRequired = m[17].equals("1");
        c.dateTime = DecoderConfig.Presence.values()[Integer.parseInt(m[18])];
        c.reportDateTime = Integer.parseInt(m[19]) >= 0;
        c.maxBlocks = Integer.parseInt(m[20]);
        int tolerated = Integer.parseInt(m[21]);
        for (Tolerance t : Tolerance.values()) {
            if ((tolerated & (1 << t.ordinal())) != 0) {
                c.tolerances.add(t);
            }
        }
        c.groups = Integer.parseInt(m[22]);
        c.maxLength = Integer.parseInt(m[23]);
        String[] k = keysLine.trim().split(" ");
        if (k.length != 5 || !k[0].equals("keys")) {
            throw new IllegalArgumentException("not a keys line: " + keysLine);
        }
        c.encryption = k[1].equals("-") ? null : HEX.parseHex(k[1]);
        c.authentication = k[2].equals("-") ? null : HEX.parseHex(k[2]);
        c.broadcast = k[3].equals("-") ? null : HEX.parseHex(k[3]);
        c.requireAuthentication = k[4].equals("1");
        String[] r = runLine.trim().split(" ");
        if (!r[0].equals("run")) {
            throw new IllegalArgumentException("not a run line: " + runLine);
        }
        c.oneShot = r[1].equals("oneshot");
        int n = Integer.parseInt(r[2]);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sizes.add(Integer.parseInt(r[3 + i]));
        }
        c.chunks = sizes;
        if (r.length > 3 + n) {
            for (String piece : r[3 + n].split(",")) {
                if (piece.startsWith("hex:")) {
                    c.pieces.add(HEX.parseHex(piece.substring(4)));
                } else if (piece.startsWith("rep:")) {
                    String[] f = piece.split(":");
                    c.pieces.add(new Run(Integer.parseInt(f[1], 16), Integer.parseInt(f[2])));
                } else {
                    throw new IllegalArgumentException("not a piece of data: " + piece);
                }
            }
        }
        return c;
    }

    /** The same meter, keys and way of feeding, without data. */
    StreamCase configCopy() {
        String[] lines = harnessInput().split("\n");
        return parse(lines[0], lines[1], (oneShot ? "run oneshot " : "run stream ") + chunks.size() + " "
                + String.join(" ", chunks.stream().map(String::valueOf).toList()));
    }

    @Override
    public String toString() {
        return how + "\n" + harnessInput();
    }
}
