/*
 * The shared shape of the sensor drivers (sensor.h): one reading at a time
 * per kind, delivered to every process that asked for it.
 */
#include "sensor.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

/* The driver number of each kind, to find its grants when a value arrives. */
static const uint32_t driver_of[HAL_SENSOR_KINDS] = {
    [HAL_SENSOR_TEMPERATURE] = KSIM_DRIVER_TEMPERATURE,
    [HAL_SENSOR_HUMIDITY] = KSIM_DRIVER_HUMIDITY,
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

void kernel_sensor_reading(struct kernel *k, enum hal_sensor_kind kind, int32_t value)
{
    if ((unsigned)kind >= HAL_SENSOR_KINDS)
        return;
    k->sensor_busy[kind] = false;
    int idx = kernel_driver_index(k, driver_of[kind]);
    if (idx < 0)
        return;
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
            continue;
        struct sensor_data *d = g.data;
        if (!d->waiting)
            continue;
        d->waiting = 0;
        /* TRD104 values are 32 bits: a negative temperature arrives as the int it is. */
        kernel_schedule_upcall(k, p, (unsigned)idx, SENSOR_UPCALL_READING, (uint32_t)value, 0, 0);
    }
}
