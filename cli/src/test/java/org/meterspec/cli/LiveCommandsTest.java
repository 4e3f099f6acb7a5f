package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meterspec.cli.Cli.CAPTURE;
import static org.meterspec.cli.Cli.KEY;
import static org.meterspec.cli.Cli.SPEC;
import static org.meterspec.cli.Cli.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meterspec.cli.Cli.Run;

/** read, ports and replay where no port is needed: their usage errors (the pty test is LiveReadTest). */
class LiveCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void readWithABadSerialFrameSaysWhatOneLooksLikeAndExitsTwo() {
        Run r = run("read", "--spec", SPEC, "--port", tmp.resolve("none").toString(), "--serial", "9X1", "--key", KEY)
                .assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("meterspec: the serial frame '9X1' is not data bits"), r.err());
    }

    @Test
    void readWithADirectoryForASpecNeedsOneSpecFile() {
        Run r = run("read", "--spec", Cli.EXAMPLES.toString(), "--port", "/dev/null");

        assertEquals(2, r.code());
        assertTrue(r.err().contains("is a directory; this needs one spec file"), r.err());
    }

    @Test
    void replayToAPortThatIsNotThereSaysSoAndExitsTwo() {
        String port = tmp.resolve("ttyUSB9").toString();
        Run r = run("replay", "--port", port, "--interval", "0", CAPTURE).assertNoStackTrace();

        assertEquals(2, r.code());
        assertEquals("meterspec: cannot open " + port + ": no such device\n", r.err());
    }

    @Test
    void aKeyTypedForThePortIsNotEchoed() {
        Run r = run("replay", "--port", KEY, CAPTURE).assertKeyNeverPrinted().assertNoStackTrace();

        assertEquals(2, r.code());
        assertTrue(r.err().contains("<redacted>"), r.err());
    }

    @Test
    void replayOfACaptureThatIsNotThereExitsTwo() {
        Run r = run("replay", "--port", "/dev/null", tmp.resolve("none.hex").toString());

        assertEquals(2, r.code());
        assertTrue(r.err().endsWith(": no such file\n"), r.err());
    }

    @Test
    void portsListsPortsOrSaysThereAreNone() {
        Run r = run("ports").assertNoStackTrace();

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().isEmpty() ? r.err().equals("meterspec: no serial ports found\n") : r.err().isEmpty(),
                r.out() + r.err());
    }
}
