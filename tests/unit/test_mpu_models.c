/*
 * MPU models (hal-stub/hal_mpu_pmsav7.c, hal-stub/hal_mpu_pmp.c) against
 * layouts worked by hand from the hardware rules:
 *
 * PMSAv7 (ARMv7-M ARM, B3.5): a region's size is 2^(SIZE+1), 32 bytes to
 * 4 GiB; its base is aligned to its size; a region of 256 bytes or more has 8
 * subregions of size/8, and SRD bit i disables subregion i.
 *
 * PMP (RISC-V privileged spec, "Physical Memory Protection"): TOR covers
 * [pmpaddr[i-1]*4, pmpaddr[i]*4); NAPOT covers a naturally aligned power of
 * two of at least 8 bytes; NA4 four bytes; 4-byte granularity; an access no
 * entry matches fails in U-mode.
 *
 * The host page is 4 KiB throughout. Requests mirror the real apps
 * (readelf -l build/apps/hello.elf: image 0x1fe8, data at +0x2000, 0x268
 * bytes of data+bss).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "err.h"
#include "hal_mpu_model.h"

#define KIB  1024u
#define PAGE 4096u
#define R    HAL_ACCESS_READ
#define W    HAL_ACCESS_WRITE
#define X    HAL_ACCESS_EXEC
#define RW   (R | W)
#define RX   (R | X)

static const struct hal_mpu_model_params v7 = {.page_size = PAGE, .pmp_entries = 0};

static struct hal_block_req req(size_t stack, size_t image, size_t data_offset, size_t data,
                                size_t heap, size_t grant)
{
    return (struct hal_block_req){.stack_size = stack,
                                  .image_size = image,
                                  .data_offset = data_offset,
                                  .data_size = data,
                                  .heap_size = heap,
                                  .grant_size = grant,
                                  .image_align = PAGE};
}

/* hello.elf with the nRF52840-DK's sizes: 8 KiB stack, 16 KiB heap, 4 KiB grant. */
static struct hal_block_req hello_nrf(void)
{
    return req(8 * KIB, 0x1fe8, 0x2000, 0x268, 16 * KIB, 4 * KIB);
}

static struct hal_mpu_model_params pmp(unsigned entries)
{
    return (struct hal_mpu_model_params){.page_size = PAGE, .pmp_entries = entries};
}

static void assert_region(const struct hal_mpu_region *r, uintptr_t start, uint64_t size,
                          unsigned access, unsigned srd, const char *mode, const char *what)
{
    cr_assert_eq(r->start, start, "%s: start 0x%jx, want 0x%jx", what, (uintmax_t)r->start,
                 (uintmax_t)start);
    cr_assert_eq(r->size, size, "%s: size 0x%jx, want 0x%jx", what, (uintmax_t)r->size,
                 (uintmax_t)size);
    cr_assert_eq(r->access, access, "%s: access %u, want %u", what, r->access, access);
    cr_assert_eq(r->subregions_off, srd, "%s: SRD 0x%02x, want 0x%02x", what, r->subregions_off,
                 srd);
    cr_assert_str_eq(r->mode, mode, "%s", what);
    cr_assert_str_eq(r->what, what);
}

/* The block's edges, bottom to top. */
static void assert_block(const struct hal_block *b, uintptr_t stack_start, uintptr_t stack_end,
                         uintptr_t image_start, uintptr_t data_start, uintptr_t grant_start,
                         uintptr_t end)
{
    cr_assert_eq(b->start, stack_start, "start 0x%jx", (uintmax_t)b->start);
    cr_assert_eq(b->stack_start, stack_start, "stack_start 0x%jx", (uintmax_t)b->stack_start);
    cr_assert_eq(b->stack_end, stack_end, "stack_end 0x%jx", (uintmax_t)b->stack_end);
    cr_assert_eq(b->image_start, image_start, "image_start 0x%jx", (uintmax_t)b->image_start);
    cr_assert_eq(b->data_start, data_start, "data_start 0x%jx", (uintmax_t)b->data_start);
    cr_assert_eq(b->grant_start, grant_start, "grant_start 0x%jx", (uintmax_t)b->grant_start);
    cr_assert_eq(b->end, end, "end 0x%jx", (uintmax_t)b->end);
}

static void yes(const struct hal_mpu_region *r, unsigned n, uintptr_t addr, size_t len,
                unsigned access)
{
    cr_assert(hal_mpu_regions_allow(r, n, addr, len, access), "refused [0x%jx, +0x%zx) access %u",
              (uintmax_t)addr, len, access);
}

