package org.meterspec.bench;

import java.util.concurrent.TimeUnit;
import org.meterspec.bench.generated.KamstrupOmnipowerDecoder;
import org.meterspec.runtime.Security;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Kamstrup OMNIPOWER HAN: one HDLC frame, glo-ciphering, security control 0x30 (encrypted with a
 * 12-byte tag), 34 values: the header's time stamp and 33 from the body. With the authentication
 * key every contender verifies the tag, so the floor is AES-GCM decrypt-and-verify over the same
 * ciphertext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KamstrupOmnipowerBench {
    private final Telegram t = Telegram.KAMSTRUP_OMNIPOWER;
    private KamstrupOmnipowerDecoder decoder;
    private Floors.JdkGcm jdk;
    private Floors.BcGcm bc;
    private GuruxPush gurux;
    private final byte[] out = new byte[512];

    @Setup
    public void setUp() throws Exception {
        decoder = new KamstrupOmnipowerDecoder(t.keys());
        Expect.reading(decoder.decode(t.wire), Security.AUTHENTICATED, 34, "1.1.1.8.0.255", 6307498);
        jdk = new Floors.JdkGcm(t);
        bc = new Floors.BcGcm(t);
        Expect.plaintext("JDK AES-GCM", out, jdk.decrypt(t, out), t.ciphertext.length, null);
        byte[] jdkPlain = out.clone();
        java.util.Arrays.fill(out, (byte) 0);
        Expect.plaintext("BC AES-GCM", out, bc.decrypt(t, out), t.ciphertext.length, jdkPlain);
        gurux = new GuruxPush(t, GuruxPush.Framing.HDLC);
        // list version, 32 x (OBIS, value)
        Expect.gurux(gurux, t.wire, 1 + 32 * 2, 6307498);
        Expect.guruxChecksTag(t, GuruxPush.Framing.HDLC);
    }

    @Benchmark
    public void decoder(Blackhole bh) {
        bh.consume(decoder.decode(t.wire));
    }

    @Benchmark
    public void floorJdkAesGcm(Blackhole bh) throws Exception {
        bh.consume(jdk.decrypt(t, out));
        bh.consume(out);
    }

    @Benchmark
    public void floorBcAesGcm(Blackhole bh) throws Exception {
        bh.consume(bc.decrypt(t, out));
        bh.consume(out);
    }

    @Benchmark
    public void gurux(Blackhole bh) throws Exception {
        Object body = gurux.decode(t.wire);
        bh.consume(gurux.time());
        bh.consume(GuruxPush.walk(body, bh));
    }
}
