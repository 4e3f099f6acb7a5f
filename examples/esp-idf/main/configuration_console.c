#include "configuration_console.h"

#include <stdio.h>
#include <string.h>

#include "ms_errors.h"
#include "ms_port.h"
#include "smartmeter.h"
#include "storage.h"

#define KEY_BYTES 16
#define REPLY_MAX 160

static console_writer writer;
static void *writer_ctx;
static char line[CONSOLE_LINE_MAX + 1];
static size_t line_len;
static int line_too_long;

static void reply(const char *text) {
    if (writer != NULL) {
        writer(writer_ctx, text);
    }
}

void console_init(console_writer write, void *ctx) {
    writer = write;
    writer_ctx = ctx;
    ms_port_zeroize(line, sizeof line);
    line_len = 0;
    line_too_long = 0;
}

/* 32 hex digits, with spaces, colons or dashes anywhere between them and an optional 0x. */
static int parse_key(const char *text, uint8_t key[KEY_BYTES], unsigned *digits) {
    unsigned n = 0;
    int bad = 0;
    while (*text == ' ') {
        text++;
    }
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text += 2;
    }
    for (; *text != '\0'; text++) {
        int c = (unsigned char)*text;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            if (c != ' ' && c != ':' && c != '-' && c != '\t') {
                bad = 1;
            }
            continue;
        }
        if (n < 2 * KEY_BYTES) {
            key[n / 2] = (uint8_t)(n % 2 ? key[n / 2] | d : d << 4);
        }
        n++;
    }
    *digits = n;
    return !bad && n == 2 * KEY_BYTES;
}

/* The first 3 bytes of AES-128(key, 0^16), as hex. */
static int check_value(const uint8_t key[KEY_BYTES], char out[7]) {
    static const uint8_t zero[16];
    uint8_t block[16];
    int ok = ms_port_aes128_ctr(key, zero, zero, sizeof block, block) == MS_PORT_OK;
    if (ok) {
        snprintf(out, 7, "%02X%02X%02X", block[0], block[1], block[2]);
    }
    ms_port_zeroize(block, sizeof block);
    return ok;
}

/* "set, check value 1A2B3C" or "not set" for a stored key. */
static void describe_key(const char *name, char *out, size_t cap) {
    uint8_t key[KEY_BYTES];
    char kcv[7];
    storage_result r = storage_load(name, key, sizeof key);
    if (r == STORAGE_OK && check_value(key, kcv)) {
        snprintf(out, cap, "set, check value %s", kcv);
    } else if (r == STORAGE_MISSING) {
        snprintf(out, cap, "not set");
    } else {
        snprintf(out, cap, "unreadable (storage failed)");
    }
    ms_port_zeroize(key, sizeof key);
}

int console_apply_stored_keys(void) {
    uint8_t enc[KEY_BYTES];
    uint8_t auth[KEY_BYTES];
    storage_result re = storage_load(STORAGE_ENCRYPTION_KEY, enc, sizeof enc);
    storage_result ra = storage_load(STORAGE_AUTHENTICATION_KEY, auth, sizeof auth);
    int started = smartmeter_set_keys(re == STORAGE_OK ? enc : NULL, ra == STORAGE_OK ? auth : NULL);
    ms_port_zeroize(enc, sizeof enc);
    ms_port_zeroize(auth, sizeof auth);
    return started == 0 && re != STORAGE_FAILED && ra != STORAGE_FAILED ? 0 : -1;
}

static void key_set(const char *what, const char *record, const char *argument) {
    uint8_t key[KEY_BYTES];
    unsigned digits = 0;
    char kcv[7];
    char text[REPLY_MAX];
    memset(key, 0, sizeof key);
    if (!parse_key(argument, key, &digits)) {
        snprintf(text, sizeof text, "key %s: expected 32 hex digits (16 bytes), got %u digit%s%s", what, digits,
                 digits == 1 ? "" : "s", digits == 2 * KEY_BYTES ? " and other characters" : "");
        reply(text);
    } else if (storage_save(record, key, sizeof key) != STORAGE_OK) {
        snprintf(text, sizeof text, "key %s: the storage failed; the key is not stored", what);
        reply(text);
    } else if (console_apply_stored_keys() != 0) {
        snprintf(text, sizeof text, "key %s: stored, but the reader could not restart with it", what);
        reply(text);
    } else {
        if (check_value(key, kcv)) {
            snprintf(text, sizeof text, "key %s: stored, check value %s", what, kcv);
        } else {
            snprintf(text, sizeof text, "key %s: stored", what);
        }
        reply(text);
    }
    ms_port_zeroize(key, sizeof key);
}

