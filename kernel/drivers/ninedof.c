/*
 * Nine-degrees-of-freedom driver (0x60004), as Tock's capsules/extra/src/ninedof.rs:
 * command 1 reads the accelerometer, 100 the magnetometer, 200 the
 * gyroscope; upcall 0 gives (x, y, z). The board has one 9-DOF chip, so one
 * reading is under way at a time: a process that asks meanwhile has its
 * command queued (Success), one per process (a second: Failure BUSY). When
 * a reading arrives, its process gets it, so does every queued process
 * that asked for the same thing, and the first other queued command
 * starts. (Tock's capsule also drops a command queued by the process whose
 * reading was under way; ksim serves it.) The values come from hal->sensor.
 */
#include "sensor.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"

/* Per-process state, in the grant. */
struct ninedof_data {
    uint8_t queued; /* a command waits for the reading under way to end */
    uint8_t kind;   /* its enum hal_sensor_kind */
};

static const uint16_t ninedof_commands[] = {
    0,
    KSIM_NINEDOF_CMD_ACCELEROMETER,
    KSIM_NINEDOF_CMD_MAGNETOMETER,
    KSIM_NINEDOF_CMD_GYROSCOPE,
};

/* Starts a reading of kind for p: 0 or -KS_E*. */
static int ninedof_start(struct kernel *k, const struct proc *p, enum hal_sensor_kind kind)
{
    if (!k->hal->sensor)
        return -KS_ENODEVICE;
    int rc = k->hal->sensor->read(k->hal->ctx, kind);
    if (rc != 0)
        return rc;
    k->ninedof.busy = true;
    k->ninedof.slot = (int)p->slot;
    k->ninedof.id = p->id;
    return 0;
}

static struct syscall_ret ninedof_command(const struct driver_command *c)
{
    struct ninedof_data *d = c->grant.data;
    enum hal_sensor_kind kind =
        c->number == KSIM_NINEDOF_CMD_ACCELEROMETER  ? HAL_SENSOR_ACCELEROMETER
        : c->number == KSIM_NINEDOF_CMD_MAGNETOMETER ? HAL_SENSOR_MAGNETOMETER
                                                     : HAL_SENSOR_GYROSCOPE;
    if (!c->k->ninedof.busy) {
        int rc = ninedof_start(c->k, c->p, kind);
        return rc == 0 ? ret_success() : ret_failure(-rc);
    }
    if (d->queued)
        return ret_failure(KS_EBUSY);
    d->queued = 1;
    d->kind = (uint8_t)kind;
    return ret_success();
}

void ninedof_reading(struct kernel *k, enum hal_sensor_kind kind, struct hal_sensor_reading r)
{
    if (!k->ninedof.busy)
        return; /* nothing asked for it */
    k->ninedof.busy = false;
    int idx = kernel_driver_index(k, KSIM_DRIVER_NINEDOF);
    if (idx < 0)
        return;
    uint32_t x = (uint32_t)r.v[0], y = (uint32_t)r.v[1], z = (uint32_t)r.v[2];
    struct grant_view g;
    /* The process whose reading it is, unless it ended or restarted since. */
    struct proc *owner = kernel_proc_by_id(k, k->ninedof.slot, k->ninedof.id);
    if (owner && grant_peek(k, owner, (unsigned)idx, &g))
        kernel_schedule_upcall(k, owner, (unsigned)idx, SENSOR_UPCALL_READING, x, y, z);
    /* Queued commands for the same reading share it; then the first other one starts. */
    for (int pass = 0; pass < 2; pass++)
        for (unsigned s = 0; s < k->nprocs; s++) {
            struct proc *p = &k->procs[s];
            if (!proc_is_alive(p) || !grant_peek(k, p, (unsigned)idx, &g))
                continue;
            struct ninedof_data *d = g.data;
            if (!d->queued)
                continue;
            if (pass == 0 && d->kind == kind) {
                d->queued = 0;
                kernel_schedule_upcall(k, p, (unsigned)idx, SENSOR_UPCALL_READING, x, y, z);
            } else if (pass == 1 && !k->ninedof.busy) {
                d->queued = 0; /* one that does not start is dropped, as Tock */
                (void)ninedof_start(k, p, (enum hal_sensor_kind)d->kind);
            }
        }
}

const struct driver drv_ninedof = {
    .num = KSIM_DRIVER_NINEDOF,
    .name = "ninedof",
    .command_count = sizeof(ninedof_commands) / sizeof(ninedof_commands[0]),
    .command_numbers = ninedof_commands,
    .upcalls = KSIM_NINEDOF_UPCALL_COUNT,
    .data_size = sizeof(struct ninedof_data),
    .grant_cmds = ~DRIVER_CMD(0),
    .command = ninedof_command,
};
