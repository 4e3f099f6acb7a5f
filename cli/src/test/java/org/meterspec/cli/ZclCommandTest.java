package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.cli.Cli.SPEC;
import static org.meterspec.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.engine.JsonReader;

/** {@code meterspec zcl}: the endpoint table for people and as JSON, and a spec that maps nothing. */
class ZclCommandTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cache() {
        Cli.useCacheIn(cache);
    }

    @Test
    void theTableStartsWithTheModelIdentifierAndListsEveryAttribute() {
        Cli.Run r = run("zcl", "--spec", SPEC).assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("model identifier meterspec.netz_noe_p1 (the Basic cluster's; the converter of generate --lang z2m"
                + " matches it)", lines.get(0));
        assertEquals("endpoint 1 profile 0x0104 device 0x0053", lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.stripTrailing().equals(
                "    0x0302 divisor                      type 0x22 r  value 1000")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("    0x0400 instantaneousDemand          type 0x2a rp")
                && l.endsWith("report 5..300 s change 10")), r.out());
    }

    @Test
    void jsonIsOneObjectWithHerdsmansNames() {
        Cli.Run r = run("zcl", "--spec", SPEC, "--json").assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        Map<?, ?> root = (Map<?, ?>) JsonReader.parse(r.out().strip());
        Map<?, ?> ep = (Map<?, ?>) ((List<?>) root.get("endpoints")).get(0);
        assertEquals("0x0104", ep.get("profile"));
        Map<?, ?> metering = (Map<?, ?>) ((List<?>) ep.get("clusters")).get(0);
        assertEquals("seMetering", metering.get("name"));
        assertTrue(((List<?>) metering.get("attributes")).stream().map(a -> ((Map<?, ?>) a).get("name"))
                .toList().containsAll(List.of("currentSummDelivered", "status", "unitOfMeasure", "multiplier", "divisor")));
    }

    @Test
    void aSpecWithoutZigbeeSaysHowToGetOne() throws IOException {
        Path plain = tmp.resolve("plain.meter");
        Files.writeString(plain, String.join("\n", "meter plain", "transport raw", "security none",
                "body structure {", "    value 1.0.1.8.0.255 as energy uint32", "}", ""));

        Cli.Run r = run("zcl", "--spec", plain.toString()).assertNoStackTrace();

        assertEquals(2, r.code());
        assertTrue(r.err().contains("maps nothing onto ZigBee: add import \"../common/zcl.meter\""), r.err());
        assertEquals("", r.out());
    }
}
