package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.meterspec.conformance.CTextCase.Exchange;
import org.meterspec.conformance.CTextCase.ReadingSpec;
import org.meterspec.conformance.CTextCase.ValueSpec;
import org.meterspec.runtime.Decimals;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.Units;
import org.meterspec.testkit.AxdrWriter;

/**
 * The C runtime's value texts and JSON lines (generated-c/runtime/ms_text.c, ms_decimal.c,
 * ms_units.c) are byte for byte the Java runtime's: random values of every type in every format,
 * as the Java runtime decodes them from telegrams, go to the C check program, which must print
 * what Value.text, Value.unit, Reading.toJson and DecodeError.toJson give; float32 texts over
 * whole ranges of bit patterns; the committed regression vectors; under valgrind and the
 * sanitizers; and the runtime must build warning-free with clang and for the ESP32-C6.
 */
class CTextTest {
    /** Where a failure found here is kept, to be checked on every run after. */
    static final String REGRESSIONS = "/ctext/regressions.txt";

    private static CTextProgram program;

    static synchronized CTextProgram program() {
        if (program == null) {
            program = new CTextProgram(List.of(CCompiler.checkProgram().toString()));
            assertEquals(List.of(), program.send(CTextCase.meterLines()), "the meter's lines print nothing");
        }
        return program;
    }

    @AfterContainer
    static synchronized void stop() {
        if (program != null) {
            program.close();
            program = null;
        }
    }

    // ---- random values ----------------------------------------------------------------------------

    /**
     * 250 readings of 400 to 420 values: at least 100,000 values a run. A failure is reported for
     * the one value that fails alone where there is one.
     */
    @Property(tries = 250)
    void valueTextsAndJsonLinesAreJavas(@ForAll("readings") ReadingSpec reading) {
        try {
            agree(List.of(CTextCase.exchange(reading)));
        } catch (AssertionError e) {
            throw alone(reading, e);
        }
    }

    /**
     * The failure a value of the reading shows alone in a reading like it, which makes a short
     * regression vector; else the reading's own failure.
     */
    private static AssertionError alone(ReadingSpec reading, AssertionError failure) {
        for (ValueSpec v : reading.values()) {
            ReadingSpec one = new ReadingSpec(reading.number(), reading.mode(), reading.ded(), reading.title(),
                    reading.counter(), List.of(v));
            try {
                agree(List.of(CTextCase.exchange(one)));
            } catch (AssertionError e) {
                return e;
            }
        }
        return failure;
    }

    @Provide
    Arbitrary<ReadingSpec> readings() {
        return CTextArbitraries.readings(400, 420);
    }

    @Property(tries = 100)
    void errorLinesAreJavas(@ForAll("errors") List<DecodeError> errors, @ForAll("numbers") List<Long> numbers) {
        agree(List.of(CTextCase.exchange(errors, numbers)));
    }

    @Provide
    Arbitrary<List<DecodeError>> errors() {
        return CTextArbitraries.errors(50);
    }

