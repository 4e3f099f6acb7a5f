/*
 * zigbee_glue.c: forwards a meter's generated ZigBee endpoint table (ms_zcl.h) to the ESP Zigbee SDK.
 *
 * Targets esp-zigbee-sdk v2 (esp-zigbee-lib 2.0.3), its native API (ezbee/, CONFIG_ZB_SDK_1xx off),
 * not the v1.x esp_zb_* API. v2.0.3 keeps esp_zb_* only as a compatibility layer whose headers are
 * deprecated (each emits #warning; the migration guide calls it not for production code) and which
 * leaves out the Electrical Measurement cluster that every generated table has
 * (esp_zb_cluster_list_add_electrical_meas_cluster() is defined as ESP_ERR_NOT_SUPPORTED).
 *
 * SDK calls:
 *   esp_zigbee.h                  esp_zigbee_init, esp_zigbee_start, esp_zigbee_launch_mainloop,
 *                                 esp_zigbee_lock_acquire, esp_zigbee_lock_release, esp_zigbee_task_queue_post,
 *                                 esp_zigbee_err_to_esp
 *   ezbee/app_signals.h           ezb_app_signal_add_handler, ezb_app_signal_get_type, ezb_app_signal_get_params,
 *                                 ezb_app_signal_to_string
 *   ezbee/bdb.h                   ezb_bdb_start_top_level_commissioning, ezb_bdb_is_factory_new
 *   ezbee/nwk.h                   ezb_nwk_get_extended_panid, ezb_nwk_get_panid, ezb_nwk_get_current_channel,
 *                                 ezb_nwk_get_short_address
 *   ezbee/aps.h                   ezb_aps_secur_enable_distributed_security
 *   ezbee/af.h                    ezb_af_create_device_desc, ezb_af_free_device_desc, ezb_af_create_endpoint_desc,
 *                                 ezb_af_free_endpoint_desc, ezb_af_endpoint_add_cluster_desc,
 *                                 ezb_af_device_add_endpoint_desc, ezb_af_device_desc_register
 *   ezbee/zcl/zcl_desc.h          ezb_zcl_create_attr_desc, ezb_zcl_free_attr_desc, ezb_zcl_attr_desc_set_value,
 *                                 ezb_zcl_cluster_add_attr_desc, ezb_zcl_cluster_remove_attr_desc,
 *                                 ezb_zcl_free_cluster_desc
 *   ezbee/zcl/zcl_common.h        ezb_zcl_set_attr_value
 *   ezbee/zcl/zcl_reporting.h     ezb_zcl_reporting_info_find, ezb_zcl_reporting_info_update_default_interval,
 *                                 ezb_zcl_reporting_info_update
 *   ezbee/zcl/cluster/basic_desc.h, identify_desc.h, metering_desc.h, electrical_measurement_desc.h:
 *                                 ezb_zcl_basic_create_cluster_desc, ezb_zcl_basic_cluster_desc_add_attr,
 *                                 ezb_zcl_identify_create_cluster_desc, ezb_zcl_metering_create_cluster_desc,
 *                                 ezb_zcl_electrical_measurement_create_cluster_desc
 *
 * What the SDK does with values (esp-zigbee-lib 2.0.3, read from its headers and its library):
 * - it copies an attribute's value into storage it allocates when the attribute is created, so
 *   the glue passes values on its stack and keeps no buffers;
 * - it reads a value as its own C type for the attribute's ZCL type (uint32_t for a 24-bit
 *   integer, taking an int24's sign from bit 31; uint64_t for a 48-bit one) with word loads;
 * - it sizes a string's storage by the value the string is created with and later writes any
 *   value given into it, unchecked.
 *
 * How it runs (esp_zigbee.h, and the library): esp_zigbee_init() creates the Zigbee lock (a
 * recursive mutex; before it, esp_zigbee_lock_acquire() fails); esp_zigbee_launch_mainloop() runs
 * the stack, taking the lock for each round of work, in which the signal handler and the
 * callbacks posted with esp_zigbee_task_queue_post() run. Every other task takes the lock around
 * its SDK calls. The sequence (init, signal handler, device, start, main loop, and the
 * commissioning in the signal handler) is the one of the SDK's router examples
 * (examples/customized_devices/data_consumer).
 */
