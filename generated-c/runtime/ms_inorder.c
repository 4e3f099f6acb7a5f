/*
 * Results in stream order (InOrder). A result's position is where in the input it begins: a
 * transport error's offset, a telegram's first byte. A damaged frame's error may name a byte
 * beyond the start of a later telegram; such an error waits here until nothing before it can
 * still come. Fixed capacity (MS_SIZE_WAITING); if it were ever full the earliest goes first.
 *
 * Waiting results are kept by value. The one that is a reading (code MS_OK) refers to the
 * decoder's one reading buffer, which the next decode overwrites: a reading never waits beyond
 * the frame that completed it (no telegram or run is open then, so the release after that frame
 * passes it), and ms_inorder_settle_reading makes the decoder's writes wait for it regardless.
 */
#include <string.h>

#include "ms_stream_impl.h"

MS_INTERNAL void ms_inorder_init(ms_inorder *o, ms_waiting *w, size_t capacity, const ms_reading *reading) {
    o->w = w;
    o->capacity = capacity;
    o->size = 0;
    o->count = 0;
    o->reading_waiting = 0;
    o->reading = reading;
}

static void pass(ms_inorder *o) {
    ms_waiting w = o->w[0];
    ms_result r;
    o->size--;
    memmove(o->w, o->w + 1, o->size * sizeof o->w[0]);
    r.error = (ms_err)w.code;
    r.offset = w.offset;
    r.length = w.length;
    r.reading = w.code == MS_OK ? o->reading : NULL;
    if (w.code == MS_OK) {
        o->reading_waiting = 0;
    }
    o->count++;
    if (o->callback != NULL) {
        o->callback(o->ctx, o->count, &r);
    }
}

MS_INTERNAL void ms_inorder_add(ms_inorder *o, const ms_result *r, uint64_t position) {
    size_t i;
    if (o->size == o->capacity) {
        pass(o);
    }
    i = o->size;
    while (i > 0 && o->w[i - 1].position > position) {
        o->w[i] = o->w[i - 1];
        i--;
    }
    o->w[i].position = position;
    o->w[i].offset = r->offset;
    o->w[i].length = (uint32_t)r->length;
    o->w[i].code = (uint16_t)r->error;
    if (r->error == MS_OK) {
        o->reading_waiting = 1;
    }
    o->size++;
}

MS_INTERNAL void ms_inorder_release(ms_inorder *o, uint64_t horizon) {
    while (o->size > 0 && o->w[0].position < horizon) {
        pass(o);
    }
}

MS_INTERNAL void ms_inorder_flush(ms_inorder *o) {
    while (o->size > 0) {
        pass(o);
    }
}

MS_INTERNAL void ms_inorder_clear(ms_inorder *o) {
    o->size = 0;
    o->reading_waiting = 0;
}

MS_INTERNAL void ms_inorder_settle_reading(ms_inorder *o) {
    while (o->reading_waiting && o->size > 0) {
        pass(o);
    }
}
