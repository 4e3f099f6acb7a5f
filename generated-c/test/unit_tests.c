/*
 * TEST ONLY: the stream runtime's stages one by one, against the vectors of the Java runtime's
 * tests (Crc16Test, MbusFramerTest, TelegramBufferTest, InOrderTest, MbusSegmentsTest,
 * HdlcSegmentsTest, RawApdusTest, BlockAssemblerTest), the crypto port against published
 * vectors, and the decoder's set-up. Prints each failed check; exits 1 if there was one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_port.h"
#include "ms_stream_impl.h"
#include "triplets.h"

static int checks;
static int failures;

#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_EVENTS(rec, expected) check_text((rec)->events, expected, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line) {
    checks++;
    if (!ok) {
        failures++;
        printf("%s:%d: failed: %s\n", file, line, what);
    }
}

static void check_text(const char *actual, const char *expected, const char *file, int line) {
    checks++;
    if (strcmp(actual, expected) != 0) {
        failures++;
        printf("%s:%d: expected\n  %s\nbut was\n  %s\n", file, line, expected, actual);
    }
}

static size_t hex(const char *s, uint8_t *out) {
    size_t n = 0;
    while (s[0] != '\0') {
        unsigned v;
        if (s[0] == ' ') {
            s++;
            continue;
        }
        sscanf(s, "%2x", &v);
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* ---- A sink that records what came out, as the Java tests' Recorder does ------------------- */

typedef struct recorder {
    char events[2048];
    int decodes; /* what telegram() answers */
} recorder;

static void record(recorder *r, const char *event) {
    if (r->events[0] != '\0') {
        strcat(r->events, "|");
    }
    strcat(r->events, event);
}

static int rec_telegram(void *ctx, ms_telegram *t, int report) {
    recorder *r = (recorder *)ctx;
    char event[512];
    int n = snprintf(event, sizeof event, "telegram@%" PRIu64 " ", t->start);
    uint32_t i;
    for (i = 0; i < t->length && n < (int)sizeof event - 8; i++) {
        n += snprintf(event + n, sizeof event - (size_t)n, "%02X", t->bytes[i]);
    }
    if (!report) {
        snprintf(event + n, sizeof event - (size_t)n, " quiet");
    }
    record(r, event);
    return r->decodes;
}

/* Telegrams that read: 0F n and exactly n more bytes, a stand-in for an APDU that decodes. */
static int rec_reads(void *ctx, ms_telegram *t) {
    (void)ctx;
    return t->length >= 2 && t->bytes[0] == 0x0F && t->length == 2u + t->bytes[1];
}

static void rec_error(void *ctx, ms_err code, uint64_t offset) {
    char event[64];
    snprintf(event, sizeof event, "%s@%" PRIu64, ms_err_name(code), offset);
    record((recorder *)ctx, event);
}

static ms_telegram_sink sink_of(recorder *r) {
    ms_telegram_sink s;
    memset(r, 0, sizeof *r);
    r->decodes = 1;
    s.telegram = rec_telegram;
    s.reads = rec_reads;
    s.error = rec_error;
    s.ctx = r;
    return s;
}

static ms_scan frame_scan(size_t consumed, size_t off, size_t len, int segment, int more) {
    ms_scan s;
    memset(&s, 0, sizeof s);
    ms_scan_frame(&s, consumed, off, len, segment, more);
    return s;
}

/* The framer a generated meter would name for its transport. */
static const struct ms_framing *framing_of(uint8_t transport) {
    return transport == MS_TRANSPORT_MBUS ? &ms_mbus_framing : transport == MS_TRANSPORT_HDLC ? &ms_hdlc_framing : &ms_raw_framing;
}

static ms_meter meter_of(uint8_t transport, uint16_t max_frames, uint32_t max_telegram, uint8_t llc) {
    ms_meter m;
    memset(&m, 0, sizeof m);
    m.transport = transport;
    m.framing = framing_of(transport);
    m.max_frames = max_frames;
    m.max_telegram = max_telegram;
    m.max_apdu = max_telegram;
    m.llc = llc;
    return m;
}

/* ---- Crc16Test, MbusFramerTest (the checksum) ------------------------------------------------- */

static void crc16(void) {
    uint8_t frame[16];
    const uint8_t *digits = (const uint8_t *)"123456789";
    CHECK(ms_crc16(digits, 0, 9) == 0x906E);
    CHECK(ms_crc16(digits, 0, 0) == 0x0000);
    hex("7EA0790102011080 93", frame);
    CHECK(ms_crc16(frame, 1, 7) == 0x9380);
    CHECK(ms_crc16_matches(frame, 1, 7));
    frame[8] = 0x92;
    CHECK(!ms_crc16_matches(frame, 1, 7));
}

static void mbus_sum(void) {
    uint8_t data[511];
    memset(data, 0xFF, sizeof data);
    CHECK(ms_mbus_sum(data, 0, sizeof data) == ((511 * 0xFF) & 0xFF));
    CHECK(ms_mbus_sum(data, 3, 3) == 0);
}

