/*
 * MPU enforcement on the host: the board's model decides the regions, and
 * the host MMU enforces them on the app view, page-granular. Protections
 * follow the running process and change only when another process runs or
 * the break moves.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "err.h"
#include "hal_internal.h"
#include "hal_mpu_model.h"

static const struct hal_mpu_model *const models[] = {
    &hal_mpu_model_page,
    &hal_mpu_model_pmsav7,
    &hal_mpu_model_pmp,
};

const struct hal_mpu_model *hal_mpu_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}

bool hal_mpu_regions_allow(const struct hal_mpu_region *r, unsigned n, uintptr_t addr, size_t len,
                           unsigned access)
{
    uintptr_t a = addr;
    if (len == 0)
        return true;
    if (addr + len < addr)
        return false;
    /* Walk forward: each byte must lie in some region granting `access`. */
    while (a < addr + len) {
        bool covered = false;
        for (unsigned i = 0; i < n && !covered; i++) {
            uint64_t sub = r[i].size / 8;
            if ((r[i].access & access) != access || a < r[i].start ||
                (uint64_t)(a - r[i].start) >= r[i].size)
                continue;
            if (r[i].subregions_off && sub && (r[i].subregions_off >> ((a - r[i].start) / sub)) & 1)
                continue;
            uint64_t end = r[i].start + r[i].size;
            if (r[i].subregions_off && sub)
                end = r[i].start + ((a - r[i].start) / sub + 1) * sub;
            a = end > addr + len ? addr + len : (uintptr_t)end;
            covered = true;
        }
        if (!covered)
            return false;
    }
    return true;
}

static uintptr_t up(uintptr_t v, uintptr_t page)
{
    return (v + page - 1) & ~(page - 1);
}

static uintptr_t down(uintptr_t v, uintptr_t page)
{
    return v & ~(page - 1);
}

static void protect(uintptr_t lo, uintptr_t hi, int prot)
{
    if (hi > lo && mprotect((void *)lo, hi - lo, prot) != 0) {
        perror("ksim: mprotect of the app view");
        abort(); /* the memory map is ours: failing here is a ksim bug */
    }
}

/*
 * b's accessible ranges, page-rounded: stack RW, image RX, data up to the
 * break RW (all in RAM), then its TBF in flash R (empty unless booted from flash).
 */
#define RAM_RANGES 3
void hal__mpu_ranges(const struct hal_stub *s, const struct hal_block *b, uintptr_t lo[4],
                     uintptr_t hi[4])
{
    uintptr_t page = s->cfg.page_size;
    lo[0] = b->stack_start;
    hi[0] = b->stack_end;
    lo[1] = down(b->image_start, page);
    hi[1] = up(b->image_end, page);
    lo[2] = down(b->data_start, page);
    hi[2] = up(b->brk, page);
    lo[3] = down(b->flash_start, page);
    hi[3] = b->flash_end > b->flash_start ? up(b->flash_end, page) : lo[3];
}

/* b's shares, page-rounded: the host cannot enforce less than a page. */
static void protect_shares(struct hal_stub *s, const struct hal_block *b, int prot)
{
    uintptr_t page = s->cfg.page_size;
    for (unsigned i = 0; i < b->nshares; i++)
        protect(down(b->shares[i].start, page), up(b->shares[i].start + b->shares[i].len, page),
                prot);
}

static void apply(struct hal_stub *s, const struct hal_block *b)
{
    static const int prot[4] = {PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
                                PROT_READ | PROT_WRITE, PROT_READ};
    uintptr_t lo[4], hi[4];
    hal__mpu_ranges(s, b, lo, hi);
    /* Shares first: where one shares a page with the block, the block's own protection wins. */
    protect_shares(s, b, PROT_READ | PROT_WRITE);
    for (int i = 0; i < 4; i++)
        protect(lo[i], hi[i], prot[i]);
}

/*
 * Only the pages that were accessible change. One call over the span of the
 * three ranges: what lies between them (padding) is inaccessible already,
 * and each mprotect costs tens of microseconds on a VM. Shares lie in other
 * blocks: one call each.
 */
static void revoke_block(struct hal_stub *s, const struct hal_block *b)
{
    uintptr_t lo[4], hi[4], min = UINTPTR_MAX, max = 0;
    hal__mpu_ranges(s, b, lo, hi);
    protect(lo[3], hi[3], PROT_NONE); /* flash is another mapping: never in the RAM span */
    for (int i = 0; i < RAM_RANGES; i++) {
        if (hi[i] <= lo[i])
            continue;
        min = lo[i] < min ? lo[i] : min;
        max = hi[i] > max ? hi[i] : max;
    }
    protect_shares(s, b, PROT_NONE);
    protect(min, max, PROT_NONE);
}

static int mpu_plan_block(void *hal, uintptr_t free_start, uintptr_t free_end,
                          const struct hal_block_req *req, struct hal_block *out)
{
    struct hal_stub *s = hal;
    return s->model->plan_block(&s->model_params, free_start, free_end, req, out);
}

/*
 * Isolation off still keeps the grant region from the app: grants hold what
 * the kernel acts on (upcall pointers, allow records), which an app must
 * never rewrite. Its whole pages are sealed once, when the process first
 * runs, and unsealed when it ends: nothing changes per switch.
 */
static void unseal_grants(struct hal_stub *s, unsigned slot)
{
    struct hal__proc *p = &s->procs[slot];
    protect(p->grant_sealed_lo, p->grant_sealed_hi, PROT_READ | PROT_WRITE | PROT_EXEC);
    p->grant_sealed_lo = p->grant_sealed_hi = 0; /* as sim/memmap.c mapped it */
}

