/*
 * meterspec C runtime: ZigBee attribute values and Report Attributes frames (ms_zcl.h), the
 * mirror of ZclState.java.
 */
#include "ms_zcl.h"

#include <string.h>

#include "ms_text.h"

/* ---- exact arithmetic: unsigned 128-bit numbers as four 32-bit limbs, least significant first -- */

typedef struct {
    uint32_t w[4];
} u128;

static u128 u128_of(uint64_t v) {
    u128 x;
    x.w[0] = (uint32_t)v;
    x.w[1] = (uint32_t)(v >> 32);
    x.w[2] = 0;
    x.w[3] = 0;
    return x;
}

static int u128_is_zero(const u128 *x) {
    return (x->w[0] | x->w[1] | x->w[2] | x->w[3]) == 0;
}

static int u128_cmp(const u128 *a, const u128 *b) {
    int i;
    for (i = 3; i >= 0; i--) {
        if (a->w[i] != b->w[i]) {
            return a->w[i] < b->w[i] ? -1 : 1;
        }
    }
    return 0;
}

/* Whether x >= 2^bits (bits < 128). */
static int u128_at_least_pow2(const u128 *x, unsigned bits) {
    unsigned limb = bits / 32;
    unsigned i;
    if (x->w[limb] >> (bits % 32)) {
        return 1;
    }
    for (i = limb + 1; i < 4; i++) {
        if (x->w[i]) {
            return 1;
        }
    }
    return 0;
}

/* x *= f (f < 2^32); returns 1 when the product no longer fits 128 bits (x is then undefined). */
static int u128_mul32(u128 *x, uint32_t f) {
    uint64_t carry = 0;
    int i;
    for (i = 0; i < 4; i++) {
        uint64_t p = (uint64_t)x->w[i] * f + carry;
        x->w[i] = (uint32_t)p;
        carry = p >> 32;
    }
    return carry != 0;
}

/* x *= f (f < 2^63); returns 1 on overflow. */
static int u128_mul64(u128 *x, uint64_t f) {
    u128 high = *x;
    uint32_t fh = (uint32_t)(f >> 32);
    int i;
    if (u128_mul32(x, (uint32_t)f)) {
        return 1;
    }
    if (fh == 0) {
        return 0;
    }
    if (u128_mul32(&high, fh) || high.w[3] != 0) {
        return 1;
    }
    {
        uint64_t carry = 0;
        for (i = 0; i < 4; i++) {
            uint64_t s = (uint64_t)x->w[i] + (i > 0 ? high.w[i - 1] : 0) + carry;
            x->w[i] = (uint32_t)s;
            carry = s >> 32;
        }
        return carry != 0;
    }
}

static void u128_add(u128 *a, const u128 *b) {
    uint64_t carry = 0;
    int i;
    for (i = 0; i < 4; i++) {
        uint64_t s = (uint64_t)a->w[i] + b->w[i] + carry;
        a->w[i] = (uint32_t)s;
        carry = s >> 32;
    }
}

/* a -= b, a >= b */
static void u128_sub(u128 *a, const u128 *b) {
    int64_t borrow = 0;
    int i;
    for (i = 0; i < 4; i++) {
        int64_t d = (int64_t)a->w[i] - b->w[i] - borrow;
        borrow = d < 0;
        a->w[i] = (uint32_t)d;
    }
}

static void u128_shl1(u128 *x, uint32_t in) {
    int i;
    for (i = 3; i > 0; i--) {
        x->w[i] = (x->w[i] << 1) | (x->w[i - 1] >> 31);
    }
    x->w[0] = (x->w[0] << 1) | in;
}

/* x *= 10^k, or 1 once x >= 2^limit_bits (x is then undefined). */
static int u128_scale10(u128 *x, int k, unsigned limit_bits) {
    if (u128_is_zero(x)) {
        return 0;
    }
    while (k-- > 0) {
        if (u128_mul32(x, 10) || u128_at_least_pow2(x, limit_bits)) {
            return 1;
        }
    }
    return u128_at_least_pow2(x, limit_bits);
}

/* ---- conversion -------------------------------------------------------------------------- */

static const ms_value *find(const ms_reading *r, uint64_t obis) {
    uint16_t i;
    for (i = 0; i < r->count; i++) {
        if (r->values[i].obis == obis) {
            return &r->values[i];
        }
    }
    return NULL;
}

