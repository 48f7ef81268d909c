/*
 * The "riscv-pmp" MPU model: RISC-V Physical Memory Protection as the
 * privileged spec defines it, with 4-byte granularity (G = 0). The part has
 * pmp_entries entries (8 on a FE310, 16 on QEMU's virt CPUs; the spec allows
 * at most 16 in a pmpcfg0..3 part). Each entry's A field is
 *
 *   OFF    matches nothing; its pmpaddr can still be the base of the next TOR
 *   TOR    [pmpaddr[i-1] * 4, pmpaddr[i] * 4): the previous entry's address
 *          is the bottom, whatever that entry's mode (entry 0: bottom 0)
 *   NA4    the 4 bytes at pmpaddr * 4
 *   NAPOT  a naturally aligned power of two of 8 bytes or more, encoded in
 *          pmpaddr's trailing ones
 *
 * A U-mode access that matches no entry fails, so the grant, other processes
 * and the kernel need no entries at all. A process gets three regions, each
 * one exact to 4 bytes: stack RW, image RX (up to the image's last word),
 * data+heap RW (from the data's first word up to the break). Like a real
 * kernel, each region is NAPOT when its size and alignment allow (one entry)
 * and TOR otherwise; a TOR whose bottom is already the previous entry's
 * address (the region right after another TOR region) costs one entry, any
 * other TOR also needs an OFF entry holding its bottom. A layout or a break
 * that needs more entries than the part has is refused.
 *
 * PMP's boundaries are finer than a host page, so the block is the page
 * model's: the host enforces whole pages, and the regions say where the real
 * PMP would have stopped.
 */
#include "err.h"
#include "hal_mpu_model.h"

#define PMP_GRAIN       4u  /* bytes: G = 0 */
#define PMP_MAX_ENTRIES 16u /* pmpcfg0..3 */
/* stack, image, data+heap, flash for an app booted from it, then shares */
#define PMP_REGIONS (4u + HAL_SHARES_MAX)

static uintptr_t up4(uintptr_t v)
{
    return (v + PMP_GRAIN - 1) & ~(uintptr_t)(PMP_GRAIN - 1);
}

static uintptr_t down4(uintptr_t v)
{
    return v & ~(uintptr_t)(PMP_GRAIN - 1);
}

static bool is_napot(uintptr_t lo, uint64_t size)
{
    return size >= 8 && (size & (size - 1)) == 0 && lo % size == 0;
}

/* Entry builder: the entries so far, and whether the last pmpaddr is a plain address. */
struct pmp_build {
    struct hal_mpu_region e[PMP_REGIONS * 2];
    unsigned n;
    bool last_is_addr; /* OFF or TOR: pmpaddr holds an address a TOR can start at */
    uintptr_t last_addr;
};

static void pmp_add(struct pmp_build *pb, uintptr_t lo, uintptr_t hi, unsigned access,
                    const char *what)
{
    uint64_t size = hi - lo;
    if (hi <= lo)
        return; /* an empty region needs no entry */
    if (size == PMP_GRAIN && lo % PMP_GRAIN == 0) {
        pb->e[pb->n++] = (struct hal_mpu_region){lo, size, access, 0, "NA4", what};
        pb->last_is_addr = false;
        return;
    }
    if (is_napot(lo, size)) {
        pb->e[pb->n++] = (struct hal_mpu_region){lo, size, access, 0, "NAPOT", what};
        pb->last_is_addr = false; /* a NAPOT pmpaddr encodes its size: no TOR base */
        return;
    }
    /* TOR: the bottom comes from the previous entry, or from an OFF entry put there. */
    if (!(pb->n > 0 && pb->last_is_addr && pb->last_addr == lo))
        pb->e[pb->n++] = (struct hal_mpu_region){lo, 0, 0, 0, "OFF", what};
    pb->e[pb->n++] = (struct hal_mpu_region){lo, size, access, 0, "TOR", what};
    pb->last_is_addr = true;
    pb->last_addr = hi;
}

/* The entries for block b with its break at brk, in hardware order (entry 0 first). */
static void pmp_build(const struct hal_block *b, uintptr_t brk, struct pmp_build *pb)
{
    const unsigned rw = HAL_ACCESS_READ | HAL_ACCESS_WRITE, rx = HAL_ACCESS_READ | HAL_ACCESS_EXEC;
    pb->n = 0;
    pb->last_is_addr = false;
    pb->last_addr = 0;
    pmp_add(pb, b->stack_start, b->stack_end, rw, "stack");
    pmp_add(pb, b->image_start, up4(b->image_end), rx, "image");
    pmp_add(pb, down4(b->data_start), up4(brk), rw, "data+heap");
    if (b->flash_end > b->flash_start)
        pmp_add(pb, down4(b->flash_start), up4(b->flash_end), HAL_ACCESS_READ, "flash");
    for (unsigned i = 0; i < b->nshares && i < HAL_SHARES_MAX; i++)
        pmp_add(pb, down4(b->shares[i].start), up4(b->shares[i].start + b->shares[i].len), rw,
                "share");
}

static bool pmp_entries_ok(const struct hal_mpu_model_params *mp)
{
    return mp->pmp_entries >= 1 && mp->pmp_entries <= PMP_MAX_ENTRIES;
}

static int pmp_plan_block(const struct hal_mpu_model_params *mp, uintptr_t free_start,
                          uintptr_t free_end, const struct hal_block_req *req,
                          struct hal_block *out)
{
    struct hal_block b;
    struct pmp_build pb;
    if (!pmp_entries_ok(mp))
        return -KS_ENOMEM;
    /* PMP can express any page boundary, so the page layout needs no extra padding. */
    int rc = hal_mpu_model_page.plan_block(mp, free_start, free_end, req, &b);
    if (rc != 0)
        return rc;
    pmp_build(&b, b.brk, &pb);
    if (pb.n > mp->pmp_entries)
        return -KS_ENOMEM;
    *out = b;
    return 0;
}

static int pmp_check_brk(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                         uintptr_t new_brk)
{
    struct pmp_build pb;
    if (!pmp_entries_ok(mp) || new_brk < b->data_start || new_brk > b->grant_start)
        return -KS_ENOMEM;
    /* A moved break can turn a NAPOT data region into a TOR one: one or two more entries. */
    pmp_build(b, new_brk, &pb);
    return pb.n <= mp->pmp_entries ? 0 : -KS_ENOMEM;
}

static int pmp_check_shares(const struct hal_mpu_model_params *mp, const struct hal_block *b)
{
    struct pmp_build pb;
    if (!pmp_entries_ok(mp) || b->nshares > HAL_SHARES_MAX)
        return -KS_ENOMEM;
    pmp_build(b, b->brk, &pb);
    return pb.n <= mp->pmp_entries ? 0 : -KS_ENOMEM;
}

static unsigned pmp_regions(const struct hal_mpu_model_params *mp, const struct hal_block *b,
                            struct hal_mpu_region *out, unsigned max)
{
    struct pmp_build pb;
    unsigned k = 0;
    (void)mp;
    pmp_build(b, b->brk, &pb);
    for (; k < pb.n && k < max; k++)
        out[k] = pb.e[k];
    return k;
}

static unsigned pmp_region_limit(const struct hal_mpu_model_params *mp)
{
    return mp->pmp_entries;
}

const struct hal_mpu_model hal_mpu_model_pmp = {
    .name = "riscv-pmp",
    .plan_block = pmp_plan_block,
    .check_brk = pmp_check_brk,
    .check_shares = pmp_check_shares,
    .regions = pmp_regions,
    .region_limit = pmp_region_limit,
};
