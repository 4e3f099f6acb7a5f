// Reads a meter's serial port with meterspec as a library and prints each reading's values as
// they come; Ctrl-C (or SIGTERM) stops it, closing the port. With meterspec-engine and
// meterspec-grammar (and their dependencies) on the class path:
//
//   java -cp CLASSPATH examples/java/ReadMeter.java SPEC PORT [KEY]
//
// for example  ... examples/sagemcom_t210d/netz_noe_p1.meter /dev/ttyUSB0 36C66639E48A8CA4D6BC8B282A793BBB
// (the key may instead come from METERSPEC_KEY, which keeps it off the command line).

import java.nio.file.Path;
import org.meterspec.engine.DecoderKeys;
import org.meterspec.engine.TelegramLine;
import org.meterspec.engine.live.MeterReader;
import org.meterspec.grammar.SpecLoader;

public final class ReadMeter {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ReadMeter SPEC PORT [KEY]");
            System.exit(2);
        }
        SpecLoader.Result spec = SpecLoader.load(Path.of(args[0]));
        if (!spec.ok()) {
            System.err.println(spec.report());
            System.exit(2);
        }
        String key = args.length == 3 ? args[2] : System.getenv("METERSPEC_KEY");

        MeterReader reader = MeterReader.builder(spec.model())
                .port(args[1])                                  // 2400 8E1 or 8N1, from the spec's transport
                .keys(DecoderKeys.ofHex(key, null, null))
                .onReading(ReadMeter::print)                    // on the reader's thread, in order
                .onError(e -> System.out.println("telegram " + e.telegram() + ": " + e.layer() + " error "
                        + e.error()))
                .onStatus(message -> System.err.println("ReadMeter: " + message))
                .build();
        reader.closeOnShutdown();                               // Ctrl-C closes the port
        reader.start();                                         // returns at once
        reader.join();                                          // until it is closed
    }

    private static void print(TelegramLine.Reading reading) {
        StringBuilder sb = new StringBuilder("telegram " + reading.telegram() + ":");
        for (TelegramLine.Value v : reading.values()) {
            sb.append("\n  ").append(v.name() != null ? v.name() : v.obis()).append(" = ")
                    .append(v.value() != null ? v.value() : "(none)");
            if (v.unit() != null) {
                sb.append(' ').append(v.unit());
            }
        }
        System.out.println(sb);
        System.out.flush();
    }
}