/* The lane sum against the definition, at every alignment and length, past the 1 KB fold. */
static void mbus_sum_lanes(void) {
    static uint8_t data[2600];
    size_t from;
    size_t to;
    uint32_t x = 12345;
    int wrong = 0;
    for (to = 0; to < sizeof data; to++) {
        x = x * 1103515245u + 12345u;
        data[to] = (uint8_t)(to % 7 == 0 ? 0xFF : x >> 24);
    }
    for (from = 0; from < 9; from++) {
        for (to = from; to <= sizeof data; to++) {
            unsigned sum = 0;
            size_t i;
            for (i = from; i < to; i++) {
                sum += data[i];
            }
            wrong += ms_mbus_sum(data, from, to) != (uint8_t)sum;
        }
    }
    CHECK(wrong == 0);
    memset(data, 0xFF, sizeof data);
    CHECK(ms_mbus_sum(data, 1, sizeof data) == (uint8_t)((sizeof data - 1) * 0xFF));
}

/* ---- TelegramBufferTest ----------------------------------------------------------------------- */

static void telegram_buffer(void) {
    uint8_t own[16];
    uint8_t stream[10];
    ms_piece pieces[3];
    ms_piece tail_pieces[3];
    ms_telegram t;
    ms_telegram tail;
    uint8_t small[4];
    hex("00112233445566778899", stream);

    ms_telegram_init(&t, own, 16, pieces, 3);
    ms_telegram_begin(&t, 100);
    ms_telegram_append(&t, stream + 2, 3, 102, 100);
    ms_telegram_append(&t, stream + 7, 2, 150, 140);
    CHECK(t.length == 5);
    CHECK(memcmp(t.bytes, "\x22\x33\x44\x77\x88", 5) == 0);
    CHECK(ms_telegram_stream_offset(&t, 0) == 102);
    CHECK(ms_telegram_stream_offset(&t, 2) == 104);
    CHECK(ms_telegram_stream_offset(&t, 3) == 150);
    CHECK(ms_telegram_stream_offset(&t, 4) == 151);
    CHECK(ms_telegram_stream_offset(&t, 5) == 152);
    CHECK(t.start == 100);

    ms_telegram_append(&t, stream, 1, 170, 160);
    ms_telegram_init(&tail, NULL, 0, tail_pieces, 3);
    ms_telegram_suffix(&t, 1, &tail);
    CHECK(tail.start == 140);
    CHECK(tail.length == 3);
    CHECK(tail.bytes[0] == 0x77 && tail.bytes[2] == 0x00);
    CHECK(ms_telegram_stream_offset(&tail, 1) == 151);
    CHECK(ms_telegram_stream_offset(&tail, 2) == 170);
    CHECK(tail.pieces == 2);

    ms_telegram_begin(&t, 100);
    ms_telegram_append(&t, (const uint8_t *)"\xAA\xBB", 2, 109, 100);
    ms_telegram_append(&t, (const uint8_t *)"\xCC\xDD\xEE", 3, 209, 200);
    ms_telegram_drop_first(&t);
    CHECK(t.pieces == 1);
    CHECK(t.length == 3 && memcmp(t.bytes, "\xCC\xDD\xEE", 3) == 0);
    CHECK(ms_telegram_stream_offset(&t, 1) == 210);
    CHECK(t.start == 100);
    CHECK(ms_telegram_fits(&t, 13));

    ms_telegram_init(&t, small, 4, pieces, 2);
    ms_telegram_begin(&t, 0);
    CHECK(ms_telegram_fits(&t, 4));
    CHECK(!ms_telegram_fits(&t, 5));
    ms_telegram_append(&t, stream, 2, 0, 0);
    ms_telegram_append(&t, stream, 1, 10, 10);
    CHECK(!ms_telegram_fits(&t, 0));

    ms_telegram_init(&t, NULL, 0, pieces, 1);
    ms_telegram_view(&t, stream + 1, 2, 41, NULL);
    CHECK(t.bytes == stream + 1);
    CHECK(t.bytes[0] == 0x11);
    CHECK(ms_telegram_stream_offset(&t, 1) == 42);
    CHECK(t.start == 41);
}

/* ---- InOrderTest -------------------------------------------------------------------------------- */

typedef struct passed {
    char text[256];
} passed;

static void on_passed(void *ctx, uint64_t number, const ms_result *r) {
    passed *p = (passed *)ctx;
    char one[64];
    if (r->error == MS_OK) {
        snprintf(one, sizeof one, "%s%" PRIu64 ":reading", p->text[0] ? " " : "", number);
    } else {
        snprintf(one, sizeof one, "%s%" PRIu64 ":%s@%" PRIu64, p->text[0] ? " " : "", number, ms_err_name(r->error),
                 r->offset);
    }
    strcat(p->text, one);
}

static void add(ms_inorder *o, ms_err code, uint64_t position) {
    ms_result r;
    r.error = code;
    r.offset = position;
    r.length = 0;
    r.reading = NULL;
    ms_inorder_add(o, &r, position);
}