/* An integer, enum or BCD value's magnitude and sign; 0 for any other type or a non-BCD byte. */
static int integer(const ms_value *v, uint64_t *magnitude, int *negative) {
    switch (v->tag) {
    case MS_TAG_INT8:
    case MS_TAG_INT16:
    case MS_TAG_INT32:
    case MS_TAG_INT64:
        *negative = v->raw < 0;
        *magnitude = *negative ? (uint64_t)0 - (uint64_t)v->raw : (uint64_t)v->raw;
        return 1;
    case MS_TAG_UINT8:
    case MS_TAG_UINT16:
    case MS_TAG_UINT32:
    case MS_TAG_UINT64:
    case MS_TAG_ENUM:
        *negative = 0;
        *magnitude = (uint64_t)v->raw;
        return 1;
    case MS_TAG_BCD: {
        unsigned hi = (unsigned)(v->raw >> 4) & 0xF;
        unsigned lo = (unsigned)v->raw & 0xF;
        if (hi > 9 || lo > 9) {
            return 0;
        }
        *negative = 0;
        *magnitude = hi * 10u + lo;
        return 1;
    }
    default:
        return 0;
    }
}

/*
 * Whether the value carries the attribute's unit or none: a telegram's code 0 or 253..255 is
 * none, any other code a unit (one without a symbol, such as 220, matches no attribute); without
 * a code, the directory entry's unit counts.
 */
static int unit_fits(const ms_zcl_attr *a, const ms_reading *r, const ms_value *v) {
    const char *wanted = a->unit == MS_ZCL_UNIT_NONE ? NULL : ms_unit_symbol((unsigned)a->unit);
    const char *unit;
    if (v->unit >= 0) {
        if (v->unit == 0 || v->unit >= 253) {
            return 1;
        }
        unit = ms_unit_symbol((unsigned)v->unit);
        return unit != NULL && wanted != NULL && strcmp(unit, wanted) == 0;
    }
    unit = v->info >= 0 && r->meter->directory[v->info].unit != 0 ? ms_unit_symbol(r->meter->directory[v->info].unit) : NULL;
    return unit == NULL || (wanted != NULL && strcmp(unit, wanted) == 0);
}

#define MS_ZCL_MAX_TERMS 8

