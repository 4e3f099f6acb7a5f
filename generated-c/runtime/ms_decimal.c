/*
 * Exact decimal text of numbers, as Decimals.java writes it, without binary floating point.
 *
 * A float is written as Decimals.float32/float64 choose it: for p = 1, 2, ... significant digits,
 * the value's nearest p-digit decimal (ties to even), else its other p-digit neighbour, the first
 * that reads back as the same float. "Reads back" is decided exactly: a decimal reads back as the
 * float x when it lies between the midpoints to x's neighbours (both included when x's significand
 * is even, as round-half-even reads a tie). The value and both midpoints are n x 2^e2 with n below
 * 2^56; of each only its leading 20 significant digits and whether any non-zero digit follows are
 * needed, which a fixed-size big integer of 36 words yields (float64 spans 2^-1076 to 2^1024).
 */
#include "ms_text_impl.h"

/* Digits kept of each exact number: a candidate has at most 17, rounding looks at one more. */
#define MS_KEPT 20
/* 32-bit words of the big integers: 2^1024, and fractions of 1076 bits times 10^9. */
#define MS_WORDS 36
#define MS_E9 UINT32_C(1000000000)

/* The leading significant digits of an exact positive number; value = d[0].d[1]... x 10^e. */
typedef struct ms_digits {
    uint8_t d[MS_KEPT];
    int n;      /* digits kept */
    int e;      /* exponent of d[0] */
    int sticky; /* a non-zero digit follows d[n-1] */
    int next;   /* exponent of the next digit to come */
} ms_digits;

typedef struct ms_big {
    uint32_t w[MS_WORDS]; /* little-endian */
    int n;                /* words in use; w[n-1] != 0 unless n == 0 */
} ms_big;

static void prefix_digit(ms_digits *p, unsigned digit) {
    if (p->n == 0 && digit == 0) {
        p->next--; /* a leading zero of a fraction */
        return;
    }
    if (p->n == 0) {
        p->e = p->next;
    }
    if (p->n < MS_KEPT) {
        p->d[p->n++] = (uint8_t)digit;
    } else if (digit != 0) {
        p->sticky = 1;
    }
    p->next--;
}

/* The `width` lowest decimal digits of v, most significant first. */
static void prefix_digits(ms_digits *p, uint64_t v, int width) {
    uint8_t tmp[20];
    int i;
    for (i = width - 1; i >= 0; i--) {
        tmp[i] = (uint8_t)(v % 10);
        v /= 10;
    }
    for (i = 0; i < width; i++) {
        prefix_digit(p, tmp[i]);
    }
}

static int digit_count(uint64_t v) {
    int k = 1;
    while (v >= 10) {
        v /= 10;
        k++;
    }
    return k;
}

static void big_trim(ms_big *b) {
    while (b->n > 0 && b->w[b->n - 1] == 0) {
        b->n--;
    }
}

/* b = v x 2^shift */
static void big_set(ms_big *b, uint64_t v, int shift) {
    int words = shift / 32;
    int bits = shift % 32;
    uint64_t low = v << bits;
    int i;
    for (i = 0; i < words; i++) {
        b->w[i] = 0;
    }
    b->w[words] = (uint32_t)low;
    b->w[words + 1] = (uint32_t)(low >> 32);
    b->w[words + 2] = bits == 0 ? 0 : (uint32_t)(v >> (64 - bits));
    b->n = words + 3;
    big_trim(b);
}

/* b /= 10^9; the remainder. */
static uint32_t big_div_e9(ms_big *b) {
    uint64_t r = 0;
    int i;
    for (i = b->n - 1; i >= 0; i--) {
        uint64_t cur = (r << 32) | b->w[i];
        b->w[i] = (uint32_t)(cur / MS_E9);
        r = cur % MS_E9;
    }
    big_trim(b);
    return (uint32_t)r;
}

/* The fraction f < 2^t becomes f x 10^9 mod 2^t; the integer part (below 10^9) is returned. */
static uint32_t big_fraction_e9(ms_big *f, int t) {
    int word = t / 32;
    int bit = t % 32;
    uint64_t carry = 0;
    uint32_t lo, hi, top;
    int i;
    for (i = 0; i < f->n; i++) {
        uint64_t cur = (uint64_t)f->w[i] * MS_E9 + carry;
        f->w[i] = (uint32_t)cur;
        carry = cur >> 32;
    }
    if (carry != 0) {
        f->w[f->n++] = (uint32_t)carry;
    }
    lo = word < f->n ? f->w[word] : 0;
    hi = word + 1 < f->n ? f->w[word + 1] : 0;
    top = bit == 0 ? lo : (lo >> bit) | (hi << (32 - bit));
    if (word < f->n) {
        f->w[word] &= bit == 0 ? 0 : (UINT32_C(1) << bit) - 1;
        if (f->n > word + 1) {
            f->n = word + 1;
        }
        big_trim(f);
    }
    return top;
}