static void no(const struct hal_mpu_region *r, unsigned n, uintptr_t addr, size_t len,
               unsigned access)
{
    cr_assert(!hal_mpu_regions_allow(r, n, addr, len, access), "allowed [0x%jx, +0x%zx) access %u",
              (uintmax_t)addr, len, access);
}

Test(mpu_models, names_find_the_models)
{
    cr_assert_eq(hal_mpu_model_find("page"), &hal_mpu_model_page);
    cr_assert_eq(hal_mpu_model_find("cortex-m-pmsav7"), &hal_mpu_model_pmsav7);
    cr_assert_eq(hal_mpu_model_find("riscv-pmp"), &hal_mpu_model_pmp);
    cr_assert_null(hal_mpu_model_find("pmsav8"));
}

/* ---- cortex-m-pmsav7 ---- */

/*
 * hello on the nRF52840-DK, processes from 0x20010000 to 0x20040000.
 *
 * Data region: data starts on a page (lead 0): data+bss 0x268 + heap 0x4000
 * = 0x4268 bytes, plus the grant. 16 KiB: subregions of 2 KiB, the grant takes
 * 4 KiB (whole pages), 12 KiB left < 0x4268. 32 KiB: subregions of 4 KiB,
 * grant 4 KiB (subregion 7), 28 KiB left: fits. Its base is aligned to 32 KiB
 * and the image sits 0x2000 below it, the stack 8 KiB below that:
 * up(0x20010000 + 0x2000 + 0x2000, 32 KiB) = 0x20018000.
 *
 * Image region: 0x1fe8 bytes at 0x20016000: an 8 KiB region at 0x20016000
 * (aligned), 1 KiB subregions all on; ends at 0x20018000 = the data region.
 * Stack: 8 KiB region at 0x20014000, all on. 16 KiB from 0x20010000 to
 * 0x20014000 is alignment padding no process owns.
 * Break 0x20018268: subregion 0 of the data region on, 1..7 off: SRD 0xfe.
 */
Test(mpu_pmsav7, small_app_layout)
{
    struct hal_block_req rq = hello_nrf();
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20040000, &rq, &b), 0);
    assert_block(&b, 0x20014000, 0x20016000, 0x20016000, 0x20018000, 0x2001f000, 0x20020000);
    cr_assert_eq(b.image_end, 0x20017fe8);
    cr_assert_eq(b.data_end, 0x20018268);
    cr_assert_eq(b.brk, 0x20018268);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &b, r, 8), 3);
    assert_region(&r[0], 0x20014000, 0x2000, RW, 0x00, "pmsav7", "stack");
    assert_region(&r[1], 0x20016000, 0x2000, RX, 0x00, "pmsav7", "image");
    assert_region(&r[2], 0x20018000, 0x8000, RW, 0xfe, "pmsav7", "data+heap");
}

/*
 * yield_modes next to it, from 0x20020000: image 0x2828, data at +0x3828
 * (lead 0x828 into its page), 0x2a0 bytes. Data region: 0x828 + 0x2a0 +
 * 0x4000 = 0x4ac8 -> 32 KiB, at up(0x20020000 + 0x3000 + 0x2000, 32 KiB) =
 * 0x20028000; the image at 0x20028000 - 0x3000 = 0x20025000.
 *
 * Image: 0x20025000..0x20027828. An 16 KiB region at 0x20024000 (2 KiB
 * subregions) covers it with subregions 2..7: SRD 0x03, span
 * 0x20025000..0x20028000. (32 KiB at 0x20020000 gives the same span with
 * coarser subregions; the smaller region wins the tie.)
 *
 * Stack: 8 KiB ending at or below 0x20025000 on page edges. An 8 KiB or
 * 16 KiB region cannot end at 0x20025000 (it is not aligned to either), so
 * they would end at 0x20024000 and start at 0x20022000. A 32 KiB region at
 * 0x20020000 has 4 KiB subregions: 3 and 4 on give exactly
 * 0x20023000..0x20025000: SRD 0xe7. Subregions save 4 KiB here.
 */
Test(mpu_pmsav7, subregions_place_the_stack_exactly)
{
    struct hal_block_req rq = req(8 * KIB, 0x2828, 0x3828, 0x2a0, 16 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20020000, 0x20040000, &rq, &b), 0);
    assert_block(&b, 0x20023000, 0x20025000, 0x20025000, 0x20028828, 0x2002f000, 0x20030000);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &b, r, 8), 3);
    assert_region(&r[0], 0x20020000, 0x8000, RW, 0xe7, "pmsav7", "stack");
    assert_region(&r[1], 0x20024000, 0x4000, RX, 0x03, "pmsav7", "image");
    assert_region(&r[2], 0x20028000, 0x8000, RW, 0xfe, "pmsav7", "data+heap");
}

