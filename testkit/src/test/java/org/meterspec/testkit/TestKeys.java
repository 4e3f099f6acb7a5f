package org.meterspec.testkit;

/** Keys and a system title shared by the tests (the Kamstrup capture's keys, a made-up title). */
final class TestKeys {
    static final byte[] SYSTEM_TITLE = Hex.decode("4B464D6750000009");
    static final byte[] EK = Hex.decode("00112233445566778899AABBCCDDEEFF");
    static final byte[] AK = Hex.decode("FFEEDDCCBBAA99887766554433221100");
    static final byte[] OTHER = Hex.decode("000102030405060708090A0B0C0D0E0F");

    private TestKeys() {
    }
}
