/*
 * Rainfall driver (0x6000B), as Tock's capsules/extra/src/rainfall.rs:
 * command 1 (hours) starts a reading, or joins the one under way; upcall 0
 * then gives (0, micrometres of rain, 0): a status first, then the value.
 * ksim's board sensor reads one value whatever the hours asked (the
 * capsule passes them to the chip driver, which sums its own history).
 */
#include "sensor.h"

static struct syscall_ret rainfall_command(const struct driver_command *c)
{
    /* The only command: KSIM_RAINFALL_CMD_READ. */
    return sensor_read(c, HAL_SENSOR_RAINFALL, SENSOR_JOIN_READ);
}

const struct driver drv_rainfall = {
    .num = KSIM_DRIVER_RAINFALL,
    .name = "rainfall",
    .command_count = KSIM_RAINFALL_CMD_COUNT,
    .upcalls = KSIM_RAINFALL_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = DRIVER_CMD(KSIM_RAINFALL_CMD_READ),
    .command = rainfall_command,
};
