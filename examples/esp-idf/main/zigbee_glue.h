/*
 * The glue between a meter's generated ZigBee endpoint table (ms_zcl.h) and the ESP Zigbee SDK
 * (esp-zigbee-lib 2.0.x, native API: CONFIG_ZB_SDK_1xx off). It only forwards: the table decides
 * the endpoints, clusters and attributes, the runtime (ms_zcl_update) decides their values.
 * zigbee_glue_start() runs the stack as a mains-powered router that finds and joins a network by
 * itself; zigbee_glue_set() then forwards each changed attribute.
 */
#ifndef ZIGBEE_GLUE_H
#define ZIGBEE_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "esp_zigbee.h"
#include "ms_zcl.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ZIGBEE_GLUE_MAX_CHILDREN
#define ZIGBEE_GLUE_MAX_CHILDREN 10
#endif

/* The stack's NVS partition (partitions.csv: subtype nvs, as esp-zigbee-lib 2.x wants it). */
#ifndef ZIGBEE_GLUE_STORAGE_PARTITION
#define ZIGBEE_GLUE_STORAGE_PARTITION "zb_storage"
#endif

/* How long after a failed commissioning step (no network to join, say) it is tried again. */
#ifndef ZIGBEE_GLUE_RETRY_MS
#define ZIGBEE_GLUE_RETRY_MS 5000u
#endif

/* The task that runs the stack's main loop (bytes of stack; FreeRTOS priority). */
#ifndef ZIGBEE_GLUE_TASK_STACK
#define ZIGBEE_GLUE_TASK_STACK 6144
#endif
#ifndef ZIGBEE_GLUE_TASK_PRIORITY
#define ZIGBEE_GLUE_TASK_PRIORITY 5
#endif

/*
 * The device role: a router, as a mains-powered reader can be (the Basic cluster says mains).
 * Use it as esp_zigbee_config_t.device_config for esp_zigbee_init(); the build needs CONFIG_ZB_ZCZR.
 */
#define ZIGBEE_GLUE_DEVICE_CONFIG()                                  \
    {                                                                \
        .device_type = EZB_NWK_DEVICE_TYPE_ROUTER,                   \
        .install_code_policy = false,                                \
        .zczr_config = {.max_children = ZIGBEE_GLUE_MAX_CHILDREN},   \
    }

/*
 * The platform: the SoC's own IEEE 802.15.4 radio (the ESP32-C6's; the build needs
 * CONFIG_ZB_RADIO_NATIVE) and the stack's storage partition. esp_zigbee_config_t.platform_config.
 */
#define ZIGBEE_GLUE_PLATFORM_CONFIG()                                    \
    {                                                                    \
        .storage_partition_name = ZIGBEE_GLUE_STORAGE_PARTITION,         \
        .radio_config = {.radio_mode = ESP_ZIGBEE_RADIO_MODE_NATIVE},    \
    }

/*
 * Starts the ZigBee device of the table, once:
 *   - initialises the stack's NVS partition (ZIGBEE_GLUE_STORAGE_PARTITION; erased and initialised
 *     again when it holds another NVS layout, which costs the network it had joined),
 *   - starts a task that initialises the stack (esp_zigbee_init with ZIGBEE_GLUE_DEVICE_CONFIG and
 *     ZIGBEE_GLUE_PLATFORM_CONFIG), registers the device (zigbee_glue_register with map, state and
 *     model_id), starts it and then runs its main loop,
 *   - commissions it: BDB initialisation (rejoining the network it had), network steering when
 *     it is factory new or has been told to leave for good, each retried after
 *     ZIGBEE_GLUE_RETRY_MS when it fails; joins, rejoins and leaves are logged.
 * Returns once the device is registered and the stack started (ESP_OK), or with the error that
 * stopped it; the main loop goes on in its task. It reads state while it registers: call it
 * before the tasks that change state run. ESP_ERR_INVALID_STATE when called again.
 */
esp_err_t zigbee_glue_start(const ms_zcl_map *map, const ms_zcl_state *state, const char *model_id);

/*
 * Builds the ZigBee device from the table: per endpoint a Basic server cluster (ManufacturerName
 * "meterspec", ModelIdentifier model_id, PowerSource mains), an Identify server cluster, and every
 * cluster of the table as a server cluster whose attributes are the table's (id, type, read-only,
 * reportable where the table says so, initial value from state), then registers the device with
 * the stack and sets each reportable attribute's reporting (min/max interval, reportable change)
 * to the table's, so it reports before a coordinator configures it.
 * Call it once, from the task that ran esp_zigbee_init(), before esp_zigbee_start(), holding the
 * Zigbee lock; zigbee_glue_start() does all that.
 */
esp_err_t zigbee_glue_register(const ms_zcl_map *map, const ms_zcl_state *state, const char *model_id);

/*
 * An ms_zcl_setter: forwards one changed attribute to the stack (sets its value under the Zigbee
 * lock, waiting for it). ctx is unused (may be NULL). Safe from any application task at any time:
 * until zigbee_glue_register() has registered the device it does nothing. Not for a Zigbee
 * callback (the stack's own task).
 */
void zigbee_glue_set(void *ctx, uint8_t endpoint, uint16_t cluster, const ms_zcl_attr *attr, const uint8_t *value,
                     size_t len);

#ifdef __cplusplus
}
#endif

#endif /* ZIGBEE_GLUE_H */