/*
 * A 40 KiB stack. Without subregions it would take a 64 KiB region aligned to
 * 64 KiB. With them: a 64 KiB region has 8 KiB subregions, and 5 of them are
 * exactly 40 KiB.
 *
 * Image 4 KiB, data at +0x1000 (4 KiB), heap 4 KiB, grant 4 KiB: data region
 * 4+4 KiB + grant 4 KiB = 12 KiB -> 16 KiB (2 KiB subregions), at
 * up(0x20000000 + 0x1000 + 0xa000, 16 KiB) = 0x2000c000, image at 0x2000b000.
 * The stack's top must be an 8 KiB subregion edge at or below 0x2000b000:
 * 0x2000a000; 64 KiB region at 0x20000000, subregions 0..4 on: SRD 0xe0.
 * 0x2000a000..0x2000b000 is padding between stack and image. (A 128 KiB
 * region has 16 KiB subregions: 48 KiB, worse.)
 */
Test(mpu_pmsav7, forty_kib_stack_uses_five_of_eight_subregions)
{
    struct hal_block_req rq = req(40 * KIB, 0x1000, 0x1000, 0x1000, 4 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20000000, 0x20100000, &rq, &b), 0);
    assert_block(&b, 0x20000000, 0x2000a000, 0x2000b000, 0x2000c000, 0x2000f000, 0x20010000);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &b, r, 8), 3);
    assert_region(&r[0], 0x20000000, 0x10000, RW, 0xe0, "pmsav7", "stack");
    assert_region(&r[1], 0x2000b000, 0x1000, RX, 0x00, "pmsav7", "image");
    /* break 0x2000d000 = 2 subregions of 2 KiB */
    assert_region(&r[2], 0x2000c000, 0x4000, RW, 0xfc, "pmsav7", "data+heap");
}

/*
 * Data + heap + grant of 40 KiB (4 + 32 + 4): a 64 KiB region aligned to
 * 64 KiB. Its subregions are 8 KiB, so the 4 KiB grant takes a whole one
 * (0x2001e000..0x20020000), and the break 0x20011000 enables subregion 0:
 * the MPU lets the app touch 0x20011000..0x20012000 above its break, the host
 * page does not. Free RAM starts at 0x20001000: the region cannot start
 * before 0x20010000, and 0x20001000..0x2000e000 is padding.
 */
Test(mpu_pmsav7, forty_kib_data_region_becomes_64k_aligned)
{
    struct hal_block_req rq = req(4 * KIB, 0x1000, 0x1000, 0x1000, 32 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20001000, 0x20100000, &rq, &b), 0);
    assert_block(&b, 0x2000e000, 0x2000f000, 0x2000f000, 0x20010000, 0x2001e000, 0x20020000);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &b, r, 8), 3);
    assert_region(&r[2], 0x20010000, 0x10000, RW, 0xfe, "pmsav7", "data+heap");
    yes(r, 3, 0x20011fff, 1, W); /* above the break, inside subregion 0 */
    no(r, 3, 0x20012000, 1, R);  /* subregion 1: disabled */
}

/*
 * An image of 36 KiB (0x9000) at 0x20003000 with data right after it. The
 * smallest region holding it is 64 KiB (0x20000000, 8 KiB subregions): its
 * subregions 1..5 span 0x20002000..0x2000c000, SRD 0xc1. The image starts on
 * a page, not on an 8 KiB edge, so the real MPU also lets the app read and
 * execute the 4 KiB of padding below the image.
 */
Test(mpu_pmsav7, image_region_pads_below_the_image)
{
    struct hal_block_req rq = req(4 * KIB, 0x9000, 0x9000, 0x1000, 4 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20000000, 0x20100000, &rq, &b), 0);
    assert_block(&b, 0x20001000, 0x20002000, 0x20003000, 0x2000c000, 0x2000f000, 0x20010000);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &b, r, 8), 3);
    assert_region(&r[1], 0x20000000, 0x10000, RX, 0xc1, "pmsav7", "image");
    yes(r, 3, 0x20002000, 4, X); /* padding below the image */
    no(r, 3, 0x20001fff, 1, X);  /* the stack: XN */
}

