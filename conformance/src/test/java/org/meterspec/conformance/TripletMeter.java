package org.meterspec.conformance;

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
 * The test meter of the C stream tests: testkit's TripletDecoder (a body written the way the
 * generator writes one, {@code structure { repeat max N { obis; value max L; scaler_unit? } }})
 * with its bounds as parameters, so that it is also the runtime tests' TestDecoder (64 groups,
 * 512 bytes). generated-c/test/triplets.c is the same decoder in C.
 */
final class TripletMeter extends MeterDecoder {
    static final ValueInfo METER_ID = new ValueInfo(0, Obis.pack(0, 0, 96, 1, 0, 255), "meter_id", null,
            ValueInfo.NO_SCALER, Format.HEX, 0);
    static final ValueInfo MESSAGE = new ValueInfo(1, Obis.pack(0, 0, 96, 13, 0, 255), "message", null,
            ValueInfo.NO_SCALER, Format.TEXT, 0);
    static final ValueInfo ENERGY = new ValueInfo(2, Obis.pack(1, 0, 1, 8, 0, 255), "energy_import", "Wh",
            ValueInfo.NO_SCALER, Format.AUTO, 0);
    static final ValueInfo CURRENT = new ValueInfo(3, Obis.pack(1, 0, 31, 7, 0, 255), "current_l1", "A", -2,
            Format.AUTO, 0);
    /** Not in the table: what the notification's date-time is reported as, where a case says so. */
    static final ValueInfo CLOCK = new ValueInfo(4, Obis.pack(0, 0, 1, 0, 0, 255), "clock", null,
            ValueInfo.NO_SCALER, Format.AUTO, 0);
    static final ValueTable VALUES = new ValueTable(METER_ID, MESSAGE, ENERGY, CURRENT);

    private final int maxGroups;
    private final int maxLength;

    TripletMeter(DecoderConfig config, Keys keys, boolean requireAuthentication, int maxGroups, int maxLength) {
        super(config, keys, requireAuthentication);
        this.maxGroups = maxGroups;
        this.maxLength = maxLength;
    }

    @Override
    protected void decodeBody(AxdrReader in, ReadingBuilder out) throws DecodeException {
        int at = in.position();
        int left = in.structure();
        for (int n = 0; left > 0; n++) {
            if (n == maxGroups) {
                throw in.errorAt(ErrorCode.BODY_COUNT, at);
            }
            out.begin();
            left = in.element(left, at);
            out.obis(in.obis(false));
            left = in.element(left, at);
            out.value(in, Axdr.SCALARS, maxLength);
            if (left > 0 && in.nextTag() == Axdr.STRUCTURE) {
                left = in.element(left, at);
                out.scalerUnit(in);
            }
            out.end(in);
        }
        in.end(left, at);
    }
}
