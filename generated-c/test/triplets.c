/*
 * TEST ONLY: TripletDecoder (testkit) in C, as the generator would write it, for the body
 * structure { repeat max N { obis; value max L; scaler_unit? } }.
 */
#include "triplets.h"

const ms_value_info triplets_directory[TRIPLETS_DIRECTORY_SIZE] = {
    MS_ENTRY(0, 0, 96, 1, 0, 255, "meter_id", 0, MS_NO_SCALER, MS_FORMAT_HEX),
    MS_ENTRY(0, 0, 96, 13, 0, 255, "message", 0, MS_NO_SCALER, MS_FORMAT_TEXT),
    MS_ENTRY(1, 0, 1, 8, 0, 255, "energy_import", 30, MS_NO_SCALER, MS_FORMAT_AUTO),
    MS_ENTRY(1, 0, 31, 7, 0, 255, "current_l1", 33, -2, MS_FORMAT_AUTO),
    MS_ENTRY(0, 0, 1, 0, 0, 255, "clock", 0, MS_NO_SCALER, MS_FORMAT_AUTO),
};

/* current_l1 fixes its scaler */
const int8_t triplets_scalers[TRIPLETS_DIRECTORY_SIZE] = {0, 0, 0, -2, 0};

uint32_t triplets_max_groups = 200;
uint32_t triplets_max_length = 1024;

ms_err triplets_decode_body(ms_body *b) {
    uint32_t at = ms_pos(b);
    uint32_t left;
    uint32_t n;
    MS_TRY(ms_structure(b, &left));
    for (n = 0; left > 0; n++) {
        uint8_t tag;
        if (n == triplets_max_groups) {
            return ms_fail_at(b, MS_ERR_BODY_COUNT, at);
        }
        ms_group_begin(b, -1);
        MS_TRY(ms_element(b, &left, at));
        MS_TRY(ms_obis_field(b, 0));
        MS_TRY(ms_element(b, &left, at));
        MS_TRY(ms_group_value(b, MS_SCALARS, triplets_max_length));
        if (left > 0) {
            MS_TRY(ms_next_tag(b, &tag));
            if (tag == MS_TAG_STRUCTURE) {
                MS_TRY(ms_element(b, &left, at));
                MS_TRY(ms_scaler_unit(b));
            }
        }
        MS_TRY(ms_group_end(b));
    }
    return ms_end(b, left, at);
}