#include "zigbee_glue.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "nvs_flash.h"
#include "sdkconfig.h"

#if !defined(CONFIG_ZB_ENABLED) || !defined(CONFIG_ZB_ZCZR) || !defined(CONFIG_ZB_RADIO_NATIVE) || defined(CONFIG_ZB_SDK_1xx)
#error "zigbee_glue needs CONFIG_ZB_ENABLED, CONFIG_ZB_ZCZR and CONFIG_ZB_RADIO_NATIVE, and CONFIG_ZB_SDK_1xx off (sdkconfig.defaults)"
#endif

static const char *TAG = "zigbee_glue";

/* Set once the device is registered: zigbee_glue_set() does nothing before. */
static atomic_bool registered;

/* ZCL 3.2.2.2.5: ModelIdentifier is a character string of at most 32 bytes. */
#define GLUE_MODEL_ID_MAX 32

/* A length byte, then the bytes: how ZCL and the SDK take a string. */
static const char MANUFACTURER_NAME[] = "\x09"
                                        "meterspec";

/* ZCL's little-endian integer bytes are widened in place to the SDK's C types: right on the
   little-endian ESP32-C6 (RISC-V) only. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "zigbee_glue needs a little-endian target");
_Static_assert(sizeof(ezb_zcl_int24_t) == 4 && sizeof(ezb_zcl_uint48_t) == 8,
               "the SDK's 24-bit integers are 32-bit, its 48-bit ones 64-bit (ezbee/zcl/zcl_type.h)");
_Static_assert(sizeof(ezb_zcl_attr_variable_t) == 8, "a reportable change fills the SDK's 8-byte variable");

/* A value in the SDK's form, aligned for its word loads. */
typedef union {
    uint64_t integer;
    uint8_t string[1 + MS_ZCL_TEXT_MAX];
} glue_value;

static bool is_signed(uint8_t type)
{
    return type >= EZB_ZCL_ATTR_TYPE_INT8 && type <= EZB_ZCL_ATTR_TYPE_INT64;
}

/* The string bytes an attribute's storage is made for: the table's most (its max). */
static size_t string_room(const ms_zcl_attr *attr)
{
    return attr->max < 0 ? 0 : attr->max > MS_ZCL_TEXT_MAX ? MS_ZCL_TEXT_MAX : (size_t)attr->max;
}

/*
 * A ZCL-encoded value (ms_zcl_setter) in the SDK's form: a string as it is, an integer, bitmap or
 * enum widened to 64 bits (sign-extended for the signed types), which each of the SDK's C types
 * reads from its first byte. False when it does not fit the attribute.
 */
static bool to_sdk(const ms_zcl_attr *attr, const uint8_t *zcl, size_t len, glue_value *out)
{
    uint64_t v = 0;
    size_t i;
    if (attr->width == 0) {
        if (len == 0 || len != 1u + zcl[0] || zcl[0] > string_room(attr)) {
            return false;
        }
        memcpy(out->string, zcl, len);
        return true;
    }
    if (len != attr->width || len > sizeof out->integer) {
        return false;
    }
    for (i = len; i-- > 0;) {
        v = v << 8 | zcl[i];
    }
    if (is_signed(attr->type) && len < sizeof v && (zcl[len - 1] & 0x80u) != 0) {
        v |= ~UINT64_C(0) << (8 * len);
    }
    out->integer = v;
    return true;
}

static esp_err_t sdk_error(ezb_err_t err, const char *what, uint8_t endpoint, uint16_t cluster, uint16_t attr)
{
    esp_err_t ret = esp_zigbee_err_to_esp(err);
    ESP_LOGE(TAG, "%s (endpoint %u, cluster 0x%04x, attribute 0x%04x): %s (0x%04x)", what, (unsigned)endpoint,
             (unsigned)cluster, (unsigned)attr, esp_err_to_name(ret), (unsigned)err);
    return ret;
}

/*
 * Adds attribute index of the table to cluster with its initial value from state. An attribute of
 * that id the cluster's create function added is replaced, so the table decides type and access.
 */
