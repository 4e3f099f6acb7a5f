package org.meterspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every common spelling of a key is redacted inside any message; the hex the CLI prints itself is kept. */
class RedactionTest {
    static final String KEY = "36C66639E48A8CA4D6BC8B282A793BBB";

    @ParameterizedTest
    @ValueSource(strings = {
        "36C66639E48A8CA4D6BC8B282A793BBB",
        "36c66639e48a8ca4d6bc8b282a793bbb",
        "36 C6 66 39 E4 8A 8C A4 D6 BC 8B 28 2A 79 3B BB",
        "36:c6:66:39:e4:8a:8c:a4:d6:bc:8b:28:2a:79:3b:bb",
        "36-C6-66-39-E4-8A-8C-A4-D6-BC-8B-28-2A-79-3B-BB",
        "0x36, 0xC6, 0x66, 0x39, 0xE4, 0x8A, 0x8C, 0xA4, 0xD6, 0xBC, 0x8B, 0x28, 0x2A, 0x79, 0x3B, 0xBB",
        "\\x36\\xc6\\x66\\x39\\xe4\\x8a\\x8c\\xa4\\xd6\\xbc\\x8b\\x28\\x2a\\x79\\x3b\\xbb",
        "36C6 6639 E48A 8CA4 D6BC 8B28 2A79 3BBB",
        "36C66639E48A8CA4\tD6BC8B282A793BBB",
        "36C66639E48A8CA4D6BC8B28 2A793BBB",
        "36C66639E48A8CA4D6BC8B282A793BB",     // a digit missing
        "36C66639E48A8CA4D6BC8B282A793BBB0",   // one too many
    })
    void aKeyInAnySpellingIsRedactedWherePrintedInAMessage(String spelling) {
        for (String message : new String[] {
            spelling,
            "meterspec: cannot read " + spelling + ": no such file",
            "meterspec: cannot read the encryption key file @" + spelling + ": no such file",
            "Unmatched argument at index 5: '" + spelling + "'",
            "/tmp/keys/" + spelling + ".key:1:1: error[MS005]: cannot read '/tmp/keys/" + spelling + ".key'",
            "    |     key \"" + spelling + "\"",
        }) {
            String redacted = Redaction.redact(message);
            String digits = redacted.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
            for (int i = 0; i + 8 <= KEY.length(); i += 4) {
                assertFalse(digits.contains(KEY.substring(i, i + 8)), "a part of the key is left: " + redacted);
            }
            assertFalse(redacted.toUpperCase(Locale.ROOT).replaceAll("0X|\\\\X|[^0-9A-F]", "").contains("C6663"),
                    redacted);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "#1 ok: netz_noe_p1, system title 4B464D6750000009, frame counter 35, security encrypted",
        "    1.0.1.8.0.255      energy_import              12937 Wh",
        "examples/x/x.meter:14:15: error[MS040]: value can be a string, which needs a length bound",
        "meterspec: cannot read the encryption key file /tmp/junit1234567890123456789/absent.key: no such file",
        "    telegram 1: frame counter is 35, expected 36",
        "#2 error: transport MBUS_CHECKSUM at offset 255 (M-Bus frame checksum does not match)",
        "0.0.1.0.0.255 \"2021-09-27T09:47:15.00+02:00\", fed a decade of bad faded beef",
        "the encryption key must be 16 bytes (32 hex digits), got 31 digits",
        "offsets 12, 34, 56, 78, 90 and 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13",
    })
    void whatTheCliPrintsItselfIsKept(String message) {
        assertEquals(message, Redaction.redact(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "meterspec: cannot read the encryption key file ",
        "meterspec: cannot read ",
        "failed ead ",
    })
    void wordsBeforeARedactedKeyAreKept(String before) {
        assertEquals(before + Redaction.MARK + ": no such file",
                Redaction.redact(before + "36 C6 66 39 E4 8A 8C A4 D6 BC 8B 28 2A 79 3B BB: no such file"));
    }
}
