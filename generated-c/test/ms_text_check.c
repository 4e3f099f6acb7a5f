/*
 * Prints the value texts and JSON lines of the C runtime for test vectors on stdin, one command
 * a line, so that a test can compare them with the Java runtime's (CTextTest). A host program:
 * every buffer the runtime reads or writes is allocated at its exact size, so that valgrind sees
 * a read or write past one.
 *
 * Tokens are separated by one space. Numbers are hex (raw: the 64 bits), scalers decimal;
 * a string is "-" for NULL or "x" and its bytes in hex.
 *
 *   M name                                     a meter: clears the directory and the values
 *   I obis name unit scaler format             appends a directory entry (scaler N: none)
 *   V obis info tag raw scaler unit bytes      appends a value (info -1: no entry, unit -1: entry's)
 *   R number ciphered title counter security   prints "T null hex" and "U none hex" per value, then
 *                                              "J hex" of the line; clears the values
 *   E number code offset length                prints "J hex" of an error's line
 *   F first count scaler                       float32 bits first..first+count-1: "H fnv", the
 *                                              64-bit FNV-1a of their texts, each ended by '\n'
 *   L first count scaler                       the same floats: "T 0 hex" each
 *   S                                          "S code none hex" of ms_unit_symbol for 0..255
 *   .                                          prints "." and flushes
 *
 * Each text is also written into a buffer too small for it, which must hold its start and a NUL
 * and be told the whole length: a broken promise prints "X what".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_text.h"

#define MAX_LINE (1 << 17)
#define MAX_ENTRIES 256
#define MAX_VALUES 2048
#define MAX_POOL (1 << 16)

static char line[MAX_LINE];
static ms_value_info entries[MAX_ENTRIES];
static char *entry_strings[MAX_ENTRIES];
static uint16_t entry_count;
static char *meter_name;
static ms_value values[MAX_VALUES];
static uint16_t value_count;
static uint8_t pool[MAX_POOL];
static uint32_t pool_len;
static unsigned line_no;

static void fail(const char *what) {
    printf("X line %u: %s\n", line_no, what);
}

static void *exact(size_t n) {
    void *p = malloc(n == 0 ? 1 : n);
    if (p == NULL) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static int hex_value(int c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

static char *token(char **at) {
    char *t = *at;
    char *end = strchr(t, ' ');
    if (end != NULL) {
        *end = '\0';
        *at = end + 1;
    } else {
        *at = t + strlen(t);
    }
    return t;
}

static uint64_t hex_number(char **at) {
    const char *t = token(at);
    uint64_t v = 0;
    if (*t == '\0') {
        fail("missing number");
    }
    for (; *t != '\0'; t++) {
        int d = hex_value(*t);
        if (d < 0) {
            fail("bad hex number");
            return 0;
        }
        v = (v << 4) | (uint64_t)d;
    }
    return v;
}

static long decimal(char **at) {
    return strtol(token(at), NULL, 10);
}

/* Decodes "x<hex>" into buf (at most cap bytes); -1 for "-". */
static long bytes_token(char **at, uint8_t *buf, size_t cap) {
    const char *t = token(at);
    size_t n = 0;
    if (strcmp(t, "-") == 0) {
        return -1;
    }
    if (*t++ != 'x') {
        fail("bad string token");
        return -1;
    }
    while (t[0] != '\0' && t[1] != '\0' && n < cap) {
        buf[n++] = (uint8_t)(hex_value(t[0]) << 4 | hex_value(t[1]));
        t += 2;
    }
    if (*t != '\0') {
        fail("string token too long or odd");
    }
    return (long)n;
}

/* A NUL-terminated copy of a string token, in a block of its exact size; NULL for "-". */
static char *string_token(char **at) {
    static uint8_t buf[MAX_LINE / 2];
    long n = bytes_token(at, buf, sizeof buf);
    char *s;
    if (n < 0) {
        return NULL;
    }
    s = exact((size_t)n + 1);
    memcpy(s, buf, (size_t)n);
    s[n] = '\0';
    return s;
}

static void print_hex(const char *b, size_t n) {
    static const char digits[] = "0123456789ABCDEF";
    char chunk[512];
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        chunk[k++] = digits[(unsigned char)b[i] >> 4];
        chunk[k++] = digits[(unsigned char)b[i] & 0xF];
        if (k == sizeof chunk) {
            fwrite(chunk, 1, k, stdout);
            k = 0;
        }
    }
    fwrite(chunk, 1, k, stdout);
}

/* One way of writing a text: into out[0, cap), returning its whole length. */
typedef size_t (*writer)(char *out, size_t cap, const void *a, const void *b, int *flag);