static esp_err_t add_attr(ezb_zcl_cluster_desc_t cluster, uint8_t endpoint, uint16_t cluster_id, const ms_zcl_attr *attr,
                          const ms_zcl_state *state, unsigned index)
{
    uint8_t zcl[1 + MS_ZCL_TEXT_MAX];
    glue_value initial, room;
    const glue_value *created_with = &initial;
    uint8_t access = EZB_ZCL_ATTR_ACCESS_READ_ONLY | (attr->reportable ? EZB_ZCL_ATTR_ACCESS_REPORTING : 0);
    ezb_zcl_attr_desc_t desc;
    ezb_err_t err = EZB_ERR_NONE;
    size_t n = ms_zcl_encode(state, index, zcl, sizeof zcl);

    if (n > sizeof zcl || !to_sdk(attr, zcl, n, &initial)) {
        ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: initial value of %u bytes does not fit",
                 (unsigned)attr->id, (unsigned)cluster_id, (unsigned)endpoint, (unsigned)n);
        return ESP_ERR_INVALID_SIZE;
    }
    if (attr->width == 0) {
        /* Created at its longest, so the later values fit the storage the SDK allocates. */
        memset(&room, 0, sizeof room);
        room.string[0] = (uint8_t)string_room(attr);
        created_with = &room;
    }
    desc = ezb_zcl_cluster_remove_attr_desc(cluster, attr->id, EZB_ZCL_STD_MANUF_CODE);
    if (desc != EZB_INVALID_ZCL_ATTR_DESC) {
        ezb_zcl_free_attr_desc(desc);
    }
    desc = ezb_zcl_create_attr_desc(attr->id, attr->type, access, EZB_ZCL_STD_MANUF_CODE, created_with);
    if (desc == EZB_INVALID_ZCL_ATTR_DESC) {
        ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: no descriptor (type 0x%02x unknown to the SDK, or no memory)",
                 (unsigned)attr->id, (unsigned)cluster_id, (unsigned)endpoint, (unsigned)attr->type);
        return ESP_FAIL;
    }
    if (created_with != &initial) {
        err = ezb_zcl_attr_desc_set_value(desc, &initial);
    }
    if (err == EZB_ERR_NONE) {
        err = ezb_zcl_cluster_add_attr_desc(cluster, desc);
    }
    if (err != EZB_ERR_NONE) {
        ezb_zcl_free_attr_desc(desc);
        return sdk_error(err, "adding an attribute", endpoint, cluster_id, attr->id);
    }
    return ESP_OK;
}

/*
 * A server cluster for a table's cluster, with the mandatory attributes the SDK adds: those of the
 * clusters meterspec maps values onto (ZclCatalog). A standard cluster needs its own create
 * function, since a custom cluster's id must be above EZB_ZCL_CLUSTER_ID_MIN_CUSTOM.
 */
static esp_err_t create_server_cluster(uint16_t id, ezb_zcl_cluster_desc_t *out)
{
    switch (id) {
    case EZB_ZCL_CLUSTER_ID_METERING:
        *out = ezb_zcl_metering_create_cluster_desc(NULL, EZB_ZCL_CLUSTER_SERVER);
        break;
    case EZB_ZCL_CLUSTER_ID_ELECTRICAL_MEASUREMENT:
        *out = ezb_zcl_electrical_measurement_create_cluster_desc(NULL, EZB_ZCL_CLUSTER_SERVER);
        break;
    default:
        ESP_LOGE(TAG, "cluster 0x%04x: not one the glue creates", (unsigned)id);
        return ESP_ERR_NOT_SUPPORTED;
    }
    return ESP_OK;
}

