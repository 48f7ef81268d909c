/*
 * IPC (0x10000), with the numbers of Tock's kernel/src/ipc.rs. A process's
 * IPC id is its slot (Tock's process index).
 *
 *   command 1      discovery: the name in Read-Only Allow 0 -> Success with
 *                  u32 (the id of the first process with that name), NODEVICE
 *   command 2, id  notify service id: it gets upcall <its own id>
 *   command 3, id  notify client id: it gets upcall <the caller's id>
 *   RW Allow n     this process's buffer for peer n
 *   upcall args    (notifier's id, buffer length, buffer address)
 *
 * Shared buffers are where ksim differs. Tock gives the notified process MPU
 * access to the notifier's buffer; in ksim only the running process's own
 * pages are accessible, so the kernel copies instead, through umem:
 *
 * - A process's window is its RW Allow numbered with its own id (a number
 *   Tock never uses: no process shares with itself).
 * - When A notifies B and A has a buffer for B: if B has a window, A's
 *   buffer is copied into it and B's upcall gets the window; B's window now
 *   holds A's request until B notifies A back, when the window is copied
 *   back into A's buffer. Others notifying B meanwhile wait, in id order.
 *   Without a window B gets (A, 0, 0).
 * - Otherwise B's upcall gets B's own buffer for A, if it has one (a client
 *   answered by its service finds the reply there), else (A, 0, 0).
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "umem.h"

#define IPC_MAX_PROCS 64 /* ids 0..63 take part: Tock's NUM_PROCS */
#define ALLOW_SEARCH  0
#define IPC_CHUNK     128 /* bytes through the kernel's stack at a time */

enum ipc_type { IPC_SERVICE, IPC_CLIENT };

struct ipc_data {
    uint32_t window_held; /* the window holds window_peer's request */
    uint32_t window_peer;
    uint32_t window_peer_id; /* the peer's process id: a restarted peer is someone else */
    uint32_t pad;            /* the masks stay 8-byte aligned on 32-bit targets too */
    uint64_t pending_svc;    /* bit n: peer n's service notify waits for the window */
    uint64_t pending_cli;    /* bit n: peer n's client notify waits for the window */
};

static struct syscall_ret discover(struct kernel *k, struct proc *p, struct grant_view *g)
{
    char name[PROC_NAME_MAX];
    uintptr_t len = g->ro[ALLOW_SEARCH].len;
    /* No process has an empty name or one this long: nothing can match. */
    if (len == 0 || len >= PROC_NAME_MAX)
        return ret_failure(KS_ENODEVICE);
    if (umem_read(k, p, g->ro[ALLOW_SEARCH].addr, name, len, UMEM_RO) != 0)
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

/* Copies min(lengths) bytes from a buffer of `from` to one of `to`; the count, 0 on refusal. */
static uintptr_t copy(struct kernel *k, struct proc *from, struct grant_allow src, struct proc *to,
                      struct grant_allow dst)
{
    uint8_t chunk[IPC_CHUNK];
    uintptr_t len = src.len < dst.len ? src.len : dst.len;
    for (uintptr_t done = 0; done < len;) {
        size_t n = len - done > IPC_CHUNK ? IPC_CHUNK : (size_t)(len - done);
        if (umem_read(k, from, src.addr + done, chunk, n, UMEM_RW) != 0 ||
            umem_write(k, to, dst.addr + done, chunk, n) != 0)
            return 0;
        done += n;
    }
    return len;
}

static bool window_busy(struct kernel *k, struct ipc_data *d, const struct proc *a)
{
    if (!d->window_held)
        return false;
    if (!kernel_proc_by_id(k, (int)d->window_peer, d->window_peer_id)) {
        d->window_held = 0; /* its peer is gone: nobody gets the bytes back */
        return false;
    }
    return !(d->window_peer == a->slot && d->window_peer_id == a->id);
}

/* Gives b the upcall for a's notify (or parks it until b's window is free). */
static void deliver(struct kernel *k, unsigned idx, struct proc *a, struct proc *b,
                    enum ipc_type type)
{
    struct grant_view ag, bg;
    uint32_t number = type == IPC_SERVICE ? b->slot : a->slot;
    struct grant_allow src = {0, 0};
    if (grant_peek(k, a, idx, &ag))
        src = ag.rw[b->slot];
    bool b_grant = grant_peek(k, b, idx, &bg);