/* The measured value into *out; 0 when the reading gives none. */
static int measure(const ms_zcl_attr *a, const ms_reading *r, int64_t *out) {
    uint64_t magnitude[MS_ZCL_MAX_TERMS];
    int negative[MS_ZCL_MAX_TERMS];
    int scaler[MS_ZCL_MAX_TERMS];
    int smallest = 127;
    u128 sum = u128_of(0);
    int sum_negative = 0;
    u128 n, d, q, rem;
    unsigned t;
    int i;
    if (a->term_count == 0 || a->term_count > MS_ZCL_MAX_TERMS) {
        return 0;
    }
    for (t = 0; t < a->term_count; t++) {
        const ms_value *v = find(r, a->terms[t]);
        if (v == NULL || !integer(v, &magnitude[t], &negative[t]) || !unit_fits(a, r, v)) {
            return 0;
        }
        if ((a->negative >> t) & 1u) {
            negative[t] = !negative[t];
        }
        scaler[t] = v->scaler;
        if (scaler[t] < smallest) {
            smallest = scaler[t];
        }
    }
    for (t = 0; t < a->term_count; t++) {
        u128 aligned = u128_of(magnitude[t]);
        int term_negative = negative[t] && magnitude[t] != 0;
        if (u128_scale10(&aligned, scaler[t] - smallest, 80)) {
            *out = term_negative ? a->min : a->max;
            return 1;
        }
        if (term_negative == sum_negative || u128_is_zero(&sum)) {
            if (u128_is_zero(&sum)) {
                sum_negative = term_negative;
            }
            u128_add(&sum, &aligned);
        } else if (u128_cmp(&sum, &aligned) >= 0) {
            u128_sub(&sum, &aligned);
        } else {
            u128_sub(&aligned, &sum);
            sum = aligned;
            sum_negative = term_negative;
        }
    }
    if (u128_is_zero(&sum)) {
        *out = 0 < a->min ? a->min : 0 > a->max ? a->max : 0;
        return 1;
    }
    /* n / d = |sum| x 10^smallest x num / den */
    n = sum;
    d = u128_of((uint64_t)a->den);
    if (smallest >= 0) {
        if (u128_scale10(&n, smallest, 127) || u128_mul64(&n, (uint64_t)a->num) || u128_at_least_pow2(&n, 127)) {
            *out = sum_negative ? a->min : a->max; /* at least 2^127 / 2^35: beyond every range */
            return 1;
        }
    } else {
        if (u128_mul64(&n, (uint64_t)a->num)) {
            return 0; /* cannot happen: |sum| < 2^83, num < 2^35 */
        }
        if (u128_scale10(&d, -smallest, 127)) {
            *out = 0 < a->min ? a->min : 0 > a->max ? a->max : 0; /* d > 2n: rounds to 0 */
            return 1;
        }
    }
    /* q = n / d, unless q >= 2^49, beyond every range */
    if (n.w[2] == 0 && n.w[3] == 0 && d.w[2] == 0 && d.w[3] == 0) {
        uint64_t nn = ((uint64_t)n.w[1] << 32) | n.w[0];
        uint64_t dd = ((uint64_t)d.w[1] << 32) | d.w[0];
        uint64_t qq = nn / dd;
        uint64_t rr = nn % dd;
        if (rr >= dd - rr) {
            qq++;
        }
        q = u128_of(qq);
    } else {
        q = u128_of(0);
        rem = u128_of(0);
        for (i = 127; i >= 0; i--) {
            u128_shl1(&rem, (n.w[i / 32] >> (i % 32)) & 1u);
            u128_shl1(&q, 0);
            if (u128_cmp(&rem, &d) >= 0) {
                u128_sub(&rem, &d);
                q.w[0] |= 1;
            }
        }
        {
            u128 twice = rem;
            u128_shl1(&twice, 0);
            if (u128_cmp(&twice, &d) >= 0) {
                u128 one = u128_of(1);
                u128_add(&q, &one);
            }
        }
    }
    if (u128_at_least_pow2(&q, 62)) {
        *out = sum_negative ? a->min : a->max;
        return 1;
    }
    {
        int64_t v = (int64_t)(((uint64_t)q.w[1] << 32) | q.w[0]);
        if (sum_negative) {
            v = -v;
        }
        *out = v > a->max ? a->max : v < a->min ? a->min : v;
    }
    return 1;
}

/* ---- state ------------------------------------------------------------------------------- */

/* Calls f for each attribute in table order, with its endpoint and cluster. */
#define MS_ZCL_EACH(s, ep, cl, attr, index, body)                                       \
    do {                                                                                \
        unsigned index = 0;                                                             \
        uint16_t e_, c_, a_;                                                            \
        for (e_ = 0; e_ < (s)->map->count; e_++) {                                      \
            const ms_zcl_endpoint *ep = &(s)->map->endpoints[e_];                       \
            for (c_ = 0; c_ < ep->count; c_++) {                                        \
                const ms_zcl_cluster *cl = &ep->clusters[c_];                           \
                for (a_ = 0; a_ < cl->count; a_++, index++) {                           \
                    const ms_zcl_attr *attr = &cl->attributes[a_];                      \
                    body                                                                \
                }                                                                       \
            }                                                                           \
        }                                                                               \
    } while (0)

void ms_zcl_init(ms_zcl_state *s, const ms_zcl_map *map, ms_zcl_slot *slots) {
    s->map = map;
    s->slots = slots;
    s->first = 1;
    s->sequence = 0;
    MS_ZCL_EACH(s, ep, cl, attr, i, {
        (void)ep;
        (void)cl;
        memset(&slots[i], 0, sizeof slots[i]);
        slots[i].value = attr->initial;
    });
}

/* The slot's value as ZCL encodes it, at most cap bytes written; its length. */
static size_t encode(const ms_zcl_attr *attr, const ms_zcl_slot *slot, uint8_t *out, size_t cap) {
    size_t n;
    unsigned b;
    if (attr->width == 0) {
        n = 1u + slot->len;
        if (n <= cap) {
            out[0] = slot->len;
            memcpy(out + 1, slot->text, slot->len);
        }
        return n;
    }
    for (b = 0; b < attr->width && b < cap; b++) {
        out[b] = (uint8_t)((uint64_t)slot->value >> (8 * b));
    }
    return attr->width;
}

