/* Grant allocation inside the process's grant region, through umem. */
#include "grant.h"

#include "driver.h"
#include "err.h"
#include "kernel.h"
#include "klib.h"
#include "proc.h"
#include "umem.h"

#define GRANT_ALIGN 16u

static uintptr_t grant_size(const struct driver *d)
{
    uintptr_t slots =
        (uintptr_t)d->upcalls * sizeof(struct grant_upcall) +
        ((uintptr_t)d->allow_ro + d->allow_rw + d->allow_ur) * sizeof(struct grant_allow);
    return klib_align_up(slots + d->data_size, GRANT_ALIGN);
}

static bool view(struct kernel *k, struct proc *p, unsigned idx, struct grant_view *out)
{
    const struct driver *d = k->drivers[idx];
    uint8_t *base = umem_grant_ptr(k, p, p->grant[idx], grant_size(d));
    if (!base)
        return false;
    out->upcalls = (struct grant_upcall *)(void *)base;
    out->ro = (struct grant_allow *)(void *)(out->upcalls + d->upcalls);
    out->rw = out->ro + d->allow_ro;
    out->ur = out->rw + d->allow_rw;
    out->data = out->ur + d->allow_ur;
    return true;
}

bool grant_peek(struct kernel *k, struct proc *p, unsigned idx, struct grant_view *out)
{
    if (idx >= k->ndrivers || p->grant[idx] == 0)
        return false;
    return view(k, p, idx, out);
}

int grant_enter(struct kernel *k, struct proc *p, unsigned idx, struct grant_view *out)
{
    if (idx >= k->ndrivers)
        return -KS_ENODEVICE;
    if (p->grant[idx] == 0) {
        uintptr_t size = grant_size(k->drivers[idx]);
        /* Allocate downward; never below the start of the grant region. */
        if (p->grant_top - p->block.grant_start < size)
            return -KS_ENOMEM;
        uintptr_t addr = p->grant_top - size;
        if (umem_block_fill(k, p, addr, 0, size) != 0)
            return -KS_ENOMEM;
        p->grant[idx] = addr;
        p->grant_top = addr;
    }
    return view(k, p, idx, out) ? 0 : -KS_ENOMEM;
}

int grant_subscribe(struct kernel *k, struct proc *p, unsigned idx, uint32_t num,
                    struct grant_upcall upcall, struct grant_upcall *prev)
{
    struct grant_view g;
    /* The slots end at the driver's count: beyond it lies the next slot kind. */
    if (idx >= k->ndrivers || num >= k->drivers[idx]->upcalls)
        return -KS_EINVAL;
    if (grant_enter(k, p, idx, &g) != 0)
        return -KS_ENOMEM;
    *prev = g.upcalls[num];
    g.upcalls[num] = upcall;
    return 0;
}

int grant_allow(struct kernel *k, struct proc *p, unsigned idx, enum grant_allow_kind kind,
                uint32_t num, struct grant_allow buf, struct grant_allow *prev)
{
    struct grant_view g;
    if (idx >= k->ndrivers || num >= driver_allow_count(k->drivers[idx], kind))
        return -KS_EINVAL;
    if (grant_enter(k, p, idx, &g) != 0)
        return -KS_ENOMEM;
    struct grant_allow *slot = kind == GRANT_ALLOW_RO   ? &g.ro[num]
                               : kind == GRANT_ALLOW_RW ? &g.rw[num]
                                                        : &g.ur[num];
    *prev = *slot;
    *slot = buf;
    /* brk may never again uncover less than a buffer a driver may still use. */
    if (buf.len > 0 && umem_range_within(buf.addr, buf.len, p->block.data_start, p->block.brk) &&
        buf.addr + buf.len > p->allow_hwm)
        p->allow_hwm = buf.addr + buf.len;
    return 0;
}

void grant_reset(struct proc *p)
{
    for (unsigned i = 0; i < KS_MAX_DRIVERS; i++)
        p->grant[i] = 0;
    p->grant_top = p->block.end;
}
