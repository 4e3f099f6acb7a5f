/*
 * The security and APDU layers (MeterDecoder.decodeApdu, deciphered, decodePrefix, notification)
 * and AES-GCM as DLMS uses it (Ciphering): IV = system title || frame counter, a 12-byte tag,
 * AAD = security control || authentication key (|| the content, when it is not encrypted).
 * Without a tag to check, the plaintext is AES-CTR from counter block J0+1. Offsets count from
 * the APDU's first byte.
 */
#include <string.h>

#include "ms_port.h"
#include "ms_stream_impl.h"

#define DATA_NOTIFICATION 0x0F
#define GLO_CIPHERING 0xDB
#define DED_CIPHERING 0xDC
#define OCTET_STRING 0x09
#define SYSTEM_TITLE_LENGTH 8
#define TAG_LENGTH MS_PORT_TAG_LENGTH

#define HAS_ENCRYPTION 1u
#define HAS_AUTHENTICATION 2u
#define HAS_BROADCAST 4u

/* An error at an offset of the APDU; the offset waits in d->apdu_error_at for result(). */
static ms_err apdu_error(ms_decoder *d, ms_err code, uint32_t offset) {
    d->apdu_error_at = offset;
    return code;
}

/* What the APDU decoded to: d->reading, or the error apdu_error() recorded. */
static ms_result result(ms_decoder *d, ms_err e) {
    ms_result r;
    r.error = e;
    r.offset = e == MS_OK ? 0 : d->apdu_error_at;
    r.length = 0;
    r.reading = e == MS_OK ? &d->reading : NULL;
    return r;
}