/* The hello block of small_app_layout needs 0x20010000..0x20020000: one page less is too little. */
Test(mpu_pmsav7, no_room_is_enomem_and_keeps_the_block)
{
    struct hal_block_req rq = hello_nrf();
    struct hal_block b, before;
    memset(&b, 0x5a, sizeof(b));
    before = b;
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x2001f000, &rq, &b), -KS_ENOMEM);
    cr_assert_eq(memcmp(&b, &before, sizeof(b)), 0);
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20020000, &rq, &b), 0);
    rq.heap_size = 0x7fffffff; /* a 4 GiB data region: never fits a 32-bit map with the rest */
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20040000, &rq, &b), -KS_ENOMEM);
}

/*
 * The break moves by enabling subregions of the fixed 32 KiB data region at
 * 0x20018000 (4 KiB each); the grant is subregion 7. A break of 0x20019001
 * needs subregions 0 and 1 (SRD 0xfc); 0x2001f000, the grant's start,
 * subregions 0..6 (SRD 0x80); one byte more would need subregion 7.
 */
Test(mpu_pmsav7, break_moves_by_whole_subregions)
{
    struct hal_block_req rq = hello_nrf();
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20040000, &rq, &b), 0);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, &b, 0x20019001), 0);
    b.brk = 0x20019001;
    hal_mpu_model_pmsav7.regions(&v7, &b, r, 8);
    cr_assert_eq(r[2].subregions_off, 0xfc);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, &b, 0x2001f000), 0);
    b.brk = 0x2001f000;
    hal_mpu_model_pmsav7.regions(&v7, &b, r, 8);
    cr_assert_eq(r[2].subregions_off, 0x80);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, &b, 0x2001f001), -KS_ENOMEM);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, &b, 0x20017fff), -KS_ENOMEM);
}

/* Access checks on the small_app_layout regions, probed on each edge. */
Test(mpu_pmsav7, allow_answers_exactly_to_the_regions)
{
    struct hal_block_req rq = hello_nrf();
    struct hal_block b;
    struct hal_mpu_region r[8];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20040000, &rq, &b), 0);
    unsigned n = hal_mpu_model_pmsav7.regions(&v7, &b, r, 8);
    yes(r, n, 0x20014000, 0x2000, RW); /* the whole stack */
    no(r, n, 0x20013fff, 1, R);        /* one below: padding */
    yes(r, n, 0x20015fff, 1, W);       /* last byte of the stack region */
    no(r, n, 0x20016000, 1, W);        /* one past: the image, RX */
    no(r, n, 0x20015fff, 1, X);        /* the stack is XN */
    yes(r, n, 0x20016000, 0x2000, RX); /* the image region, to its last byte */
    no(r, n, 0x20017000, 4, W);
    yes(r, n, 0x20018000, 0x1000, RW); /* data: subregion 0 */
    no(r, n, 0x20019000, 1, R);        /* a byte in disabled subregion 1 */
    no(r, n, 0x20018ff0, 0x20, R);     /* a range running into it */
    no(r, n, 0x2001f000, 1, R);        /* the grant */
    no(r, n, 0x20018000, 4, X);        /* data is XN */
    yes(r, n, 0x20017ff0, 0x20, R);    /* image then data: both readable */
    no(r, n, 0x20017ff0, 0x20, W);
}

/* Every plan over a spread of requests obeys the PMSAv7 rules and ksim's page rule. */
static void check_v7_plan(const struct hal_block *b, const struct hal_block_req *rq)
{
    struct hal_mpu_region r[8];
    unsigned n = hal_mpu_model_pmsav7.regions(&v7, b, r, 8);
    cr_assert_eq(n, 3);
    for (unsigned i = 0; i < n; i++) {
        cr_assert(r[i].size >= 32 && (r[i].size & (r[i].size - 1)) == 0, "size 0x%jx",
                  (uintmax_t)r[i].size);
        cr_assert_eq(r[i].start % r[i].size, 0, "base 0x%jx not aligned to 0x%jx",
                     (uintmax_t)r[i].start, (uintmax_t)r[i].size);
        cr_assert(r[i].size >= 256 || r[i].subregions_off == 0);
    }
    cr_assert_eq(b->start % PAGE, 0);
    cr_assert_eq(b->stack_end % PAGE, 0);
    cr_assert_eq(b->grant_start % PAGE, 0);
    cr_assert_eq(b->end % PAGE, 0);
    cr_assert_eq(b->image_start % rq->image_align, 0);
    cr_assert_eq(b->data_start - b->image_start, rq->data_offset);
    cr_assert_geq(b->stack_end - b->stack_start, rq->stack_size);
    cr_assert_geq(b->grant_start - b->data_end, rq->heap_size);
    cr_assert_geq(b->end - b->grant_start, rq->grant_size);
    yes(r, n, b->stack_start, b->stack_end - b->stack_start, RW);
    no(r, n, b->stack_start - 1, 1, R);
    yes(r, n, b->image_start, b->image_end - b->image_start, RX);
    no(r, n, b->image_start, 1, W);
    if (b->brk > b->data_start)
        yes(r, n, b->data_start, b->brk - b->data_start, RW);
    no(r, n, b->grant_start, b->end - b->grant_start, R);
    no(r, n, b->end, 1, R);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, b, b->grant_start), 0);
    cr_assert_eq(hal_mpu_model_pmsav7.check_brk(&v7, b, b->grant_start + 1), -KS_ENOMEM);
}