static void in_order(void) {
    ms_waiting w[4];
    ms_inorder o;
    passed p;
    ms_reading reading;
    memset(&reading, 0, sizeof reading);
    memset(&p, 0, sizeof p);
    ms_inorder_init(&o, w, 4, &reading);
    o.callback = on_passed;
    o.ctx = &p;
    add(&o, MS_ERR_MBUS_STOP_BYTE, 255);
    ms_inorder_release(&o, 248);
    check_text(p.text, "", __FILE__, __LINE__);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 248);
    ms_inorder_release(&o, 249);
    check_text(p.text, "1:MBUS_STOP_BYTE@248", __FILE__, __LINE__);
    ms_inorder_release(&o, 300);
    check_text(p.text, "1:MBUS_STOP_BYTE@248 2:MBUS_STOP_BYTE@255", __FILE__, __LINE__);
    CHECK(o.size == 0);

    /* equal positions keep the order they came in */
    memset(&p, 0, sizeof p);
    ms_inorder_init(&o, w, 4, &reading);
    o.callback = on_passed;
    o.ctx = &p;
    add(&o, MS_ERR_MBUS_CHECKSUM, 10);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 5);
    add(&o, MS_ERR_MBUS_SAP, 10);
    ms_inorder_flush(&o);
    check_text(p.text, "1:MBUS_STOP_BYTE@5 2:MBUS_CHECKSUM@10 3:MBUS_SAP@10", __FILE__, __LINE__);

    /* when full the earliest goes first */
    memset(&p, 0, sizeof p);
    ms_inorder_init(&o, w, 4, &reading);
    o.callback = on_passed;
    o.ctx = &p;
    add(&o, MS_ERR_MBUS_STOP_BYTE, 40);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 10);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 30);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 20);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 5);
    check_text(p.text, "1:MBUS_STOP_BYTE@10", __FILE__, __LINE__);
    ms_inorder_flush(&o);
    check_text(p.text, "1:MBUS_STOP_BYTE@10 2:MBUS_STOP_BYTE@5 3:MBUS_STOP_BYTE@20 4:MBUS_STOP_BYTE@30 5:MBUS_STOP_BYTE@40",
               __FILE__, __LINE__);

    /* clear forgets */
    memset(&p, 0, sizeof p);
    ms_inorder_init(&o, w, 4, &reading);
    o.callback = on_passed;
    o.ctx = &p;
    add(&o, MS_ERR_MBUS_STOP_BYTE, 1);
    ms_inorder_clear(&o);
    ms_inorder_flush(&o);
    check_text(p.text, "", __FILE__, __LINE__);
    CHECK(o.count == 0);

    /* a reading still waiting goes out, with what is before it, before its buffer is written */
    memset(&p, 0, sizeof p);
    ms_inorder_init(&o, w, 4, &reading);
    o.callback = on_passed;
    o.ctx = &p;
    add(&o, MS_ERR_MBUS_STOP_BYTE, 3);
    add(&o, MS_OK, 7);
    add(&o, MS_ERR_MBUS_STOP_BYTE, 9);
    ms_inorder_settle_reading(&o);
    check_text(p.text, "1:MBUS_STOP_BYTE@3 2:reading", __FILE__, __LINE__);
    ms_inorder_settle_reading(&o);
    CHECK(o.size == 1);
}

/* ---- MbusSegmentsTest --------------------------------------------------------------------------- */

static uint8_t own[64];
static ms_piece pieces[16];
static ms_piece tail_pieces[16];

static void segments(ms_segments *r, const ms_meter *m) {
    uint16_t max = (uint16_t)(m->max_frames > 0 ? m->max_frames : 1);
    ms_segments_init(r, m, own, m->transport == MS_TRANSPORT_RAW ? 0 : m->max_telegram, pieces, max, tail_pieces, max);
}

/* A frame of 20 bytes at stream offset at whose payload, data, is at index 9. */
static void mbus_frame(ms_segments *r, uint64_t at, int segment, int more, const char *data, const ms_telegram_sink *out) {
    uint8_t a[20];
    size_t n;
    ms_scan s;
    memset(a, 0, sizeof a);
    n = hex(data, a + 9);
    s = frame_scan(20, 9, n, segment, more);
    ms_segments_frame(r, a, 0, &s, at, out);
}

static void mbus_segments(void) {
    ms_meter m = meter_of(MS_TRANSPORT_MBUS, 16, 64, 0);
    ms_meter two = meter_of(MS_TRANSPORT_MBUS, 2, 64, 0);
    ms_meter short3 = meter_of(MS_TRANSPORT_MBUS, 16, 3, 0);
    ms_segments r;
    recorder rec;
    ms_telegram_sink out = sink_of(&rec);
    uint64_t since = 0;

    segments(&r, &m);
    mbus_frame(&r, 5, 0, 1, "0F01", &out);
    CHECK(ms_segments_open(&r, &since) && since == 5);
    mbus_frame(&r, 25, 1, 1, "0203", &out);
    mbus_frame(&r, 45, 2, 0, "04", &out);
    CHECK_EVENTS(&rec, "telegram@5 0F01020304");
    CHECK(!ms_segments_open(&r, &since));

    out = sink_of(&rec);
    segments(&r, &m);
    mbus_frame(&r, 0, 0, 1, "0F", &out);
    mbus_frame(&r, 20, 2, 1, "01", &out);
    mbus_frame(&r, 40, 3, 0, "02", &out);
    CHECK_EVENTS(&rec, "MBUS_SEGMENT_SEQUENCE@20");

    out = sink_of(&rec);
    segments(&r, &m);
    mbus_frame(&r, 3, 0, 1, "0F", &out);
    mbus_frame(&r, 23, 0, 0, "0F02", &out);
    CHECK_EVENTS(&rec, "MBUS_SEGMENT_SEQUENCE@3|telegram@23 0F02");

    out = sink_of(&rec);
    segments(&r, &m);
    mbus_frame(&r, 0, 0, 1, "0F", &out);
    ms_segments_damaged(&r, 1);
    CHECK(!ms_segments_open(&r, &since));
    mbus_frame(&r, 40, 1, 0, "01", &out);
    mbus_frame(&r, 60, 0, 0, "0F03", &out);
    CHECK_EVENTS(&rec, "telegram@60 0F03");

    out = sink_of(&rec);
    segments(&r, &two);
    mbus_frame(&r, 0, 0, 1, "0F", &out);
    mbus_frame(&r, 20, 1, 1, "01", &out);
    mbus_frame(&r, 40, 2, 0, "02", &out);
    CHECK_EVENTS(&rec, "TOO_MANY_FRAMES@40");

    out = sink_of(&rec);
    segments(&r, &short3);
    mbus_frame(&r, 0, 0, 1, "0F01", &out);
    mbus_frame(&r, 20, 1, 0, "0203", &out);
    CHECK_EVENTS(&rec, "TELEGRAM_TOO_LONG@20");
}

