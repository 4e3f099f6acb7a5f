package org.meterspec.engine.live;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Serial ports through jSerialComm, which opens any device path (USB adapters, UARTs, ptys). */
public final class SerialPorts {
    /** How long a read waits for a first byte: short, so that a stop or a silent line is noticed. */
    static final int READ_WAIT_MS = 200;

    private SerialPorts() {
    }

    /** A port the system lists. */
    public record Info(String name, String description, String path) {
    }

    /** The ports the system lists, by path. */
    public static List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (SerialPort p : SerialPort.getCommPorts()) {
            out.add(new Info(p.getSystemPortName(), p.getPortDescription(), p.getSystemPortPath()));
        }
        out.sort(java.util.Comparator.comparing(Info::path));
        return out;
    }

    /** An opener of the port at {@code path}; each open looks the path up again (a link may point elsewhere by then). */
    public static SerialLink.Opener opener(String path, SerialSettings settings) {
        return () -> open(path, settings);
    }

    /** Opens the port at {@code path} with {@code settings}; {@link IOException} says why it cannot. */
    public static SerialLink open(String path, SerialSettings settings) throws IOException {
        try {
            if (!Files.exists(Path.of(path))) {
                throw new IOException("no such device");
            }
        } catch (InvalidPathException e) {
            throw new IOException("not a valid path");
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("not a serial port");
        }
        port.setComPortParameters(settings.baud(), settings.dataBits(), stopBits(settings), parity(settings));
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_WAIT_MS, 0);
        if (!port.openPort()) {
            throw new IOException(errno(port.getLastErrorCode()));
        }
        return new Link(port, path);
    }

    private static int stopBits(SerialSettings s) {
        return switch (s.stopBits()) {
            case "1" -> SerialPort.ONE_STOP_BIT;
            case "1.5" -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            default -> SerialPort.TWO_STOP_BITS;
        };
    }

    private static int parity(SerialSettings s) {
        return switch (s.parity()) {
            case 'E' -> SerialPort.EVEN_PARITY;
            case 'O' -> SerialPort.ODD_PARITY;
            case 'M' -> SerialPort.MARK_PARITY;
            case 'S' -> SerialPort.SPACE_PARITY;
            default -> SerialPort.NO_PARITY;
        };
    }

    /** The common reasons a port does not open or read, in words. */
    static String errno(int code) {
        return switch (code) {
            case 2, 6, 19 -> "no such device";
            case 13, 1 -> "permission denied (is the user in the dialout group?)";
            case 16 -> "the port is in use";
            case 5 -> "input/output error";
            case 11 -> "resource temporarily unavailable";
            case 25 -> "not a serial port";
            case 0 -> "it could not be opened";
            default -> "error " + code;
        };
    }

    /**
     * Runs {@code hook} when the JVM shuts down, before jSerialComm closes the ports it opened (a
     * reader that is still reading then would take its closed port for a lost one).
     */
    public static void beforeShutdown(Thread hook) {
        SerialPort.addShutdownHook(hook);
    }

    private static final class Link implements SerialLink {
        private final SerialPort port;
        private final String path;
        private long checked = System.nanoTime();

        Link(SerialPort port, String path) {
            this.port = port;
            this.path = path;
        }

        @Override
        public int read(byte[] b) throws IOException {
            int n = port.readBytes(b, b.length);
            if (n < 0) {
                throw new IOException("the port is gone (" + errno(port.getLastErrorCode()) + ")");
            }
            // an unplugged adapter whose driver lets reads time out instead of failing: its device goes
            if (n == 0 && System.nanoTime() - checked > 1_000_000_000L) {
                checked = System.nanoTime();
                if (!Files.exists(Path.of(path))) {
                    throw new IOException("the port is gone (no such device)");
                }
            }
            return n;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = port.writeBytes(b, len, off);
                if (n <= 0) {
                    throw new IOException("the port is gone (" + errno(port.getLastErrorCode()) + ")");
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public void drain() throws InterruptedException {
            long end = System.nanoTime() + 10_000_000_000L;
            while (port.bytesAwaitingWrite() > 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            // the UART's own few bytes, or the other end of a pty taking them
            Thread.sleep(50);
        }

        @Override
        public void close() {
            port.closePort();
        }
    }
}