static void plan_and_check_v7(size_t stack, size_t image, size_t lead, size_t heap, uintptr_t start)
{
    size_t off = ((image + PAGE - 1) & ~(size_t)(PAGE - 1)) + lead;
    struct hal_block_req rq = req(stack, image, off, 0x268, heap, 4 * KIB);
    struct hal_block b;
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, start, 0x21000000, &rq, &b), 0);
    cr_assert_geq(b.start, start);
    cr_assert_leq(b.end, 0x21000000);
    check_v7_plan(&b, &rq);
}

Test(mpu_pmsav7, every_plan_obeys_the_rules)
{
    static const size_t stacks[] = {4 * KIB, 8 * KIB, 12 * KIB, 40 * KIB};
    static const size_t images[] = {0x800, 0x1fe8, 0x2828, 0x9000, 0x11000};
    static const size_t leads[] = {0, 0x828};
    static const size_t heaps[] = {0, 16 * KIB, 110 * KIB};
    static const uintptr_t starts[] = {0x20010000, 0x20013000};
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < 5; i++)
            for (size_t l = 0; l < 2; l++)
                for (size_t h = 0; h < 3; h++)
                    for (size_t f = 0; f < 2; f++)
                        plan_and_check_v7(stacks[s], images[i], leads[l], heaps[h], starts[f]);
}

/* ---- riscv-pmp ---- */

/*
 * hello on the RV32 board: processes from 0x40100000, 8 KiB stack, 128 KiB
 * heap, 4 KiB grant. The block is the page model's: stack 0x40100000..
 * 0x40102000, image 0x40102000..0x40103fe8, data 0x40104000..0x40104268,
 * grant at up(0x40104268 + 0x20000) = 0x40125000, end 0x40126000.
 *
 * Entries: the stack is 8 KiB at an 8 KiB-aligned base: NAPOT (pmp0). The
 * image, 0x1fe8 bytes, is not a power of two: TOR; the entry before it is
 * NAPOT, whose pmpaddr is no plain address, so an OFF entry holds the bottom
 * (pmp1 OFF 0x40102000, pmp2 TOR up to 0x40103fe8). Data ends at 0x40104268:
 * TOR, and its bottom 0x40104000 is not the image's top: pmp3 OFF, pmp4 TOR.
 * Five entries; every edge but the image's and the break's is a page.
 */
static struct hal_block_req hello_rv(void)
{
    return req(8 * KIB, 0x1fe8, 0x2000, 0x268, 128 * KIB, 4 * KIB);
}

static void assert_hello_rv(const struct hal_mpu_region *r)
{
    assert_region(&r[0], 0x40100000, 0x2000, RW, 0, "NAPOT", "stack");
    assert_region(&r[1], 0x40102000, 0, 0, 0, "OFF", "image");
    assert_region(&r[2], 0x40102000, 0x1fe8, RX, 0, "TOR", "image");
    assert_region(&r[3], 0x40104000, 0, 0, 0, "OFF", "data+heap");
    assert_region(&r[4], 0x40104000, 0x268, RW, 0, "TOR", "data+heap");
}

Test(mpu_pmp, small_app_uses_napot_and_tor)
{
    struct hal_mpu_model_params mp = pmp(8);
    struct hal_block_req rq = hello_rv();
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40100000, 0x48000000, &rq, &b), 0);
    assert_block(&b, 0x40100000, 0x40102000, 0x40102000, 0x40104000, 0x40125000, 0x40126000);
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS), 5);
    assert_hello_rv(r);
}

/*
 * The same request on an 8-entry part (FE310) and a 16-entry part (QEMU
 * virt): ksim's three regions need at most 6 entries, so both give the same
 * block and the same 5 entries. A part with only 4 usable entries (the spec
 * lets the upper ones be hardwired to zero) cannot hold them: -KS_ENOMEM.
 */