size_t ms_zcl_encode(const ms_zcl_state *s, unsigned index, uint8_t *out, size_t cap) {
    size_t n = 0;
    MS_ZCL_EACH(s, ep, cl, attr, i, {
        (void)ep;
        (void)cl;
        if (i == index) {
            n = encode(attr, &s->slots[i], out, cap);
        }
    });
    return n;
}

static void announce(ms_zcl_state *s, unsigned index, uint8_t endpoint, uint16_t cluster, const ms_zcl_attr *attr,
                     ms_zcl_setter set, void *ctx) {
    uint8_t value[1 + MS_ZCL_TEXT_MAX];
    size_t n;
    s->slots[index].pending = attr->reportable; /* the others are read, not reported */
    if (set != NULL) {
        n = encode(attr, &s->slots[index], value, sizeof value);
        set(ctx, endpoint, cluster, attr, value, n);
    }
}

static unsigned set_status(ms_zcl_state *s, int64_t status, ms_zcl_setter set, void *ctx) {
    unsigned changed = 0;
    MS_ZCL_EACH(s, ep, cl, attr, i, {
        if (attr->fill == MS_ZCL_STATUS && s->slots[i].value != status) {
            s->slots[i].value = status;
            announce(s, i, ep->number, cl->id, attr, set, ctx);
            changed++;
        }
    });
    return changed;
}

unsigned ms_zcl_update(ms_zcl_state *s, const ms_result *result, ms_zcl_setter set, void *ctx) {
    const ms_reading *r;
    unsigned changed = 0;
    if (result->error != MS_OK || result->reading == NULL) {
        return set_status(s, MS_ZCL_CHECK_METER, set, ctx);
    }
    r = result->reading;
    MS_ZCL_EACH(s, ep, cl, attr, i, {
        ms_zcl_slot *slot = &s->slots[i];
        int now = 0;
        switch (attr->fill) {
        case MS_ZCL_MEASURED: {
            int64_t v;
            if (measure(attr, r, &v) && (s->first || v != slot->value)) {
                slot->value = v;
                now = 1;
            }
            break;
        }
        case MS_ZCL_TEXT: {
            const ms_value *v = attr->term_count == 1 ? find(r, attr->terms[0]) : NULL;
            if (v != NULL && (v->tag == MS_TAG_OCTET_STRING || v->tag == MS_TAG_VISIBLE_STRING
                              || v->tag == MS_TAG_UTF8_STRING)
                && v->len <= attr->max && v->len <= MS_ZCL_TEXT_MAX
                && (s->first || v->len != slot->len || memcmp(slot->text, r->pool + v->off, v->len) != 0)) {
                slot->len = (uint8_t)v->len;
                memcpy(slot->text, r->pool + v->off, v->len);
                now = 1;
            }
            break;
        }
        case MS_ZCL_STATUS:
            if (s->first || slot->value != 0) {
                slot->value = 0;
                now = 1;
            }
            break;
        default:
            break;
        }
        if (now) {
            announce(s, i, ep->number, cl->id, attr, set, ctx);
            changed++;
        }
    });
    s->first = 0;
    return changed;
}

unsigned ms_zcl_timeout(ms_zcl_state *s, ms_zcl_setter set, void *ctx) {
    return set_status(s, MS_ZCL_CHECK_METER, set, ctx);
}

void ms_zcl_clear_pending(ms_zcl_state *s) {
    unsigned i;
    for (i = 0; i < s->map->attributes; i++) {
        s->slots[i].pending = 0;
    }
}

