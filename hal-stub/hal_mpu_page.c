/*
 * The "page" MPU model: host-page granular regions, no padding. The host
 * MMU enforces them on the app view: page protections follow the running
 * process and change only when a different process runs (or on brk).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "err.h"
#include "hal_internal.h"

static uintptr_t up(uintptr_t v, uintptr_t page)
{
    return (v + page - 1) & ~(page - 1);
}

static uintptr_t down(uintptr_t v, uintptr_t page)
{
    return v & ~(page - 1);
}

static int page_plan_block(void *hal, uintptr_t free_start, uintptr_t free_end,
                           const struct hal_block_req *req, struct hal_block *b)
{
    struct hal_stub *s = hal;
    uintptr_t page = s->cfg.page_size;
    uintptr_t align = req->image_align > page ? req->image_align : page;
    /* Each step is bounded by the RAM size (< 4 GiB), so none can overflow. */
    uintptr_t limit = free_end - free_start;
    if (req->stack_size > limit || req->image_size > limit || req->data_offset > limit ||
        req->data_size > limit || req->heap_size > limit || req->grant_size > limit)
        return -KS_ENOMEM;
    b->start = up(free_start, page);
    b->stack_start = b->start;
    b->stack_end = b->stack_start + up(req->stack_size, page);
    b->image_start = up(b->stack_end, align);
    b->image_end = b->image_start + req->image_size;
    b->data_start = b->image_start + req->data_offset;
    b->data_end = b->data_start + req->data_size;
    b->brk = b->data_end;
    b->grant_start = up(b->data_end + req->heap_size, page);
    /* At least one free page between the break and the grant keeps brk < grant. */
    if (b->grant_start == up(b->data_end, page))
        b->grant_start += page;
    b->end = b->grant_start + up(req->grant_size, page);
    if (b->end > free_end || b->end < free_start)
        return -KS_ENOMEM;
    return 0;
}

static void protect(uintptr_t lo, uintptr_t hi, int prot)
{
    if (hi > lo && mprotect((void *)lo, hi - lo, prot) != 0) {
        perror("ksim: mprotect of the app view");
        abort(); /* the memory map is ours: failing here is a ksim bug */
    }
}

/* Applies b's regions: stack RW, image RX, data up to the break RW. */
static void apply(struct hal_stub *s, const struct hal_block *b)
{
    uintptr_t page = s->cfg.page_size;
    protect(b->stack_start, b->stack_end, PROT_READ | PROT_WRITE);
    protect(down(b->image_start, page), up(b->image_end, page), PROT_READ | PROT_EXEC);
    protect(down(b->data_start, page), up(b->brk, page), PROT_READ | PROT_WRITE);
}

static void page_activate(void *hal, unsigned slot, const struct hal_block *b)
{
    struct hal_stub *s = hal;
    if (!s->cfg.isolation)
        return;
    if (s->active_slot == (int)slot)
        return; /* the same process again: nothing changes */
    if (s->active_slot >= 0)
        protect(s->active.start, s->active.end, PROT_NONE);
    s->active_slot = (int)slot;
    s->active = *b;
    apply(s, b);
}

static int page_set_brk(void *hal, unsigned slot, struct hal_block *b, uintptr_t new_brk)
{
    struct hal_stub *s = hal;
    uintptr_t page = s->cfg.page_size, old = b->brk;
    b->brk = new_brk;
    if (!s->cfg.isolation || s->active_slot != (int)slot)
        return 0;
    s->active.brk = new_brk;
    if (up(new_brk, page) > up(old, page))
        protect(up(old, page), up(new_brk, page), PROT_READ | PROT_WRITE);
    else if (up(new_brk, page) < up(old, page))
        protect(up(new_brk, page), up(old, page), PROT_NONE);
    return 0;
}

static void page_release(void *hal, unsigned slot, const struct hal_block *b)
{
    struct hal_stub *s = hal;
    if (!s->cfg.isolation || s->active_slot != (int)slot)
        return;
    protect(b->start, b->end, PROT_NONE);
    s->active_slot = -1;
}

const struct hal_mpu_ops hal__mpu_page_ops = {
    .plan_block = page_plan_block,
    .set_brk = page_set_brk,
    .activate = page_activate,
    .release = page_release,
};