/* The Basic server cluster: who made the reader and which meter it reads (model, a ZCL string). */
static ezb_zcl_cluster_desc_t create_basic(const uint8_t *model, ezb_err_t *err)
{
    const ezb_zcl_basic_cluster_server_config_t config = {
        .zcl_version = EZB_ZCL_BASIC_ZCL_VERSION_DEFAULT_VALUE,
        .power_source = EZB_ZCL_BASIC_POWER_SOURCE_SINGLE_PHASE_MAINS,
    };
    ezb_zcl_cluster_desc_t basic = ezb_zcl_basic_create_cluster_desc(&config, EZB_ZCL_CLUSTER_SERVER);
    *err = EZB_ERR_NONE;
    if (basic != EZB_INVALID_ZCL_CLUSTER_DESC) {
        *err = ezb_zcl_basic_cluster_desc_add_attr(basic, EZB_ZCL_ATTR_BASIC_MANUFACTURER_NAME_ID, MANUFACTURER_NAME);
        if (*err == EZB_ERR_NONE) {
            *err = ezb_zcl_basic_cluster_desc_add_attr(basic, EZB_ZCL_ATTR_BASIC_MODEL_IDENTIFIER_ID, model);
        }
    }
    return basic;
}

/* Adds cluster (just created, NULL if that failed) to ep; frees it when it cannot. */
static esp_err_t attach(ezb_af_ep_desc_t ep, uint8_t endpoint, uint16_t cluster_id, ezb_zcl_cluster_desc_t cluster,
                        esp_err_t filled)
{
    ezb_err_t err;
    if (cluster == EZB_INVALID_ZCL_CLUSTER_DESC) {
        ESP_LOGE(TAG, "cluster 0x%04x on endpoint %u: no descriptor (no memory)", (unsigned)cluster_id,
                 (unsigned)endpoint);
        return ESP_ERR_NO_MEM;
    }
    if (filled != ESP_OK) {
        ezb_zcl_free_cluster_desc(cluster);
        return filled;
    }
    err = ezb_af_endpoint_add_cluster_desc(ep, cluster);
    if (err != EZB_ERR_NONE) {
        ezb_zcl_free_cluster_desc(cluster);
        return sdk_error(err, "adding a cluster", endpoint, cluster_id, 0);
    }
    return ESP_OK;
}

/* Fills ep with Basic, Identify and the table's clusters of endpoint e; *index: the table index of its first attribute. */
static esp_err_t fill_endpoint(ezb_af_ep_desc_t ep, const ms_zcl_endpoint *e, const ms_zcl_state *state,
                               unsigned *index, const uint8_t *model)
{
    ezb_zcl_cluster_desc_t cluster;
    ezb_err_t err;
    esp_err_t ret;
    uint16_t c, a;

    cluster = create_basic(model, &err);
    ret = attach(ep, e->number, EZB_ZCL_CLUSTER_ID_BASIC, cluster,
                 err == EZB_ERR_NONE ? ESP_OK : sdk_error(err, "adding a Basic attribute", e->number, EZB_ZCL_CLUSTER_ID_BASIC, 0));
    if (ret != ESP_OK) {
        return ret;
    }
    cluster = ezb_zcl_identify_create_cluster_desc(NULL, EZB_ZCL_CLUSTER_SERVER);
    ret = attach(ep, e->number, EZB_ZCL_CLUSTER_ID_IDENTIFY, cluster, ESP_OK);
    if (ret != ESP_OK) {
        return ret;
    }
    for (c = 0; c < e->count; c++) {
        const ms_zcl_cluster *cl = &e->clusters[c];
        cluster = EZB_INVALID_ZCL_CLUSTER_DESC;
        ret = create_server_cluster(cl->id, &cluster);
        if (ret != ESP_OK) {
            return ret;
        }
        for (a = 0; a < cl->count && ret == ESP_OK && cluster != EZB_INVALID_ZCL_CLUSTER_DESC; a++, (*index)++) {
            ret = add_attr(cluster, e->number, cl->id, &cl->attributes[a], state, *index);
        }
        ret = attach(ep, e->number, cl->id, cluster, ret);
        if (ret != ESP_OK) {
            return ret;
        }
    }
    return ESP_OK;
}

/*
 * Sets every reportable attribute's reporting, current and default, to the table's. The stack
 * made a reporting entry for each at registration, restoring one a coordinator configured before
 * a restart; this sets the table's again (which the generated Zigbee2MQTT converter configures).
 */
