/*
 * Humidity driver (0x60001), as Tock's capsules/extra/src/humidity.rs:
 * command 1 starts a reading (Failure BUSY while any process's is under
 * way); upcall 0 then gives (hundredths of a percent, 0, 0). The value
 * comes from hal->sensor (sensor.h has the shared shape).
 */
#include "sensor.h"

static struct syscall_ret humidity_command(const struct driver_command *c)
{
    /* The only command: KSIM_HUMIDITY_CMD_READ. */
    return sensor_read(c, HAL_SENSOR_HUMIDITY, SENSOR_BUSY);
}

const struct driver drv_humidity = {
    .num = KSIM_DRIVER_HUMIDITY,
    .name = "humidity",
    .command_count = KSIM_HUMIDITY_CMD_COUNT,
    .upcalls = KSIM_HUMIDITY_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = DRIVER_CMD(KSIM_HUMIDITY_CMD_READ),
    .command = humidity_command,
};
