package org.meterspec.conformance;

import java.util.List;
import org.meterspec.runtime.Axdr;
import org.meterspec.runtime.AxdrReader;
import org.meterspec.runtime.DecodeException;
import org.meterspec.runtime.DecoderConfig;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Format;
import org.meterspec.runtime.Keys;
import org.meterspec.runtime.MeterDecoder;
import org.meterspec.runtime.Obis;
import org.meterspec.runtime.ReadingBuilder;
import org.meterspec.runtime.ValueInfo;
import org.meterspec.runtime.ValueTable;

/**
 * A decoder written the way the generator writes one, for the body
 * {@code structure { repeat { obis; value; scaler_unit? } }}, raw APDUs, plain or ciphered: the
 * Java side of the C text tests, which get their values through the public runtime the way a
 * meter's do. Its directory has an entry of every format, with units, fixed scalers and names
 * that need escaping.
 */
final class CTextDecoder extends MeterDecoder {
    static final int MAX_VALUES = 500;
    static final int MAX_LENGTH = 4096;
    /** Security control bytes the tests send: plain content, authenticated, encrypted, both. */
    static final int[] CONTROLS = {0x00, 0x10, 0x20, 0x30};

    static final String METER = "c text \"check\" \\ caf\u00e9 \u20ac \ud83d\ude00 \u0001\u007f\t";

    /**
     * Every format, with and without unit and scaler; names to escape and encode, and units in
     * UTF-8. Units are DLMS symbols, the only ones a spec can give (the C directory keeps their code).
     */
    static final List<ValueInfo> DIRECTORY = List.of(
            entry(0, "energy_import", "Wh", ValueInfo.NO_SCALER, Format.AUTO),
            entry(1, "q\"uote\\back\u0001soh\u001fus\u007fdel", null, -3, Format.AUTO),
            entry(2, "caf\u00e9_\u20ac_\ud83d\ude00", "m\u00b3", 2, Format.AUTO),
            entry(3, "text", null, ValueInfo.NO_SCALER, Format.TEXT),
            entry(4, "text_with_unit", "\u00b0C", -128, Format.TEXT),
            entry(5, "hex", null, ValueInfo.NO_SCALER, Format.HEX),
            entry(6, "hex_scaled", "varh", 127, Format.HEX),
            entry(7, "obis", null, ValueInfo.NO_SCALER, Format.OBIS),
            entry(8, "datetime", null, ValueInfo.NO_SCALER, Format.DATETIME),
            entry(9, "datetime_unit", "s", -1, Format.DATETIME),
            entry(10, "", "\u03a9m\u00b2/m", 0, Format.AUTO));

    static final ValueTable TABLE = new ValueTable(DIRECTORY.toArray(new ValueInfo[0]));

    private static ValueInfo entry(int id, String name, String unit, int scaler, Format format) {
        return new ValueInfo(id, code(id), name, unit, scaler, format, 0);
    }

    /** The OBIS code of directory entry {@code id}. */
    static long code(int id) {
        return Obis.pack(1, 1, 1, 1, id, 255);
    }

    static boolean named(long obis) {
        return TABLE.lookup(obis) != null;
    }

    CTextDecoder(Keys keys) {
        super(configuration(), keys, false);
    }

    private static DecoderConfig configuration() {
        return DecoderConfig.builder(METER, "0000000000000000").raw().maxTelegram(1 << 20).maxApdu(1 << 20)
                .maxValues(MAX_VALUES).acceptGlo(true).acceptDed(true).securityControl(CONTROLS).values(TABLE)
                .build();
    }

    @Override
    protected void decodeBody(AxdrReader in, ReadingBuilder out) throws DecodeException {
        int at = in.position();
        int left = in.structure();
        for (int n = 0; left > 0; n++) {
            if (n == MAX_VALUES) {
                throw in.errorAt(ErrorCode.BODY_COUNT, at);
            }
            out.begin();
            left = in.element(left, at);
            out.obis(in.obis(false));
            left = in.element(left, at);
            out.value(in, Axdr.SCALARS, MAX_LENGTH);
            if (left > 0 && in.nextTag() == Axdr.STRUCTURE) {
                left = in.element(left, at);
                out.scalerUnit(in);
            }
            out.end(in);
        }
        in.end(left, at);
    }
}
