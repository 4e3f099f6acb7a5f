package org.meterspec.runtime;

/**
 * A decoder written the way the generator writes one, for the body
 * {@code structure { repeat max 64 { obis; value max 512; scaler_unit? } }}; transport and security
 * come from the test's {@link DecoderConfig}.
 */
final class TestDecoder extends MeterDecoder {
    static final int MAX_GROUPS = 64;

    /** Times the body was decoded, to show a telegram is decoded once. */
    int bodies;

    TestDecoder(DecoderConfig config) {
        super(config, Keys.none(), false);
    }

    static DecoderConfig.Builder configure() {
        return DecoderConfig.builder("test", "0000000000000000").maxFrames(16).maxTelegram(4096).maxApdu(4096).maxValues(MAX_GROUPS);
    }

    @Override
    protected void decodeBody(AxdrReader in, ReadingBuilder out) throws DecodeException {
        bodies++;
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
            out.value(in, Axdr.SCALARS, 512);
            if (left > 0 && in.nextTag() == Axdr.STRUCTURE) {
                left = in.element(left, at);
                out.scalerUnit(in);
            }
            out.end(in);
        }
        in.end(left, at);
    }
}