/* ---- HdlcSegmentsTest ----------------------------------------------------------------------------- */

/* A frame at stream offset at whose information field, at index 9, is info. */
static void hdlc_frame(ms_segments *r, uint64_t at, int more, const char *info, const ms_telegram_sink *out) {
    uint8_t a[64];
    size_t n;
    ms_scan s;
    memset(a, 0, sizeof a);
    n = hex(info, a + 9);
    s = frame_scan(12 + n - 1, 9, n, -1, more);
    ms_segments_frame(r, a, 0, &s, at, out);
}

static void hdlc_segments(void) {
    ms_meter optional = meter_of(MS_TRANSPORT_HDLC, 16, 64, MS_LLC_OPTIONAL);
    ms_meter required = meter_of(MS_TRANSPORT_HDLC, 16, 64, MS_LLC_REQUIRED);
    ms_meter absent = meter_of(MS_TRANSPORT_HDLC, 16, 64, MS_LLC_ABSENT);
    ms_meter absent3 = meter_of(MS_TRANSPORT_HDLC, 3, 64, MS_LLC_ABSENT);
    ms_meter optional3 = meter_of(MS_TRANSPORT_HDLC, 3, 64, MS_LLC_OPTIONAL);
    ms_segments h;
    recorder rec;
    ms_telegram_sink out = sink_of(&rec);
    int i;

    segments(&h, &optional);
    hdlc_frame(&h, 7, 1, "E6E7000F01", &out);
    hdlc_frame(&h, 30, 0, "0203", &out);
    CHECK_EVENTS(&rec, "telegram@7 0F010203");

    out = sink_of(&rec);
    segments(&h, &optional);
    hdlc_frame(&h, 0, 1, "E6E7000F01", &out);
    hdlc_frame(&h, 30, 0, "E6E7000F02", &out);
    CHECK_EVENTS(&rec, "HDLC_SEGMENT_SEQUENCE@0|telegram@30 0F02");

    out = sink_of(&rec);
    segments(&h, &required);
    hdlc_frame(&h, 4, 0, "0F01", &out);
    CHECK_EVENTS(&rec, "HDLC_LLC@4");

    out = sink_of(&rec);
    segments(&h, &optional);
    hdlc_frame(&h, 0, 0, "E6E7000F01", &out);
    hdlc_frame(&h, 20, 1, "E6E7000F02", &out);
    ms_segments_damaged(&h, 1);
    hdlc_frame(&h, 60, 0, "0304", &out);
    hdlc_frame(&h, 80, 0, "E6E7000F05", &out);
    CHECK_EVENTS(&rec, "telegram@0 0F01|telegram@80 0F05");

    out = sink_of(&rec);
    segments(&h, &optional);
    ms_segments_damaged(&h, 1);
    hdlc_frame(&h, 60, 0, "0F06", &out);
    CHECK_EVENTS(&rec, "telegram@60 0F06");

    out = sink_of(&rec);
    segments(&h, &optional);
    hdlc_frame(&h, 0, 1, "0F02AA", &out);
    hdlc_frame(&h, 30, 0, "0F01BB", &out);
    hdlc_frame(&h, 60, 1, "0F02AA", &out);
    hdlc_frame(&h, 90, 1, "0F0311", &out);
    hdlc_frame(&h, 120, 0, "2233", &out);
    CHECK_EVENTS(&rec, "HDLC_SEGMENT_SEQUENCE@0|telegram@30 0F01BB|HDLC_SEGMENT_SEQUENCE@60|telegram@90 0F03112233");

    out = sink_of(&rec);
    segments(&h, &absent);
    hdlc_frame(&h, 0, 1, "0F02AA", &out);
    hdlc_frame(&h, 30, 0, "AABB", &out);
    CHECK_EVENTS(&rec, "telegram@0 0F02AAAABB");

    out = sink_of(&rec);
    segments(&h, &absent3);
    hdlc_frame(&h, 0, 1, "0F09AA", &out);
    hdlc_frame(&h, 30, 1, "BBCC", &out);
    hdlc_frame(&h, 60, 1, "0F0311", &out);
    hdlc_frame(&h, 90, 0, "2233", &out);
    CHECK_EVENTS(&rec, "HDLC_SEGMENT_SEQUENCE@0|telegram@60 0F03112233");

    /* over the bound, the newest frames kept are a telegram from their first on */
    out = sink_of(&rec);
    segments(&h, &absent3);
    hdlc_frame(&h, 0, 1, "AA", &out);
    hdlc_frame(&h, 30, 1, "0F03", &out);
    hdlc_frame(&h, 60, 1, "1122", &out);
    hdlc_frame(&h, 90, 0, "33", &out);
    CHECK_EVENTS(&rec, "HDLC_SEGMENT_SEQUENCE@0|telegram@30 0F03112233");

    out = sink_of(&rec);
    segments(&h, &absent3);
    for (i = 0; i < 5; i++) {
        hdlc_frame(&h, 30u * (unsigned)i, i < 4, "AA", &out);
    }
    CHECK_EVENTS(&rec, "TOO_MANY_FRAMES@90");

    out = sink_of(&rec);
    segments(&h, &optional3);
    hdlc_frame(&h, 0, 1, "E6E7000F09", &out);
    for (i = 1; i < 5; i++) {
        hdlc_frame(&h, 30u * (unsigned)i, i < 4, "AA", &out);
    }
    CHECK_EVENTS(&rec, "TOO_MANY_FRAMES@90");

    out = sink_of(&rec);
    segments(&h, &optional);
    hdlc_frame(&h, 0, 1, "E6E7000F02AA", &out);
    hdlc_frame(&h, 30, 0, "0F01BB", &out);
    CHECK_EVENTS(&rec, "telegram@0 0F02AA0F01BB");

    out = sink_of(&rec);
    segments(&h, &optional);
    hdlc_frame(&h, 0, 1, "E6E7000F01", &out);
    hdlc_frame(&h, 20, 0, "", &out);
    hdlc_frame(&h, 30, 0, "02", &out);
    CHECK_EVENTS(&rec, "telegram@0 0F0102");
}