static esp_err_t set_reporting(const ms_zcl_map *map)
{
    uint16_t e, c, a;
    for (e = 0; e < map->count; e++) {
        const ms_zcl_endpoint *ep = &map->endpoints[e];
        for (c = 0; c < ep->count; c++) {
            const ms_zcl_cluster *cl = &ep->clusters[c];
            for (a = 0; a < cl->count; a++) {
                const ms_zcl_attr *attr = &cl->attributes[a];
                ezb_zcl_attr_variable_t change;
                ezb_zcl_reporting_info_t info;
                ezb_err_t err;
                if (!attr->reportable) {
                    continue;
                }
                info = ezb_zcl_reporting_info_find(ep->number, cl->id, EZB_ZCL_CLUSTER_SERVER, attr->id,
                                                   EZB_ZCL_STD_MANUF_CODE);
                if (info == EZB_ZCL_INVALID_REPORTING_INFO) {
                    ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: no reporting entry",
                             (unsigned)attr->id, (unsigned)cl->id, (unsigned)ep->number);
                    return ESP_ERR_NOT_FOUND;
                }
                /* The members of the SDK's variable all start at its first byte: on a
                   little-endian target one 64-bit store sets whichever the type reads. */
                memset(&change, 0, sizeof change);
                if (attr->change != MS_ZCL_NO_CHANGE) {
                    change.u64 = (uint64_t)attr->change;
                }
                err = ezb_zcl_reporting_info_update_default_interval(info, attr->min_interval, attr->max_interval);
                if (err == EZB_ERR_NONE) {
                    err = ezb_zcl_reporting_info_update(info, attr->min_interval, attr->max_interval, &change);
                }
                if (err != EZB_ERR_NONE) {
                    return sdk_error(err, "setting the reporting", ep->number, cl->id, attr->id);
                }
            }
        }
    }
    return ESP_OK;
}

esp_err_t zigbee_glue_register(const ms_zcl_map *map, const ms_zcl_state *state, const char *model_id)
{
    uint8_t model[1 + GLUE_MODEL_ID_MAX];
    size_t model_len = model_id == NULL ? 0 : strlen(model_id);
    ezb_af_device_desc_t dev;
    esp_err_t ret = ESP_OK;
    unsigned index = 0;
    uint16_t e;
    ezb_err_t err;

    if (map == NULL || state == NULL || state->map != map || model_len == 0 || model_len > GLUE_MODEL_ID_MAX) {
        ESP_LOGE(TAG, "register: needs the table, a state over it and a ModelIdentifier of 1 to %d bytes",
                 GLUE_MODEL_ID_MAX);
        return ESP_ERR_INVALID_ARG;
    }
    model[0] = (uint8_t)model_len;
    memcpy(model + 1, model_id, model_len);

    dev = ezb_af_create_device_desc();
    if (dev == EZB_INVALID_AF_DEVICE_DESC) {
        ESP_LOGE(TAG, "register: no device descriptor (no memory)");
        return ESP_ERR_NO_MEM;
    }
    for (e = 0; e < map->count && ret == ESP_OK; e++) {
        const ms_zcl_endpoint *ep = &map->endpoints[e];
        const ezb_af_ep_config_t config = {
            .ep_id = ep->number,
            .app_profile_id = ep->profile,
            .app_device_id = ep->device,
            .app_device_version = 0,
        };
        ezb_af_ep_desc_t ep_desc = ezb_af_create_endpoint_desc(&config);
        if (ep_desc == EZB_INVALID_AF_EP_DESC) {
            ESP_LOGE(TAG, "endpoint %u: no descriptor (no memory)", (unsigned)ep->number);
            ret = ESP_ERR_NO_MEM;
            break;
        }
        ret = fill_endpoint(ep_desc, ep, state, &index, model);
        if (ret == ESP_OK) {
            err = ezb_af_device_add_endpoint_desc(dev, ep_desc);
            if (err != EZB_ERR_NONE) {
                ret = sdk_error(err, "adding an endpoint", ep->number, 0, 0);
            }
        }
        if (ret != ESP_OK) {
            ezb_af_free_endpoint_desc(ep_desc);
        }
    }
    if (ret == ESP_OK) {
        err = ezb_af_device_desc_register(dev);
        if (err != EZB_ERR_NONE) {
            ret = sdk_error(err, "registering the device", 0, 0, 0);
        }
    }
    if (ret != ESP_OK) {
        ezb_af_free_device_desc(dev);
        return ret;
    }
    ret = set_reporting(map);
    if (ret == ESP_OK) {
        atomic_store_explicit(&registered, true, memory_order_release);
    }
    return ret;
}

