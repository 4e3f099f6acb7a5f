package org.meterspec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The C runtime builds where it must: clean under clang's -Werror -pedantic like gcc's, for the
 * ESP32-C6 (RV32IMAC, picolibc, the mbedTLS port), and clean under valgrind's memcheck.
 */
class CToolchainTest {

    @AfterAll
    static void stop() {
        CStreamHarness.stopAll();
    }

    /** Every C file: the runtime, both crypto ports, the tests' programs. */
    private static List<Path> allSources() {
        List<Path> files = new ArrayList<>(CToolchain.runtimeFiles());
        for (CToolchain.Backend b : CToolchain.Backend.values()) {
            files.add(b.port());
        }
        for (String f : List.of("harness.c", "unit_tests.c", "triplets.c")) {
            files.add(CToolchain.TEST.resolve(f));
        }
        // without a meter named, the one-meter unit is empty: a build of every file takes it too
        files.add(CToolchain.GENERATED.resolve("unity/ms_one_meter.c"));
        return files;
    }

    private static void compileEach(Path compiler, List<String> flags, List<Path> files, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        for (Path f : files) {
            List<String> command = new ArrayList<>(List.of(compiler.toString()));
            command.addAll(CToolchain.STRICT);
            command.addAll(flags);
            command.addAll(List.of("-I" + CToolchain.INCLUDE, "-I" + CToolchain.RUNTIME, "-I" + CToolchain.TEST, "-c",
                    f.toString(), "-o", outDir.resolve(f.getFileName().toString().replace(".c", ".o")).toString()));
            CToolchain.run(command, 120);
        }
    }

    @Test
    void clangAndGccTakeEveryFileWithoutAWarning() throws IOException {
        CToolchain.header("mbedtls/gcm.h", "libmbedtls-dev");
        CToolchain.header("openssl/evp.h", "libssl-dev");
        compileEach(CToolchain.tool("clang", "clang"), List.of("-O2"), allSources(), CToolchain.OUT.resolve("clang"));
        compileEach(CToolchain.tool("gcc", "gcc"), List.of("-O2"), allSources(), CToolchain.OUT.resolve("gcc"));
    }