/* ---- RawApdusTest -------------------------------------------------------------------------------- */

static void raw_apdus(void) {
    ms_meter m = meter_of(MS_TRANSPORT_RAW, 16, 2048, 0);
    uint8_t stream[16];
    ms_segments raw;
    recorder rec;
    ms_telegram_sink out = sink_of(&rec);
    ms_scan s;
    hex("DB0102030405060708090A0B0C0D0E0F", stream);

    segments(&raw, &m);
    s = frame_scan(4, 0, 4, -1, 0);
    CHECK(ms_segments_frame(&raw, stream, 0, &s, 100, &out));
    CHECK_EVENTS(&rec, "telegram@100 DB010203");

    out = sink_of(&rec);
    rec.decodes = 0;
    segments(&raw, &m);
    s = frame_scan(8, 0, 8, -1, 0);
    CHECK(!ms_segments_frame(&raw, stream, 0, &s, 0, &out));
    s = frame_scan(4, 3, 4, -1, 0);
    ms_segments_frame(&raw, stream, 3, &s, 3, &out);
    s = frame_scan(4, 8, 4, -1, 0);
    ms_segments_frame(&raw, stream, 8, &s, 8, &out);
    CHECK_EVENTS(&rec, "telegram@0 DB01020304050607|telegram@3 03040506 quiet|telegram@8 08090A0B");

    out = sink_of(&rec);
    rec.decodes = 0;
    segments(&raw, &m);
    s = frame_scan(1, 0, 16, -1, 0);
    s.unmeasured = 1;
    ms_segments_frame(&raw, stream, 0, &s, 0, &out);
    s = frame_scan(2, 11, 2, -1, 0);
    ms_segments_frame(&raw, stream, 11, &s, 11, &out);
    rec.decodes = 1;
    s = frame_scan(1, 12, 1, -1, 0);
    ms_segments_frame(&raw, stream, 12, &s, 12, &out);
    rec.decodes = 0;
    s = frame_scan(2, 13, 2, -1, 0);
    ms_segments_frame(&raw, stream, 13, &s, 13, &out);
    CHECK_EVENTS(&rec, "telegram@0 DB0102030405060708090A0B0C0D0E0F|telegram@11 0B0C quiet|telegram@12 0C quiet|telegram@13 0D0E");
}

/* ---- BlockAssemblerTest ----------------------------------------------------------------------------- */

static uint8_t block_bytes[64];
static ms_piece block_pieces[2];

/* The telegram b[0, n) began at stream offset at, its payload 9 bytes on, as in an M-Bus frame. */
static const ms_telegram *telegram_of(ms_telegram *t, const uint8_t *b, size_t n, uint64_t at) {
    ms_telegram_init(t, block_bytes, sizeof block_bytes, block_pieces, 1);
    ms_telegram_begin(t, at);
    ms_telegram_append(t, b, n, at + 9, at);
    return t;
}

/* E0 control number ack length data. */
static const ms_telegram *block(ms_telegram *t, int number, int last, const char *data, uint64_t at) {
    uint8_t b[64];
    size_t n;
    memset(b, 0, sizeof b);
    n = hex(data, b + 7);
    b[0] = 0xE0;
    b[1] = last ? 0xC0 : 0x40;
    b[2] = (uint8_t)(number >> 8);
    b[3] = (uint8_t)number;
    b[6] = (uint8_t)n;
    return telegram_of(t, b, 7 + n, at);
}

static int apdu_is(const ms_blocks *b, const char *expected) {
    uint8_t e[64];
    size_t n = hex(expected, e);
    return b->completed == n && memcmp(b->apdu, e, n) == 0;
}

