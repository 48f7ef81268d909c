/*
 * Moisture driver (0x6000A), as Tock's capsules/extra/src/moisture.rs:
 * command 1 starts a reading, or joins the one under way; upcall 0 then
 * gives (0, hundredths of a percent, 0): a status first, then the value.
 * The value comes from hal->sensor (sensor.h has the shared shape).
 */
#include "sensor.h"

static struct syscall_ret moisture_command(const struct driver_command *c)
{
    /* The only command: KSIM_MOISTURE_CMD_READ. */
    return sensor_read(c, HAL_SENSOR_MOISTURE, SENSOR_JOIN_READ);
}

const struct driver drv_moisture = {
    .num = KSIM_DRIVER_MOISTURE,
    .name = "moisture",
    .command_count = KSIM_MOISTURE_CMD_COUNT,
    .upcalls = KSIM_MOISTURE_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = DRIVER_CMD(KSIM_MOISTURE_CMD_READ),
    .command = moisture_command,
};
