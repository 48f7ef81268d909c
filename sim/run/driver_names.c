/*
 * Tock's driver numbers (capsules/core/src/driver.rs, and libtock-c's
 * DRIVER_NUM_* beside it), so that ksim can say which driver an app wanted
 * when the board lacks it.
 */
#include "run/driver_names.h"

#include <stddef.h>

static const struct {
    uint32_t num;
    const char *name;
} names[] = {
    {0x0, "alarm"},
    {0x1, "console"},
    {0x2, "LED"},
    {0x3, "button"},
    {0x4, "GPIO"},
    {0x5, "ADC"},
    {0x6, "DAC"},
    {0x7, "analog comparator"},
    {0x8, "low-level debug"},
    {0x9, "read-only state"},
    {0x10000, "IPC"},
    {0x10001, "app loader"},
    {0x10002, "process info"},
    {0x20001, "SPI controller"},
    {0x20002, "SPI peripheral"},
    {0x20003, "I2C master"},
    {0x20005, "USB"},
    {0x20006, "I2C master/slave"},
    {0x30000, "BLE advertising"},
    {0x30001, "IEEE 802.15.4"},
    {0x30002, "UDP"},
    {0x30003, "LoRa PHY (SPI)"},
    {0x30004, "LoRa PHY (GPIO)"},
    {0x30006, "EUI-64"},
    {0x40001, "RNG"},
    {0x40002, "CRC"},
    {0x40003, "HMAC"},
    {0x40005, "SHA"},
    {0x40006, "AES"},
    {0x50000, "app flash"},
    {0x50001, "nonvolatile storage"},
    {0x50002, "SD card"},
    {0x50003, "key-value store"},
    {0x50004, "isolated nonvolatile storage"},
    {0x60000, "temperature"},
    {0x60001, "humidity"},
    {0x60002, "ambient light"},
    {0x60004, "ninedof"},
    {0x60005, "proximity"},
    {0x60006, "sound pressure"},
    {0x60007, "air quality"},
    {0x60008, "pressure"},
    {0x6000A, "moisture"},
    {0x6000B, "rainfall"},
    {0x80003, "GPIO async"},
    {0x80004, "nRF51 serialization"},
    {0x90000, "buzzer"},
    {0x90001, "screen"},
    {0x90002, "touch"},
    {0x90003, "text screen"},
    {0x90005, "USB keyboard HID"},
    {0x90007, "date-time"},
    {0x90008, "cycle count"},
    {0x90009, "servo"},
};

const char *sim_driver_name(uint32_t driver)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].num == driver)
            return names[i].name;
    return NULL;
}
