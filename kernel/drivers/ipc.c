/*
 * IPC (0x10000), with the numbers of Tock's kernel/src/ipc.rs. A process's
 * IPC id is its slot (Tock's process index).
 *
 *   command 1      discovery: the name in Read-Only Allow 0 -> Success with
 *                  u32 (the id of the first process with that name), NODEVICE
 *   command 2, id  notify service id: it gets upcall <its own id>
 *   command 3, id  notify client id: it gets upcall <the caller's id>
 *   RW Allow n     the caller's buffer shared with process n
 *   upcall args    (notifier's id, buffer length, buffer address)
 *
 * As in Tock, the notified process gets the notifier's buffer for it (the
 * notifier's RW Allow numbered with its id) and an MPU region over that
 * buffer, so it reads and writes the notifier's memory in place; the region
 * stays until either process stops or restarts. Where the MPU model cannot
 * express the region (alignment, no region left), the upcall still carries
 * the buffer, as in Tock, and touching it faults.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "umem.h"

#define IPC_MAX_PROCS KSIM_IPC_MAX_PROCS /* ids 0..63 take part: Tock's NUM_PROCS */

enum ipc_type { IPC_SERVICE, IPC_CLIENT };

static struct syscall_ret discover(struct kernel *k, struct proc *p, const struct grant_view *g)
{
    char name[PROC_NAME_MAX];
    uintptr_t len = g->ro[KSIM_IPC_ALLOW_RO_SEARCH].len;
    /* No process has an empty name or one this long: nothing can match. */
    if (len == 0 || len >= PROC_NAME_MAX)
        return ret_failure(KS_ENODEVICE);
    if (umem_read(k, p, g->ro[KSIM_IPC_ALLOW_RO_SEARCH].addr, name, len, UMEM_RO) != 0)
        return ret_failure(KS_EINVAL);
    for (unsigned s = 0; s < k->nprocs; s++) {
        const struct proc *q = &k->procs[s];
        if (q->state == PROC_FREE || q->name[len] != '\0')
            continue;
        unsigned i = 0; /* Tock compares the bytes: an embedded NUL never matches */
        while (i < len && q->name[i] != '\0' && q->name[i] == name[i])
            i++;
        if (i == len)
            return ret_success_u32(s);
    }
    return ret_failure(KS_ENODEVICE);
}

/* Gives b the upcall for a's notify, with a's buffer for b and access to it. */
static void deliver(struct kernel *k, unsigned idx, struct proc *a, struct proc *b,
                    enum ipc_type type)
{
    const struct hal *hal = k->hal;
    struct grant_view ag;
    struct grant_allow buf = {0, 0};
    uint32_t number = type == IPC_SERVICE ? b->slot : a->slot;
    if (grant_peek(k, a, idx, &ag))
        buf = ag.rw[b->slot];
    if (buf.len > 0)
        (void)hal->mpu->share(hal->ctx, b->slot, &b->block, buf.addr, buf.len);
    kernel_schedule_upcall(k, b, idx, number, a->slot, buf.len, buf.addr);
}

/* Is a notify from a (of this kind) still waiting in b's queue? */
static bool notify_pending(const struct proc *a, const struct proc *b, uint32_t number)
{
    for (unsigned i = 0; i < b->upcalls.count; i++) {
        const struct upcall_event *e = upcall_queue_at(&b->upcalls, i);
        if (e->driver == KSIM_DRIVER_IPC && e->number == number && e->args[0] == a->slot)
            return true;
    }
    return false;
}

static struct syscall_ret notify(struct kernel *k, struct proc *a, unsigned idx, uint32_t target,
                                 enum ipc_type type)
{
    if (target >= k->nprocs || k->procs[target].state == PROC_FREE)
        return ret_failure(KS_EINVAL); /* Tock: no such process */
    struct proc *b = &k->procs[target];
    if (!proc_is_alive(b))
        return ret_failure(KS_ENODEVICE); /* Tock: enqueue on a process that is not running */
    if (target >= IPC_MAX_PROCS || a->slot >= IPC_MAX_PROCS)
        return ret_failure(KS_EINVAL); /* beyond the upcall and allow numbers IPC has */
    if (b == a)
        return ret_success(); /* Tock queues it, then drops it at delivery */
    if (b->upcalls.count >= b->upcalls.cap)
        return ret_failure(KS_ENOMEM); /* Tock: the task queue is full */
    /* One pending notify per sender and kind: unlike Tock, a process cannot
     * fill another's bounded queue and so starve its other events. */
    if (notify_pending(a, b, type == IPC_SERVICE ? b->slot : a->slot))
        return ret_failure(KS_EBUSY);
    deliver(k, idx, a, b, type);
    return ret_success();
}

static struct syscall_ret ipc_command(const struct driver_command *c)
{
    switch (c->number) {
    case KSIM_IPC_CMD_DISCOVER:
        return discover(c->k, c->p, &c->grant);
    case KSIM_IPC_CMD_NOTIFY_SERVICE:
        return notify(c->k, c->p, c->idx, c->arg0, IPC_SERVICE);
    default: /* KSIM_IPC_CMD_NOTIFY_CLIENT */
        return notify(c->k, c->p, c->idx, c->arg0, IPC_CLIENT);
    }
}

const struct driver drv_ipc = {
    .num = KSIM_DRIVER_IPC,
    .name = "ipc",
    .command_count = KSIM_IPC_CMD_COUNT,
    .upcalls = KSIM_IPC_UPCALL_COUNT,
    .allow_ro = KSIM_IPC_ALLOW_RO_COUNT,
    .allow_rw = KSIM_IPC_ALLOW_RW_COUNT,
    .grant_cmds = ~DRIVER_CMD(0),
    .command = ipc_command,
};
