/*
 * The reader as a host program ("host device"): everything the firmware runs except the ZigBee
 * stack and NVS. The meter's bytes come from a pty, a FIFO or a file, read in chunks of 120 bytes
 * as the firmware's UART driver hands them over; console commands come on stdin; the keys are
 * kept in a file through the storage port. What it would send over the air goes to stdout:
 *
 *   console <reply>                           a console reply
 *   telegram <n> ok <changed>                 a reading, and how many attributes it changed
 *   telegram <n> error <layer> <code> <offset>
 *   frame <endpoint> <cluster> <hex>          a ZCL Report Attributes frame, header included
 *   timeout                                   no valid telegram in time: CheckMeter
 *
 * usage: host_device --storage FILE [--meter PATH] [--chunk N] [--payload N]
 * It ends when stdin ends (and a meter input that is a file has been read to its end).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "configuration_console.h"
#include "meter.h"
#include "ms_errors.h"
#include "ms_port.h"
#include "smartmeter.h"
#include "storage.h"
#include "storage_file.h"

#define CHUNK_DEFAULT 120
#define CHUNK_MAX 4096
#define PAYLOAD_DEFAULT 82 /* an APS payload without fragmentation, as meterspec decode --zcl */
#define PAYLOAD_MAX 255

static size_t payload = PAYLOAD_DEFAULT;

static void write_reply(void *ctx, const char *line) {
    (void)ctx;
    printf("console %s\n", line);
    fflush(stdout);
}

static void drain_frames(void) {
    uint8_t frame[PAYLOAD_MAX];
    uint8_t endpoint;
    uint16_t cluster;
    size_t n, i;
    while ((n = smartmeter_next_frame(frame, payload, &endpoint, &cluster)) > 0) {
        printf("frame %u 0x%04x ", (unsigned)endpoint, (unsigned)cluster);
        for (i = 0; i < n; i++) {
            printf("%02X", frame[i]);
        }
        printf("\n");
    }
    fflush(stdout);
}

static void on_result(void *ctx, uint64_t number, const ms_result *r) {
    (void)ctx;
    if (r->error == MS_OK) {
        printf("telegram %llu ok %u\n", (unsigned long long)number, smartmeter_status_get()->last_changed);
    } else {
        printf("telegram %llu error %s %s %llu\n", (unsigned long long)number, ms_layer_name(MS_ERR_LAYER(r->error)),
               ms_err_name(r->error), (unsigned long long)r->offset);
    }
    drain_frames();
}

static uint32_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint32_t)((uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u);
}

/* A decimal argument in [low, high], or 0 when it is not one. */
static size_t number(const char *text, size_t low, size_t high) {
    char *end;
    unsigned long v;
    if (text == NULL || strlen(text) > 6) {
        return 0;
    }
    errno = 0;
    v = strtoul(text, &end, 10);
    return errno == 0 && *end == '\0' && end != text && v >= low && v <= high ? (size_t)v : 0;
}

static int usage(const char *problem) {
    fprintf(stderr, "host_device: %s\nusage: host_device --storage FILE [--meter PATH] [--chunk N] [--payload N]\n", problem);
    return 2;
}

int main(int argc, char **argv) {
    const char *storage = NULL;
    const char *meter = NULL;
    size_t chunk = CHUNK_DEFAULT;
    uint8_t buffer[CHUNK_MAX];
    struct pollfd fds[2];
    int meter_fd = -1;
    int meter_is_file = 0;
    int stdin_open = 1;
    uint32_t timeouts = 0;
    int i;
    /* every option takes one value */
    for (i = 1; i < argc; i += 2) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--storage") == 0 && value != NULL) {
            storage = value;
        } else if (strcmp(argv[i], "--meter") == 0 && value != NULL) {
            meter = value;
        } else if (strcmp(argv[i], "--chunk") == 0) {
            if ((chunk = number(value, 1, CHUNK_MAX)) == 0) {
                return usage("--chunk takes 1 to 4096 bytes");
            }
        } else if (strcmp(argv[i], "--payload") == 0) {
            if ((payload = number(value, MS_ZCL_MIN_PAYLOAD, PAYLOAD_MAX)) == 0) {
                return usage("--payload takes 31 to 255 bytes");
            }
        } else {
            /* the argument is not repeated: it may be a key given in the wrong place */
            return usage("unknown option, or an option without its value");
        }
    }
    if (storage == NULL) {
        return usage("--storage FILE is needed: the keys are kept there");
    }
    if (storage_file_use(storage) != 0 || storage_open() != STORAGE_OK) {
        fprintf(stderr, "host_device: cannot use the storage file %s\n", storage);
        return 2;
    }
    if (meter != NULL) {
        struct stat st;
        if (stat(meter, &st) != 0) {
            fprintf(stderr, "host_device: cannot open the meter input %s: %s\n", meter, strerror(errno));
            return 2;
        }
        meter_is_file = S_ISREG(st.st_mode);
        /* a FIFO or pty is opened for writing too, so that it never ends while no writer is there yet */
        meter_fd = open(meter, (meter_is_file ? O_RDONLY : O_RDWR) | O_NONBLOCK | O_NOCTTY);
        if (meter_fd < 0) {
            fprintf(stderr, "host_device: cannot open the meter input %s: %s\n", meter, strerror(errno));
            return 2;
        }
    }
    console_init(write_reply, NULL);
    if (smartmeter_start(NULL, NULL, NULL, NULL, on_result, NULL) != 0) {
        fprintf(stderr, "host_device: the decoder does not start\n");
        return 2;
    }
    if (console_apply_stored_keys() != 0) {
        printf("console the stored keys cannot be read; set them again\n");
    }
    printf("ready %s\n", METER_ZCL_MODEL_ID);
    fflush(stdout);
    smartmeter_tick(now_ms());
    while (stdin_open || (meter_is_file && meter_fd >= 0)) {
        int n;
        fds[0].fd = stdin_open ? 0 : -1;
        fds[0].events = POLLIN;
        fds[1].fd = meter_fd;
        fds[1].events = POLLIN;
        n = poll(fds, 2, 1000);
        if (n < 0 && errno != EINTR) {
            break;
        }
        if (stdin_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t got = read(0, buffer, sizeof buffer);
            if (got > 0) {
                console_feed(buffer, (size_t)got);
                ms_port_zeroize(buffer, (size_t)got); /* it may hold a key */
            } else if (got == 0 || errno != EAGAIN) {
                stdin_open = 0;
            }
        }
        if (meter_fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t got = read(meter_fd, buffer, chunk);
            if (got > 0) {
                smartmeter_feed(buffer, (size_t)got);
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                /* the end of the file (a FIFO or pty does not end: it is open for writing here too) */
                close(meter_fd);
                meter_fd = -1;
            }
        }
        smartmeter_tick(now_ms());
        if (smartmeter_status_get()->timeouts != timeouts) {
            timeouts = smartmeter_status_get()->timeouts;
            printf("timeout\n");
            drain_frames();
        }
    }
    smartmeter_stop();
    return 0;
}