static void seal_grants(struct hal_stub *s, unsigned slot, const struct hal_block *b)
{
    struct hal__proc *p = &s->procs[slot];
    uintptr_t lo = up(b->grant_start, s->cfg.page_size), hi = down(b->end, s->cfg.page_size);
    if (p->grant_sealed_lo == lo && p->grant_sealed_hi == hi)
        return;
    unseal_grants(s, slot); /* a block placed anew */
    protect(lo, hi, PROT_NONE);
    p->grant_sealed_lo = lo;
    p->grant_sealed_hi = hi;
}

static void mpu_activate(void *hal, unsigned slot, const struct hal_block *b)
{
    struct hal_stub *s = hal;
    if (s->cfg.isolation_process) {
        s->procs[slot].block = *b; /* its host process maps it (hal_child.c) */
        return;
    }
    if (!s->cfg.isolation) {
        seal_grants(s, slot, b);
        return;
    }
    if (s->active_slot == (int)slot)
        return; /* the same process again: nothing changes */
    if (s->active_slot >= 0)
        revoke_block(s, &s->active);
    s->active_slot = (int)slot;
    s->active = *b;
    apply(s, b);
}

static int mpu_set_brk(void *hal, unsigned slot, struct hal_block *b, uintptr_t new_brk)
{
    struct hal_stub *s = hal;
    uintptr_t page = s->cfg.page_size, old = b->brk;
    if (s->model->check_brk(&s->model_params, b, new_brk) != 0)
        return -KS_ENOMEM;
    b->brk = new_brk;
    if (s->cfg.isolation_process) {
        s->procs[slot].block.brk = new_brk; /* its host process follows at the gate's return */
        return 0;
    }
    if (!s->cfg.isolation || s->active_slot != (int)slot)
        return 0;
    s->active.brk = new_brk;
    if (up(new_brk, page) > up(old, page))
        protect(up(old, page), up(new_brk, page), PROT_READ | PROT_WRITE);
    else if (up(new_brk, page) < up(old, page))
        protect(up(new_brk, page), up(old, page), PROT_NONE);
    return 0;
}

static void mpu_release(void *hal, unsigned slot, const struct hal_block *b)
{
    struct hal_stub *s = hal;
    if (s->cfg.isolation_process)
        return;
    if (!s->cfg.isolation)
        unseal_grants(s, slot);
    if (!s->cfg.isolation || s->active_slot != (int)slot)
        return;
    revoke_block(s, b);
    s->active_slot = -1;
}

/* Re-applies the active process's protections after its share list changed. */
static void reapply(struct hal_stub *s, unsigned slot, const struct hal_block *old,
                    const struct hal_block *b)
{
    if (!s->cfg.isolation || s->active_slot != (int)slot)
        return;
    protect_shares(s, old, PROT_NONE);
    s->active = *b;
    apply(s, b);
}

static int mpu_share(void *hal, unsigned slot, struct hal_block *b, uintptr_t start, uintptr_t len)
{
    struct hal_stub *s = hal;
    if (len == 0 || start + len < start)
        return -KS_EINVAL;
    if (s->cfg.isolation_process)
        return -KS_ENOMEM; /* not yet: a host process maps only its own block */
    for (unsigned i = 0; i < b->nshares; i++)
        if (b->shares[i].start == start && b->shares[i].len == len)
            return 0; /* Tock would spend another region; ksim reuses the one it has */
    if (b->nshares >= HAL_SHARES_MAX)
        return -KS_ENOMEM;
    struct hal_block next = *b;
    next.shares[next.nshares++] = (struct hal_share){start, len};
    if (s->model->check_shares(&s->model_params, &next) != 0)
        return -KS_ENOMEM;
    struct hal_block old = *b;
    *b = next;
    reapply(s, slot, &old, b);
    return 0;
}

static void mpu_unshare(void *hal, unsigned slot, struct hal_block *b, uintptr_t lo, uintptr_t hi)
{
    struct hal_stub *s = hal;
    struct hal_block old = *b;
    unsigned kept = 0;
    for (unsigned i = 0; i < b->nshares; i++) {
        const struct hal_share *sh = &b->shares[i];
        if (sh->start < hi && sh->start + sh->len > lo)
            continue; /* overlaps: dropped */
        b->shares[kept++] = *sh;
    }
    if (kept == b->nshares)
        return;
    b->nshares = kept;
    reapply(s, slot, &old, b);
}

const struct hal_mpu_ops hal__mpu_ops = {
    .plan_block = mpu_plan_block,
    .set_brk = mpu_set_brk,
    .activate = mpu_activate,
    .release = mpu_release,
    .share = mpu_share,
    .unshare = mpu_unshare,
};

unsigned hal_stub_mpu_regions(struct hal_stub *s, const struct hal_block *b,
                              struct hal_mpu_region *out, unsigned max)
{
    return s->model->regions(&s->model_params, b, out, max);
}

const char *hal_stub_mpu_model(const struct hal_stub *s)
{
    return s->model->name;
}

unsigned hal_stub_mpu_region_limit(const struct hal_stub *s)
{
    return s->model->region_limit(&s->model_params);
}

int hal_stub_image_prot(const struct hal_stub *s, unsigned slot)
{
    if (!s->cfg.isolation)
        return PROT_READ | PROT_WRITE | PROT_EXEC; /* as sim/run/memmap.c mapped it */
    return s->active_slot == (int)slot ? PROT_READ | PROT_EXEC : PROT_NONE;
}