/*
 * The text w writes, in a block of its exact size (freed by the caller); also written into a
 * block too small for it (by turns one byte, half the text, all but its last byte), which must
 * hold what fits and a NUL, and be told the whole length.
 */
static char *written(writer w, const void *a, const void *b, int *flag, size_t *length) {
    static unsigned turn;
    size_t n = w(NULL, 0, a, b, flag);
    char *text = exact(n + 1);
    if (w(text, n + 1, a, b, flag) != n || text[n] != '\0') {
        fail("a buffer of the text's size does not get the text");
    }
    if (n > 0) {
        size_t cap = turn % 3 == 0 ? 1 : turn % 3 == 1 ? n / 2 + 1 : n;
        char *small = exact(cap);
        memset(small, '?', cap);
        if (w(small, cap, a, b, flag) != n) {
            fail("a short buffer is told another length");
        } else if (memcmp(small, text, cap - 1) != 0 || small[cap - 1] != '\0') {
            fail("a short buffer does not get the text's start and a NUL");
        }
        free(small);
        turn++;
    }
    *length = n;
    return text;
}

static size_t value_writer(char *out, size_t cap, const void *a, const void *b, int *flag) {
    return ms_value_text(out, cap, a, b, flag);
}

static size_t unit_writer(char *out, size_t cap, const void *a, const void *b, int *flag) {
    return ms_value_unit(out, cap, a, b, flag);
}

static size_t line_writer(char *out, size_t cap, const void *a, const void *b, int *flag) {
    (void)flag;
    return ms_json_line(out, cap, *(const uint64_t *)a, b);
}

static int is_number(uint8_t tag) {
    return (MS_NUMBERS & MS_BIT(tag)) != 0;
}

static void clear_meter(void) {
    uint16_t i;
    for (i = 0; i < entry_count; i++) {
        free(entry_strings[i]);
    }
    free(meter_name);
    meter_name = NULL;
    entry_count = 0;
    value_count = 0;
    pool_len = 0;
}

static void meter_command(char **at) {
    clear_meter();
    meter_name = string_token(at);
}

/* The code of a unit symbol, as the generator writes it (Units.code); 0 for none. */
static uint8_t unit_code(const char *symbol) {
    unsigned c;
    if (symbol == NULL) {
        return 0;
    }
    for (c = 1; c < 253; c++) {
        if (ms_unit_symbol(c) != NULL && strcmp(ms_unit_symbol(c), symbol) == 0) {
            return (uint8_t)c;
        }
    }
    fail("not a unit symbol");
    return 0;
}

static void entry_command(char **at) {
    ms_value_info *e;
    const char *scaler;
    uint64_t obis;
    if (entry_count == MAX_ENTRIES) {
        fail("too many entries");
        return;
    }
    e = &entries[entry_count];
    obis = hex_number(at);
    e->obis_high = (uint32_t)(obis >> 16);
    e->obis_low = (uint16_t)obis;
    e->name = entry_strings[entry_count] = string_token(at);
    {
        char *unit = string_token(at);
        e->unit = unit_code(unit);
        free(unit);
    }
    scaler = token(at);
    e->format = (uint8_t)decimal(at);
    if (strcmp(scaler, "N") != 0) {
        /* the text takes each value's own scaler: the entry's is the decoder's business */
        e->format = (uint8_t)(e->format | MS_FIXED_SCALER);
    }
    entry_count++;
}

static void value_command(char **at) {
    ms_value *v;
    long n;
    if (value_count == MAX_VALUES) {
        fail("too many values");
        return;
    }
    v = &values[value_count++];
    v->obis = hex_number(at);
    v->info = (int16_t)decimal(at);
    v->tag = (uint8_t)decimal(at);
    v->raw = (int64_t)hex_number(at);
    v->scaler = (int8_t)decimal(at);
    v->unit = (int16_t)decimal(at);
    n = bytes_token(at, pool + pool_len, MAX_POOL - pool_len);
    v->off = (uint16_t)pool_len;
    v->len = (uint16_t)(n < 0 ? 0 : n);
    pool_len += v->len;
}