void zigbee_glue_set(void *ctx, uint8_t endpoint, uint16_t cluster, const ms_zcl_attr *attr, const uint8_t *value,
                     size_t len)
{
    glue_value v;
    ezb_zcl_status_t status;
    (void)ctx;

    if (!atomic_load_explicit(&registered, memory_order_acquire)) {
        return; /* no device yet: its attributes start at the state's values when it is registered */
    }
    if (!to_sdk(attr, value, len, &v)) {
        ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: value of %u bytes does not fit",
                 (unsigned)attr->id, (unsigned)cluster, (unsigned)endpoint, (unsigned)len);
        return;
    }
    if (!esp_zigbee_lock_acquire(portMAX_DELAY)) {
        ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: no Zigbee lock", (unsigned)attr->id,
                 (unsigned)cluster, (unsigned)endpoint);
        return;
    }
    /* No access check: the attributes are read-only to the network, not to the reader. */
    status = ezb_zcl_set_attr_value(endpoint, cluster, EZB_ZCL_CLUSTER_SERVER, attr->id, EZB_ZCL_STD_MANUF_CODE, &v,
                                    false);
    esp_zigbee_lock_release();
    if (status != EZB_ZCL_STATUS_SUCCESS) {
        ESP_LOGE(TAG, "attribute 0x%04x of cluster 0x%04x on endpoint %u: set failed, ZCL status 0x%02x",
                 (unsigned)attr->id, (unsigned)cluster, (unsigned)endpoint, (unsigned)status);
    }
}

/* ---- The stack: its task, its start and the commissioning ---- */

static struct {
    const ms_zcl_map *map;
    const ms_zcl_state *state;
    const char *model_id;
    esp_err_t result;               /* of the start, for zigbee_glue_start() */
    SemaphoreHandle_t started;      /* given by the Zigbee task when result is known */
    StaticSemaphore_t started_buffer;
    esp_timer_handle_t retry_timer; /* a commissioning step to try again */
    ezb_bdb_comm_mode_mask_t retry_mode; /* which: set and read in the Zigbee task only */
} glue;

static void commission(ezb_bdb_comm_mode_mask_t mode);

/* In the Zigbee task, with the lock held (esp_zigbee_task_queue_post()): the step due again. */
static void retry_now(void *ctx)
{
    (void)ctx;
    commission(glue.retry_mode);
}

/* In the esp_timer task: hands the retry to the Zigbee task, rather than waiting for the lock here. */
static void on_retry_timer(void *arg)
{
    (void)arg;
    if (esp_zigbee_task_queue_post(retry_now, NULL) != ESP_OK) {
        ESP_LOGW(TAG, "commissioning: the stack's task queue is full, retrying later");
        (void)esp_timer_start_once(glue.retry_timer, (uint64_t)ZIGBEE_GLUE_RETRY_MS * 1000u);
    }
}

/* In the Zigbee task: tries mode again after ZIGBEE_GLUE_RETRY_MS (one retry waits at a time; the latest mode wins). */
static void retry_later(ezb_bdb_comm_mode_mask_t mode)
{
    esp_err_t err;
    glue.retry_mode = mode;
    err = esp_timer_start_once(glue.retry_timer, (uint64_t)ZIGBEE_GLUE_RETRY_MS * 1000u);
    if (err != ESP_OK && err != ESP_ERR_INVALID_STATE) { /* INVALID_STATE: one is waiting already */
        ESP_LOGE(TAG, "commissioning: no retry timer: %s", esp_err_to_name(err));
    }
}

/* In the Zigbee task: starts a BDB commissioning step (EZB_BDB_MODE_*), or retries it later. */
static void commission(ezb_bdb_comm_mode_mask_t mode)
{
    ezb_err_t err = ezb_bdb_start_top_level_commissioning(mode);
    if (err != EZB_ERR_NONE) {
        ESP_LOGW(TAG, "commissioning step 0x%02x does not start (0x%04x): retrying in %u ms", (unsigned)mode,
                 (unsigned)err, (unsigned)ZIGBEE_GLUE_RETRY_MS);
        retry_later(mode);
    }
}

