/*
 * The storage port on a host: every record in one file (name length, name, value length, value),
 * rewritten whole through a temporary file and rename(), so a crash leaves the old file or the
 * new one. The file is created with mode 0600; it holds keys, as NVS does on the device.
 */
#define _POSIX_C_SOURCE 200809L
#include "storage_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms_port.h"
#include "storage.h"

#define FILE_MAX 4096
#define PATH_MAX_LEN 1024

static char path[PATH_MAX_LEN];
static uint8_t image[FILE_MAX];
static size_t image_len;

int storage_file_use(const char *file) {
    if (file == NULL || strlen(file) + 5 > sizeof path) {
        return -1;
    }
    strcpy(path, file);
    return 0;
}

/* Reads the whole file into image (at most FILE_MAX bytes); a missing file is empty. */
static storage_result read_image(void) {
    int fd = open(path, O_RDONLY);
    ssize_t n;
    image_len = 0;
    if (fd < 0) {
        return STORAGE_OK;
    }
    while (image_len < FILE_MAX && (n = read(fd, image + image_len, FILE_MAX - image_len)) > 0) {
        image_len += (size_t)n;
    }
    if (image_len == FILE_MAX && read(fd, &n, 1) > 0) {
        close(fd);
        ms_port_zeroize(image, sizeof image);
        image_len = 0;
        return STORAGE_FAILED; /* not a file this port wrote */
    }
    close(fd);
    return STORAGE_OK;
}

static storage_result write_image(void) {
    char tmp[PATH_MAX_LEN + 5];
    size_t done = 0;
    int fd;
    snprintf(tmp, sizeof tmp, "%s.new", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        return STORAGE_FAILED;
    }
    while (done < image_len) {
        ssize_t n = write(fd, image + done, image_len - done);
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            return STORAGE_FAILED;
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return STORAGE_FAILED;
    }
    return STORAGE_OK;
}

/* Where the record of that name starts in image, its whole length in *span; -1 when absent. */
static long find(const char *name, size_t *span, int *corrupt) {
    size_t at = 0;
    size_t name_len = strlen(name);
    *corrupt = 0;
    while (at < image_len) {
        size_t n, v;
        if (at + 1 > image_len || at + 1 + image[at] + 1 > image_len) {
            *corrupt = 1;
            return -1;
        }
        n = image[at];
        v = image[at + 1 + n];
        if (at + 2 + n + v > image_len) {
            *corrupt = 1;
            return -1;
        }
        if (n == name_len && memcmp(image + at + 1, name, n) == 0) {
            *span = 2 + n + v;
            return (long)at;
        }
        at += 2 + n + v;
    }
    return -1;
}

storage_result storage_open(void) {
    storage_result r;
    if (path[0] == '\0') {
        return STORAGE_FAILED;
    }
    r = read_image();
    ms_port_zeroize(image, sizeof image);
    return r;
}

storage_result storage_load(const char *name, uint8_t *out, size_t len) {
    size_t span = 0;
    int corrupt;
    long at;
    storage_result r = read_image();
    memset(out, 0, len);
    if (r != STORAGE_OK) {
        return r;
    }
    at = find(name, &span, &corrupt);
    if (corrupt) {
        r = STORAGE_FAILED;
    } else if (at < 0) {
        r = STORAGE_MISSING;
    } else if (image[at + 1 + image[at]] != len) {
        r = STORAGE_FAILED;
    } else {
        memcpy(out, image + at + 2 + image[at], len);
    }
    ms_port_zeroize(image, sizeof image);
    return r;
}

/* Removes the record of that name from image. */
static storage_result remove_record(const char *name) {
    size_t span = 0;
    int corrupt;
    long at = find(name, &span, &corrupt);
    if (corrupt) {
        return STORAGE_FAILED;
    }
    if (at >= 0) {
        memmove(image + at, image + at + span, image_len - (size_t)at - span);
        image_len -= span;
        ms_port_zeroize(image + image_len, span);
    }
    return STORAGE_OK;
}

storage_result storage_save(const char *name, const uint8_t *bytes, size_t len) {
    size_t name_len = strlen(name);
    storage_result r = read_image();
    if (r == STORAGE_OK) {
        r = remove_record(name);
    }
    if (r == STORAGE_OK && (name_len > 255 || len > 255 || image_len + 2 + name_len + len > FILE_MAX)) {
        r = STORAGE_FAILED;
    }
    if (r == STORAGE_OK) {
        image[image_len++] = (uint8_t)name_len;
        memcpy(image + image_len, name, name_len);
        image_len += name_len;
        image[image_len++] = (uint8_t)len;
        memcpy(image + image_len, bytes, len);
        image_len += len;
        r = write_image();
    }
    ms_port_zeroize(image, sizeof image);
    return r;
}

storage_result storage_erase(const char *name) {
    storage_result r = read_image();
    if (r == STORAGE_OK) {
        r = remove_record(name);
    }
    if (r == STORAGE_OK) {
        r = write_image();
    }
    ms_port_zeroize(image, sizeof image);
    return r;
}