/* The leading digits of n x 2^e2, n > 0. */
static void prefix_of(ms_digits *p, uint64_t n, int e2) {
    ms_big b;
    p->n = 0;
    p->e = 0;
    p->sticky = 0;
    if (e2 >= 0) {
        /* an integer: its base-10^9 digits come least significant first; the top three suffice */
        uint32_t last[3] = {0, 0, 0};
        int chunks = 0;
        int k;
        big_set(&b, n, e2);
        while (b.n > 0) {
            uint32_t c = big_div_e9(&b);
            if (chunks >= 3 && last[chunks % 3] != 0) {
                p->sticky = 1;
            }
            last[chunks % 3] = c;
            chunks++;
        }
        k = chunks - 1;
        p->next = digit_count(last[k % 3]) + 9 * k - 1;
        prefix_digits(p, last[k % 3], digit_count(last[k % 3]));
        for (k = chunks - 2; k >= 0 && k >= chunks - 3; k--) {
            prefix_digits(p, last[k % 3], 9);
        }
        return;
    }
    {
        int t = -e2;
        uint64_t whole = t >= 64 ? 0 : n >> t;
        uint64_t part = t >= 64 ? n : n & ((UINT64_C(1) << t) - 1);
        if (whole != 0) {
            p->next = digit_count(whole) - 1;
            prefix_digits(p, whole, digit_count(whole));
        } else {
            p->next = -1;
        }
        big_set(&b, part, 0);
        while (b.n > 0 && p->n < MS_KEPT) {
            prefix_digits(p, big_fraction_e9(&b, t), 9);
        }
        if (b.n > 0) {
            p->sticky = 1;
        }
    }
}

/* A decimal candidate: d[0].d[1]...d[n-1] x 10^e, no trailing zeros, n >= 1. */
typedef struct ms_cand {
    uint8_t d[MS_KEPT];
    int n;
    int e;
} ms_cand;

static void cand_strip(ms_cand *c) {
    while (c->n > 1 && c->d[c->n - 1] == 0) {
        c->n--;
    }
}

/* x cut to p digits (towards zero), or (up) the next p-digit decimal above it. */
static void cand_make(ms_cand *c, const ms_digits *x, int p, int up) {
    int i;
    c->e = x->e;
    for (i = 0; i < p; i++) {
        c->d[i] = i < x->n ? x->d[i] : 0;
    }
    c->n = p;
    if (up) {
        i = p - 1;
        while (i >= 0 && c->d[i] == 9) {
            c->d[i] = 0;
            i--;
        }
        if (i >= 0) {
            c->d[i]++;
        } else {
            c->d[0] = 1; /* 9.99 up is 10.0 */
            c->n = 1;
            c->e++;
        }
    }
    cand_strip(c);
}

/* Sign of c - m. */
static int cand_compare(const ms_cand *c, const ms_digits *m) {
    int i;
    int len = c->n > m->n ? c->n : m->n;
    if (c->e != m->e) {
        return c->e > m->e ? 1 : -1;
    }
    for (i = 0; i < len; i++) {
        int a = i < c->n ? c->d[i] : 0;
        int b = i < m->n ? m->d[i] : 0;
        if (a != b) {
            return a > b ? 1 : -1;
        }
    }
    return m->sticky ? -1 : 0;
}

/* Whether c reads back as the float whose midpoints to its neighbours are lo and hi. */
static int cand_reads_back(const ms_cand *c, const ms_digits *lo, const ms_digits *hi, int inclusive) {
    int a = cand_compare(c, lo);
    int b = cand_compare(c, hi);
    return inclusive ? a >= 0 && b <= 0 : a > 0 && b < 0;
}

enum { MS_EXACT, MS_DOWN, MS_UP };

/* How x rounds to p significant digits, ties to even (RoundingMode.HALF_EVEN). */
static int round_to(const ms_digits *x, int p) {
    int first = p < x->n ? x->d[p] : 0;
    int rest = x->sticky;
    int i;
    for (i = p + 1; i < x->n; i++) {
        rest |= x->d[i] != 0;
    }
    if (first == 0 && !rest) {
        return MS_EXACT;
    }
    if (first != 5) {
        return first > 5 ? MS_UP : MS_DOWN;
    }
    if (rest) {
        return MS_UP;
    }
    return (x->d[p - 1] & 1) ? MS_UP : MS_DOWN;
}

/* Sign and the digit string with the point moved `scaler` places (Decimals.appendShifted). */
static void put_shifted(ms_sink *s, int negative, const char *digits, int n, int zero, long scaler) {
    long i;
    if (negative && !zero) {
        ms_sink_byte(s, '-');
    }
    if (scaler >= 0) {
        for (i = 0; i < n; i++) {
            ms_sink_byte(s, digits[i]);
        }
        if (!zero) {
            for (i = 0; i < scaler; i++) {
                ms_sink_byte(s, '0');
            }
        }
        return;
    }
    if (n <= -scaler) {
        ms_sink_byte(s, '0');
        ms_sink_byte(s, '.');
        for (i = n; i < -scaler; i++) {
            ms_sink_byte(s, '0');
        }
        for (i = 0; i < n; i++) {
            ms_sink_byte(s, digits[i]);
        }
    } else {
        long point = n + scaler;
        for (i = 0; i < n; i++) {
            if (i == point) {
                ms_sink_byte(s, '.');
            }
            ms_sink_byte(s, digits[i]);
        }
    }
}

