package org.meterspec.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meterspec.runtime.DecodeError;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.Reading;
import org.meterspec.runtime.Security;
import org.meterspec.runtime.TelegramResult;
import org.meterspec.runtime.Value;
import org.meterspec.runtime.ValueInfo;
import org.meterspec.testkit.Apdu;
import org.meterspec.testkit.AxdrWriter;
import org.meterspec.testkit.Ciphered;

/**
 * What the C text tests send: values as a telegram carries them, readings of them, errors; how
 * the Java runtime decodes and writes them (the expected output), and the check program's input
 * lines for the same values (generated-c/test/ms_text_check.c says the commands).
 */
final class CTextCase {
    private CTextCase() {
    }

    static final byte[] ENCRYPTION_KEY = bytes("000102030405060708090A0B0C0D0E0F");
    static final byte[] AUTHENTICATION_KEY = bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    private static final CTextDecoder BOTH_KEYS = new CTextDecoder(Keys.of(ENCRYPTION_KEY, AUTHENTICATION_KEY));
    private static final CTextDecoder NO_AUTH_KEY = new CTextDecoder(Keys.of(ENCRYPTION_KEY, null));

    /** Fixed size in bytes of the number tags, by tag (0: not a fixed-size number). */
    private static final int[] SIZE = new int[32];

    static {
        SIZE[AxdrWriter.BOOLEAN] = 1;
        SIZE[AxdrWriter.INT8] = 1;
        SIZE[AxdrWriter.UINT8] = 1;
        SIZE[AxdrWriter.ENUM] = 1;
        SIZE[AxdrWriter.BCD] = 1;
        SIZE[AxdrWriter.INT16] = 2;
        SIZE[AxdrWriter.UINT16] = 2;
        SIZE[AxdrWriter.INT32] = 4;
        SIZE[AxdrWriter.UINT32] = 4;
        SIZE[AxdrWriter.FLOAT32] = 4;
        SIZE[AxdrWriter.INT64] = 8;
        SIZE[AxdrWriter.UINT64] = 8;
        SIZE[AxdrWriter.FLOAT64] = 8;
    }

    static int size(int tag) {
        return SIZE[tag];
    }

    /**
     * One value group as a telegram carries it: the value's tag and content (a number's bits in
     * {@code raw}; a bit-string's bit count in {@code raw} and its bytes), the directory entry whose
     * code it comes under (-1: an OBIS code the spec does not name, {@code obis}), and a
     * scaler-unit if {@code scaler} is not {@link #NONE}.
     */
    record ValueSpec(int tag, long raw, byte[] bytes, int entry, long obis, int scaler, int unit) {
        static final int NONE = Integer.MIN_VALUE;

        long code() {
            return entry >= 0 ? CTextDecoder.code(entry) : obis;
        }

        int elements() {
            return scaler == NONE ? 2 : 3;
        }

        void write(AxdrWriter w) {
            w.obis(code()).tag(tag);
            int n = SIZE[tag];
            if (n > 0) {
                for (int i = n - 1; i >= 0; i--) {
                    w.raw((byte) (raw >>> (8 * i)));
                }
            } else if (tag == AxdrWriter.BIT_STRING) {
                w.length((int) raw).raw(bytes);
            } else if (tag == AxdrWriter.OCTET_STRING || tag == AxdrWriter.VISIBLE_STRING
                    || tag == AxdrWriter.UTF8_STRING) {
                w.length(bytes.length).raw(bytes);
            } else if (tag != AxdrWriter.NULL) {
                w.raw(bytes); // date-time, date, time
            }
            if (scaler != NONE) {
                w.scalerUnit(scaler, unit);
            }
        }

        /** The line of the regression file that makes this value again. */
        String line() {
            return "value " + tag + " " + Long.toHexString(raw) + " " + (bytes == null ? "-" : "x" + hex(bytes)) + " "
                    + entry + " " + Long.toHexString(obis) + " " + (scaler == NONE ? "-" : scaler + " " + unit);
        }

