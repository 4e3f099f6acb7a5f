package org.meterspec.testkit;

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
 * A decoder written the way the generator writes one, for the spec body
 * {@code structure { repeat max 200 { obis; value max 1024; scaler_unit? } }}: OBIS / value pairs,
 * each optionally followed by a scaler-unit. The transport and security come from the
 * {@link DecoderConfig} a test builds with {@link #configure()}.
 */
final class TripletDecoder extends MeterDecoder {
    static final int MAX_GROUPS = 200;
    static final int MAX_LENGTH = 1024;
    /** The most frames the spec language allows per telegram (the range of the M-Bus segment number). */
    static final int MAX_FRAMES = 16;

    /** Named with a unit and no scaler: the telegram's scaler-unit or none. */
    static final ValueInfo ENERGY = new ValueInfo(2, Obis.pack(1, 0, 1, 8, 0, 255), "energy_import", "Wh",
            ValueInfo.NO_SCALER, Format.AUTO, 0);
    /** The spec fixes a scaler, used when the telegram carries no scaler-unit. */
    static final ValueInfo CURRENT = new ValueInfo(3, Obis.pack(1, 0, 31, 7, 0, 255), "current_l1", "A", -2,
            Format.AUTO, 0);
    /** Strings written as hex whatever they hold. */
    static final ValueInfo METER_ID = new ValueInfo(0, Obis.pack(0, 0, 96, 1, 0, 255), "meter_id", null,
            ValueInfo.NO_SCALER, Format.HEX, 0);
    /** Strings written as text whatever they hold. */
    static final ValueInfo MESSAGE = new ValueInfo(1, Obis.pack(0, 0, 96, 13, 0, 255), "message", null,
            ValueInfo.NO_SCALER, Format.TEXT, 0);
    static final ValueTable VALUES = new ValueTable(METER_ID, MESSAGE, ENERGY, CURRENT);

    TripletDecoder(DecoderConfig config, Keys keys, boolean requireAuthentication) {
        super(config, keys, requireAuthentication);
    }

    TripletDecoder(DecoderConfig config, Keys keys) {
        this(config, keys, false);
    }

    /** A configuration with room for every generated telegram; callers add transport and security. */
    static DecoderConfig.Builder configure() {
        return DecoderConfig.builder("triplets", "0000000000000000")
                .maxFrames(MAX_FRAMES).maxTelegram(16384).maxApdu(16384).maxValues(MAX_GROUPS)
                .values(VALUES);
    }

    @Override
    protected void decodeBody(AxdrReader in, ReadingBuilder out) throws DecodeException {
        int at = in.position();
        int left = in.structure();
        for (int n = 0; left > 0; n++) {
            if (n == MAX_GROUPS) {
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
