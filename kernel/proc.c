/* Process life cycle: start, restart, terminate, fault policy, upcall delivery. */
#include "proc.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "klib.h"
#include "umem.h"

void proc_make_ready(struct kernel *k, struct proc *p)
{
    if (p->ready_queued)
        return;
    p->ready_queued = true;
    sched_push(&k->sched, p->slot);
}

/*
 * p's memory changes hands (it stops, or starts afresh): no other process
 * keeps a share of it (IPC), and p keeps none of theirs.
 */
static void drop_shares(struct kernel *k, struct proc *p)
{
    const struct hal *hal = k->hal;
    hal->mpu->unshare(hal->ctx, p->slot, &p->block, 0, UINTPTR_MAX);
    for (unsigned s = 0; s < k->nprocs; s++) {
        struct proc *q = &k->procs[s];
        if (q != p && q->state != PROC_FREE)
            hal->mpu->unshare(hal->ctx, q->slot, &q->block, p->block.start, p->block.end);
    }
}

/* Resets everything a fresh start must not inherit. */
static void reset_runtime(struct kernel *k, struct proc *p)
{
    drop_shares(k, p);
    grant_reset(p);
    upcall_queue_init(&p->upcalls, k->cfg.upcall_queue_len);
    p->allow_hwm = 0;
    p->waitfor_driver = p->waitfor_number = 0;
    p->deliver_fn = 0;
    p->exited = false; /* completion_code stays: ABI.md keeps the last exit's for the console */
    p->debug_stack_top = p->debug_heap_start = 0;
}

int proc_start(struct kernel *k, struct proc *p, struct loader_error *err)
{
    const struct hal *hal = k->hal;
    int rc;

    reset_runtime(k, p);
    rc = hal->mpu->set_brk(hal->ctx, p->slot, &p->block, p->block.data_end);
    if (rc)
        return rc;
    /* The stack and the unused RAM may hold the last run's data: clear them. */
    umem_block_fill(k, p, p->block.stack_start, 0, p->block.stack_end - p->block.stack_start);
    rc = loader_place(k, p, p->file, p->file_len, &p->image, err);
    if (rc)
        return rc;
    const uintptr_t args[4] = {
        p->block.image_start,
        p->block.start,
        p->block.grant_start - p->block.start,
        p->block.brk,
    };
    rc = hal->proc->start(hal->ctx, p->slot, p->block.image_start + (uintptr_t)p->image.entry_off,
                          p->block.stack_start, p->block.stack_end, args);
    if (rc)
        return rc;
    p->id = k->next_id++;
    p->state = PROC_RUNNING;
    kernel_emit(k, KEV_START, p);
    proc_make_ready(k, p);
    return 0;
}

/* The process will not run again (until a restart): drop its context. */
static void stop_running(struct kernel *k, struct proc *p, enum proc_state final)
{
    const struct hal *hal = k->hal;
    p->state = final;
    drop_shares(k, p);
    hal->proc->discard(hal->ctx, p->slot);
    hal->mpu->release(hal->ctx, p->slot, &p->block);
    k->ram_freed = true; /* only live processes hold RAM (placement.c) */
}

void proc_terminate(struct kernel *k, struct proc *p, int32_t completion_code)
{
    p->completion_code = completion_code;
    p->exited = true;
    stop_running(k, p, PROC_TERMINATED);
    kernel_emit(k, KEV_EXIT, p);
}

/*
 * Restarts, or stops the process as faulted when even that fails. A restart
 * costs a timeslice of virtual time, as a boot does on a board: an app that
 * restarts in a loop cannot freeze time for everyone else.
 */
static void restart_or_stop(struct kernel *k, struct proc *p)
{
    struct loader_error err;
    kernel_emit(k, KEV_RESTART, p);
    p->restarts++;
    k->turn_used_up = true;
    if (proc_start(k, p, &err) != 0)
        stop_running(k, p, PROC_FAULTED);
}

void proc_restart(struct kernel *k, struct proc *p)
{
    restart_or_stop(k, p);
}