Test(mpu_pmp, entries_8_vs_16_and_exhausted)
{
    struct hal_mpu_model_params mp8 = pmp(8), mp16 = pmp(16), mp4 = pmp(4);
    struct hal_block_req rq = hello_rv();
    struct hal_block b8, b16, b4, before;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp8, 0x40100000, 0x48000000, &rq, &b8), 0);
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp16, 0x40100000, 0x48000000, &rq, &b16), 0);
    cr_assert_eq(memcmp(&b8, &b16, sizeof(b8)), 0);
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp16, &b16, r, HAL_MPU_MAX_REGIONS), 5);
    assert_hello_rv(r);
    memset(&b4, 0x5a, sizeof(b4));
    before = b4;
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp4, 0x40100000, 0x48000000, &rq, &b4), -KS_ENOMEM);
    cr_assert_eq(memcmp(&b4, &before, sizeof(b4)), 0);
    struct hal_mpu_model_params none = pmp(0), too_many = pmp(17);
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&none, 0x40100000, 0x48000000, &rq, &b4), -KS_ENOMEM);
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&too_many, 0x40100000, 0x48000000, &rq, &b4),
                 -KS_ENOMEM);
}

/*
 * Contiguous TOR regions chain: a 12 KiB stack (not a power of two) at
 * 0x40100000, a 0x3000-byte image right above it and data right above the
 * image (data_offset = image size). pmp0 OFF 0x40100000; pmp1 TOR to
 * 0x40103000 (stack); pmp2 TOR to 0x40106000 (image: its bottom is pmp1);
 * pmp3 TOR to 0x40106268 (data: its bottom is pmp2; 0x268 bytes is no power
 * of two). Three regions in four entries: even a 4-entry part holds them.
 * (With 0x100 bytes of data the data region would be NAPOT: 256 bytes at a
 * 256-aligned base; then it could not chain, and would still take one entry.)
 */
Test(mpu_pmp, contiguous_tor_regions_share_entries)
{
    struct hal_mpu_model_params mp = pmp(4);
    struct hal_block_req rq = req(12 * KIB, 0x3000, 0x3000, 0x268, 16 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40100000, 0x48000000, &rq, &b), 0);
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS), 4);
    assert_region(&r[0], 0x40100000, 0, 0, 0, "OFF", "stack");
    assert_region(&r[1], 0x40100000, 0x3000, RW, 0, "TOR", "stack");
    assert_region(&r[2], 0x40103000, 0x3000, RX, 0, "TOR", "image");
    assert_region(&r[3], 0x40106000, 0x268, RW, 0, "TOR", "data+heap");
}

/*
 * NAPOT needs a power of two aligned to itself. A 16 KiB stack at 0x40102000
 * (8 KiB-aligned only) is TOR: OFF + TOR. At 0x40104000 it is NAPOT.
 */
Test(mpu_pmp, napot_only_when_size_and_alignment_allow)
{
    struct hal_mpu_model_params mp = pmp(8);
    struct hal_block_req rq = req(16 * KIB, 0x1fe8, 0x2000, 0x268, 16 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40102000, 0x48000000, &rq, &b), 0);
    hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS);
    assert_region(&r[0], 0x40102000, 0, 0, 0, "OFF", "stack");
    assert_region(&r[1], 0x40102000, 0x4000, RW, 0, "TOR", "stack");
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40104000, 0x48000000, &rq, &b), 0);
    hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS);
    assert_region(&r[0], 0x40104000, 0x4000, RW, 0, "NAPOT", "stack");
}

/*
 * A break can change the data region's mode. On a 4-entry part: stack 12 KiB
 * TOR (pmp0 OFF, pmp1 TOR), image 0x2fe8 TOR chained on it (pmp2), data
 * 0x40106000..0x40107000, 4 KiB at a 4 KiB-aligned base: NAPOT (pmp3). Four
 * entries: it fits. Break 0x40107800: 6 KiB, TOR, and its bottom is not the
 * image's top (0x40105fe8): OFF + TOR, five entries: refused. Break
 * 0x40108000: 8 KiB at an 8 KiB-aligned base, NAPOT again: allowed. Break
 * 0x4010a000: 16 KiB, but 0x40106000 is not 16 KiB-aligned: refused. An
 * 8-entry part takes them all.
 */