        static ValueSpec parse(String line) {
            String[] t = line.trim().split(" +");
            if (!t[0].equals("value") || (t.length != 7 && t.length != 8)) {
                throw new IllegalArgumentException("not a value line: " + line);
            }
            return new ValueSpec(Integer.parseInt(t[1]), Long.parseUnsignedLong(t[2], 16),
                    t[3].equals("-") ? null : CTextCase.bytes(t[3].substring(1)), Integer.parseInt(t[4]),
                    Long.parseUnsignedLong(t[5], 16), t[6].equals("-") ? NONE : Integer.parseInt(t[6]),
                    t.length == 8 ? Integer.parseInt(t[7]) : 0);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    /**
     * A telegram of values: plain (mode 0) or glo/ded-ciphered with security control 0x00 (mode 1),
     * 0x30 with both keys (2, authenticated), 0x20 (3, encrypted), 0x30 without the
     * authentication key (4, encrypted: the tag cannot be checked), 0x10 (5, authenticated).
     */
    record ReadingSpec(long number, int mode, boolean ded, byte[] title, long counter, List<ValueSpec> values) {
        static final int MODES = 6;

        byte[] telegram() {
            AxdrWriter w = new AxdrWriter();
            w.structure(values.stream().mapToInt(ValueSpec::elements).sum());
            for (ValueSpec v : values) {
                v.write(w);
            }
            byte[] plain = Apdu.dataNotification(number & 0xFFFFFFFFL, null, w.toByteArray());
            if (mode == 0) {
                return plain;
            }
            int control = new int[] {0, 0x00, 0x30, 0x20, 0x30, 0x10}[mode];
            Ciphered c = ded ? Ciphered.ded(title, counter) : Ciphered.glo(title, counter);
            return c.control(control).keys(ENCRYPTION_KEY, AUTHENTICATION_KEY).wrap(plain);
        }

        Reading decode() {
            TelegramResult r = (mode == 4 ? NO_AUTH_KEY : BOTH_KEYS).decode(telegram());
            if (!(r instanceof Reading reading)) {
                throw new AssertionError("the test's own telegram does not decode: " + r + "\n" + this);
            }
            Security expected = new Security[] {Security.NONE, Security.NONE, Security.AUTHENTICATED,
                    Security.ENCRYPTED, Security.ENCRYPTED, Security.AUTHENTICATED}[mode];
            if (reading.security() != expected || reading.size() != values.size()) {
                throw new AssertionError("the test's own telegram decodes to something else: " + reading.toJson(number));
            }
            return reading;
        }

        String header() {
            return "reading " + Long.toHexString(number) + " " + mode + " " + (ded ? 1 : 0) + " x" + hex(title) + " "
                    + Long.toHexString(counter);
        }

        /** Its lines for the regression file: the header and the values. */
        String lines() {
            StringBuilder sb = new StringBuilder(header()).append('\n');
            for (ValueSpec v : values) {
                sb.append(v.line()).append('\n');
            }
            return sb.toString();
        }

        static ReadingSpec parse(String header, List<ValueSpec> values) {
            String[] t = header.trim().split(" +");
            return new ReadingSpec(Long.parseUnsignedLong(t[1], 16), Integer.parseInt(t[2]), t[3].equals("1"),
                    CTextCase.bytes(t[4].substring(1)), Long.parseLong(t[5], 16), values);
        }

        /** One value in a plain telegram. */
        static ReadingSpec of(ValueSpec v) {
            return new ReadingSpec(1, 0, false, new byte[8], 0, List.of(v));
        }

        @Override
        public String toString() {
            return values.size() + " values; regression lines:\n" + lines();
        }
    }

    /** The check program's lines that declare the meter and its directory. */
    static List<String> meterLines() {
        List<String> out = new ArrayList<>();
        out.add("M " + string(CTextDecoder.METER));
        for (ValueInfo info : CTextDecoder.DIRECTORY) {
            out.add("I " + Long.toHexString(info.obis()) + " " + string(info.name()) + " " + string(info.unit()) + " "
                    + (info.hasScaler() ? Integer.toString(info.scaler()) : "N") + " " + format(info.format()));
        }
        return out;
    }

    private static int format(Format f) {
        return switch (f) {
            case AUTO -> 0;
            case TEXT -> 1;
            case HEX -> 2;
            case OBIS -> 3;
            case DATETIME -> 4;
        };
    }

    /**
     * What the check program is sent, what it must answer (Java's texts and lines, made when first
     * asked for, so that Java can write them while the C program does), and for each expected line
     * what it was made from, as regression lines.
     */
    static final class Exchange {
        private final List<String> input;
        private final List<String> what;
        private final java.util.function.Supplier<List<String>> make;
        private List<String> expected;

        Exchange(List<String> input, List<String> what, java.util.function.Supplier<List<String>> make) {
            this.input = input;
            this.what = what;
            this.make = make;
        }

        Exchange(List<String> input, List<String> expected, String what) {
            this(input, java.util.Collections.nCopies(expected.size(), what), () -> expected);
        }

        List<String> input() {
            return input;
        }

        List<String> what() {
            return what;
        }

        synchronized List<String> expected() {
            if (expected == null) {
                expected = make.get();
                if (expected.size() != what.size()) {
                    throw new AssertionError("an exchange says what " + what.size() + " lines are made from, not "
                            + expected.size());
                }
            }
            return expected;
        }
    }

    static Exchange exchange(ReadingSpec spec) {
        Reading reading = spec.decode();
        List<String> in = new ArrayList<>();
        List<String> what = new ArrayList<>();
        for (int i = 0; i < reading.size(); i++) {
            Value v = reading.value(i);
            ValueSpec s = spec.values().get(i);
            String name = s.entry() >= 0 ? CTextDecoder.DIRECTORY.get(s.entry()).name() : null;
            if (!java.util.Objects.equals(v.name(), name) || v.obis() != s.code()) {
                throw new AssertionError("value " + i + " decodes under another entry: " + v);
            }
            byte[] b = v.bytes();
            in.add("V " + Long.toHexString(v.obis()) + " " + s.entry() + " " + v.type() + " " + Long.toHexString(v.raw())
                    + " " + v.scaler() + " " + (s.scaler() == ValueSpec.NONE ? -1 : s.unit()) + " "
                    + (b == null ? "-" : "x" + hex(b)));
            what.add("value " + i + " of a reading; its line: " + s.line());
            what.add("value " + i + " of a reading; its line: " + s.line());
        }
        String title = reading.systemTitle();
        in.add("R " + Long.toHexString(spec.number()) + " " + (title == null ? 0 : 1) + " x"
                + (title == null ? "0000000000000000" : title) + " "
                + Long.toHexString(title == null ? 0 : reading.frameCounter()) + " " + reading.security().ordinal());
        what.add("the reading of " + spec);
        return new Exchange(in, what, () -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < reading.size(); i++) {
                Value v = reading.value(i);
                String text = v.text();
                out.add("T " + (text == null ? 1 : 0) + " " + (text == null ? "" : hex(utf8(text))));
                String unit = v.unit();
                out.add("U " + (unit == null ? 1 : 0) + " " + (unit == null ? "" : hex(utf8(unit))));
            }
            out.add("J " + hex(utf8(reading.toJson(spec.number()))));
            return out;
        });
    }