    @Provide
    Arbitrary<List<Long>> numbers() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).list().ofSize(50);
    }

    // ---- fixed vectors ----------------------------------------------------------------------------

    @Example
    void regressionVectorsAgree() {
        List<Exchange> exchanges = regressions();
        assertTrue(exchanges.size() > 0, "the regression file has vectors");
        agree(exchanges);
    }

    /** Every byte 0x00-0xFF alone and all of them together, as each string type, in every format. */
    @Example
    void everyByteInEveryFormatAgrees() {
        agree(everyByte());
    }

    @Example
    void unitSymbolsAreJavas() {
        agree(List.of(unitSymbols()));
    }

    /**
     * Float32 texts over ranges of bit patterns, each pattern of them: 131,072 each (the system
     * property ctext.float32.window makes it more, up to whole exponents for a longer run) of the
     * smallest subnormals, the change from subnormal to normal, below and above 1, the largest
     * floats before infinity; the 128 patterns on each side of every power of two (where the
     * shortest text may be the farther neighbour), at scaler 0; and some at the extreme scalers.
     * Compared by a hash of each range's texts; a range that differs is listed to name the first
     * pattern that differs.
     */
    @Example
    void float32BitPatternsAgree() {
        int window = Integer.getInteger("ctext.float32.window", 1 << 17);
        List<int[]> ranges = new ArrayList<>();
        // the smallest subnormals; subnormal to normal; below and above 1; the largest floats
        for (long first : new long[] {0, 0x0080_0000L - window / 2, 0x3F80_0000L - window / 2, 0x7F80_0000L - window}) {
            for (long at = first; at < first + window; at += 1 << 16) {
                ranges.add(new int[] {(int) at, (int) Math.min(1 << 16, first + window - at), 0});
            }
        }
        ranges.add(new int[] {0x7F80_0000, 1, 0});
        for (int e = 1; e <= 254; e++) {
            ranges.add(new int[] {(e << 23) - 128, 256, 0});
        }
        for (int scaler : new int[] {-128, -127, -1, 1, 126, 127}) {
            ranges.add(new int[] {0x0000_0000, 2048, scaler});
            ranges.add(new int[] {0x3F7F_FC00, 2048, scaler});
            ranges.add(new int[] {0x7F7F_F800, 2048, scaler});
        }
        List<String> commands = ranges.stream().map(r -> "F " + Integer.toHexString(r[0]) + " "
                + Integer.toHexString(r[1]) + " " + r[2]).toList();
        // the C program hashes while Java does (in the common pool)
        CompletableFuture<List<String>> c = CompletableFuture.supplyAsync(() -> program().send(commands), SENDER);
        List<String> java = ranges.parallelStream().map(r -> "H " + String.format("%016X", fnv(r[0], r[1], r[2])))
                .toList();
        List<String> got = CCompiler.await(c);
        assertEquals(java.size(), got.size(), () -> "one hash per range: " + got);
        for (int i = 0; i < java.size(); i++) {
            if (!java.get(i).equals(got.get(i))) {
                int[] r = ranges.get(i);
                firstDifference(r[0], r[1], r[2]);
            }
        }
    }

    /** FNV-1a 64 of the float32 texts of bits first..first+count-1, each ended by a newline. */
    static long fnv(int first, int count, int scaler) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < count; i++) {
            String t = Decimals.float32(Float.intBitsToFloat(first + i), scaler);
            for (int k = 0; k <= t.length(); k++) {
                h ^= k < t.length() ? t.charAt(k) : '\n';
                h *= 0x100000001b3L;
            }
        }
        return h;
    }

    private static void firstDifference(int first, int count, int scaler) {
        List<String> got = program().send(List.of("L " + Integer.toHexString(first) + " "
                + Integer.toHexString(count) + " " + scaler));
        for (int i = 0; i < count; i++) {
            String expected = "T 0 " + CTextCase.hex(CTextCase.utf8(
                    Decimals.float32(Float.intBitsToFloat(first + i), scaler)));
            String actual = i < got.size() ? got.get(i) : "(nothing)";
            if (!expected.equals(actual)) {
                throw new AssertionError("float32 bits " + String.format("%08X", first + i) + " scaler " + scaler
                        + ": Java " + CTextCase.readable(expected) + ", C " + CTextCase.readable(actual)
                        + "\nadd to " + REGRESSIONS + ":\n"
                        + new ValueSpec(AxdrWriter.FLOAT32, (first + i) & 0xFFFFFFFFL, null, -1, 0,
                                scaler, 0).line());
            }
        }
        throw new AssertionError("float32 hashes differ from " + String.format("%08X", first)
                + " but no text does: the hashes are not computed alike");
    }

    // ---- memory and portability -------------------------------------------------------------------

    /**
     * The check program under valgrind's memcheck, and built with AddressSanitizer and
     * UndefinedBehaviorSanitizer, over the regression vectors, every byte in every format, a sample
     * of random values (each alone in a reading: its bytes end the pool, whose block is its exact
     * size, so a read past them shows), readings, errors, floats and units: no error, and still
     * Java's output.
     */
    @Example
    void memcheckAndSanitizersFindNothing() throws IOException {
        CCompiler.requireTool("valgrind", "valgrind");
        Path exe = CCompiler.checkProgram();
        Path sanitized = CCompiler.await(SANITIZED);
        List<Exchange> exchanges = new ArrayList<>(regressions());
        exchanges.addAll(everyByte());
        exchanges.add(unitSymbols());
        CTextArbitraries.values().sampleStream().limit(2000).map(v -> CTextCase.exchange(ReadingSpec.of(v)))
                .forEach(exchanges::add);
        CTextArbitraries.readings(50, 100).sampleStream().limit(5).map(CTextCase::exchange).forEach(exchanges::add);
        List<DecodeError> errors = CTextArbitraries.errors(100).sample();
        exchanges.add(CTextCase.exchange(errors, IntStream.range(0, 100).mapToObj(i -> (long) i * 977).toList()));
        exchanges.add(new Exchange(List.of("F 3f7ff000 1000 -2"),
                List.of("H " + String.format("%016X", fnv(0x3F7F_F000, 0x1000, -2))), "float32 3F7FF000.."));
        Path input = CCompiler.OUT.resolve("memcheck-input.txt");
        List<String> lines = new ArrayList<>(CTextCase.meterLines());
        for (Exchange e : exchanges) {
            lines.addAll(e.input());
            lines.add(".");
        }
        Files.write(input, lines, StandardCharsets.US_ASCII);
        List<String> valgrind = List.of("valgrind", "--tool=memcheck", "-q", "--error-exitcode=99",
                "--leak-check=full", "--errors-for-leak-kinds=definite", exe.toString());
        for (List<String> command : List.of(valgrind, List.of(sanitized.toString()))) {
            Path output = CCompiler.OUT.resolve("memcheck-output.txt");
            Process p = new ProcessBuilder(command).redirectInput(input.toFile()).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String errorsText = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit;
            try {
                exit = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertEquals(0, exit, () -> String.join(" ", command) + " < " + input + " reports:\n" + errorsText);
            assertEquals("", errorsText.strip(), () -> String.join(" ", command) + " says:\n" + errorsText);
            compare(exchanges, Files.readAllLines(output, StandardCharsets.US_ASCII));
        }
    }

    /** Also without the JSON line (MS_JSON 0), as the RV32 build: gcc's warnings are the RV32 gcc's. */
    @Example
    void clangBuildsTheRuntimeWithoutWarnings() {
        CCompiler.await(CLANG);
    }

    @Example
    void runtimeBuildsForTheEsp32C6() {
        CCompiler.await(RV32);
    }

    private static final CompletableFuture<Path> SANITIZED = CCompiler.inBackground(() -> {
        try {
            return CCompiler.link("gcc", List.of("-O1", "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"), "ms_text_check_sanitized");
        } catch (AssertionError e) {
            throw new AssertionError("the sanitizer build fails (gcc's libasan and libubsan come with the Debian "
                    + "package gcc: libasan8, libubsan1)\n" + e.getMessage(), e);
        }
    });

    private static final CompletableFuture<Void> CLANG = CCompiler.inBackground(() -> {
        CCompiler.requireTool("clang", "clang");
        CCompiler.compileEach("clang", List.of("-O2"), "clang");
        CCompiler.compileEach("clang", List.of("-O2", "-DMS_JSON=0"), "clang-nojson");
        CCompiler.link("clang", List.of("-O2"), "clang/ms_text_check");
        return null;
    });

    private static final CompletableFuture<Void> RV32 = CCompiler.inBackground(() -> {
        CCompiler.requireTool("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf");
        List<String> noJson = new ArrayList<>(CCompiler.RV32);
        noJson.add("-DMS_JSON=0");
        try {
            CCompiler.compileEach("riscv64-unknown-elf-gcc", CCompiler.RV32, "rv32");
            CCompiler.compileEach("riscv64-unknown-elf-gcc", noJson, "rv32-nojson");
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().contains("spec file 'picolibc.specs'")) {
                throw new AssertionError("picolibc for RISC-V is not installed: install the Debian package "
                        + "picolibc-riscv64-unknown-elf\n" + e.getMessage(), e);
            }
            throw e;
        }
        return null;
    });

    // ---- the vectors ------------------------------------------------------------------------------

    /**
     * The regression file: {@code value} lines (each a plain one-value reading unless it follows a
     * {@code reading} line, whose values end at a blank line) and {@code error} lines.
     */
    static List<Exchange> regressions() {
        List<Exchange> out = new ArrayList<>();
        try (InputStream in = CTextTest.class.getResourceAsStream(REGRESSIONS)) {
            if (in == null) {
                throw new AssertionError(REGRESSIONS + " is not on the test class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String header = null;
            List<ValueSpec> group = new ArrayList<>();
            for (String line = r.readLine(); ; line = r.readLine()) {
                String l = line == null ? "" : line.strip();
                if (l.isEmpty() || l.startsWith("reading ")) {
                    if (header != null) {
                        out.add(CTextCase.exchange(ReadingSpec.parse(header, List.copyOf(group))));
                    }
                    header = l.isEmpty() ? null : l;
                    group.clear();
                } else if (l.startsWith("value ")) {
                    ValueSpec v = ValueSpec.parse(l);
                    if (header != null) {
                        group.add(v);
                    } else {
                        out.add(CTextCase.exchange(ReadingSpec.of(v)));
                    }
                } else if (l.startsWith("error ")) {
                    out.add(CTextCase.errorLine(l));
                } else if (!l.startsWith("#")) {
                    throw new AssertionError("not a regression vector: " + l);
                }
                if (line == null) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Exchange> everyByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        List<Exchange> out = new ArrayList<>();
        for (int tag : new int[] {AxdrWriter.OCTET_STRING, AxdrWriter.VISIBLE_STRING, AxdrWriter.UTF8_STRING}) {
            for (int entry = -1; entry < CTextDecoder.DIRECTORY.size(); entry++) {
                List<ValueSpec> values = new ArrayList<>();
                for (int b = 0; b < 256; b++) {
                    values.add(new ValueSpec(tag, 0, new byte[] {(byte) b}, entry, 0, ValueSpec.NONE, 0));
                }
                values.add(new ValueSpec(tag, 0, all, entry, 0, ValueSpec.NONE, 0));
                out.add(CTextCase.exchange(new ReadingSpec(7, 0, false, new byte[8], 0, values)));
            }
        }
        return out;
    }

    static Exchange unitSymbols() {
        List<String> expected = new ArrayList<>();
        for (int code = 0; code < 256; code++) {
            String s = Units.symbol(code);
            boolean none = s == null || s.startsWith("unit-");
            expected.add("S " + code + " " + (none ? 1 : 0) + " " + (none ? "" : CTextCase.hex(CTextCase.utf8(s))));
        }
        return new Exchange(List.of("S"), expected, "the unit symbols");
    }

    /** Where two lines differ, with some text around it. */
    static String difference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 60);
        return " at character " + i + ":\n  Java: " + (from > 0 ? "..." : "")
                + expected.substring(from, Math.min(expected.length(), i + 60)) + "\n  C:    " + (from > 0 ? "..." : "")
                + actual.substring(from, Math.min(actual.length(), i + 60));
    }

    /** Sends every exchange's lines to the check program and requires Java's answer to each. */
    static void agree(List<Exchange> exchanges) {
        List<String> lines = new ArrayList<>();
        for (Exchange e : exchanges) {
            lines.addAll(e.input());
        }
        CTextProgram c = program();
        CompletableFuture<List<String>> answer = CompletableFuture.supplyAsync(() -> c.send(lines), SENDER);
        exchanges.forEach(Exchange::expected); // Java writes while C does
        compare(exchanges, CCompiler.await(answer));
    }

    private static final java.util.concurrent.ExecutorService SENDER =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "c-text-exchange");
                t.setDaemon(true);
                return t;
            });

    /** The program's output (which may hold a "." after each exchange) against each exchange's. */
    static void compare(List<Exchange> exchanges, List<String> output) {
        List<String> got = output.stream().filter(l -> !l.equals(".")).collect(Collectors.toList());
        int at = 0;
        for (Exchange e : exchanges) {
            for (int i = 0; i < e.expected().size(); i++) {
                String expected = e.expected().get(i);
                String actual = at < got.size() ? got.get(at) : "(nothing)";
                if (actual.startsWith("X ") || !expected.equals(actual)) {
                    throw new AssertionError("C and Java differ" + difference(CTextCase.readable(expected),
                            CTextCase.readable(actual)) + "\nfor " + e.what().get(i)
                            + "\n(add the failing lines to " + REGRESSIONS + ")");
                }
                at++;
            }
        }
        if (at < got.size()) {
            throw new AssertionError("the check program printed more: " + CTextCase.readable(got.get(at)));
        }
    }
}