static void put32(uint8_t *b, uint32_t v) {
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* ---- Ciphering ---------------------------------------------------------------------------------- */

/* Decrypts len bytes without checking a tag; 0 if the crypto library failed. */
static int decrypt(const uint8_t *key, const uint8_t *system_title, uint32_t frame_counter, const uint8_t *in,
                   uint32_t len, uint8_t *out) {
    uint8_t counter[16];
    memcpy(counter, system_title, 8);
    put32(counter + 8, frame_counter);
    counter[12] = 0;
    counter[13] = 0;
    counter[14] = 0;
    counter[15] = 2;
    return ms_port_aes128_ctr(key, counter, in, len, out) == MS_PORT_OK;
}

/*
 * Decrypts (or, not encrypted, copies) len bytes followed by their tag and verifies the tag;
 * 0 when it does not match. out has MS_AAD_HEADER bytes of room beyond len: an authenticated-only
 * content is verified with its AAD assembled there, the crypto port taking AAD in one piece.
 */
static int decrypt_verified(const uint8_t *key, const uint8_t *auth_key, uint8_t sc, int encrypted,
                            const uint8_t *system_title, uint32_t frame_counter, const uint8_t *in, uint32_t len,
                            uint8_t *out) {
    uint8_t iv[12];
    int ok;
    memcpy(iv, system_title, 8);
    put32(iv + 8, frame_counter);
    if (encrypted) {
        uint8_t aad[MS_AAD_HEADER];
        aad[0] = sc;
        memcpy(aad + 1, auth_key, 16);
        ok = ms_port_gcm128_decrypt(key, iv, aad, sizeof aad, in, len, in + len, out) == MS_PORT_OK;
        ms_port_zeroize(aad, sizeof aad);
        return ok;
    }
    out[0] = sc;
    memcpy(out + 1, auth_key, 16);
    memcpy(out + MS_AAD_HEADER, in, len);
    ok = ms_port_gcm128_decrypt(key, iv, out, MS_AAD_HEADER + (size_t)len, out, 0, in + len, out) == MS_PORT_OK;
    if (ok) {
        memmove(out, out + MS_AAD_HEADER, len);
        ms_port_zeroize(out + len, MS_AAD_HEADER);
    } else {
        ms_port_zeroize(out, MS_AAD_HEADER + (size_t)len);
    }
    return ok;
}

/* ---- DATA-NOTIFICATION ------------------------------------------------------------------------ */

/*
 * 0F, long-invoke-id-and-priority (4), date-time (00 | 0C + 12 bytes), body; with prefix the
 * notification may be followed by other bytes, and d->consumed says where it ended.
 */
static ms_err data_notification(ms_decoder *d, const uint8_t *a, uint32_t len, const uint8_t *system_title,
                              uint32_t frame_counter, uint8_t security, int prefix) {
    const ms_meter *m = MS_METER_OF(d);
    const uint8_t *date_time = NULL;
    uint32_t invoke_id;
    uint32_t q = 5;
    uint8_t dt;
    int tagged;
    ms_err e;
    if (len < 6) {
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, len);
    }
    invoke_id = ms_be32(a + 1);
    dt = a[q];
    tagged = dt == OCTET_STRING && (m->tolerances & MS_TOLERATE_TAGGED_NOTIFICATION_DATETIME) != 0;
    if (tagged && len == q + 1) {
        /* whether 09 begins a tagged date-time is for the next byte to say */
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, len);
    }
    if (dt == 12 || (tagged && a[q + 1] == 12)) {
        uint32_t from = q + (dt == 12 ? 1 : 2);
        if (from + 12 > len) {
            return apdu_error(d, MS_ERR_APDU_TRUNCATED, len);
        }
        date_time = a + from;
        q = from + 12;
    } else if (dt == 0) {
        q++;
    } else {
        return apdu_error(d, MS_ERR_APDU_DATETIME, q);
    }
    if ((date_time == NULL && m->datetime == MS_PRESENCE_REQUIRED)
        || (date_time != NULL && m->datetime == MS_PRESENCE_ABSENT)) {
        return apdu_error(d, MS_ERR_APDU_DATETIME, 5);
    }
    ms_body_reset(&d->body, a, q, len, 0);
    if (date_time != NULL && m->datetime_value >= 0) {
        ms_body_datetime(&d->body, m->datetime_value, date_time);
    }
    e = m->decode_body(&d->body);
    if (e != MS_OK) {
        return apdu_error(d, e, d->body.error_at);
    }
    if (d->body.pos != d->body.end && !prefix) {
        return apdu_error(d, MS_ERR_APDU_TRAILING_BYTES, d->body.pos - d->body.origin);
    }
    d->consumed = d->body.pos - d->body.origin;
    d->reading.meter = m;
    d->reading.ciphered = system_title != NULL;
    if (system_title != NULL) {
        memcpy(d->reading.system_title, system_title, SYSTEM_TITLE_LENGTH);
    } else {
        memset(d->reading.system_title, 0, SYSTEM_TITLE_LENGTH);
    }
    d->reading.frame_counter = system_title != NULL ? frame_counter : 0;
    d->reading.security = security;
    d->reading.invoke_id = invoke_id;
    d->reading.has_datetime = date_time != NULL;
    if (date_time != NULL) {
        memcpy(d->reading.datetime, date_time, 12);
    } else {
        memset(d->reading.datetime, 0, 12);
    }
    d->reading.count = d->body.count;
    d->reading.values = d->body.values;
    d->reading.pool = d->body.pool;
    return MS_OK;
}

/* ---- Ciphered APDUs: DB|DC, 08, system title, length, security control, frame counter, content [, tag] */

