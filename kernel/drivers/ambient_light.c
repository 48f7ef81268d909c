/*
 * Ambient light driver (0x60002), as Tock's capsules/extra/src/ambient_light.rs:
 * command 1 starts a reading, or joins the one under way; upcall 0 then
 * gives (lux, 0, 0) to every process that asked. The value comes from
 * hal->sensor (sensor.h has the shared shape).
 */
#include "sensor.h"

static struct syscall_ret ambient_light_command(const struct driver_command *c)
{
    /* The only command: KSIM_AMBIENT_LIGHT_CMD_READ. */
    return sensor_read(c, HAL_SENSOR_AMBIENT_LIGHT, SENSOR_JOIN_READ);
}

const struct driver drv_ambient_light = {
    .num = KSIM_DRIVER_AMBIENT_LIGHT,
    .name = "ambient light",
    .command_count = KSIM_AMBIENT_LIGHT_CMD_COUNT,
    .upcalls = KSIM_AMBIENT_LIGHT_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = DRIVER_CMD(KSIM_AMBIENT_LIGHT_CMD_READ),
    .command = ambient_light_command,
};
