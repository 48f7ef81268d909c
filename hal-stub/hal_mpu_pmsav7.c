/*
 * The "cortex-m-pmsav7" MPU model: the ARMv7-M PMSAv7 rules. The MPU has 8
 * regions; a region's size is a power of two from 32 bytes to 4 GiB and its
 * base is aligned to its size; a region of 256 bytes or more has 8 equal
 * subregions, each of which can be disabled (SRD bits). A process gets three
 * regions that never overlap, so PMSAv7's rule that the highest-numbered
 * region wins never decides an access:
 *
 *   0 stack      RW, XN  a run of subregions whose edges are host pages,
 *                        ending at or below the image's region
 *   1 image      RO, X   the region whose subregions cover the image and end
 *                        at or below the data page, starting highest
 *   2 data+heap  RW, XN  Tock's app-memory region: based at the data page,
 *                        the smallest power of two holding data, heap and the
 *                        grant; subregions are enabled up to the break, and
 *                        the grant lies in the disabled ones at the top
 *
 * The regions left (3 to 7, or 4 to 7 with a region over the app's flash) are
 * free for shares (IPC buffers of other processes): each
 * share takes the region whose enabled subregions cover it most tightly.
 *
 * The break moves by enabling or disabling subregions of region 2; the region
 * itself never moves or grows (the next block follows it), and the grant
 * starts on a subregion boundary, so every break below the grant can be
 * expressed. Worked layouts are in docs/mpu.md.
 */
#include "err.h"
#include "hal_mpu_model.h"

#define V7_MIN_SIZE 32ull        /* SIZE field 4: 2^(4+1) bytes */
#define V7_SUB_MIN  256ull       /* smaller regions have no subregions */
#define V7_MAX_SIZE (1ull << 32) /* SIZE field 31 */

/* One hardware region: RBAR's address and RASR's SIZE and SRD fields. */
struct v7 {
    uint64_t base, size;
    uint8_t srd; /* bit i set: subregion i disabled */
};

static uint64_t up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static uint64_t down(uint64_t v, uint64_t a)
{
    return v & ~(a - 1);
}

