package org.meterspec.bench;

import org.meterspec.bench.generated.KamstrupOmnipowerDecoder;
import org.meterspec.bench.generated.NetzNoeP1Decoder;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.Reading;
import org.openjdk.jol.info.GraphLayout;

/**
 * The bytes a decode must allocate for the reading it returns, measured on the real object graph
 * with JOL in this JVM's layout (so directly comparable to JMH's gc.alloc.rate.norm).
 *
 * <p>Two readings of the same telegram from one decoder share everything that is not allocated
 * per decode (the meter name, the spec's value table, unit strings, enum constants). Walking both
 * together counts each shared object once, so {@code size(r1 + r2) - size(r1)} is exactly what the
 * second decode allocated and the reading retains: its own allocation.
 *
 * <p>Prints one JSON object per line: {@code {"telegram":..,"values":..,"reading_bytes":..}}.
 */
public final class ReadingSize {
    private ReadingSize() {
    }

    public static void main(String[] args) {
        // the runtime has records (ValueInfo), whose field offsets Unsafe will not tell
        System.setProperty("jol.magicFieldOffset", "true");
        System.out.println(measure(Telegram.NETZ_NOE_P1, new NetzNoeP1Decoder(Telegram.NETZ_NOE_P1.keys())));
        System.out.println(measure(Telegram.KAMSTRUP_OMNIPOWER,
                new KamstrupOmnipowerDecoder(Telegram.KAMSTRUP_OMNIPOWER.keys())));
    }

    static String measure(Telegram t, MeterDecoder decoder) {
        long own = -1;
        Reading r1 = null;
        // a GC moving objects mid-walk could skew one measurement: require two equal ones
        for (int attempt = 0; attempt < 5; attempt++) {
            r1 = (Reading) decoder.decode(t.wire);
            Reading r2 = (Reading) decoder.decode(t.wire);
            long one = GraphLayout.parseInstance(r1).totalSize();
            long both = GraphLayout.parseInstance(r1, r2).totalSize();
            long size = both - one;
            if (size == own) {
                break;
            }
            own = size;
        }
        return "{\"telegram\":\"" + t.name + "\",\"values\":" + r1.values().size() + ",\"reading_bytes\":" + own + "}";
    }
}