static void block_assembler(void) {
    uint8_t apdu[64];
    uint8_t b[16];
    ms_blocks blocks;
    ms_blocks two;
    ms_blocks small;
    ms_blocks none;
    ms_telegram t;
    ms_piece split_pieces[2];
    uint8_t split_own[16];
    recorder rec;
    ms_telegram_sink out = sink_of(&rec);
    uint64_t since = 0;
    int i;

    ms_blocks_init(&blocks, 4, apdu, 64);
    CHECK(!ms_blocks_block(&blocks, block(&t, 1, 0, "0F01", 10), &out));
    CHECK(ms_blocks_open(&blocks, &since) && since == 10);
    CHECK(!ms_blocks_block(&blocks, block(&t, 2, 0, "0203", 50), &out));
    CHECK(ms_blocks_block(&blocks, block(&t, 3, 1, "04", 90), &out));
    CHECK(apdu_is(&blocks, "0F01020304"));
    CHECK(blocks.start == 10);
    CHECK(!ms_blocks_open(&blocks, &since));
    CHECK_EVENTS(&rec, "");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    ms_blocks_block(&blocks, block(&t, 3, 0, "03", 40), &out);
    ms_blocks_block(&blocks, block(&t, 2, 0, "02", 80), &out);
    CHECK(!ms_blocks_open(&blocks, &since));
    CHECK(ms_blocks_block(&blocks, block(&t, 1, 1, "0F05", 120), &out));
    CHECK(apdu_is(&blocks, "0F05"));
    CHECK_EVENTS(&rec, "GBT_BLOCK_SEQUENCE@51");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    ms_blocks_block(&blocks, block(&t, 2, 0, "01", 30), &out);
    ms_blocks_interrupt(&blocks, &out);
    ms_blocks_interrupt(&blocks, &out);
    CHECK_EVENTS(&rec, "GBT_BLOCK_SEQUENCE@0");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 7), &out);
    CHECK(ms_blocks_block(&blocks, block(&t, 1, 1, "0F02", 40), &out));
    CHECK(apdu_is(&blocks, "0F02"));
    CHECK(blocks.start == 40);
    CHECK_EVENTS(&rec, "GBT_BLOCK_SEQUENCE@7");

    /* the block's first two bytes in one frame, the rest from stream offset 200 on */
    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    hex("E040000300000105", b);
    ms_telegram_init(&t, split_own, sizeof split_own, split_pieces, 2);
    ms_telegram_begin(&t, 0);
    ms_telegram_append(&t, b, 2, 9, 0);
    ms_telegram_append(&t, b + 2, 6, 200, 191);
    ms_blocks_block(&blocks, &t, &out);
    CHECK_EVENTS(&rec, "GBT_BLOCK_SEQUENCE@200");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    for (i = 0; i < MS_MAX_DAMAGE; i++) {
        ms_blocks_damaged(&blocks);
    }
    CHECK(ms_blocks_block(&blocks, block(&t, 2, 1, "02", 60), &out));
    CHECK(apdu_is(&blocks, "0F02"));
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 100), &out);
    for (i = 0; i <= MS_MAX_DAMAGE; i++) {
        ms_blocks_damaged(&blocks);
    }
    CHECK(!ms_blocks_open(&blocks, &since));
    CHECK(!ms_blocks_block(&blocks, block(&t, 2, 1, "02", 160), &out));
    CHECK_EVENTS(&rec, "");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    ms_blocks_damaged(&blocks);
    ms_blocks_block(&blocks, block(&t, 3, 0, "03", 40), &out);
    CHECK_EVENTS(&rec, "");

    out = sink_of(&rec);
    ms_blocks_init(&two, 2, apdu, 64);
    ms_blocks_block(&two, block(&t, 1, 0, "0F", 0), &out);
    ms_blocks_block(&two, block(&t, 2, 0, "01", 30), &out);
    ms_blocks_block(&two, block(&t, 3, 1, "02", 60), &out);
    ms_blocks_init(&small, 4, apdu, 2);
    ms_blocks_block(&small, block(&t, 1, 0, "0F01", 0), &out);
    ms_blocks_block(&small, block(&t, 2, 1, "02", 30), &out);
    ms_blocks_init(&none, 0, apdu, 64);
    ms_blocks_block(&none, block(&t, 1, 1, "0F", 0), &out);
    CHECK_EVENTS(&rec, "GBT_TOO_MANY_BLOCKS@71|TELEGRAM_TOO_LONG@39|GBT_NOT_ALLOWED@9");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, telegram_of(&t, b, hex("E0C000010000030F01", b), 0), &out);
    ms_blocks_block(&blocks, telegram_of(&t, b, hex("E0C000010000010F01", b), 0), &out);
    ms_blocks_block(&blocks, telegram_of(&t, b, hex("E0C0000100", b), 0), &out);
    CHECK_EVENTS(&rec, "GBT_BLOCK_LENGTH@15|GBT_BLOCK_LENGTH@15|GBT_BLOCK_LENGTH@9");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_init(&none, 0, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    CHECK(ms_blocks_readable(&blocks, block(&t, 5, 0, "01", 30)));
    CHECK(!ms_blocks_readable(&blocks, telegram_of(&t, b, hex("E0400002000005", b), 30)));
    CHECK(!ms_blocks_readable(&blocks, telegram_of(&t, b, hex("E04000", b), 30)));
    CHECK(!ms_blocks_readable(&none, block(&t, 1, 1, "0F", 0)));
    CHECK(ms_blocks_open(&blocks, &since) && since == 0);
    CHECK(ms_blocks_block(&blocks, block(&t, 2, 1, "02", 60), &out));
    CHECK_EVENTS(&rec, "");

    out = sink_of(&rec);
    ms_blocks_init(&blocks, 4, apdu, 64);
    ms_blocks_block(&blocks, block(&t, 1, 0, "0F", 0), &out);
    ms_blocks_block(&blocks, telegram_of(&t, b, hex("E0400002000005", b), 30), &out);
    CHECK(!ms_blocks_open(&blocks, &since));
    ms_blocks_block(&blocks, block(&t, 3, 1, "03", 60), &out);
    CHECK_EVENTS(&rec, "GBT_BLOCK_LENGTH@45");
}

