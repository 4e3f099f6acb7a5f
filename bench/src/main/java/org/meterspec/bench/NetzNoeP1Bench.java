package org.meterspec.bench;

import java.util.concurrent.TimeUnit;
import org.meterspec.bench.generated.NetzNoeP1Decoder;
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
 * Netz NÖ P1 (Sagemcom T210-D): two M-Bus frames, glo-ciphering, security control 0x20 (encrypted,
 * no tag), 13 values. The floor is AES-CTR from J0+1 over the same ciphertext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NetzNoeP1Bench {
    private final Telegram t = Telegram.NETZ_NOE_P1;
    private NetzNoeP1Decoder decoder;
    private Floors.JdkCtr jdk;
    private Floors.BcCtr bc;
    private GuruxPush gurux;
    private final byte[] out = new byte[512];

    @Setup
    public void setUp() throws Exception {
        decoder = new NetzNoeP1Decoder(t.keys());
        Expect.reading(decoder.decode(t.wire), Security.ENCRYPTED, 13, "1.0.1.8.0.255", 12937);
        jdk = new Floors.JdkCtr(t);
        bc = new Floors.BcCtr(t);
        Expect.plaintext("JDK AES-CTR", out, jdk.decrypt(t, out), t.ciphertext.length, null);
        byte[] jdkPlain = out.clone();
        java.util.Arrays.fill(out, (byte) 0);
        Expect.plaintext("BC AES-CTR", out, bc.decrypt(t, out), t.ciphertext.length, jdkPlain);
        gurux = new GuruxPush(t, GuruxPush.Framing.MBUS_BY_HAND);
        // clock, 11 x (OBIS, value, scaler, unit), meter number
        Expect.gurux(gurux, t.wire, 1 + 11 * 4 + 1, 12937);
    }

    @Benchmark
    public void decoder(Blackhole bh) {
        bh.consume(decoder.decode(t.wire));
    }

    @Benchmark
    public void floorJdkAesCtr(Blackhole bh) throws Exception {
        bh.consume(jdk.decrypt(t, out));
        bh.consume(out);
    }

    @Benchmark
    public void floorBcAesCtr(Blackhole bh) {
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