static void reading_command(char **at) {
    ms_meter meter;
    ms_reading reading;
    ms_result result;
    ms_value_info *directory = exact(entry_count * sizeof *directory);
    ms_value *vs = exact(value_count * sizeof *vs);
    uint8_t *bytes = exact(pool_len);
    uint64_t number = hex_number(at);
    uint8_t title[8];
    uint16_t i;
    size_t n;
    char *text;
    memset(&meter, 0, sizeof meter);
    memset(&reading, 0, sizeof reading);
    memcpy(directory, entries, entry_count * sizeof *directory);
    memcpy(vs, values, value_count * sizeof *vs);
    memcpy(bytes, pool, pool_len);
    meter.name = meter_name;
    meter.directory = directory;
    meter.directory_size = entry_count;
    meter.table_size = entry_count;
    reading.meter = &meter;
    reading.ciphered = (uint8_t)hex_number(at);
    if (bytes_token(at, title, sizeof title) != 8) {
        fail("a system title is 8 bytes");
    }
    memcpy(reading.system_title, title, sizeof title);
    reading.frame_counter = (uint32_t)hex_number(at);
    reading.security = (uint8_t)hex_number(at);
    reading.count = value_count;
    reading.values = vs;
    reading.pool = bytes;
    for (i = 0; i < value_count; i++) {
        int flag = -1;
        text = written(value_writer, &reading, &vs[i], &flag, &n);
        if (flag != (vs[i].tag == MS_TAG_NULL)) {
            fail("is_null is not the value's");
        }
        if (is_number(vs[i].tag) && n > MS_NUMBER_TEXT_MAX) {
            fail("a number's text is longer than MS_NUMBER_TEXT_MAX");
        }
        printf("T %d ", flag);
        print_hex(text, n);
        putchar('\n');
        free(text);
        flag = -1;
        text = written(unit_writer, &reading, &vs[i], &flag, &n);
        printf("U %d ", flag);
        print_hex(text, n);
        putchar('\n');
        free(text);
    }
    memset(&result, 0, sizeof result);
    result.error = MS_OK;
    result.reading = &reading;
    text = written(line_writer, &number, &result, NULL, &n);
    fputs("J ", stdout);
    print_hex(text, n);
    putchar('\n');
    free(text);
    free(directory);
    free(vs);
    free(bytes);
    value_count = 0;
    pool_len = 0;
}

static void error_command(char **at) {
    ms_result result;
    uint64_t number = hex_number(at);
    size_t n;
    char *text;
    memset(&result, 0, sizeof result);
    result.error = (ms_err)decimal(at);
    result.offset = hex_number(at);
    result.length = hex_number(at);
    text = written(line_writer, &number, &result, NULL, &n);
    fputs("J ", stdout);
    print_hex(text, n);
    putchar('\n');
    free(text);
}

static void floats_command(char **at, int list) {
    uint32_t first = (uint32_t)hex_number(at);
    uint64_t count = hex_number(at);
    int scaler = (int)decimal(at);
    uint64_t hash = UINT64_C(0xcbf29ce484222325);
    char text[MS_NUMBER_TEXT_MAX + 1];
    uint64_t i;
    for (i = 0; i < count; i++) {
        size_t n = ms_float32_text(text, sizeof text, first + (uint32_t)i, scaler);
        size_t k;
        if (n > MS_NUMBER_TEXT_MAX) {
            fail("a float's text is longer than MS_NUMBER_TEXT_MAX");
            return;
        }
        if (list) {
            fputs("T 0 ", stdout);
            print_hex(text, n);
            putchar('\n');
            continue;
        }
        for (k = 0; k <= n; k++) {
            hash ^= k < n ? (uint8_t)text[k] : '\n';
            hash *= UINT64_C(0x100000001b3);
        }
    }
    if (!list) {
        printf("H %08lX%08lX\n", (unsigned long)(hash >> 32), (unsigned long)(hash & 0xFFFFFFFFu));
    }
}

static void symbols_command(void) {
    unsigned code;
    for (code = 0; code < 256; code++) {
        const char *s = ms_unit_symbol(code);
        printf("S %u %d ", code, s == NULL);
        if (s != NULL) {
            print_hex(s, strlen(s));
        }
        putchar('\n');
    }
}

int main(void) {
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t len = strlen(line);
        char *at = line + 2;
        line_no++;
        if (len > 0 && line[len - 1] == '\n') {
            line[--len] = '\0';
        } else if (len == sizeof line - 1) {
            fail("line too long");
            return 1;
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        if (len < 2) {
            at = line + len;
        }
        switch (line[0]) {
        case 'M':
            meter_command(&at);
            break;
        case 'I':
            entry_command(&at);
            break;
        case 'V':
            value_command(&at);
            break;
        case 'R':
            reading_command(&at);
            break;
        case 'E':
            error_command(&at);
            break;
        case 'F':
        case 'L':
            floats_command(&at, line[0] == 'L');
            break;
        case 'S':
            symbols_command();
            break;
        case '.':
            puts(".");
            fflush(stdout);
            break;
        default:
            fail("unknown command");
            break;
        }
    }
    clear_meter();
    return 0;
}
