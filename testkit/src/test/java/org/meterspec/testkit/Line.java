package org.meterspec.testkit;

import java.util.ArrayList;
import java.util.List;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.StreamDecoder;
import org.meterspec.runtime.TelegramResult;

/**
 * A meter's line as a test builds it: a transport, telegrams framed with a given frame size, maybe
 * ciphered (0x30) and cut into General Block Transfer blocks; and the decoder that reads it.
 */
record Line(Transport transport, List<Telegram> telegrams, int frameSize, int blockSize, boolean ciphered) {

    enum Transport { MBUS, HDLC, RAW }

    /** The decoder for this line's transport, accepting plain and glo-ciphered telegrams, with block transfer. */
    TripletDecoder decoder() {
        return decoder(transport);
    }

    static TripletDecoder decoder(Transport transport) {
        DecoderConfig.Builder b = TripletDecoder.configure()
                .acceptPlain(true).acceptGlo(true).acceptDed(true).securityControl(0x00, 0x10, 0x20, 0x30, 0x21, 0x31)
                .blockTransfer(64);
        switch (transport) {
            case MBUS -> b.mbus().mbusControl(0x53).mbusAddress(0xFF).stsap(0x01).dtsap(0x67);
            case HDLC -> b.hdlc().hdlcDestinationLength(1).hdlcSourceLength(2).llc(DecoderConfig.Llc.OPTIONAL);
            case RAW -> b.raw();
        }
        return new TripletDecoder(b.build(), Keys.of(TestKeys.EK, TestKeys.AK));
    }

    static Framing framing(Transport transport, int frameSize) {
        return switch (transport) {
            case MBUS -> Framing.mbus().maxData(frameSize);
            case HDLC -> Framing.hdlc().maxInfo(frameSize);
            case RAW -> Framing.raw();
        };
    }

    /** The bytes of telegram {@code i} (frame counter {@code i + 1}) on the line. */
    byte[] encode(int i) {
        byte[] apdu = telegrams.get(i).apdu();
        if (ciphered) {
            apdu = Ciphered.glo(TestKeys.SYSTEM_TITLE, i + 1).control(0x30).keys(TestKeys.EK, TestKeys.AK).wrap(apdu);
        }
        List<byte[]> parts = blockSize == 0 ? List.of(apdu) : Apdu.blocks(apdu, blockSize);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] part : parts) {
            frames.add(framing(transport, frameSize(part.length)).encode(part));
        }
        return Framing.concat(frames);
    }

    /**
     * The frame size, raised where a telegram would otherwise need more than
     * {@link TripletDecoder#MAX_FRAMES} frames (the HDLC LLC header counted).
     */
    private int frameSize(int length) {
        return Math.max(frameSize, (length + 3 + TripletDecoder.MAX_FRAMES - 1) / TripletDecoder.MAX_FRAMES);
    }

    /** All telegrams one after another. */
    byte[] stream() {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < telegrams.size(); i++) {
            parts.add(encode(i));
        }
        return Framing.concat(parts);
    }

    /** Feeds {@code data} in chunks of the given sizes, cycling through them, then finishes. */
    static List<TelegramResult> feed(TripletDecoder decoder, byte[] data, List<Integer> chunks) {
        List<TelegramResult> out = new ArrayList<>();
        StreamDecoder stream = decoder.newStream((n, r) -> out.add(r));
        int off = 0;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(chunks.get(i % chunks.size()), data.length - off);
            stream.feed(data, off, n);
            off += n;
        }
        stream.finish();
        return out;
    }

    /** The canonical JSON lines of the results, numbered from 1. */
    static List<String> json(List<TelegramResult> results) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            out.add(results.get(i).toJson(i + 1));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Line[" + transport + ", frameSize=" + frameSize + ", blockSize=" + blockSize + ", ciphered=" + ciphered
                + ", telegram sizes=" + telegrams.stream().map(t -> t.apdu().length).toList() + "]";
    }
}
