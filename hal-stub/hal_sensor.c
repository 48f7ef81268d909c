/*
 * The board's sensors (struct hal_sensor_ops): each reads the values the
 * board file gave it, or the ones hal_stub_set_sensor set since. A reading
 * completes at the next interrupt service, as a sensor's conversion would
 * finish after the command returned: never inside the read call itself. A
 * threshold reading (read_outside) completes at the first service that
 * finds the value outside its thresholds.
 */
#include "hal_internal.h"

#include "err.h"

static int sensor_read(void *hal, enum hal_sensor_kind kind)
{
    struct hal_stub *s = hal;
    if ((unsigned)kind >= HAL_SENSOR_KINDS || !s->cfg.sensor_present[kind])
        return -KS_ENODEVICE;
    if (s->sensor_pending[kind] && !s->sensor_window[kind])
        return -KS_EBUSY;
    s->sensor_pending[kind] = true;
    s->sensor_window[kind] = false; /* a threshold wait gives way to the read */
    return 0;
}

static int sensor_read_outside(void *hal, enum hal_sensor_kind kind, int32_t lower, int32_t upper)
{
    struct hal_stub *s = hal;
    if ((unsigned)kind >= HAL_SENSOR_KINDS || !s->cfg.sensor_present[kind])
        return -KS_ENODEVICE;
    if (s->sensor_pending[kind] && !s->sensor_window[kind])
        return -KS_EBUSY;
    s->sensor_pending[kind] = true;
    s->sensor_window[kind] = true;
    s->sensor_lower[kind] = lower;
    s->sensor_upper[kind] = upper;
    return 0;
}

const struct hal_sensor_ops hal__sensor_ops = {
    .read = sensor_read,
    .read_outside = sensor_read_outside,
};

void hal_stub_set_sensor(struct hal_stub *s, enum hal_sensor_kind kind,
                         struct hal_sensor_reading value)
{
    if ((unsigned)kind < HAL_SENSOR_KINDS)
        s->cfg.sensor_value[kind] = value;
}

/* A started reading whose value may be delivered now. */
static bool sensor_ready(const struct hal_stub *s, unsigned i)
{
    if (!s->sensor_pending[i])
        return false;
    int32_t v = s->cfg.sensor_value[i].v[0];
    return !s->sensor_window[i] || v < s->sensor_lower[i] || v > s->sensor_upper[i];
}

bool hal__sensor_pending(const struct hal_stub *s)
{
    for (unsigned i = 0; i < HAL_SENSOR_KINDS; i++)
        if (sensor_ready(s, i))
            return true;
    return false;
}

void hal__sensor_service(struct hal_stub *s, struct kernel *k)
{
    for (unsigned i = 0; i < HAL_SENSOR_KINDS; i++) {
        if (!sensor_ready(s, i))
            continue;
        /* First: the kernel may start the next reading. */
        s->sensor_pending[i] = s->sensor_window[i] = false;
        kernel_sensor_reading(k, (enum hal_sensor_kind)i, s->cfg.sensor_value[i]);
    }
}