    static Exchange exchange(List<DecodeError> errors, List<Long> numbers) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        List<String> what = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            DecodeError e = errors.get(i);
            long number = numbers.get(i);
            in.add("E " + Long.toHexString(number) + " " + e.code().number() + " " + Long.toHexString(e.offset()) + " "
                    + Long.toHexString(e.length()));
            out.add("J " + hex(utf8(e.toJson(number))));
            what.add("error " + Long.toHexString(number) + " " + e.code().name() + " " + Long.toHexString(e.offset())
                    + " " + Long.toHexString(e.length()));
        }
        return new Exchange(in, what, () -> out);
    }

    /** An error line of the regression file: {@code error number CODE offset length} (hex numbers). */
    static Exchange errorLine(String line) {
        String[] t = line.trim().split(" +");
        return exchange(List.of(new DecodeError(ErrorCode.valueOf(t[2]), Long.parseLong(t[3], 16),
                Long.parseLong(t[4], 16))), List.of(Long.parseLong(t[1], 16)));
    }

    static String string(String s) {
        return s == null ? "-" : "x" + hex(utf8(s));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static String hex(byte[] b) {
        char[] out = new char[2 * b.length];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[b[i] & 0xF];
        }
        return new String(out);
    }

    static byte[] bytes(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex: " + hex);
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return out;
    }

    /** A line the check program printed, its hex field decoded for a message. */
    static String readable(String line) {
        int at = line.lastIndexOf(' ');
        if (line.length() < 2 || at < 0 || "TUJ".indexOf(line.charAt(0)) < 0) {
            return line;
        }
        try {
            return line.substring(0, at + 1) + new String(bytes(line.substring(at + 1)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return line;
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] copy(byte[] b, int n) {
        return Arrays.copyOf(b, n);
    }
}
