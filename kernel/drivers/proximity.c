/*
 * Proximity driver (0x60005), as Tock's capsules/extra/src/proximity.rs:
 * command 1 reads the proximity (0 far .. 255 near); command 2 (lower,
 * upper) asks for a reading only once it is below lower or above upper
 * (the chip's threshold interrupt). Upcall 0 gives (proximity, 0, 0). Each
 * process has one command at a time (a second: Failure BUSY). The chip
 * runs one command: a read interrupts a threshold wait, a new threshold
 * wait narrows the thresholds to serve every waiting process, and when a
 * reading arrives every process it satisfies gets it, then the first one
 * still waiting has its command run. The values come from hal->sensor.
 */
#include "sensor.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

enum proximity_running {
    PROXIMITY_NONE = 0,
    PROXIMITY_READ,
    PROXIMITY_OUTSIDE,
};

/* Per-process state, in the grant. */
struct proximity_data {
    uint8_t subscribed; /* a command of this process waits for its reading */
    uint8_t command;    /* KSIM_PROXIMITY_CMD_READ or _READ_OUTSIDE */
    uint8_t lower, upper;
};

/* The thresholds that wake every process waiting for one: the highest lower
 * and the lowest upper of them. */
static void proximity_thresholds(struct kernel *k, unsigned idx, int32_t *lower, int32_t *upper)
{
    *lower = 0;
    *upper = 255;
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct grant_view g;
        if (!proc_is_alive(&k->procs[s]) || !grant_peek(k, &k->procs[s], idx, &g))
            continue;
        const struct proximity_data *d = g.data;
        if (!d->subscribed || d->command != KSIM_PROXIMITY_CMD_READ_OUTSIDE)
            continue;
        if (d->lower > *lower)
            *lower = d->lower;
        if (d->upper < *upper)
            *upper = d->upper;
    }
}

/* Has the chip run command: 0 or -KS_E*. */
static int proximity_run(struct kernel *k, unsigned idx, uint8_t command)
{
    const struct hal_sensor_ops *ops = k->hal->sensor;
    if (!ops)
        return -KS_ENODEVICE;
    int rc;
    if (command == KSIM_PROXIMITY_CMD_READ) {
        rc = ops->read(k->hal->ctx, HAL_SENSOR_PROXIMITY);
    } else if (!ops->read_outside) {
        rc = -KS_ENOSUPPORT;
    } else {
        int32_t lower, upper;
        proximity_thresholds(k, idx, &lower, &upper);
        rc = ops->read_outside(k->hal->ctx, HAL_SENSOR_PROXIMITY, lower, upper);
    }
    if (rc == 0)
        k->proximity_running =
            command == KSIM_PROXIMITY_CMD_READ ? PROXIMITY_READ : PROXIMITY_OUTSIDE;
    return rc;
}

static struct syscall_ret proximity_command(const struct driver_command *c)
{
    struct proximity_data *d = c->grant.data;
    if (d->subscribed)
        return ret_failure(KS_EBUSY);
    d->command = (uint8_t)c->number;
    if (c->number == KSIM_PROXIMITY_CMD_READ_OUTSIDE) {
        d->lower = (uint8_t)c->arg0; /* the chip's thresholds are bytes, as Tock's */
        d->upper = (uint8_t)c->arg1;
    }
    d->subscribed = 1;
    /* While the chip waits for a threshold, any command replaces that wait
     * (which stays queued); while it reads, the command waits its turn. */
    if (c->k->proximity_running == PROXIMITY_READ)
        return ret_success();
    int rc = proximity_run(c->k, c->idx, d->command);
    if (rc != 0 && c->k->proximity_running == PROXIMITY_NONE) {
        d->subscribed = 0; /* unlike Tock, a command that does not start is not kept */
        return ret_failure(-rc);
    }
    return ret_success();
}

void proximity_reading(struct kernel *k, int32_t value)
{
    int idx = kernel_driver_index(k, KSIM_DRIVER_PROXIMITY);
    k->proximity_running = PROXIMITY_NONE;
    if (idx < 0)
        return;
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
            continue;
        struct proximity_data *d = g.data;
        if (!d->subscribed)
            continue;
        if (d->command == KSIM_PROXIMITY_CMD_READ_OUTSIDE && value >= d->lower && value <= d->upper)
            continue; /* not what this process waits for */
        d->subscribed = 0;
        kernel_schedule_upcall(k, p, (unsigned)idx, SENSOR_UPCALL_READING, (uint32_t)value, 0, 0);
    }
    /* The next waiting command runs. */
    for (unsigned s = 0; s < k->nprocs && k->proximity_running == PROXIMITY_NONE; s++) {
        struct proc *p = &k->procs[s];
        struct grant_view g;
        if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
            continue;
        struct proximity_data *d = g.data;
        if (d->subscribed && proximity_run(k, (unsigned)idx, d->command) != 0)
            d->subscribed = 0; /* it cannot run: dropped, as Tock ignores the error */
    }
}

const struct driver drv_proximity = {
    .num = KSIM_DRIVER_PROXIMITY,
    .name = "proximity",
    .command_count = KSIM_PROXIMITY_CMD_COUNT,
    .upcalls = KSIM_PROXIMITY_UPCALL_COUNT,
    .data_size = sizeof(struct proximity_data),
    .grant_cmds = ~DRIVER_CMD(0),
    .command = proximity_command,
};
