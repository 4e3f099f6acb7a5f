/*
 * The reader on the ESP32-C6: three tasks around the portable parts.
 *   meter    UART (the meter's customer port) -> smartmeter_feed, in the chunks the driver gives
 *   console  USB Serial/JTAG -> console_feed (key set/auth/status/clear, status)
 *   zigbee   the stack: endpoints from the generated table, commissioning, its main loop (zigbee_glue)
 * The reader's state is one object that the meter and console tasks share under reader_lock; its
 * setter takes the ZigBee lock inside that (always in this order, so the two cannot deadlock).
 * ESP-IDF 5.1 or later.
 */
#include <string.h>

#include "driver/uart.h"
#include "driver/usb_serial_jtag.h"
#include "esp_err.h"
#include "esp_idf_version.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "freertos/task.h"
#include "sdkconfig.h"

/* The console's VFS (logs, printf) through the same driver, so that it and the replies share the port. */
#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 3, 0)
#include "driver/usb_serial_jtag_vfs.h"
#define console_vfs_use_driver() usb_serial_jtag_vfs_use_driver()
#else
#include "esp_vfs_dev.h"
#define console_vfs_use_driver() esp_vfs_usb_serial_jtag_use_driver()
#endif

#include "configuration_console.h"
#include "meter.h"
#include "ms_port.h"
#include "smartmeter.h"
#include "storage.h"
#include "zigbee_glue.h"

static const char *TAG = "reader";

#define METER_UART ((uart_port_t)CONFIG_READER_METER_UART)
#define CHUNK 120 /* what the UART hands over at a time: a telegram comes in several */
#define UART_BUFFER 1024
#if CONFIG_READER_METER_PARITY_EVEN
#define METER_PARITY UART_PARITY_EVEN
#else
#define METER_PARITY UART_PARITY_DISABLE
#endif

static SemaphoreHandle_t reader_lock;

static void lock(void) {
    xSemaphoreTake(reader_lock, portMAX_DELAY);
}

static void unlock(void) {
    xSemaphoreGive(reader_lock);
}

static uint32_t now_ms(void) {
    return (uint32_t)(esp_timer_get_time() / 1000);
}

static void meter_task(void *arg) {
    static uint8_t chunk[CHUNK];
    (void)arg;
    for (;;) {
        int n = uart_read_bytes(METER_UART, chunk, sizeof chunk, pdMS_TO_TICKS(100));
        lock();
        if (n > 0) {
            smartmeter_feed(chunk, (size_t)n);
        }
        smartmeter_tick(now_ms());
        unlock();
    }
}

static void console_write(void *ctx, const char *line) {
    (void)ctx;
    usb_serial_jtag_write_bytes(line, strlen(line), pdMS_TO_TICKS(100));
    usb_serial_jtag_write_bytes("\r\n", 2, pdMS_TO_TICKS(100));
}

static void console_task(void *arg) {
    static uint8_t typed[64];
    (void)arg;
    for (;;) {
        int n = usb_serial_jtag_read_bytes(typed, sizeof typed, portMAX_DELAY);
        if (n > 0) {
            lock();
            console_feed(typed, (size_t)n);
            unlock();
            ms_port_zeroize(typed, (size_t)n); /* it may hold a key */
        }
    }
}

static esp_err_t meter_uart_start(void) {
    const uart_config_t config = {
        .baud_rate = CONFIG_READER_METER_BAUD,
        .data_bits = UART_DATA_8_BITS,
        .parity = METER_PARITY,
        .stop_bits = UART_STOP_BITS_1,
        .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
        .source_clk = UART_SCLK_DEFAULT,
    };
    ESP_ERROR_CHECK(uart_driver_install(METER_UART, UART_BUFFER, 0, 0, NULL, 0));
    ESP_ERROR_CHECK(uart_param_config(METER_UART, &config));
    ESP_ERROR_CHECK(uart_set_pin(METER_UART, UART_PIN_NO_CHANGE, CONFIG_READER_METER_RX_GPIO, UART_PIN_NO_CHANGE,
                                 UART_PIN_NO_CHANGE));
#if CONFIG_READER_METER_RX_INVERTED
    ESP_ERROR_CHECK(uart_set_line_inverse(METER_UART, UART_SIGNAL_RXD_INV));
#endif
    return ESP_OK;
}

static void start_task(TaskFunction_t task, const char *name, uint32_t stack, UBaseType_t priority) {
    if (xTaskCreate(task, name, stack, NULL, priority, NULL) != pdPASS) {
        ESP_LOGE(TAG, "no memory for the %s task", name);
        ESP_ERROR_CHECK(ESP_ERR_NO_MEM);
    }
}

void app_main(void) {
    usb_serial_jtag_driver_config_t usb = USB_SERIAL_JTAG_DRIVER_CONFIG_DEFAULT();
    reader_lock = xSemaphoreCreateMutex();
    if (reader_lock == NULL) {
        ESP_ERROR_CHECK(ESP_ERR_NO_MEM);
    }
    ESP_ERROR_CHECK(usb_serial_jtag_driver_install(&usb));
    console_vfs_use_driver();
    if (storage_open() != STORAGE_OK) {
        ESP_LOGE(TAG, "NVS cannot be opened: the keys cannot be kept");
    }
    console_init(console_write, NULL);
    if (smartmeter_start(NULL, NULL, zigbee_glue_set, NULL, NULL, NULL) != 0 || console_apply_stored_keys() != 0) {
        ESP_LOGE(TAG, "the reader does not start with the stored keys; set them with 'key set'");
    }
    /* before the meter task: the device's attributes start at the state's initial values */
    ESP_ERROR_CHECK(zigbee_glue_start(&METER_ZCL, smartmeter_zcl(), METER_ZCL_MODEL_ID));
    ESP_ERROR_CHECK(meter_uart_start());
    start_task(meter_task, "meter", 4096, 5);
    start_task(console_task, "console", 4096, 3);
}