/* ---- The crypto port ------------------------------------------------------------------------------ */

static void port(void) {
    uint8_t key[16];
    uint8_t iv[12];
    uint8_t aad[MS_AAD_HEADER + 20];
    uint8_t plain[64];
    uint8_t cipher[64];
    uint8_t out[64];
    uint8_t tag[16];
    uint8_t counter[16];
    uint8_t ks[64];
    size_t n;
    /* The Galois/Counter Mode spec's test case 4: 60 bytes, 20 bytes of AAD, the tag cut to 12 */
    hex("feffe9928665731c6d6a8f9467308308", key);
    hex("cafebabefacedbaddecaf888", iv);
    n = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            plain);
    hex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad);
    hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
        cipher);
    hex("5bc94fbc3221a5db94fae95a", tag);
    CHECK(n == 60);
    CHECK(ms_port_gcm128_decrypt(key, iv, aad, 20, cipher, 60, tag, out) == MS_PORT_OK);
    CHECK(memcmp(out, plain, 60) == 0);
    tag[11] ^= 1;
    memset(out, 0x55, sizeof out);
    CHECK(ms_port_gcm128_decrypt(key, iv, aad, 20, cipher, 60, tag, out) == MS_PORT_TAG_MISMATCH);
    CHECK(out[0] == 0 && out[59] == 0 && out[60] == 0x55);
    tag[11] ^= 1;
    aad[3] ^= 1;
    CHECK(ms_port_gcm128_decrypt(key, iv, aad, 20, cipher, 60, tag, out) == MS_PORT_TAG_MISMATCH);

    /* DLMS's Green Book example: glo-ciphering, security control 0x30, frame counter 01234567 */
    hex("000102030405060708090A0B0C0D0E0F", key);
    hex("4D4D4D0000BC614E01234567", iv);
    aad[0] = 0x30;
    hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", aad + 1);
    hex("411312FF935A47566827C467BC", cipher);
    hex("7D825C3BE4A77C3FCC056B6B", tag);
    CHECK(ms_port_gcm128_decrypt(key, iv, aad, 17, cipher, 13, tag, out) == MS_PORT_OK);
    hex("C0010000080000010000FF0200", plain);
    CHECK(memcmp(out, plain, 13) == 0);
    /* without the tag: CTR from J0 + 1 gives the same plaintext */
    memcpy(counter, iv, 12);
    hex("00000002", counter + 12);
    CHECK(ms_port_aes128_ctr(key, counter, cipher, 13, out) == MS_PORT_OK);
    CHECK(memcmp(out, plain, 13) == 0);
    /* in place, and the counter carries across its low bytes as one 128-bit number */
    memset(counter, 0xFF, 16);
    memset(ks, 0, sizeof ks);
    CHECK(ms_port_aes128_ctr(key, counter, ks, 48, ks) == MS_PORT_OK);
    memset(counter, 0, 16);
    memset(out, 0, sizeof out);
    CHECK(ms_port_aes128_ctr(key, counter, out, 32, out) == MS_PORT_OK);
    CHECK(memcmp(ks + 16, out, 32) == 0);
    /* authenticated only: the content in the AAD, no ciphertext */
    CHECK(ms_port_gcm128_decrypt(key, iv, aad, 17, out, 0, tag, out) == MS_PORT_TAG_MISMATCH);

    CHECK(ms_port_equal((const uint8_t *)"abc", (const uint8_t *)"abc", 3));
    CHECK(!ms_port_equal((const uint8_t *)"abc", (const uint8_t *)"abd", 3));
    CHECK(ms_port_equal((const uint8_t *)"a", (const uint8_t *)"b", 0));
    memset(out, 0x55, sizeof out);
    ms_port_zeroize(out, 10);
    CHECK(out[0] == 0 && out[9] == 0 && out[10] == 0x55);
}

/* ---- The decoder's set-up --------------------------------------------------------------------------- */

/* The test meter sized exactly for M-Bus frames of at most 300 bytes, 2 frames, 64-byte APDUs. */
#define EXACT_TRANSPORT MS_TRANSPORT_MBUS
#define EXACT_MAX_FRAMES 2
#define EXACT_MAX_TELEGRAM 300
#define EXACT_MAX_APDU 64
#define EXACT_MAX_BLOCKS 3

typedef struct exact {
    ms_decoder decoder;
    MS_STREAM_STORAGE(EXACT)
    ms_value values[8];
    uint8_t pool[312];
    uint32_t pending[1];
    uint64_t push_codes[1];
} exact;

static exact storage;
static int results;

static void count_results(void *ctx, uint64_t number, const ms_result *r) {
    (void)ctx;
    (void)number;
    (void)r;
    results++;
}

