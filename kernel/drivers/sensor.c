/*
 * The shared shape of the simple sensor drivers (sensor.h): one reading at
 * a time per kind, delivered to every process that asked for it.
 */
#include "sensor.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

/* Where a simple sensor's value goes in its upcall. */
enum sensor_layout {
    SENSOR_VALUE_FIRST = 0, /* (value, 0, 0) */
    SENSOR_STATUS_FIRST,    /* (0: success, value, 0): moisture, rainfall */
    SENSOR_OWN_DRIVER,      /* ninedof, proximity: their files deliver it */
};

static const struct {
    uint32_t driver; /* to find its grants when a value arrives */
    enum sensor_layout layout;
} kinds[HAL_SENSOR_KINDS] = {
    [HAL_SENSOR_TEMPERATURE] = {KSIM_DRIVER_TEMPERATURE, SENSOR_VALUE_FIRST},
    [HAL_SENSOR_HUMIDITY] = {KSIM_DRIVER_HUMIDITY, SENSOR_VALUE_FIRST},
    [HAL_SENSOR_AMBIENT_LIGHT] = {KSIM_DRIVER_AMBIENT_LIGHT, SENSOR_VALUE_FIRST},
    [HAL_SENSOR_ACCELEROMETER] = {KSIM_DRIVER_NINEDOF, SENSOR_OWN_DRIVER},
    [HAL_SENSOR_MAGNETOMETER] = {KSIM_DRIVER_NINEDOF, SENSOR_OWN_DRIVER},
    [HAL_SENSOR_GYROSCOPE] = {KSIM_DRIVER_NINEDOF, SENSOR_OWN_DRIVER},
    [HAL_SENSOR_PROXIMITY] = {KSIM_DRIVER_PROXIMITY, SENSOR_OWN_DRIVER},
    [HAL_SENSOR_SOUND_PRESSURE] = {KSIM_DRIVER_SOUND_PRESSURE, SENSOR_VALUE_FIRST},
    [HAL_SENSOR_MOISTURE] = {KSIM_DRIVER_MOISTURE, SENSOR_STATUS_FIRST},
    [HAL_SENSOR_RAINFALL] = {KSIM_DRIVER_RAINFALL, SENSOR_STATUS_FIRST},
    [HAL_SENSOR_CO2] = {KSIM_DRIVER_AIR_QUALITY, SENSOR_VALUE_FIRST},
    [HAL_SENSOR_TVOC] = {KSIM_DRIVER_AIR_QUALITY, SENSOR_VALUE_FIRST},
};

struct syscall_ret sensor_read(const struct driver_command *c, enum hal_sensor_kind kind,
                               enum sensor_while_busy while_busy)
{
    struct kernel *k = c->k;
    struct sensor_data *d = c->grant.data;
    if (k->sensor_busy[kind]) {
        if (while_busy == SENSOR_BUSY)
            return ret_failure(KS_EBUSY);
        d->waiting = 1;
        return ret_success();
    }
    if (!k->hal->sensor)
        return ret_failure(KS_ENODEVICE);
    int rc = k->hal->sensor->read(k->hal->ctx, kind);
    /* Unlike Tock, a read that does not start leaves the driver free for the next. */
    if (rc != 0)
        return ret_failure(-rc);
    k->sensor_busy[kind] = true;
    d->waiting = 1;
    return ret_success();
}

void kernel_sensor_reading(struct kernel *k, enum hal_sensor_kind kind,
                           struct hal_sensor_reading value)
{
    if ((unsigned)kind >= HAL_SENSOR_KINDS)
        return;
    if (kinds[kind].layout == SENSOR_OWN_DRIVER) {
        if (kind == HAL_SENSOR_PROXIMITY)
            proximity_reading(k, value.v[0]);
        else
            ninedof_reading(k, kind, value);
        return;
    }
    k->sensor_busy[kind] = false;
    int idx = kernel_driver_index(k, kinds[kind].driver);
    if (idx < 0)
        return;
    /* TRD104 values are 32 bits: a negative temperature arrives as the int it is. */
    uint32_t v = (uint32_t)value.v[0];
    bool status_first = kinds[kind].layout == SENSOR_STATUS_FIRST;
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
            continue;
        struct sensor_data *d = g.data;
        if (!d->waiting)
            continue;
        d->waiting = 0;
        kernel_schedule_upcall(k, p, (unsigned)idx, SENSOR_UPCALL_READING, status_first ? 0 : v,
                               status_first ? v : 0, 0);
    }
}