size_t ms_zcl_next_frame(ms_zcl_state *s, uint8_t *out, size_t cap, uint8_t *endpoint, uint16_t *cluster) {
    size_t n = 0;
    const ms_zcl_cluster *framed = NULL;
    int full = 0;
    if (cap < MS_ZCL_MIN_PAYLOAD) {
        return 0;
    }
    MS_ZCL_EACH(s, ep, cl, attr, i, {
        ms_zcl_slot *slot = &s->slots[i];
        if (slot->pending && !full && (framed == NULL || framed == cl)) {
            size_t width = attr->width == 0 ? 1u + slot->len : attr->width;
            if (framed == NULL) {
                framed = cl;
                *endpoint = ep->number;
                *cluster = cl->id;
                out[0] = MS_ZCL_FRAME_CONTROL;
                out[1] = s->sequence++;
                out[2] = MS_ZCL_REPORT_ATTRIBUTES;
                n = 3;
            }
            if (n + 3 + width > cap) {
                full = 1; /* the rest of the cluster goes in the next frame */
            } else {
                out[n] = (uint8_t)attr->id;
                out[n + 1] = (uint8_t)(attr->id >> 8);
                out[n + 2] = attr->type;
                encode(attr, slot, out + n + 3, width);
                n += 3 + width;
                slot->pending = 0;
            }
        }
    });
    return n;
}

/* ---- the table as JSON ------------------------------------------------------------------- */

#if MS_JSON
typedef struct {
    char *out;
    size_t cap;
    size_t len;
} text;

static void put(text *t, const char *s) {
    for (; *s; s++) {
        if (t->len + 1 < t->cap) {
            t->out[t->len] = *s;
        }
        t->len++;
    }
}

static void put_hex_digits(text *t, unsigned v, int digits) {
    static const char hex[] = "0123456789abcdef";
    char buf[8];
    int i;
    for (i = 0; i < digits; i++) {
        buf[i] = hex[(v >> (4 * (digits - 1 - i))) & 0xF];
    }
    buf[digits] = 0;
    put(t, buf);
}

static void put_int(text *t, int64_t v) {
    char buf[24];
    size_t n = ms_decimal_text(buf, sizeof buf, v, 0, 0);
    buf[n < sizeof buf ? n : sizeof buf - 1] = 0;
    put(t, buf);
}

size_t ms_zcl_table_json(char *out, size_t cap, const ms_zcl_map *map) {
    text t;
    uint16_t e, c, a;
    t.out = out;
    t.cap = cap;
    t.len = 0;
    put(&t, "{\"endpoints\":[");
    for (e = 0; e < map->count; e++) {
        const ms_zcl_endpoint *ep = &map->endpoints[e];
        put(&t, e ? ",{\"endpoint\":" : "{\"endpoint\":");
        put_int(&t, ep->number);
        put(&t, ",\"profile\":\"0x");
        put_hex_digits(&t, ep->profile, 4);
        put(&t, "\",\"device\":\"0x");
        put_hex_digits(&t, ep->device, 4);
        put(&t, "\",\"clusters\":[");
        for (c = 0; c < ep->count; c++) {
            const ms_zcl_cluster *cl = &ep->clusters[c];
            put(&t, c ? ",{\"cluster\":\"0x" : "{\"cluster\":\"0x");
            put_hex_digits(&t, cl->id, 4);
            put(&t, "\",\"name\":\"");
            put(&t, cl->name);
            put(&t, "\",\"attributes\":[");
            for (a = 0; a < cl->count; a++) {
                const ms_zcl_attr *at = &cl->attributes[a];
                put(&t, a ? ",{\"id\":\"0x" : "{\"id\":\"0x");
                put_hex_digits(&t, at->id, 4);
                put(&t, "\",\"name\":\"");
                put(&t, at->name);
                put(&t, "\",\"type\":\"0x");
                put_hex_digits(&t, at->type, 2);
                put(&t, at->reportable ? "\",\"access\":\"rp\",\"value\":\"" : "\",\"access\":\"r\",\"value\":\"");
                if (at->width != 0) {
                    put_int(&t, at->initial);
                }
                put(&t, "\"");
                if (at->reportable) {
                    put(&t, ",\"report\":{\"min\":");
                    put_int(&t, at->min_interval);
                    put(&t, ",\"max\":");
                    put_int(&t, at->max_interval);
                    if (at->change != MS_ZCL_NO_CHANGE) {
                        put(&t, ",\"change\":\"");
                        put_int(&t, at->change);
                        put(&t, "\"");
                    }
                    put(&t, "}");
                }
                put(&t, "}");
            }
            put(&t, "]}");
        }
        put(&t, "]}");
    }
    put(&t, "]}");
    if (cap > 0) {
        out[t.len < cap ? t.len : cap - 1] = 0;
    }
    return t.len;
}
#endif