static uint64_t max64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint64_t pow2_up(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

/* The region (base, size) with exactly the subregions that touch [lo, hi) enabled. */
static struct v7 v7_make(uint64_t base, uint64_t size, uint64_t lo, uint64_t hi)
{
    struct v7 r = {base, size, 0};
    if (size >= V7_SUB_MIN) {
        uint64_t sub = size / 8;
        unsigned first = (unsigned)((lo - base) / sub);
        unsigned last = (unsigned)(up(hi - base, sub) / sub);
        r.srd = (uint8_t) ~(((1u << last) - 1) & ~((1u << first) - 1));
    }
    return r;
}

/* The enabled span [*lo, *hi) of r; its enabled subregions are one run here. */
static void v7_span(const struct v7 *r, uint64_t *lo, uint64_t *hi)
{
    unsigned first = 0, last = 8;
    uint64_t sub = r->size / 8;
    if (r->size < V7_SUB_MIN) {
        *lo = r->base;
        *hi = r->base + r->size;
        return;
    }
    while (first < 8 && ((r->srd >> first) & 1))
        first++;
    while (last > first && ((r->srd >> (last - 1)) & 1))
        last--;
    *lo = r->base + first * sub;
    *hi = r->base + last * sub;
}

/* The region whose span covers [lo, hi), ends at or below limit and starts highest. */
static bool v7_cover_span(uint64_t lo, uint64_t hi, uint64_t limit, struct v7 *best)
{
    bool found = false;
    uint64_t best_lo = 0;
    for (uint64_t size = pow2_up(max64(hi - lo, V7_MIN_SIZE)); size <= V7_MAX_SIZE; size <<= 1) {
        uint64_t base = down(lo, size), slo, shi;
        if (hi > base + size)
            continue; /* [lo, hi) crosses this size's alignment boundary */
        struct v7 r = v7_make(base, size, lo, hi);
        v7_span(&r, &slo, &shi);
        /* Strictly higher only: on a tie the smaller region (finer subregions) stays. */
        if (shi <= limit && (!found || slo > best_lo)) {
            *best = r;
            best_lo = slo;
            found = true;
        }
    }
    return found;
}

/*
 * The region whose span holds at least len bytes, has both edges on gran
 * (a host page), ends at or below hi and starts highest.
 */
static bool v7_cover_below(uint64_t hi, uint64_t len, uint64_t gran, struct v7 *best)
{
    bool found = false;
    uint64_t best_lo = 0;
    for (uint64_t size = pow2_up(max64(len, max64(gran, V7_SUB_MIN))); size <= V7_MAX_SIZE;
         size <<= 1) {
        uint64_t step = max64(size / 8, gran), n = up(len, step), top = down(hi, step);
        if (top < n)
            continue;
        uint64_t base = down(top - 1, size);
        if (top - n < base) {
            /* The run would cross the window's base: end it at the window below instead. */
            top = base;
            if (top < n)
                continue;
            base -= size;
        }
        if (!found || top - n > best_lo) {
            *best = v7_make(base, size, top - n, top);
            best_lo = top - n;
            found = true;
        }
    }
    return found;
}

/* The smallest region whose span is exactly [lo, hi), if there is one. */
static bool v7_exact(uint64_t lo, uint64_t hi, struct v7 *out)
{
    if (hi <= lo)
        return false;
    for (uint64_t size = pow2_up(max64(hi - lo, V7_MIN_SIZE)); size <= V7_MAX_SIZE; size <<= 1) {
        uint64_t base = down(lo, size), sub = size / 8;
        if (hi > base + size)
            continue;
        if (size < V7_SUB_MIN ? (lo == base && hi == base + size)
                              : ((lo - base) % sub == 0 && (hi - base) % sub == 0)) {
            *out = v7_make(base, size, lo, hi);
            return true;
        }
    }
    return false;
}

/* Bytes of the grant at the top of a data region of size: whole subregions and pages. */
static uint64_t v7_grant_bytes(uint64_t size, uint64_t grant, uint64_t page)
{
    return up(grant, max64(size / 8, page));
}

/* The smallest data region holding lead + data + heap (at least 1 byte) below its grant. */
static uint64_t v7_data_size(const struct hal_block_req *req, uint64_t lead, uint64_t page)
{
    uint64_t need = lead + req->data_size + (req->heap_size ? req->heap_size : 1);
    for (uint64_t size = pow2_up(max64(need, max64(page, V7_SUB_MIN))); size <= V7_MAX_SIZE;
         size <<= 1)
        if (need + v7_grant_bytes(size, req->grant_size, page) <= size)
            return size;
    return 0;
}

/* Region 2 of block b, its subregions enabled up to brk. */
static struct v7 v7_data_region(const struct hal_block *b, uint64_t page, uint64_t brk)
{
    uint64_t base = down(b->data_start, page), size = b->end - base;
    struct v7 r = {base, size, 0};
    if (size >= V7_SUB_MIN) {
        uint64_t on = brk > base ? up(brk - base, size / 8) / (size / 8) : 0;
        r.srd = (uint8_t)(0xffu << (on < 8 ? on : 8)); /* subregions [0, on) on */
    }
    return r;
}

struct v7_plan {
    uint64_t stack_lo, stack_hi, image;
};

/*
 * With the data region at d: the image at d - q (it must be aligned to
 * align), its region below d, and the stack's run below that.
 */
static bool v7_place_below(uint64_t d, uint64_t q, uint64_t align, uint64_t stack,
                           const struct hal_block_req *req, uint64_t page, struct v7_plan *p)
{
    struct v7 img = {0}, stk = {0}; /* set below; zeroed so -O3 can see it */
    uint64_t image = d - q, ilo = image, ihi;
    if (image % align != 0)
        return false;
    if (req->image_size > 0) {
        if (!v7_cover_span(image, image + req->image_size, d, &img))
            return false;
        v7_span(&img, &ilo, &ihi);
    }
    if (!v7_cover_below(ilo, stack, page, &stk))
        return false;
    v7_span(&stk, &p->stack_lo, &p->stack_hi);
    p->image = image;
    return true;
}

static void v7_fill(struct hal_block *b, const struct v7_plan *p, const struct hal_block_req *req,
                    uint64_t d, uint64_t dsize, uint64_t page)
{
    b->start = (uintptr_t)p->stack_lo;
    b->stack_start = (uintptr_t)p->stack_lo;
    b->stack_end = (uintptr_t)p->stack_hi;
    b->image_start = (uintptr_t)p->image;
    b->image_end = b->image_start + req->image_size;
    b->data_start = b->image_start + req->data_offset;
    b->data_end = b->data_start + req->data_size;
    b->brk = b->data_end;
    b->end = (uintptr_t)(d + dsize);
    b->grant_start = (uintptr_t)(d + dsize - v7_grant_bytes(dsize, req->grant_size, page));
    b->nshares = 0;                    /* a new block has no shares */
    b->flash_start = b->flash_end = 0; /* the kernel sets them for an app booted from flash */
}

static int v7_plan_block(const struct hal_mpu_model_params *mp, uintptr_t free_start,
                         uintptr_t free_end, const struct hal_block_req *req, struct hal_block *out)
{
    uint64_t page = mp->page_size, lo = up(free_start, page), limit = free_end - free_start;
    /* Each request is bounded by the free space (< 4 GiB), so no sum below overflows. */
    if (free_end <= free_start || req->stack_size > limit || req->image_size > limit ||
        req->data_offset > limit || req->data_size > limit || req->heap_size > limit ||
        req->grant_size > limit)
        return -KS_ENOMEM;
    /* Data keeps its linked distance from the image; its region starts at its page. */
    uint64_t q = down(req->data_offset, page), lead = req->data_offset - q;
    uint64_t align = max64(req->image_align, page);
    uint64_t stack = up(req->stack_size ? req->stack_size : 1, page);
    uint64_t dsize = v7_data_size(req, lead, page);
    if (dsize == 0 || q < req->image_size)
        return -KS_ENOMEM; /* too big, or the image would share a page with data */
    /* The data region's base is aligned to its size: try each aligned base upwards. */
    for (uint64_t d = up(lo + q + stack, dsize); d + dsize <= free_end; d += dsize) {
        struct v7_plan p;
        if (v7_place_below(d, q, align, stack, req, page, &p) && p.stack_lo >= lo) {
            v7_fill(out, &p, req, d, dsize, page);
            return 0;
        }
    }
    return -KS_ENOMEM;
}

static int v7_check_brk(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                        uintptr_t new_brk)
{
    uint64_t base = down(b->data_start, mp->page_size), sub = (b->end - base) / 8;
    if (new_brk < base || new_brk > b->grant_start || sub == 0)
        return -KS_ENOMEM;
    /* The subregion holding the break's last byte must not reach into the grant. */
    if (base + up(new_brk - base, sub) > b->grant_start)
        return -KS_ENOMEM;
    return 0;
}

#define V7_REGIONS     8 /* ARMv7-M parts have 8 (or 16; ksim models 8) */
#define V7_OWN_REGIONS 4 /* stack, image, data+heap, and flash for an app booted from it */

static int v7_check_shares(const struct hal_mpu_model_params *mp, const struct hal_block *b)
{
    struct v7 v;
    unsigned own = b->flash_end > b->flash_start ? 4 : 3;
    (void)mp;
    if (b->nshares > V7_REGIONS - own)
        return -KS_ENOMEM;
    for (unsigned i = 0; i < b->nshares; i++) {
        uint64_t lo = b->shares[i].start, hi = lo + b->shares[i].len;
        if (!v7_cover_span(lo, hi, UINT64_MAX, &v))
            return -KS_ENOMEM;
    }
    return 0;
}

static struct hal_mpu_region v7_region(const struct v7 *r, unsigned access, const char *what)
{
    return (struct hal_mpu_region){(uintptr_t)r->base, r->size, access, r->srd, "pmsav7", what};
}

static unsigned v7_regions(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                           struct hal_mpu_region *out, unsigned max)
{
    const unsigned rw = HAL_ACCESS_READ | HAL_ACCESS_WRITE, rx = HAL_ACCESS_READ | HAL_ACCESS_EXEC;
    uint64_t page = mp->page_size;
    struct hal_mpu_region r[V7_OWN_REGIONS + HAL_SHARES_MAX];
    struct v7 v;
    unsigned n = 0, k = 0;
    if (v7_exact(b->stack_start, b->stack_end, &v))
        r[n++] = v7_region(&v, rw, "stack");
    if (b->image_end > b->image_start &&
        v7_cover_span(b->image_start, b->image_end, down(b->data_start, page), &v))
        r[n++] = v7_region(&v, rx, "image");
    v = v7_data_region(b, page, b->brk);
    r[n++] = v7_region(&v, rw, "data+heap");
    /* An app booted from flash reads its own TBF: the smallest region covering it. */
    if (b->flash_end > b->flash_start &&
        v7_cover_span(b->flash_start, b->flash_end, V7_MAX_SIZE, &v))
        r[n++] = v7_region(&v, HAL_ACCESS_READ, "flash");
    for (unsigned i = 0; i < b->nshares && i < HAL_SHARES_MAX; i++) {
        uint64_t lo = b->shares[i].start, hi = lo + b->shares[i].len;
        if (v7_cover_span(lo, hi, UINT64_MAX, &v))
            r[n++] = v7_region(&v, rw, "share");
    }
    for (; k < n && k < max; k++)
        out[k] = r[k];
    return k;
}

static unsigned v7_region_limit(const struct hal_mpu_model_params *mp)
{
    (void)mp;
    return 8; /* ARMv7-M's MPU_TYPE.DREGION on the parts Tock supports */
}

const struct hal_mpu_model hal_mpu_model_pmsav7 = {
    .name = "cortex-m-pmsav7",
    .plan_block = v7_plan_block,
    .check_brk = v7_check_brk,
    .check_shares = v7_check_shares,
    .regions = v7_regions,
    .region_limit = v7_region_limit,
};
