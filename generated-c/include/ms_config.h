/*
 * meterspec C runtime options. Each may be set by the build (-D, or ESP-IDF's Kconfig through
 * CONFIG_METERSPEC_*); the defaults suit the host build and a firmware alike.
 */
#ifndef MS_CONFIG_H
#define MS_CONFIG_H

/* Messages for error codes (ms_err_message); names are always there, the JSON line needs them. */
#ifndef MS_ERROR_MESSAGES
#if defined(CONFIG_METERSPEC_ERROR_MESSAGES)
#define MS_ERROR_MESSAGES CONFIG_METERSPEC_ERROR_MESSAGES
#else
#define MS_ERROR_MESSAGES 1
#endif
#endif

/* The canonical JSON line (ms_json_line): a firmware that only reports values can leave it out. */
#ifndef MS_JSON
#if defined(CONFIG_METERSPEC_JSON)
#define MS_JSON CONFIG_METERSPEC_JSON
#else
#define MS_JSON 1
#endif
#endif

#endif /* MS_CONFIG_H */