void proc_fault(struct kernel *k, struct proc *p, const struct hal_fault *fault)
{
    p->last_fault = *fault;
    p->faults++;
    kernel_emit(k, KEV_FAULT, p);
    switch (k->cfg.fault_policy) {
    case KERNEL_FAULT_PANIC:
        stop_running(k, p, PROC_FAULTED);
        k->panicked = true;
        kernel_emit(k, KEV_PANIC, p);
        break;
    case KERNEL_FAULT_RESTART:
        if (p->faults <= k->cfg.fault_restarts) {
            restart_or_stop(k, p);
            break;
        }
        stop_running(k, p, PROC_FAULTED);
        break;
    case KERNEL_FAULT_STOP:
    default:
        stop_running(k, p, PROC_FAULTED);
        break;
    }
}

void proc_evict(struct kernel *k, struct proc *p, const struct proc *cause)
{
    struct kernel_event ev = {KEV_EVICT, p, 0, NULL, NULL, NULL, cause, 0};
    p->evictions++;
    stop_running(k, p, PROC_EVICTED);
    kernel_emit_event(k, &ev);
}

void proc_readmit(struct kernel *k, struct proc *p)
{
    struct loader_error err;
    if (proc_start(k, p, &err) != 0)
        stop_running(k, p, PROC_FAULTED);
}

void proc_set_block(struct proc *p, const struct hal_block *b)
{
    p->block = *b;
    p->block.flash_start = p->flash_start;
    p->block.flash_end = p->flash_end;
}

/* The subscribed upcall for an event, from the driver's grant (0: Null Upcall). */
static struct grant_upcall subscribed(struct kernel *k, struct proc *p,
                                      const struct upcall_event *ev)
{
    struct grant_view g;
    int idx = kernel_driver_index(k, ev->driver);
    if (idx < 0 || !grant_peek(k, p, (unsigned)idx, &g) || ev->number >= k->drivers[idx]->upcalls)
        return (struct grant_upcall){0, 0};
    return g.upcalls[ev->number];
}

bool proc_take_deliverable(struct kernel *k, struct proc *p)
{
    while (p->upcalls.count > 0) {
        struct upcall_event ev = *upcall_queue_at(&p->upcalls, 0);
        struct grant_upcall up = subscribed(k, p, &ev);
        upcall_queue_remove(&p->upcalls, 0);
        if (up.fn == 0)
            continue; /* Null Upcall: Yield-Wait and NoWait discard it */
        kernel_trace_upcall(k, p, &ev);
        p->deliver_fn = up.fn;
        p->deliver_args[0] = ev.args[0];
        p->deliver_args[1] = ev.args[1];
        p->deliver_args[2] = ev.args[2];
        p->deliver_args[3] = up.userdata;
        return true;
    }
    return false;
}

bool proc_take_waited_for(struct kernel *k, struct proc *p, uintptr_t regs[4])
{
    int i = upcall_queue_find(&p->upcalls, p->waitfor_driver, p->waitfor_number);
    if (i < 0)
        return false;
    const struct upcall_event *ev = upcall_queue_at(&p->upcalls, (unsigned)i);
    kernel_trace_upcall(k, p, ev);
    regs[0] = ev->args[0];
    regs[1] = ev->args[1];
    regs[2] = ev->args[2];
    regs[3] = 0;
    upcall_queue_remove(&p->upcalls, (unsigned)i);
    return true;
}

bool proc_to_yielded(struct proc *p)
{
    if (p->state != PROC_RUNNING)
        return false;
    p->state = PROC_YIELDED;
    return true;
}

bool proc_to_yielded_for(struct proc *p)
{
    if (p->state != PROC_RUNNING)
        return false;
    p->state = PROC_YIELDED_FOR;
    return true;
}

bool proc_to_running(struct proc *p)
{
    if (p->state != PROC_YIELDED && p->state != PROC_YIELDED_FOR && p->state != PROC_RUNNING)
        return false;
    p->state = PROC_RUNNING;
    return true;
}

bool proc_to_free(struct proc *p)
{
    if (proc_is_alive(p))
        return false; /* a live process is stopped first (proc_terminate) */
    p->state = PROC_FREE;
    return true;
}