static void set_up(void) {
    ms_meter m;
    ms_buffers b;
    ms_buffers smaller;
    ms_keys keys;
    uint8_t ek[16];
    uint8_t frame[64];
    size_t n;
    ms_result r;
    memset(&m, 0, sizeof m);
    m.transport = EXACT_TRANSPORT;
    m.framing = framing_of(EXACT_TRANSPORT);
    m.max_frames = EXACT_MAX_FRAMES;
    m.max_telegram = EXACT_MAX_TELEGRAM;
    m.max_apdu = EXACT_MAX_APDU;
    m.max_blocks = EXACT_MAX_BLOCKS;
    m.block_transfer = EXACT_MAX_BLOCKS > 0 ? &ms_general_block_transfer : NULL;
    m.max_values = 8;
    m.max_string_bytes = 312;
    m.mbus_control = m.mbus_address = m.stsap = m.dtsap = -1;
    m.accept_plain = 1;
    m.datetime_value = -1;
    m.directory = triplets_directory;
    m.scalers = triplets_scalers;
    m.directory_size = TRIPLETS_DIRECTORY_SIZE;
    m.table_size = TRIPLETS_TABLE_SIZE;
    m.decode_body = triplets_decode_body;

    CHECK(sizeof storage.ms_stream_window == 517);
    CHECK(MS_COUNT_OF(storage.ms_stream_waiting) == 35);
    CHECK(sizeof storage.ms_stream_telegram == 300);
    CHECK(MS_COUNT_OF(storage.ms_stream_pieces) == 2);
    CHECK(MS_COUNT_OF(storage.ms_stream_tail) == 1);
    CHECK(sizeof storage.ms_stream_blocks == 64);
    CHECK(sizeof storage.ms_stream_plain == 64 + 17);
    CHECK(MS_SIZE_WAITING(MS_TRANSPORT_HDLC) == 268 && MS_SIZE_WAITING(MS_TRANSPORT_RAW) == 12);
    CHECK(MS_SIZE_WINDOW(MS_TRANSPORT_HDLC, 0) == 2049 && MS_SIZE_WINDOW(MS_TRANSPORT_RAW, 100) == 101);
    CHECK(MS_SIZE_BLOCKS(0, 64) == 1 && MS_SIZE_TELEGRAM(MS_TRANSPORT_RAW, 300) == 1);

    memset(&b, 0, sizeof b);
    MS_STREAM_BIND(b, storage);
    b.values = storage.values;
    b.max_values = MS_COUNT_OF(storage.values);
    b.pool = storage.pool;
    b.pool_size = sizeof storage.pool;
    b.pending = storage.pending;
    b.pending_size = 1;
    b.push_codes = storage.push_codes;
    b.push_size = 1;
    memset(ek, 0xA5, sizeof ek);
    keys.encryption = ek;
    keys.authentication = NULL;
    keys.broadcast = NULL;
    CHECK(ms_decoder_init(&storage.decoder, &m, &b, &keys, 0, count_results, NULL) == MS_OK);
    CHECK(storage.decoder.encryption_key[0] == 0xA5 && storage.decoder.has_keys == 1);

    /* every buffer one element short is refused */
    smaller = b;
    smaller.window_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.waiting_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.telegram_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.pieces_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.tail = NULL;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.blocks_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.plain_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.max_values--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    smaller = b;
    smaller.pool_size--;
    CHECK(ms_decoder_init(&storage.decoder, &m, &smaller, &keys, 0, NULL, NULL) == MS_STREAM_BUFFER_TOO_SMALL);
    m.decode_body = NULL;
    CHECK(ms_decoder_init(&storage.decoder, &m, &b, &keys, 0, NULL, NULL) == MS_STREAM_BAD_ARGUMENT);
    m.decode_body = triplets_decode_body;

    /* a stream, a one-shot decode in between, and the stream's numbering goes on */
    CHECK(ms_decoder_init(&storage.decoder, &m, &b, &keys, 0, count_results, NULL) == MS_OK);
    n = hex("6820206853FF1001670F0000000100020309060100010800FF060000000102020F00161E4516", frame);
    ms_decoder_feed(&storage.decoder, frame, n);
    CHECK(results == 1 && ms_decoder_count(&storage.decoder) == 1);
    CHECK(ms_decode(&storage.decoder, frame, n, &r) == MS_OK);
    CHECK(r.reading != NULL && r.reading->count == 1 && r.reading->values[0].raw == 1);
    CHECK(ms_decode(&storage.decoder, frame, 5, &r) == MS_ERR_TELEGRAM_INCOMPLETE && r.offset == 0);
    CHECK(results == 1 && ms_decoder_count(&storage.decoder) == 1);
    ms_decoder_feed(&storage.decoder, frame, n);
    ms_decoder_finish(&storage.decoder);
    CHECK(results == 2 && ms_decoder_count(&storage.decoder) == 2);
    CHECK(ms_decoder_position(&storage.decoder) == n); /* ms_decode reset the stream */

    /* clear leaves no key, telegram or value behind */
    ms_decoder_clear(&storage.decoder);
    CHECK(storage.decoder.encryption_key[0] == 0 && storage.decoder.has_keys == 0);
    CHECK(storage.ms_stream_window[0] == 0 && storage.values[0].raw == 0 && storage.ms_stream_telegram[10] == 0);
}

int main(void) {
    crc16();
    mbus_sum();
    mbus_sum_lanes();
    telegram_buffer();
    in_order();
    mbus_segments();
    hdlc_segments();
    raw_apdus();
    block_assembler();
    port();
    set_up();
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
