/*
 * Temperature driver (0x60000), as Tock's capsules/extra/src/temperature.rs:
 * command 1 starts a reading, or joins the one under way; upcall 0 then
 * gives (hundredths of a degree Celsius, 0, 0) to every process that asked.
 * The value comes from hal->sensor (sensor.h has the shared shape).
 */
#include "sensor.h"

static struct syscall_ret temperature_command(const struct driver_command *c)
{
    /* The only command: KSIM_TEMPERATURE_CMD_READ. */
    return sensor_read(c, HAL_SENSOR_TEMPERATURE, SENSOR_JOIN_READ);
}

const struct driver drv_temperature = {
    .num = KSIM_DRIVER_TEMPERATURE,
    .name = "temperature",
    .command_count = KSIM_TEMPERATURE_CMD_COUNT,
    .upcalls = KSIM_TEMPERATURE_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = DRIVER_CMD(KSIM_TEMPERATURE_CMD_READ),
    .command = temperature_command,
};
