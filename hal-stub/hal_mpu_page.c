/*
 * The "page" MPU model: host-page granular regions and no padding beyond
 * page rounding. Three regions: stack RW, image RX, data and heap RW; a
 * fourth, flash R, for an app booted from flash.
 */
#include "err.h"
#include "hal_mpu_model.h"

static uintptr_t up(uintptr_t v, uintptr_t page)
{
    return (v + page - 1) & ~(page - 1);
}

static int page_plan_block(const struct hal_mpu_model_params *mp, uintptr_t free_start,
                           uintptr_t free_end, const struct hal_block_req *req,
                           struct hal_block *out)
{
    uintptr_t page = mp->page_size;
    uintptr_t align = req->image_align > page ? req->image_align : page;
    struct hal_block b = {0}; /* a new block has no shares */
    /* Each request is bounded by the free space (< 4 GiB), so no sum overflows. */
    uintptr_t limit = free_end - free_start;
    if (free_end < free_start || req->stack_size > limit || req->image_size > limit ||
        req->data_offset > limit || req->data_size > limit || req->heap_size > limit ||
        req->grant_size > limit)
        return -KS_ENOMEM;
    b.start = up(free_start, page);
    b.stack_start = b.start;
    b.stack_end = b.stack_start + up(req->stack_size, page);
    b.image_start = up(b.stack_end, align);
    b.image_end = b.image_start + req->image_size;
    b.data_start = b.image_start + req->data_offset;
    b.data_end = b.data_start + req->data_size;
    b.brk = b.data_end;
    b.grant_start = up(b.data_end + req->heap_size, page);
    /* At least one page between the end of bss and the grant: brk stays below it. */
    if (b.grant_start == up(b.data_end, page))
        b.grant_start += page;
    b.end = b.grant_start + up(req->grant_size, page);
    if (b.end > free_end || b.end < free_start)
        return -KS_ENOMEM;
    *out = b;
    return 0;
}

static int page_check_brk(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                          uintptr_t new_brk)
{
    (void)mp, (void)b, (void)new_brk;
    return 0; /* any break: the region ends at the page holding it */
}

static int page_check_shares(const struct hal_mpu_model_params *mp, const struct hal_block *b)
{
    (void)mp;
    return b->nshares <= HAL_SHARES_MAX ? 0 : -KS_ENOMEM; /* any range: its pages */
}

static unsigned page_regions(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                             struct hal_mpu_region *out, unsigned max)
{
    uintptr_t page = mp->page_size;
    uintptr_t image_lo = b->image_start & ~(page - 1), data_lo = b->data_start & ~(page - 1);
    uintptr_t flash_lo = b->flash_start & ~(page - 1);
    const struct hal_mpu_region r[4] = {
        {b->stack_start, b->stack_end - b->stack_start, HAL_ACCESS_READ | HAL_ACCESS_WRITE, 0,
         "page", "stack"},
        {image_lo, up(b->image_end, page) - image_lo, HAL_ACCESS_READ | HAL_ACCESS_EXEC, 0, "page",
         "image"},
        {data_lo, up(b->brk, page) - data_lo, HAL_ACCESS_READ | HAL_ACCESS_WRITE, 0, "page",
         "data+heap"},
        {flash_lo, b->flash_end > b->flash_start ? up(b->flash_end, page) - flash_lo : 0,
         HAL_ACCESS_READ, 0, "page", "flash"},
    };
    unsigned n = 0;
    for (unsigned i = 0; i < 4 && n < max; i++)
        if (r[i].size > 0)
            out[n++] = r[i];
    for (unsigned i = 0; i < b->nshares && i < HAL_SHARES_MAX && n < max; i++) {
        uintptr_t lo = b->shares[i].start & ~(page - 1);
        out[n++] = (struct hal_mpu_region){lo,
                                           up(b->shares[i].start + b->shares[i].len, page) - lo,
                                           HAL_ACCESS_READ | HAL_ACCESS_WRITE,
                                           0,
                                           "page",
                                           "share"};
    }
    return n;
}

static unsigned page_region_limit(const struct hal_mpu_model_params *mp)
{
    (void)mp;
    return 0; /* the host MMU: as many pages as it likes */
}

const struct hal_mpu_model hal_mpu_model_page = {
    .name = "page",
    .plan_block = page_plan_block,
    .check_brk = page_check_brk,
    .check_shares = page_check_shares,
    .regions = page_regions,
    .region_limit = page_region_limit,
};
