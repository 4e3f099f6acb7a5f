/*
 * The configuration console of the reader, over the USB console on the device and stdin on the
 * host: it takes bytes as they come, one command a line.
 *
 *   key set HEX     the encryption key (global unicast key), 32 hex digits; spaces, colons or
 *                   dashes between them are fine
 *   key auth HEX    the authentication key; once set, telegrams must carry a valid GCM tag
 *   key status      whether each key is set, and its check value (the first 3 bytes of AES of a
 *                   zero block under it, as key ceremonies compare keys); never a key
 *   key clear       forgets both keys
 *   status          telegram and error counters, the last error, the keys' state
 *   help
 *
 * Keys go to the storage port and to the reader; every copy the console made is zeroised, the
 * line it came in included. No reply repeats what was typed, so a key typed in the wrong place
 * is never shown either.
 */
#ifndef READER_CONFIGURATION_CONSOLE_H
#define READER_CONFIGURATION_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest line, newline excluded; a longer one is refused whole. */
#define CONSOLE_LINE_MAX 159

/* Writes one reply line (no newline at its end). */
typedef void (*console_writer)(void *ctx, const char *line);

/* Where replies go. */
void console_init(console_writer write, void *ctx);

/* Loads the stored keys into the reader (at start); 0 when storage could be read. */
int console_apply_stored_keys(void);

/* Bytes typed, any number at a time: each complete line is executed. */
void console_feed(const uint8_t *bytes, size_t len);

/* Executes one line (no newline); the line is zeroised afterwards. */
void console_execute(char *line);

#ifdef __cplusplus
}
#endif

#endif /* READER_CONFIGURATION_CONSOLE_H */