static void key_status(void) {
    char enc[48];
    char auth[48];
    char text[REPLY_MAX];
    describe_key(STORAGE_ENCRYPTION_KEY, enc, sizeof enc);
    describe_key(STORAGE_AUTHENTICATION_KEY, auth, sizeof auth);
    snprintf(text, sizeof text, "encryption key %s; authentication key %s", enc, auth);
    reply(text);
}

static void key_clear(void) {
    int failed = storage_erase(STORAGE_ENCRYPTION_KEY) != STORAGE_OK;
    failed |= storage_erase(STORAGE_AUTHENTICATION_KEY) != STORAGE_OK;
    if (smartmeter_set_keys(NULL, NULL) != 0) {
        failed = 1;
    }
    reply(failed ? "key clear: the storage failed; a key may remain" : "keys cleared");
}

static void status(void) {
    const smartmeter_status *s = smartmeter_status_get();
    char text[REPLY_MAX];
    snprintf(text, sizeof text, "telegrams %llu, errors %llu, timeouts %lu, bytes %llu", (unsigned long long)s->telegrams,
             (unsigned long long)s->errors, (unsigned long)s->timeouts, (unsigned long long)s->bytes);
    reply(text);
    if (s->last_error == MS_OK) {
        reply("last error none");
    } else {
        snprintf(text, sizeof text, "last error %s %s at offset %llu", ms_layer_name(MS_ERR_LAYER(s->last_error)),
                 ms_err_name(s->last_error), (unsigned long long)s->last_error_offset);
        reply(text);
    }
    key_status();
}

static void help(void) {
    reply("commands: key set HEX | key auth HEX | key status | key clear | status | help");
}

/* The next word of *p (spaces skipped), NUL-terminated in place; "" at the end. */
static char *word(char **p) {
    char *start = *p;
    while (*start == ' ' || *start == '\t') {
        start++;
    }
    char *end = start;
    while (*end != '\0' && *end != ' ' && *end != '\t') {
        end++;
    }
    if (*end != '\0') {
        *end++ = '\0';
    }
    *p = end;
    return start;
}

void console_execute(char *text) {
    size_t len = strlen(text);
    char *rest = text;
    char *command = word(&rest);
    if (command[0] == '\0') {
        /* an empty line */
    } else if (strcmp(command, "key") == 0) {
        char *sub = word(&rest);
        if (strcmp(sub, "set") == 0) {
            key_set("set", STORAGE_ENCRYPTION_KEY, rest);
        } else if (strcmp(sub, "auth") == 0) {
            key_set("auth", STORAGE_AUTHENTICATION_KEY, rest);
        } else if (strcmp(sub, "status") == 0 && word(&rest)[0] == '\0') {
            key_status();
        } else if (strcmp(sub, "clear") == 0 && word(&rest)[0] == '\0') {
            key_clear();
        } else {
            reply("key: expected key set HEX, key auth HEX, key status or key clear");
        }
    } else if (strcmp(command, "status") == 0 && word(&rest)[0] == '\0') {
        status();
    } else if (strcmp(command, "help") == 0) {
        help();
    } else {
        /* the line is not repeated: it may be a key typed in the wrong place */
        reply("unknown command; type help");
    }
    ms_port_zeroize(text, len);
}

void console_feed(const uint8_t *bytes, size_t len) {
    size_t i;
    for (i = 0; i < len; i++) {
        uint8_t c = bytes[i];
        if (c == '\n' || c == '\r') {
            if (line_too_long) {
                char text[REPLY_MAX];
                snprintf(text, sizeof text, "line too long: at most %d characters", CONSOLE_LINE_MAX);
                reply(text);
            } else if (line_len > 0) {
                line[line_len] = '\0';
                console_execute(line);
            }
            ms_port_zeroize(line, sizeof line);
            line_len = 0;
            line_too_long = 0;
        } else if (c == 0x08 || c == 0x7f) {
            if (line_len > 0 && !line_too_long) {
                line[--line_len] = '\0';
            }
        } else if (c < 0x20 && c != '\t') {
            /* other control characters are not part of a command */
        } else if (line_len < CONSOLE_LINE_MAX) {
            line[line_len++] = (char)c;
        } else {
            line_too_long = 1;
        }
    }
}