MS_INTERNAL ms_err ms_decipher(ms_decoder *d, const uint8_t *a, uint32_t len, uint8_t tag) {
    const ms_meter *m = MS_METER_OF(d);
    const uint8_t *auth_key;
    const uint8_t *key;
    uint32_t q = 2 + SYSTEM_TITLE_LENGTH;
    uint32_t length_at;
    uint32_t content;
    uint32_t content_length;
    uint32_t overhead;
    uint32_t content_len;
    uint32_t frame_counter;
    uint8_t first;
    uint8_t sc;
    uint8_t security;
    int authenticated;
    int encrypted;
    int broadcast;
    int verify;
    if (!(tag == GLO_CIPHERING ? m->accept_glo : m->accept_ded)) {
        return apdu_error(d, MS_ERR_SECURITY_NOT_ALLOWED, 0);
    }
    if (len < 2) {
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, len);
    }
    if (a[1] != SYSTEM_TITLE_LENGTH) {
        return apdu_error(d, MS_ERR_SECURITY_SYSTEM_TITLE, 1);
    }
    if (len < q + 1) {
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, len);
    }
    length_at = q;
    first = a[q++];
    content_length = first;
    if (first >= 0x80) {
        uint32_t n = first & 0x7Fu;
        uint32_t i;
        if (n == 0 || n > 4 || q + n > len) {
            return apdu_error(d, MS_ERR_SECURITY_LENGTH, length_at);
        }
        content_length = 0;
        for (i = 0; i < n; i++) {
            content_length = (content_length << 8) | a[q++];
        }
    }
    /* q <= len here; content_length may be anything a 4-byte length says */
    if (content_length > len - q) {
        return apdu_error(d, MS_ERR_SECURITY_LENGTH, length_at);
    }
    if (content_length < len - q) {
        return apdu_error(d, MS_ERR_APDU_TRAILING_BYTES, q + content_length);
    }
    if (content_length < 5) {
        return apdu_error(d, MS_ERR_SECURITY_LENGTH, length_at);
    }
    sc = a[q];
    if ((m->controls[sc >> 3] & (1u << (sc & 7))) == 0 || (sc & 0x80) != 0 || (sc & 0x0F) > 1) {
        return apdu_error(d, MS_ERR_SECURITY_CONTROL, q);
    }
    /* only the controls the spec accepts get here: a mode it accepts none of is not looked for */
    authenticated = (sc & 0x10) != 0;
    encrypted = (m->security_modes & MS_MODES_ALWAYS_ENCRYPTED) != 0 || (sc & 0x20) != 0;
    broadcast = (m->security_modes & MS_MODES_NEVER_BROADCAST) == 0 && (sc & 0x40) != 0;
    frame_counter = ms_be32(a + q + 1);
    content = q + 5;
    overhead = 5u + (authenticated ? TAG_LENGTH : 0u);
    if (content_length < overhead) {
        return apdu_error(d, MS_ERR_SECURITY_LENGTH, length_at);
    }
    content_len = content_length - overhead;
    if (content_len > m->max_apdu) {
        return apdu_error(d, MS_ERR_APDU_TOO_LONG, length_at);
    }
    if (d->require_authentication && !authenticated) {
        return apdu_error(d, MS_ERR_SECURITY_TAG_MISSING, q);
    }
    auth_key = (d->has_keys & HAS_AUTHENTICATION) != 0 ? d->authentication_key : NULL;
    if (d->require_authentication && auth_key == NULL) {
        return apdu_error(d, MS_ERR_SECURITY_AUTH_KEY_MISSING, q);
    }
    if (broadcast) {
        key = (d->has_keys & HAS_BROADCAST) != 0 ? d->broadcast_key : NULL;
    } else {
        key = (d->has_keys & HAS_ENCRYPTION) != 0 ? d->encryption_key : NULL;
    }
    verify = authenticated && auth_key != NULL;
    if ((encrypted || (verify && d->require_authentication)) && key == NULL) {
        return apdu_error(d, MS_ERR_SECURITY_KEY_MISSING, q);
    }
    if (verify && key != NULL) {
        /* a crypto library that fails is taken as a tag that does not match: nothing unverified passes */
        if (!decrypt_verified(key, auth_key, sc, encrypted, a + 2, frame_counter, a + content, content_len, d->plain)) {
            return apdu_error(d, MS_ERR_SECURITY_TAG_MISMATCH, content + content_len);
        }
        security = MS_SECURITY_AUTHENTICATED;
    } else if (encrypted) {
        if (!decrypt(key, a + 2, frame_counter, a + content, content_len, d->plain)) {
            /* the crypto library failed: as good as a wrong key */
            return apdu_error(d, MS_ERR_SECURITY_DECRYPTION, content);
        }
        security = MS_SECURITY_ENCRYPTED;
    } else {
        if (content_len > 0) {
            memcpy(d->plain, a + content, content_len);
        }
        security = MS_SECURITY_NONE;
    }
    if (content_len < 1) {
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, 0);
    }
    if (d->plain[0] != DATA_NOTIFICATION) {
        /* an unverified decryption with the wrong key gives noise; a verified one a real APDU */
        return security == MS_SECURITY_ENCRYPTED ? apdu_error(d, MS_ERR_SECURITY_DECRYPTION, content) : apdu_error(d, MS_ERR_APDU_TAG, 0);
    }
    return data_notification(d, d->plain, content_len, a + 2, frame_counter, security, 0);
}

