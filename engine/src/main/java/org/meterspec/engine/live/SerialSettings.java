package org.meterspec.engine.live;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meterspec.model.Transport;

/**
 * A serial line's settings: baud rate, data bits, parity ({@code N}, {@code E}, {@code O},
 * {@code M}, {@code S}) and stop bits (1, 1.5 or 2), written as in {@code 2400 8E1}.
 */
public record SerialSettings(int baud, int dataBits, char parity, String stopBits) {
    private static final Pattern FRAME = Pattern.compile("([5-8])([NEOMS])(1|1\\.5|2)");

    public SerialSettings {
        if (baud < 50 || baud > 4_000_000) {
            throw new IllegalArgumentException("the baud rate must be between 50 and 4000000, not " + baud);
        }
    }

    /**
     * The settings of a meter's customer port: what its spec states ({@code transport hdlc { serial
     * 115200 8N1 }}), else what the transport's meters use: M-Bus 2400 8E1, HDLC and bare APDUs
     * 2400 8N1.
     */
    public static SerialSettings forTransport(Transport transport) {
        if (transport != null && transport.serial() != null) {
            Transport.Serial s = transport.serial();
            return new SerialSettings(s.baud(), s.dataBits(), s.parity(), s.stopBits());
        }
        return transport instanceof Transport.Mbus ? new SerialSettings(2400, 8, 'E', "1")
                : new SerialSettings(2400, 8, 'N', "1");
    }

    /** These settings with another baud rate. */
    public SerialSettings withBaud(int baud) {
        return new SerialSettings(baud, dataBits, parity, stopBits);
    }

    /** These settings with the frame written as {@code 8E1}; {@link IllegalArgumentException} names what is wrong. */
    public SerialSettings withFrame(String frame) {
        Matcher m = FRAME.matcher(frame.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("the serial frame '" + frame + "' is not data bits (5-8), parity"
                    + " (N, E, O, M, S) and stop bits (1, 1.5, 2), like 8E1 or 8N1");
        }
        return new SerialSettings(baud, Integer.parseInt(m.group(1)), m.group(2).charAt(0), m.group(3));
    }

    /** Bits on the line per byte: start bit, data, parity, stop bits (1.5 counted as 2). */
    public int bitsPerByte() {
        return 1 + dataBits + (parity == 'N' ? 0 : 1) + (stopBits.equals("1") ? 1 : 2);
    }

    /** Bytes per second at the line rate. */
    public double bytesPerSecond() {
        return (double) baud / bitsPerByte();
    }

    @Override
    public String toString() {
        return baud + " " + dataBits + parity + stopBits;
    }
}