    /**
     * Every runtime file and the mbedTLS port for the ESP32-C6's CPU, with picolibc and the
     * host's mbedTLS headers (the calls used are the same in ESP-IDF's mbedTLS 3.x); the size of
     * each object's code goes to target/c/rv32imac-size.txt.
     */
    @Test
    void everyRuntimeFileBuildsForRv32imac() throws IOException {
        Path gcc = CToolchain.tool("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf");
        Path size = CToolchain.tool("riscv64-unknown-elf-size", "binutils-riscv64-unknown-elf");
        if (!Files.isDirectory(Path.of("/usr/lib/picolibc/riscv64-unknown-elf"))) {
            org.junit.jupiter.api.Assertions.fail("picolibc for riscv64-unknown-elf is missing: install the Debian package "
                    + "picolibc-riscv64-unknown-elf");
        }
        CToolchain.header("mbedtls/gcm.h", "libmbedtls-dev");
        // the mbedTLS headers alone: the host's /usr/include would bring glibc's
        Path include = CToolchain.OUT.resolve("rv32-include");
        Files.createDirectories(include);
        Path link = include.resolve("mbedtls");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, Path.of("/usr/include/mbedtls"));
        }
        List<Path> files = new ArrayList<>(CToolchain.runtimeFiles());
        files.add(CToolchain.Backend.MBEDTLS.port());
        Path out = CToolchain.OUT.resolve("rv32imac");
        compileEach(gcc, List.of("-march=rv32imac", "-mabi=ilp32", "-Os", "--specs=picolibc.specs", "-I" + include), files, out);
        List<String> command = new ArrayList<>(List.of(size.toString()));
        for (Path f : files) {
            command.add(out.resolve(f.getFileName().toString().replace(".c", ".o")).toString());
        }
        String sizes = CToolchain.run(command, 60);
        Files.writeString(CToolchain.OUT.resolve("rv32imac-size.txt"), sizes, StandardCharsets.UTF_8);
        assertTrue(sizes.contains("ms_stream.o"), sizes);
    }

    /**
     * Every generated meter linked as a firmware links it (RV32IMAC, no JSON line, error messages
     * or value names, unused sections dropped, mbedTLS left unresolved): the framer of the meter's
     * own transport is in, no other transport's is, and the block assembler only where the spec
     * allows block transfer; and the same meter built alone (alone()), smaller. The sizes of both
     * go to target/c/rv32imac-firmware-sizes.txt.
     */
    @Test
    void aFirmwareLinksOnlyItsMetersTransportAndSecurity() throws IOException {
        Path gcc = CToolchain.tool("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf");
        Path nm = CToolchain.tool("riscv64-unknown-elf-nm", "binutils-riscv64-unknown-elf");
        Path size = CToolchain.tool("riscv64-unknown-elf-size", "binutils-riscv64-unknown-elf");
        Path include = CToolchain.OUT.resolve("rv32-include");
        Files.createDirectories(include);
        if (!Files.exists(include.resolve("mbedtls"))) {
            Files.createSymbolicLink(include.resolve("mbedtls"), Path.of("/usr/include/mbedtls"));
        }
        Path meters = CToolchain.GENERATED.resolve("meters");
        List<Path> sources = new ArrayList<>(CToolchain.runtimeFiles());
        sources.add(CToolchain.Backend.MBEDTLS.port());
        List<Path> meterSources;
        try (var list = Files.list(meters)) {
            meterSources = list.filter(f -> f.toString().endsWith(".c")).sorted().toList();
        }
        sources.addAll(meterSources);
        Path out = CToolchain.OUT.resolve("rv32imac-firmware");
        List<String> rv32 = List.of("-march=rv32imac", "-mabi=ilp32", "-Os", "--specs=picolibc.specs", "-ffunction-sections",
                "-fdata-sections", "-DMS_JSON=0", "-DMS_ERROR_MESSAGES=0", "-DMS_VALUE_NAMES=0", "-I" + include,
                "-I" + meters);
        compileEach(gcc, rv32, sources, out);
        StringBuilder sizes = new StringBuilder();
        for (Path source : meterSources) {
            String meter = source.getFileName().toString().replace(".c", "");
            String header = Files.readString(meters.resolve(meter + ".h"), StandardCharsets.UTF_8);
            String upper = meter.toUpperCase(java.util.Locale.ROOT);
            String transport = define(header, upper + "_TRANSPORT").replace("MS_TRANSPORT_", "").toLowerCase(java.util.Locale.ROOT);
            boolean blocks = Integer.parseInt(define(header, upper + "_MAX_BLOCKS")) > 0;
            Path elf = out.resolve(meter + ".elf");
            List<Path> objects = new ArrayList<>();
            for (Path f : sources) {
                if (!meterSources.contains(f) || f.equals(source)) {
                    objects.add(out.resolve(f.getFileName().toString().replace(".c", ".o")));
                }
            }
            linkFirmware(gcc, meter, elf, objects);
            List<String> symbols = symbols(nm, elf).stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
            for (String t : List.of("mbus", "hdlc", "raw")) {
                assertEquals(t.equals(transport), symbols.contains("ms_" + t + "_scan"),
                        meter + " (" + transport + "): ms_" + t + "_scan linked or missing");
            }
            assertEquals(blocks, symbols.contains("ms_blocks_block"), meter + ": the block assembler linked or missing");
            // a meter that accepts no ciphered APDU links neither the security layer nor the crypto port
            boolean ciphered = Files.readString(source, StandardCharsets.UTF_8).contains(".decipher = ms_decipher,");
            for (String f : List.of("ms_decipher", "ms_port_aes128_ctr", "ms_port_gcm128_decrypt")) {
                assertEquals(ciphered, symbols.contains(f), meter + ": " + f + " linked or missing");
            }
            // built alone, the compiler drops what the spec cannot reach: always smaller
            long shared = text(size, elf);
            long alone = alone(meter, ciphered, gcc, nm, size, rv32, out);
            assertTrue(alone < shared, meter + ": " + alone + " bytes of .text alone, " + shared + " on the shared runtime");
            sizes.append(CToolchain.run(List.of(size.toString(), elf.toString()), 60).lines().skip(1).findFirst().orElse(""))
                    .append('\n');
            sizes.append(CToolchain.run(List.of(size.toString(), out.resolve(meter + "-alone.elf").toString()), 60).lines()
                    .skip(1).findFirst().orElse("")).append('\n');
        }
        Files.writeString(CToolchain.OUT.resolve("rv32imac-firmware-sizes.txt"), sizes, StandardCharsets.UTF_8);
    }

    /**
     * The meter built alone, as a firmware for that one meter builds it (the meter and the decoding
     * runtime as one unit, unity/ms_one_meter.c): without a warning under gcc and clang; for
     * RV32IMAC with a firmware's options, linking the crypto port exactly where the spec accepts
     * ciphered APDUs. Returns the firmware's .text.
     */
    private static long alone(String meter, boolean ciphered, Path gcc, Path nm, Path size, List<String> rv32, Path out)
            throws IOException {
        Path meters = CToolchain.GENERATED.resolve("meters");
        Path unity = CToolchain.GENERATED.resolve("unity/ms_one_meter.c");
        for (String host : List.of("gcc", "clang")) {
            List<String> command = new ArrayList<>(List.of(CToolchain.tool(host, host).toString()));
            command.addAll(CToolchain.STRICT);
            command.addAll(List.of("-O2", "-DMS_ONE_METER=" + meter, "-I" + CToolchain.INCLUDE, "-I" + meters, "-c",
                    unity.toString(), "-o", out.resolve(meter + "-alone-" + host + ".o").toString()));
            CToolchain.run(command, 120);
        }
        Path object = out.resolve(meter + "-alone.o");
        List<String> command = new ArrayList<>(List.of(gcc.toString()));
        command.addAll(CToolchain.STRICT);
        command.addAll(rv32);
        command.addAll(List.of("-DMS_ONE_METER=" + meter, "-I" + CToolchain.INCLUDE, "-I" + meters, "-c", unity.toString(),
                "-o", object.toString()));
        CToolchain.run(command, 120);
        Path elf = out.resolve(meter + "-alone.elf");
        linkFirmware(gcc, meter, elf, List.of(object, out.resolve("ms_port_mbedtls.o")));
        List<String> lines = symbols(nm, elf);
        List<String> symbols = lines.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        for (String f : List.of("ms_port_aes128_ctr", "ms_port_gcm128_decrypt")) {
            assertEquals(ciphered, symbols.contains(f), meter + " alone: " + f + " linked or missing");
        }
        // the runtime's own functions are static (MS_INTERNAL): where one is left out of line, it is local
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            String name = f[f.length - 1];
            if (f.length == 3 && (name.equals("ms_decoder_feed") || name.equals("ms_group_value") || name.equals("ms_decipher")
                    || name.startsWith("ms_segments_"))) {
                assertEquals("t", f[1], meter + " alone: " + name + " is not static (" + line + ")");
            }
        }
        return text(size, elf);
    }

    /**
     * Links objects as a firmware of the meter links them: its entry points kept, unused sections
     * dropped, mbedTLS left unresolved.
     */
    private static void linkFirmware(Path gcc, String meter, Path elf, List<Path> objects) throws IOException {
        List<String> link = new ArrayList<>(List.of(gcc.toString(), "-march=rv32imac", "-mabi=ilp32", "-Os",
                "--specs=picolibc.specs", "-nostartfiles", "-Wl,--gc-sections", "-Wl,-e," + meter + "_feed",
                "-Wl,-u," + meter + "_init", "-Wl,-u," + meter + "_finish", "-Wl,-u," + meter + "_decode",
                "-Wl,-u," + meter + "_clear", "-Wl,--unresolved-symbols=ignore-all", "-o", elf.toString()));
        objects.forEach(o -> link.add(o.toString()));
        CToolchain.run(link, 120);
    }

    /** nm's lines for an ELF: address, type, name. */
    private static List<String> symbols(Path nm, Path elf) throws IOException {
        return CToolchain.run(List.of(nm.toString(), elf.toString()), 60).lines().toList();
    }

    /** .text of an ELF (picolibc's link script puts .rodata there), as size -A says. */
    private static long text(Path size, Path elf) throws IOException {
        for (String line : CToolchain.run(List.of(size.toString(), "-A", elf.toString()), 60).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(".text")) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no .text in " + elf);
    }

    /** The value of #define name in a generated header. */
    private static String define(String header, String name) {
        for (String line : header.lines().toList()) {
            if (line.startsWith("#define " + name + " ")) {
                return line.substring(("#define " + name + " ").length()).trim();
            }
        }
        throw new AssertionError("no #define " + name);
    }

    /**
     * The harness under valgrind's memcheck (no sanitizers: they do not mix) on the regression
     * vectors and a few hundred generated cases, giving what the Java decoder gives; and the
     * unit tests.
     */
    @Test
    void valgrindFindsNothing() throws IOException {
        Path valgrind = CToolchain.tool("valgrind", "valgrind");
        List<StreamCase> cases = new ArrayList<>(CStreamDifferentialTest.regressions());
        new CStreamDifferentialTest().cases().sampleStream().limit(300).forEach(cases::add);
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (StreamCase c : cases) {
            input.append(c.harnessInput());
            expected.addAll(c.javaLines());
        }
        input.append("quit\n");
        Path in = CToolchain.OUT.resolve("valgrind-cases.txt");
        Files.writeString(in, input, StandardCharsets.US_ASCII);
        for (CToolchain.Backend backend : CToolchain.Backend.values()) {
            Path harness = CToolchain.program("harness.c", backend, CToolchain.Flavour.PLAIN);
            Path log = CToolchain.OUT.resolve("valgrind-harness-" + backend.name().toLowerCase() + ".log");
            CToolchain.Result r = CToolchain.exec(List.of(valgrind.toString(), "--tool=memcheck", "--error-exitcode=99",
                    "--leak-check=full", "--errors-for-leak-kinds=definite", "--log-file=" + log, harness.toString()), in, 600);
            assertEquals(0, r.exit(), () -> backend + ": valgrind reported errors, see " + log);
            assertEquals(expected, r.output().lines().toList(), backend + " under valgrind");
            Path units = CToolchain.program("unit_tests.c", backend, CToolchain.Flavour.PLAIN);
            Path unitLog = CToolchain.OUT.resolve("valgrind-units-" + backend.name().toLowerCase() + ".log");
            CToolchain.Result u = CToolchain.exec(List.of(valgrind.toString(), "--tool=memcheck", "--error-exitcode=99",
                    "--leak-check=full", "--errors-for-leak-kinds=definite", "--log-file=" + unitLog, units.toString()), null, 300);
            assertEquals(0, u.exit(), () -> backend + ": valgrind on the unit tests, see " + unitLog + "\n" + u.output());
        }
    }
}