void ms_put_scaled(ms_sink *s, uint64_t magnitude, int negative, int scaler) {
    char digits[20];
    int n = digit_count(magnitude);
    int i;
    for (i = n - 1; i >= 0; i--) {
        digits[i] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    }
    put_shifted(s, negative, digits, n, n == 1 && digits[0] == '0', scaler);
}

void ms_put_decimal(ms_sink *s, int64_t raw, int unsigned_raw, int scaler) {
    if (!unsigned_raw && raw < 0) {
        ms_put_scaled(s, (uint64_t)0 - (uint64_t)raw, 1, scaler);
    } else {
        ms_put_scaled(s, (uint64_t)raw, 0, scaler);
    }
}

/*
 * A finite non-zero float m x 2^q, m its significand; narrow_below: its lower neighbour is half
 * as far as the upper (a power of two above the smallest normal). max_digits always reads back.
 */
static void put_float(ms_sink *s, int negative, uint64_t m, int q, int narrow_below, int max_digits,
                      int scaler) {
    ms_digits x, lo, hi;
    ms_cand c;
    char digits[MS_KEPT];
    int inclusive = (m & 1) == 0;
    int p, i;
    /* value, and the midpoints to its neighbours, all as multiples of 2^(q-2) */
    prefix_of(&x, m << 2, q - 2);
    prefix_of(&lo, (m << 2) - (narrow_below ? 1 : 2), q - 2);
    prefix_of(&hi, (m << 2) + 2, q - 2);
    for (p = 1; p <= max_digits; p++) {
        int way = round_to(&x, p);
        if (way == MS_EXACT) {
            cand_make(&c, &x, p, 0);
            break;
        }
        cand_make(&c, &x, p, way == MS_UP);
        if (cand_reads_back(&c, &lo, &hi, inclusive)) {
            break;
        }
        /* near a power of two the nearest may fall outside the narrower side: the farther one */
        cand_make(&c, &x, p, way != MS_UP);
        if (cand_reads_back(&c, &lo, &hi, inclusive)) {
            break;
        }
    }
    if (p > max_digits) {
        cand_make(&c, &x, max_digits, round_to(&x, max_digits) == MS_UP);
    }
    for (i = 0; i < c.n; i++) {
        digits[i] = (char)('0' + c.d[i]);
    }
    /* c.n digits whose last has exponent c.e - c.n + 1; no trailing zeros, so none to drop */
    put_shifted(s, negative, digits, c.n, 0, (long)scaler + c.e - c.n + 1);
}

static void put_special(ms_sink *s, int nan, int negative) {
    ms_sink_str(s, nan ? "NaN" : negative ? "-Infinity" : "Infinity");
}

void ms_put_float32(ms_sink *s, uint32_t bits, int scaler) {
    int negative = (bits >> 31) != 0;
    int exponent = (int)((bits >> 23) & 0xFF);
    uint32_t fraction = bits & UINT32_C(0x7FFFFF);
    if (exponent == 0xFF) {
        put_special(s, fraction != 0, negative);
    } else if (exponent == 0 && fraction == 0) {
        ms_sink_byte(s, '0'); /* +0 and -0, whatever the scaler */
    } else if (exponent == 0) {
        put_float(s, negative, fraction, -149, 0, 9, scaler);
    } else {
        put_float(s, negative, fraction | UINT32_C(0x800000), exponent - 150, fraction == 0 && exponent > 1, 9,
                  scaler);
    }
}

void ms_put_float64(ms_sink *s, uint64_t bits, int scaler) {
    int negative = (bits >> 63) != 0;
    int exponent = (int)((bits >> 52) & 0x7FF);
    uint64_t fraction = bits & UINT64_C(0xFFFFFFFFFFFFF);
    if (exponent == 0x7FF) {
        put_special(s, fraction != 0, negative);
    } else if (exponent == 0 && fraction == 0) {
        ms_sink_byte(s, '0');
    } else if (exponent == 0) {
        put_float(s, negative, fraction, -1074, 0, 17, scaler);
    } else {
        put_float(s, negative, fraction | (UINT64_C(1) << 52), exponent - 1075, fraction == 0 && exponent > 1, 17,
                  scaler);
    }
}

size_t ms_decimal_text(char *out, size_t cap, int64_t raw, int unsigned_raw, int scaler) {
    ms_sink s;
    ms_sink_init(&s, out, cap);
    ms_put_decimal(&s, raw, unsigned_raw, scaler);
    return ms_sink_end(&s);
}

size_t ms_float32_text(char *out, size_t cap, uint32_t bits, int scaler) {
    ms_sink s;
    ms_sink_init(&s, out, cap);
    ms_put_float32(&s, bits, scaler);
    return ms_sink_end(&s);
}

size_t ms_float64_text(char *out, size_t cap, uint64_t bits, int scaler) {
    ms_sink s;
    ms_sink_init(&s, out, cap);
    ms_put_float64(&s, bits, scaler);
    return ms_sink_end(&s);
}