static void log_network(const char *what)
{
    ezb_extpanid_t extended;
    ezb_nwk_get_extended_panid(&extended);
    ESP_LOGI(TAG, "%s: extended PAN ID %016" PRIx64 ", PAN ID 0x%04x, channel %u, short address 0x%04x", what,
             (uint64_t)extended.u64, (unsigned)ezb_nwk_get_panid(), (unsigned)ezb_nwk_get_current_channel(),
             (unsigned)ezb_nwk_get_short_address());
}

static uint8_t bdb_status(const void *params)
{
    return ((const ezb_bdb_signal_simple_params_t *)params)->status;
}

/* The application signals (ezbee/app_signals.h), in the Zigbee task with the lock held. */
static bool on_signal(const ezb_app_signal_t *signal)
{
    ezb_app_signal_type_t type = ezb_app_signal_get_type(signal);
    const void *params = ezb_app_signal_get_params(signal);
    uint8_t status;

    switch (type) {
    case EZB_ZDO_SIGNAL_SKIP_STARTUP:
        /* esp_zigbee_start(false): the stack is up; BDB initialisation is the application's to start */
        commission(EZB_BDB_MODE_INITIALIZATION);
        return true;
    case EZB_BDB_SIGNAL_DEVICE_FIRST_START:
    case EZB_BDB_SIGNAL_DEVICE_REBOOT:
        status = bdb_status(params);
        if (status != EZB_BDB_STATUS_SUCCESS) {
            ESP_LOGW(TAG, "%s failed (BDB status %u): retrying in %u ms", ezb_app_signal_to_string(type),
                     (unsigned)status, (unsigned)ZIGBEE_GLUE_RETRY_MS);
            retry_later(EZB_BDB_MODE_INITIALIZATION);
        } else if (ezb_bdb_is_factory_new()) {
            ESP_LOGI(TAG, "factory new: looking for a network to join");
            commission(EZB_BDB_MODE_NETWORK_STEERING);
        } else {
            log_network("back on its network");
        }
        return true;
    case EZB_BDB_SIGNAL_STEERING:
        status = bdb_status(params);
        if (status == EZB_BDB_STATUS_SUCCESS) {
            log_network("joined a network");
        } else {
            ESP_LOGW(TAG, "no network joined (BDB status %u): retrying in %u ms", (unsigned)status,
                     (unsigned)ZIGBEE_GLUE_RETRY_MS);
            retry_later(EZB_BDB_MODE_NETWORK_STEERING);
        }
        return true;
    case EZB_ZDO_SIGNAL_LEAVE:
        if (((const ezb_zdo_signal_leave_params_t *)params)->leave_type == EZB_ZDO_LEAVE_TYPE_REJOIN) {
            ESP_LOGW(TAG, "left the network, to rejoin it");
        } else {
            /* removed from the network (or reset): look for one to join, as a factory-new device does */
            ESP_LOGW(TAG, "left the network: looking for one to join in %u ms", (unsigned)ZIGBEE_GLUE_RETRY_MS);
            retry_later(EZB_BDB_MODE_NETWORK_STEERING);
        }
        return true;
    case EZB_ZDO_SIGNAL_DEVICE_ANNCE: {
        const ezb_zdo_signal_device_annce_params_t *annce = params;
        ESP_LOGI(TAG, "device 0x%04x (%016" PRIx64 ") joined or rejoined", (unsigned)annce->short_addr,
                 (uint64_t)annce->device_addr.u64);
        return true;
    }
    case EZB_ZDO_SIGNAL_LEAVE_INDICATION: {
        const ezb_zdo_signal_leave_indication_params_t *leave = params;
        ESP_LOGI(TAG, "device 0x%04x (%016" PRIx64 ") left", (unsigned)leave->short_addr,
                 (uint64_t)leave->device_addr.u64);
        return true;
    }
    default:
        ESP_LOGD(TAG, "signal %s (0x%04x)", ezb_app_signal_to_string(type), (unsigned)type);
        return false;
    }
}

