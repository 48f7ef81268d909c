/*
 * Air quality driver (0x60007), as Tock's capsules/extra/src/air_quality.rs:
 * command 2 reads the CO2 level (ppm), command 3 the volatile organic
 * compounds (TVOC, ppb); upcall 0 gives (value, 0, 0). The chip does one
 * at a time: Failure BUSY while either is under way, for every process.
 * Command 1 (tell the chip the temperature and humidity) is a TODO in
 * Tock's capsule and answers NOSUPPORT, as there. The values come from
 * hal->sensor (sensor.h has the shared shape).
 */
#include "sensor.h"

#include "err.h"
#include "kernel.h"

static struct syscall_ret air_quality_command(const struct driver_command *c)
{
    if (c->number == KSIM_AIR_QUALITY_CMD_ENVIRONMENT)
        return ret_failure(KS_ENOSUPPORT);
    if (c->k->sensor_busy[HAL_SENSOR_CO2] || c->k->sensor_busy[HAL_SENSOR_TVOC])
        return ret_failure(KS_EBUSY);
    return sensor_read(
        c, c->number == KSIM_AIR_QUALITY_CMD_READ_CO2 ? HAL_SENSOR_CO2 : HAL_SENSOR_TVOC,
        SENSOR_BUSY);
}

const struct driver drv_air_quality = {
    .num = KSIM_DRIVER_AIR_QUALITY,
    .name = "air quality",
    .command_count = KSIM_AIR_QUALITY_CMD_COUNT,
    .upcalls = KSIM_AIR_QUALITY_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds =
        DRIVER_CMD(KSIM_AIR_QUALITY_CMD_READ_CO2) | DRIVER_CMD(KSIM_AIR_QUALITY_CMD_READ_TVOC),
    .command = air_quality_command,
};