    if (src.len > 0) {
        if (!b_grant || bg.rw[b->slot].len == 0) {
            kernel_schedule_upcall(k, b, idx, number, a->slot, 0, 0);
            return;
        }
        struct ipc_data *bd = bg.data;
        if (window_busy(k, bd, a)) {
            uint64_t bit = (uint64_t)1 << a->slot;
            if (type == IPC_SERVICE)
                bd->pending_svc |= bit;
            else
                bd->pending_cli |= bit;
            return;
        }
        struct grant_allow win = bg.rw[b->slot];
        uintptr_t n = copy(k, a, src, b, win);
        bd->window_held = 1;
        bd->window_peer = a->slot;
        bd->window_peer_id = a->id;
        kernel_schedule_upcall(k, b, idx, number, a->slot, n, win.addr);
        return;
    }
    if (b_grant && bg.rw[a->slot].len > 0)
        kernel_schedule_upcall(k, b, idx, number, a->slot, bg.rw[a->slot].len, bg.rw[a->slot].addr);
    else
        kernel_schedule_upcall(k, b, idx, number, a->slot, 0, 0);
}

/* b's window is free: hands it to the waiting notifies, lowest id first. */
static void serve_pending(struct kernel *k, unsigned idx, struct proc *b, struct ipc_data *bd)
{
    for (unsigned s = 0; s < IPC_MAX_PROCS && s < k->nprocs; s++) {
        uint64_t bit = (uint64_t)1 << s;
        for (int t = IPC_SERVICE; t <= IPC_CLIENT; t++) {
            uint64_t *pending = t == IPC_SERVICE ? &bd->pending_svc : &bd->pending_cli;
            if (bd->window_held)
                return;
            if (!(*pending & bit))
                continue;
            *pending &= ~bit;
            if (proc_is_alive(&k->procs[s]))
                deliver(k, idx, &k->procs[s], b, (enum ipc_type)t);
        }
    }
}

/* a answers b: the request b left in a's window goes back into b's buffer for a. */
static void write_back(struct kernel *k, unsigned idx, struct proc *a, struct grant_view *ag,
                       struct proc *b)
{
    struct ipc_data *ad = ag->data;
    struct grant_view bg;
    if (!ad->window_held || ad->window_peer != b->slot || ad->window_peer_id != b->id)
        return;
    if (grant_peek(k, b, idx, &bg))
        copy(k, a, ag->rw[a->slot], b, bg.rw[a->slot]);
    ad->window_held = 0;
    serve_pending(k, idx, a, ad);
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

static struct syscall_ret notify(struct kernel *k, struct proc *a, unsigned idx,
                                 struct grant_view *ag, uint32_t target, enum ipc_type type)
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
    write_back(k, idx, a, ag, b);
    deliver(k, idx, a, b, type);
    return ret_success();
}

static struct syscall_ret ipc_command(struct kernel *k, struct proc *p, unsigned idx, uint32_t cmd,
                                      uint32_t target, uint32_t arg1)
{
    struct grant_view g;
    (void)arg1;
    if (cmd == 0)
        return ret_success();
    if (cmd > 3)
        return ret_failure(KS_ENOSUPPORT);
    if (grant_enter(k, p, idx, &g) != 0)
        return ret_failure(KS_ENOMEM);
    switch (cmd) {
    case 1:
        return discover(k, p, &g);
    case 2:
        return notify(k, p, idx, &g, target, IPC_SERVICE);
    default: /* 3 */
        return notify(k, p, idx, &g, target, IPC_CLIENT);
    }
}

const struct driver drv_ipc = {
    .num = KSIM_DRIVER_IPC,
    .name = "ipc",
    .upcalls = IPC_MAX_PROCS,
    .allow_ro = 1,
    .allow_rw = IPC_MAX_PROCS,
    .data_size = sizeof(struct ipc_data),
    .command = ipc_command,
};