/* Initialises, registers and starts the stack (holding the lock once it exists); then its main loop. */
static void zigbee_task(void *arg)
{
    const esp_zigbee_config_t config = {
        .device_config = ZIGBEE_GLUE_DEVICE_CONFIG(),
        .platform_config = ZIGBEE_GLUE_PLATFORM_CONFIG(),
    };
    esp_err_t ret = esp_zigbee_init(&config);
    (void)arg;

    if (ret == ESP_OK && !esp_zigbee_lock_acquire(portMAX_DELAY)) {
        ret = ESP_ERR_INVALID_STATE;
    }
    if (ret == ESP_OK) {
        /* join centralized (Trust Center) networks, as the coordinators of home automation run them */
        ezb_aps_secur_enable_distributed_security(false);
        ret = esp_zigbee_err_to_esp(ezb_app_signal_add_handler(on_signal));
        if (ret == ESP_OK) {
            ret = zigbee_glue_register(glue.map, glue.state, glue.model_id);
        }
        if (ret == ESP_OK) {
            ret = esp_zigbee_start(false);
            if (ret != ESP_OK) {
                atomic_store_explicit(&registered, false, memory_order_release);
            }
        }
        esp_zigbee_lock_release();
    }
    glue.result = ret;
    /* The stack is not deinitialised on an error: the lock that zigbee_glue_set() may wait for stays. */
    xSemaphoreGive(glue.started);
    if (ret == ESP_OK) {
        ret = esp_zigbee_launch_mainloop();
        ESP_LOGE(TAG, "the stack's main loop ended: %s", esp_err_to_name(ret));
    }
    vTaskDelete(NULL);
}

/* The stack's NVS partition; erased and initialised again when it holds another layout. */
static esp_err_t init_storage(void)
{
    esp_err_t ret = nvs_flash_init_partition(ZIGBEE_GLUE_STORAGE_PARTITION);
    if (ret == ESP_ERR_NVS_NO_FREE_PAGES || ret == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_LOGW(TAG, "partition %s holds another layout: erasing it (the network joined is forgotten)",
                 ZIGBEE_GLUE_STORAGE_PARTITION);
        ret = nvs_flash_erase_partition(ZIGBEE_GLUE_STORAGE_PARTITION);
        if (ret == ESP_OK) {
            ret = nvs_flash_init_partition(ZIGBEE_GLUE_STORAGE_PARTITION);
        }
    }
    return ret;
}

esp_err_t zigbee_glue_start(const ms_zcl_map *map, const ms_zcl_state *state, const char *model_id)
{
    const esp_timer_create_args_t retry = {
        .callback = on_retry_timer,
        .name = "zigbee_retry",
    };
    esp_err_t ret;

    if (glue.started != NULL) {
        return ESP_ERR_INVALID_STATE;
    }
    if (map == NULL || state == NULL || model_id == NULL) {
        return ESP_ERR_INVALID_ARG;
    }
    ret = init_storage();
    if (ret != ESP_OK) {
        ESP_LOGE(TAG, "partition %s cannot be used: %s", ZIGBEE_GLUE_STORAGE_PARTITION, esp_err_to_name(ret));
        return ret;
    }
    ret = esp_timer_create(&retry, &glue.retry_timer);
    if (ret != ESP_OK) {
        return ret;
    }
    glue.map = map;
    glue.state = state;
    glue.model_id = model_id;
    glue.started = xSemaphoreCreateBinaryStatic(&glue.started_buffer);
    if (xTaskCreate(zigbee_task, "zigbee", ZIGBEE_GLUE_TASK_STACK, NULL, ZIGBEE_GLUE_TASK_PRIORITY, NULL) != pdPASS) {
        ESP_LOGE(TAG, "no memory for the Zigbee task");
        return ESP_ERR_NO_MEM;
    }
    (void)xSemaphoreTake(glue.started, portMAX_DELAY);
    if (glue.result != ESP_OK) {
        ESP_LOGE(TAG, "the stack does not start: %s", esp_err_to_name(glue.result));
    }
    return glue.result;
}
