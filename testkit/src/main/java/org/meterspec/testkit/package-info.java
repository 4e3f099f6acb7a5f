/**
 * Builds meter telegrams for tests, independently of the runtime that decodes them: A-XDR data
 * ({@link org.meterspec.testkit.AxdrWriter}), DATA-NOTIFICATION and General Block Transfer
 * ({@link org.meterspec.testkit.Apdu}), glo- and ded-ciphering with Bouncy Castle's AES-GCM
 * ({@link org.meterspec.testkit.Ciphered}), and M-Bus, HDLC or no framing
 * ({@link org.meterspec.testkit.Framing}).
 *
 * <pre>{@code
 * byte[] body = new AxdrWriter().structure(3).obis(1, 0, 1, 8, 0, 255).uint32(12937).scalerUnit(0, 30).toByteArray();
 * byte[] apdu = Apdu.dataNotification(1, null, body);
 * byte[] line = Framing.mbus().encode(Ciphered.glo(systemTitle, 35).control(0x20).keys(key, null).wrap(apdu));
 * }</pre>
 *
 * Nothing here calls the runtime: checksums, CRCs, lengths and crypto are computed from the
 * standards, so a test that decodes what the testkit built compares two implementations.
 */
package org.meterspec.testkit;