Test(mpu_pmp, break_refused_when_entries_run_out)
{
    struct hal_mpu_model_params mp4 = pmp(4), mp8 = pmp(8);
    struct hal_block_req rq = req(12 * KIB, 0x2fe8, 0x3000, 0x1000, 64 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp4, 0x40100000, 0x48000000, &rq, &b), 0);
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp4, &b, r, HAL_MPU_MAX_REGIONS), 4);
    assert_region(&r[3], 0x40106000, 0x1000, RW, 0, "NAPOT", "data+heap");
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp4, &b, 0x40107800), -KS_ENOMEM);
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp4, &b, 0x40108000), 0);
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp4, &b, 0x4010a000), -KS_ENOMEM);
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp8, &b, 0x40107800), 0);
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp8, &b, 0x4010a000), 0);
    cr_assert_eq(hal_mpu_model_pmp.check_brk(&mp8, &b, b.grant_start + 1), -KS_ENOMEM);
    b.brk = 0x40107800;
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp8, &b, r, HAL_MPU_MAX_REGIONS), 5);
    assert_region(&r[4], 0x40106000, 0x1800, RW, 0, "TOR", "data+heap");
}

/* PMP is exact to 4 bytes where the host page is not: the image and the break. */
Test(mpu_pmp, allow_answers_exactly_to_the_entries)
{
    struct hal_mpu_model_params mp = pmp(8);
    struct hal_block_req rq = hello_rv();
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40100000, 0x48000000, &rq, &b), 0);
    unsigned n = hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS);
    yes(r, n, 0x40101fff, 1, W);  /* last byte of the NAPOT stack */
    no(r, n, 0x40102000, 1, W);   /* one past: the image, RX */
    no(r, n, 0x400fffff, 1, R);   /* below the stack */
    yes(r, n, 0x40103fe4, 4, RX); /* the image's last word */
    no(r, n, 0x40103fe8, 4, R);   /* the host page still maps it; PMP does not */
    no(r, n, 0x40102000, 4, W);   /* write to RX */
    yes(r, n, 0x40104264, 4, RW); /* last word below the break */
    no(r, n, 0x40104268, 1, R);   /* at the break */
    no(r, n, 0x40125000, 1, R);   /* the grant: no entry */
    no(r, n, 0x40104000, 4, X);   /* data is not executable */
}

/* Every PMP plan: NAPOT entries natural, TOR bottoms from the entry before, within the budget. */
static void check_pmp_entries(const struct hal_mpu_region *r, unsigned n)
{
    cr_assert(n >= 3 && n <= 6, "%u entries", n);
    for (unsigned e = 0; e < n; e++) {
        cr_assert_eq(r[e].start % 4, 0);
        cr_assert_eq(r[e].size % 4, 0);
        if (strcmp(r[e].mode, "NAPOT") == 0)
            cr_assert(r[e].size >= 8 && (r[e].size & (r[e].size - 1)) == 0 &&
                      r[e].start % r[e].size == 0);
        if (strcmp(r[e].mode, "TOR") != 0)
            continue;
        cr_assert_gt(e, 0, "a TOR in entry 0 would start at address 0");
        cr_assert(strcmp(r[e - 1].mode, "NAPOT") != 0 && strcmp(r[e - 1].mode, "NA4") != 0);
        uintptr_t bottom = strcmp(r[e - 1].mode, "OFF") == 0
                               ? r[e - 1].start
                               : (uintptr_t)(r[e - 1].start + r[e - 1].size);
        cr_assert_eq(bottom, r[e].start);
    }
}

Test(mpu_pmp, every_plan_obeys_the_rules)
{
    static const size_t stacks[] = {4 * KIB, 8 * KIB, 12 * KIB, 16 * KIB};
    static const size_t images[] = {0x800, 0x1fe8, 0x2000, 0x3000};
    static const uintptr_t starts[] = {0x40100000, 0x40101000, 0x40102000, 0x40104000};
    struct hal_mpu_model_params mp = pmp(8);
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < 4; i++)
            for (size_t f = 0; f < 4; f++) {
                struct hal_block_req rq = req(stacks[s], images[i], 0x3000, 0x268, 0, 4 * KIB);
                struct hal_block b;
                struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
                cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, starts[f], 0x48000000, &rq, &b), 0);
                unsigned n = hal_mpu_model_pmp.regions(&mp, &b, r, HAL_MPU_MAX_REGIONS);
                check_pmp_entries(r, n);
                yes(r, n, b.stack_start, b.stack_end - b.stack_start, RW);
                yes(r, n, b.image_start, b.image_end - b.image_start, RX);
                yes(r, n, b.data_start, b.brk - b.data_start, RW);
                no(r, n, b.grant_start, 1, R);
            }
}

/* ---- shares (IPC buffers of other processes) ---- */

static struct hal_block with_share(struct hal_block b, uintptr_t start, uintptr_t len)
{
    b.shares[b.nshares++] = (struct hal_share){start, len};
    return b;
}

