/* Process RAM: first-fit placement, eviction and readmission (placement.h). */
#include "placement.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"

bool placement_holds_ram(const struct proc *p)
{
    return proc_is_alive(p);
}

/* The live block (other than self's) that ends first above lo, or NULL. */
static const struct proc *next_block(const struct kernel *k, uintptr_t lo, const struct proc *self)
{
    const struct proc *best = NULL;
    for (unsigned i = 0; i < k->nprocs; i++) {
        const struct proc *q = &k->procs[i];
        if (q == self || !placement_holds_ram(q) || q->block.end <= lo)
            continue;
        if (!best || q->block.end < best->block.end)
            best = q;
    }
    return best;
}

/*
 * Calls fn on each free gap [lo, hi) of RAM in address order until it
 * returns true. Blocks never overlap, so the block ending first above lo
 * is the next one up.
 */
static bool each_gap(const struct kernel *k, const struct proc *self, bool empty,
                     bool (*fn)(void *ctx, uintptr_t lo, uintptr_t hi), void *ctx)
{
    uintptr_t lo = k->ram.base + k->cfg.kernel_reserved, end = k->ram.base + k->ram.size;
    for (;;) {
        const struct proc *q = empty ? NULL : next_block(k, lo, self);
        uintptr_t hi = q ? q->block.start : end;
        if (hi > lo && fn(ctx, lo, hi))
            return true;
        if (!q)
            return false;
        lo = q->block.end > lo ? q->block.end : lo;
    }
}

struct find_ctx {
    const struct kernel *k;
    const struct loader_image *img;
    size_t min_ram;
    struct hal_block *out;
};

static bool try_gap(void *ctx, uintptr_t lo, uintptr_t hi)
{
    struct find_ctx *c = ctx;
    return kernel_plan_block(c->k, c->img, c->min_ram, lo, hi, c->out) == 0;
}

int placement_find(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                   const struct proc *self, bool empty, struct hal_block *out)
{
    struct find_ctx c = {k, img, min_ram, out};
    return each_gap(k, self, empty, try_gap, &c) ? 0 : -KS_ENOMEM;
}

static bool measure_gap(void *ctx, uintptr_t lo, uintptr_t hi)
{
    struct placement_room *room = ctx;
    room->free_total += hi - lo;
    if (hi - lo > room->largest_gap)
        room->largest_gap = hi - lo;
    return false; /* every gap */
}

void placement_room(const struct kernel *k, const struct loader_image *img, size_t min_ram,
                    struct placement_room *room)
{
    struct hal_block b;
    klib_fill(room, 0, sizeof(*room));
    if (placement_find(k, img, min_ram, NULL, true, &b) == 0)
        room->need = b.end - b.start;
    each_gap(k, NULL, false, measure_gap, room);
}

/* The lowest-priority process holding RAM, other than p: the highest slot. */
static struct proc *lowest_priority(struct kernel *k, const struct proc *p)
{
    for (unsigned i = k->nprocs; i-- > 0;)
        if (&k->procs[i] != p && placement_holds_ram(&k->procs[i]))
            return &k->procs[i];
    return NULL;
}

int placement_for_new(struct kernel *k, struct proc *p, struct hal_block *out)
{
    /* One that cannot fit even in empty RAM is refused: evicting would not help. */
    if (placement_find(k, &p->image, p->min_ram, p, true, out) != 0)
        return -KS_ENOMEM;
    while (placement_find(k, &p->image, p->min_ram, p, false, out) != 0) {
        struct proc *victim = k->cfg.pressure == KERNEL_PRESSURE_EVICT ? lowest_priority(k, p) : 0;
        if (!victim)
            return -KS_ENOMEM;
        proc_evict(k, victim, p);
    }
    return 0;
}

void placement_readmit(struct kernel *k)
{
    k->ram_freed = false;
    for (unsigned i = 0; i < k->nprocs; i++) {
        struct proc *p = &k->procs[i];
        struct hal_block b;
        if (p->state != PROC_EVICTED || placement_find(k, &p->image, p->min_ram, p, false, &b) != 0)
            continue;
        proc_set_block(p, &b);
        kernel_emit(k, KEV_READMIT, p);
        proc_readmit(k, p);
    }
}