/* ---- Entry points --------------------------------------------------------------------------- */

static ms_err apdu(ms_decoder *d, const uint8_t *a, uint32_t len) {
    uint8_t tag;
    if (d->stopped) {
        /* a one-shot decode has its result: nothing may write the reading it points to */
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, 0);
    }
    ms_inorder_settle_reading(&d->out);
    if (len < 1) {
        return apdu_error(d, MS_ERR_APDU_TRUNCATED, 0);
    }
    tag = a[0];
    if (tag == GLO_CIPHERING || tag == DED_CIPHERING) {
        /* a meter whose spec accepts neither refuses them as ms_decipher would, without it */
        return MS_METER_OF(d)->decipher != NULL ? MS_METER_OF(d)->decipher(d, a, len, tag) : apdu_error(d, MS_ERR_SECURITY_NOT_ALLOWED, 0);
    }
    if (tag != DATA_NOTIFICATION) {
        return apdu_error(d, MS_ERR_APDU_TAG, 0);
    }
    if (!MS_METER_OF(d)->accept_plain) {
        return apdu_error(d, MS_ERR_SECURITY_PLAINTEXT, 0);
    }
    if (d->require_authentication) {
        return apdu_error(d, MS_ERR_SECURITY_TAG_MISSING, 0);
    }
    return data_notification(d, a, len, NULL, 0, MS_SECURITY_NONE, 0);
}

MS_INTERNAL ms_result ms_decode_apdu(ms_decoder *d, const uint8_t *a, uint32_t len) {
    return result(d, apdu(d, a, len));
}

MS_INTERNAL void ms_decode_prefix(ms_decoder *d, const uint8_t *a, uint32_t len, ms_prefix *out) {
    ms_err e;
    out->needs_more = 0;
    out->length = 0;
    if (d->stopped) {
        out->needs_more = 1;
        out->result = result(d, apdu_error(d, MS_ERR_APDU_TRUNCATED, 0));
        return;
    }
    ms_inorder_settle_reading(&d->out);
    e = data_notification(d, a, len, NULL, 0, MS_SECURITY_NONE, 1);
    if (e == MS_OK) {
        out->length = d->consumed;
    } else if (e == MS_ERR_BODY_TRUNCATED || e == MS_ERR_APDU_TRUNCATED) {
        /* it states no length: a truncation means the bytes end before the notification does */
        out->needs_more = 1;
    }
    if (!out->needs_more && (!MS_METER_OF(d)->accept_plain || d->require_authentication)) {
        /* decoded all the same: the notification's length bounds the refused telegram */
        e = apdu_error(d, MS_METER_OF(d)->accept_plain ? MS_ERR_SECURITY_TAG_MISSING : MS_ERR_SECURITY_PLAINTEXT, 0);
    }
    out->result = result(d, e);
}
