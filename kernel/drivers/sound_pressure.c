/*
 * Sound pressure driver (0x60006), as Tock's capsules/extra/src/sound_pressure.rs:
 * command 1 starts a reading (Failure BUSY while any process's is under
 * way); upcall 0 then gives (decibels, 0, 0). Commands 2 and 3 enable and
 * disable the sensor for the caller; as in the capsule, a read does not
 * depend on them (the microphone is on while any process enables it, which
 * on the host changes nothing). The value comes from hal->sensor.
 */
#include "sensor.h"

static struct syscall_ret sound_pressure_command(const struct driver_command *c)
{
    struct sensor_data *d = c->grant.data;
    switch (c->number) {
    case KSIM_SOUND_PRESSURE_CMD_ENABLE:
        d->enabled = 1;
        return ret_success();
    case KSIM_SOUND_PRESSURE_CMD_DISABLE:
        d->enabled = 0;
        return ret_success();
    default: /* KSIM_SOUND_PRESSURE_CMD_READ */
        return sensor_read(c, HAL_SENSOR_SOUND_PRESSURE, SENSOR_BUSY);
    }
}

const struct driver drv_sound_pressure = {
    .num = KSIM_DRIVER_SOUND_PRESSURE,
    .name = "sound pressure",
    .command_count = KSIM_SOUND_PRESSURE_CMD_COUNT,
    .upcalls = KSIM_SOUND_PRESSURE_UPCALL_COUNT,
    .data_size = sizeof(struct sensor_data),
    .grant_cmds = ~DRIVER_CMD(0),
    .command = sound_pressure_command,
};
