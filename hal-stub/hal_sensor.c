/*
 * The board's sensors (struct hal_sensor_ops): each reads the value the
 * board file gave it, or the one hal_stub_set_sensor set since. A reading
 * completes at the next interrupt service, as a sensor's conversion would
 * finish after the command returned: never inside the read call itself.
 */
#include "hal_internal.h"

#include "err.h"

static int sensor_read(void *hal, enum hal_sensor_kind kind)
{
    struct hal_stub *s = hal;
    if ((unsigned)kind >= HAL_SENSOR_KINDS || !s->cfg.sensor_present[kind])
        return -KS_ENODEVICE;
    if (s->sensor_pending[kind])
        return -KS_EBUSY;
    s->sensor_pending[kind] = true;
    return 0;
}

const struct hal_sensor_ops hal__sensor_ops = {.read = sensor_read};

void hal_stub_set_sensor(struct hal_stub *s, enum hal_sensor_kind kind, int32_t value)
{
    if ((unsigned)kind < HAL_SENSOR_KINDS)
        s->cfg.sensor_value[kind] = value;
}

bool hal__sensor_pending(const struct hal_stub *s)
{
    for (unsigned i = 0; i < HAL_SENSOR_KINDS; i++)
        if (s->sensor_pending[i])
            return true;
    return false;
}

void hal__sensor_service(struct hal_stub *s, struct kernel *k)
{
    for (unsigned i = 0; i < HAL_SENSOR_KINDS; i++) {
        if (!s->sensor_pending[i])
            continue;
        s->sensor_pending[i] = false; /* first: the kernel may start the next reading */
        kernel_sensor_reading(k, (enum hal_sensor_kind)i, s->cfg.sensor_value[i]);
    }
}