/*
 * PMSAv7: a 64-byte buffer aligned to 64 is one 64-byte region (too small
 * for subregions). 0x20030020..0x20030060 is not: the region of 256 bytes at
 * 0x20030000 with 32-byte subregions 1 and 2 on covers it (SRD 0xf9). Three
 * regions are the block's: the HAL_SHARES_MAX (4) shares fit in the eight.
 * A share no region can cover (crossing a 4 GiB boundary) is refused.
 */
Test(mpu_pmsav7, shares_take_the_tightest_region_and_the_free_ones_only)
{
    struct hal_block_req rq = hello_nrf();
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmsav7.plan_block(&v7, 0x20010000, 0x20040000, &rq, &b), 0);
    cr_assert_eq(b.nshares, 0);
    struct hal_block s = with_share(b, 0x20030040, 64);
    s = with_share(s, 0x20030020, 0x40);
    cr_assert_eq(hal_mpu_model_pmsav7.check_shares(&v7, &s), 0);
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &s, r, HAL_MPU_MAX_REGIONS), 5);
    assert_region(&r[3], 0x20030040, 64, RW, 0x00, "pmsav7", "share");
    assert_region(&r[4], 0x20030000, 256, RW, 0xf9, "pmsav7", "share");
    yes(r, 5, 0x20030020, 0x60, RW);
    no(r, 5, 0x20030080, 1, R);
    s = with_share(with_share(s, 0x20031000, 32), 0x20031020, 32);
    cr_assert_eq(hal_mpu_model_pmsav7.check_shares(&v7, &s), 0, "4 shares: 7 regions");
    cr_assert_eq(hal_mpu_model_pmsav7.regions(&v7, &s, r, HAL_MPU_MAX_REGIONS), 7);
    struct hal_block odd = with_share(b, (uintptr_t)0xffffffe0u, 0x40);
    if (sizeof(uintptr_t) > 4)
        cr_assert_eq(hal_mpu_model_pmsav7.check_shares(&v7, &odd), -KS_ENOMEM);
}

/*
 * PMP on an 8-entry part: hello's block takes 5 entries. A 64-byte NAPOT
 * buffer takes one more (6); a TOR buffer that does not start where the last
 * entry ends needs OFF + TOR (8); the next share has no entry left.
 */
Test(mpu_pmp, shares_count_against_the_entries)
{
    struct hal_mpu_model_params mp = pmp(8);
    struct hal_block_req rq = hello_rv();
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_pmp.plan_block(&mp, 0x40100000, 0x48000000, &rq, &b), 0);
    struct hal_block s = with_share(b, 0x40200040, 64);
    cr_assert_eq(hal_mpu_model_pmp.check_shares(&mp, &s), 0);
    s = with_share(s, 0x40300010, 0x30);
    cr_assert_eq(hal_mpu_model_pmp.check_shares(&mp, &s), 0);
    cr_assert_eq(hal_mpu_model_pmp.regions(&mp, &s, r, HAL_MPU_MAX_REGIONS), 8);
    assert_region(&r[5], 0x40200040, 64, RW, 0, "NAPOT", "share");
    assert_region(&r[6], 0x40300010, 0, 0, 0, "OFF", "share");
    assert_region(&r[7], 0x40300010, 0x30, RW, 0, "TOR", "share");
    s = with_share(s, 0x40400000, 8);
    cr_assert_eq(hal_mpu_model_pmp.check_shares(&mp, &s), -KS_ENOMEM);
    struct hal_mpu_model_params mp16 = pmp(16);
    cr_assert_eq(hal_mpu_model_pmp.check_shares(&mp16, &s), 0);
}

/* The page model: a share is the pages holding it, up to HAL_SHARES_MAX. */
Test(mpu_models, page_shares_are_whole_pages)
{
    const struct hal_mpu_model_params mp = {.page_size = PAGE};
    struct hal_block_req rq = req(8 * KIB, 0x1fe8, 0x2000, 0x268, 16 * KIB, 4 * KIB);
    struct hal_block b;
    struct hal_mpu_region r[HAL_MPU_MAX_REGIONS];
    cr_assert_eq(hal_mpu_model_page.plan_block(&mp, 0x20010000, 0x20040000, &rq, &b), 0);
    struct hal_block s = with_share(b, 0x20030ff0, 0x20);
    cr_assert_eq(hal_mpu_model_page.check_shares(&mp, &s), 0);
    unsigned n = hal_mpu_model_page.regions(&mp, &s, r, HAL_MPU_MAX_REGIONS);
    assert_region(&r[n - 1], 0x20030000, 2 * PAGE, RW, 0, "page", "share");
}
