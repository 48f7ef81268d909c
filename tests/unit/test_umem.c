/*
 * User memory (kernel/umem.c): the only gate between process addresses and
 * kernel memory. Every region edge is probed from both sides: the first and
 * last byte of each region are reachable, one byte further is not, and no
 * (address, length) wraps around. Process layout: fake_hal.h.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "err.h"
#include "fake_hal.h"
#include "proc.h"
#include "umem.h"

static struct fake_board fb;
static struct proc *p;

static void setup(void)
{
    fake_board_init(&fb);
    p = fake_proc(&fb);
}

static void teardown(void)
{
    fake_board_fini(&fb);
}

TestSuite(umem, .init = setup, .fini = teardown);

#define RW UMEM_RW
#define RO UMEM_RO

static void yes(uintptr_t addr, size_t len, enum umem_access a)
{
    cr_assert(umem_allowed(p, addr, len, a), "refused [0x%jx, +0x%zx) %s", (uintmax_t)addr, len,
              a == RO ? "RO" : "RW");
}

static void no(uintptr_t addr, size_t len, enum umem_access a)
{
    cr_assert_not(umem_allowed(p, addr, len, a), "accepted [0x%jx, +0x%zx) %s", (uintmax_t)addr,
                  len, a == RO ? "RO" : "RW");
}

/* Both access kinds agree (writable RAM, or memory no buffer may touch). */
static void yes_both(uintptr_t addr, size_t len)
{
    yes(addr, len, RW);
    yes(addr, len, RO);
}

static void no_both(uintptr_t addr, size_t len)
{
    no(addr, len, RW);
    no(addr, len, RO);
}

Test(umem, range_within_edges)
{
    cr_assert(umem_range_within(10, 5, 10, 15));
    cr_assert(umem_range_within(15, 0, 10, 15), "empty range at the end is inside");
    cr_assert_not(umem_range_within(9, 1, 10, 15));
    cr_assert_not(umem_range_within(11, 5, 10, 15));
    cr_assert_not(umem_range_within(16, 0, 10, 15));
    cr_assert_not(umem_range_within(10, SIZE_MAX, 10, 15));
    /* addr + len would wrap to a small number: still refused */
    cr_assert_not(umem_range_within(UINTPTR_MAX - 1, 4, 0, 15));
    cr_assert(umem_range_within(UINTPTR_MAX - 1, 1, 0, UINTPTR_MAX));
}

Test(umem, stack_edges)
{
    yes_both(FAKE_START, 1);         /* first byte */
    yes_both(FAKE_STACK_END - 1, 1); /* last byte */
    yes_both(FAKE_START, FAKE_STACK_END - FAKE_START);
    no_both(FAKE_START - 1, 1); /* one byte below the block */
    no_both(FAKE_START - 1, 2); /* straddles the bottom */
    no(FAKE_STACK_END, 1, RW);  /* one past the stack is the image */
    no(FAKE_START, FAKE_STACK_END - FAKE_START + 1, RW);
}

Test(umem, data_to_break_edges)
{
    yes_both(FAKE_DATA_START, 1);
    yes_both(FAKE_DATA_END, 1); /* heap, above bss and below the break */
    yes_both(FAKE_BRK - 1, 1);  /* last byte below the break */
    yes_both(FAKE_DATA_START, FAKE_BRK - FAKE_DATA_START);
    no_both(FAKE_BRK, 1);     /* the break itself is not the process's */
    no_both(FAKE_BRK - 1, 2); /* straddles the break */
    no_both(FAKE_DATA_START, FAKE_BRK - FAKE_DATA_START + 1);
}

Test(umem, image_is_read_only)
{
    yes(FAKE_IMAGE_START, 1, RO);
    yes(FAKE_IMAGE_END - 1, 1, RO);
    yes(FAKE_IMAGE_START, FAKE_IMAGE_END - FAKE_IMAGE_START, RO);
    no(FAKE_IMAGE_START, 1, RW);
    no(FAKE_IMAGE_END - 1, 1, RW);
    no(FAKE_IMAGE_START + 0x100, 0x10, RW);
}

Test(umem, spanning_two_regions_refused)
{
    /* Stack and image touch, and so do image and data: a buffer must lie in one. */
    no_both(FAKE_STACK_END - 1, 2);
    no_both(FAKE_STACK_END - 0x10, 0x20);
    no_both(FAKE_IMAGE_END - 1, 2);
    no_both(FAKE_START, FAKE_BRK - FAKE_START); /* stack + image + data */
    no_both(FAKE_IMAGE_START, FAKE_BRK - FAKE_IMAGE_START);
}

Test(umem, gap_grant_and_outside_refused)
{
    no_both(FAKE_BRK + 0x100, 1); /* free RAM between break and grant */
    no_both(FAKE_GRANT_START, 1); /* the grant region: kernel only */
    no_both(FAKE_END - 1, 1);
    no_both(FAKE_GRANT_START - 1, 2);
    no_both(FAKE_END, 1);      /* past the block */
    no_both(FAKE_RAM_BASE, 1); /* another part of RAM */
    no_both(0, 1);
    no_both(0x1000, 0x10);
}

Test(umem, zero_length_always_allowed)
{
    const uintptr_t addrs[] = {0,
                               1,
                               FAKE_START,
                               FAKE_STACK_END,
                               FAKE_IMAGE_START,
                               FAKE_BRK,
                               FAKE_GRANT_START,
                               FAKE_END,
                               FAKE_END + 0x1000,
                               UINTPTR_MAX};
    for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
        yes_both(addrs[i], 0);
}

Test(umem, length_overflow_refused)
{
    no_both(UINTPTR_MAX, 1);
    no_both(UINTPTR_MAX - 7, 16);
    no_both(FAKE_DATA_START, SIZE_MAX);
    no_both(FAKE_START, SIZE_MAX);
    /* addr + len wraps to FAKE_STACK_END, below the break: a naive end check accepts it */
    no_both(FAKE_DATA_START, (size_t)((uintptr_t)FAKE_STACK_END - FAKE_DATA_START));
    no_both(FAKE_BRK - 1, (size_t)((uintptr_t)FAKE_DATA_START - (FAKE_BRK - 1)));
    no_both(FAKE_DATA_START + 1, SIZE_MAX);
    no(FAKE_IMAGE_START + 1, SIZE_MAX, RO);
}

Test(umem, read_copies_exact_bytes)
{
    uint8_t *last = fake_view(&fb, FAKE_STACK_END - 4);
    memcpy(last, "\x01\x02\x03\x04", 4);
    uint8_t buf[4] = {0};
    cr_assert_eq(umem_read(&fb.k, p, FAKE_STACK_END - 4, buf, 4, RW), 0);
    cr_assert_arr_eq(buf, last, 4);

    memcpy(fake_view(&fb, FAKE_IMAGE_START), "code", 4);
    cr_assert_eq(umem_read(&fb.k, p, FAKE_IMAGE_START, buf, 4, RO), 0);
    cr_assert_arr_eq(buf, "code", 4);
}

Test(umem, read_refusals_leave_destination_alone)
{
    uint8_t buf[8];
    memset(buf, 0x77, sizeof(buf));
    cr_assert_eq(umem_read(&fb.k, p, FAKE_IMAGE_START, buf, 4, RW), -KS_EINVAL);
    cr_assert_eq(umem_read(&fb.k, p, FAKE_BRK - 4, buf, 8, RO), -KS_EINVAL);
    cr_assert_eq(umem_read(&fb.k, p, FAKE_GRANT_START, buf, 1, RO), -KS_EINVAL);
    cr_assert_eq(umem_read(&fb.k, p, UINTPTR_MAX - 3, buf, 8, RO), -KS_EINVAL);
    for (size_t i = 0; i < sizeof(buf); i++)
        cr_assert_eq(buf[i], 0x77, "byte %zu written by a refused read", i);
    /* Zero length succeeds anywhere and copies nothing. */
    cr_assert_eq(umem_read(&fb.k, p, 0, buf, 0, RW), 0);
    cr_assert_eq(umem_read(&fb.k, p, UINTPTR_MAX, buf, 0, RO), 0);
    cr_assert_eq(buf[0], 0x77);
}

Test(umem, write_lands_in_ram)
{
    cr_assert_eq(umem_write(&fb.k, p, FAKE_BRK - 3, "abc", 3), 0);
    cr_assert_arr_eq(fake_view(&fb, FAKE_BRK - 3), "abc", 3);
    cr_assert_eq(umem_write(&fb.k, p, FAKE_START, "s", 1), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_START), 's');
    cr_assert_eq(*fake_view(&fb, FAKE_BRK), FAKE_RAM_FILL, "byte past the copy touched");
}

Test(umem, write_refusals_write_nothing)
{
    /* A refused write must not be partial: the in-range part stays as it was. */
    cr_assert_eq(umem_write(&fb.k, p, FAKE_BRK - 2, "abcd", 4), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_BRK - 2), FAKE_RAM_FILL);
    cr_assert_eq(*fake_view(&fb, FAKE_BRK - 1), FAKE_RAM_FILL);
    cr_assert_eq(umem_write(&fb.k, p, FAKE_IMAGE_START, "x", 1), -KS_EINVAL, "image is RO");
    cr_assert_eq(*fake_view(&fb, FAKE_IMAGE_START), FAKE_RAM_FILL);
    cr_assert_eq(umem_write(&fb.k, p, FAKE_STACK_END - 1, "xy", 2), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_STACK_END - 1), FAKE_RAM_FILL);
    cr_assert_eq(umem_write(&fb.k, p, FAKE_GRANT_START, "x", 1), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_GRANT_START), FAKE_RAM_FILL);
    cr_assert_eq(umem_write(&fb.k, p, 0, "x", 0), 0, "zero length: nothing to refuse");
    cr_assert_eq(umem_write(&fb.k, p, UINTPTR_MAX, "x", 0), 0);
}

Test(umem, block_write_inside_block_only)
{
    /* The kernel may write the image and the grant, but nothing outside the block. */
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_START, "a", 1), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_START), 'a');
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_IMAGE_START, "b", 1), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_IMAGE_START), 'b');
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_END - 2, "cd", 2), 0);
    cr_assert_arr_eq(fake_view(&fb, FAKE_END - 2), "cd", 2);

    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_END - 1, "ef", 2), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_END - 1), 'd', "partial write at the top");
    cr_assert_eq(*fake_view(&fb, FAKE_END), FAKE_RAM_FILL);
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_START - 1, "gh", 2), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_START - 1), FAKE_RAM_FILL);
    cr_assert_eq(*fake_view(&fb, FAKE_START), 'a', "partial write at the bottom");
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_END, "i", 1), -KS_EINVAL);
    cr_assert_eq(umem_block_write(&fb.k, p, UINTPTR_MAX, "j", 1), -KS_EINVAL);
    cr_assert_eq(umem_block_write(&fb.k, p, FAKE_START, "k", SIZE_MAX), -KS_EINVAL);
}

Test(umem, block_fill_inside_block_only)
{
    cr_assert_eq(umem_block_fill(&fb.k, p, FAKE_START, 0, FAKE_END - FAKE_START), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_START), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_END - 1), 0);
    cr_assert_eq(*fake_view(&fb, FAKE_START - 1), FAKE_RAM_FILL);
    cr_assert_eq(*fake_view(&fb, FAKE_END), FAKE_RAM_FILL);

    cr_assert_eq(umem_block_fill(&fb.k, p, FAKE_START, 1, FAKE_END - FAKE_START + 1), -KS_EINVAL);
    cr_assert_eq(umem_block_fill(&fb.k, p, FAKE_START - 1, 1, 1), -KS_EINVAL);
    cr_assert_eq(umem_block_fill(&fb.k, p, FAKE_END - 1, 1, SIZE_MAX), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, FAKE_START), 0, "a refused fill wrote");
    cr_assert_eq(*fake_view(&fb, FAKE_END - 1), 0, "a refused fill wrote");
    cr_assert_eq(*fake_view(&fb, FAKE_START - 1), FAKE_RAM_FILL);
    cr_assert_eq(umem_block_fill(&fb.k, p, FAKE_END, 1, 0), 0, "empty fill at the top");
    cr_assert_eq(*fake_view(&fb, FAKE_END), FAKE_RAM_FILL);
}

Test(umem, block_past_ram_end_never_reaches_outside)
{
    /* A block (mis)planned across the end of RAM: the kernel view must not follow it. */
    const uintptr_t ram_end = FAKE_RAM_BASE + FAKE_RAM_SIZE;
    const struct hal_block b = {
        .start = ram_end - 0x2000,
        .stack_start = ram_end - 0x2000,
        .stack_end = ram_end + 0x1000,
        .image_start = ram_end + 0x1000,
        .image_end = ram_end + 0x2000,
        .data_start = ram_end + 0x2000,
        .data_end = ram_end + 0x2000,
        .brk = ram_end + 0x2000,
        .grant_start = ram_end + 0x3000,
        .end = ram_end + 0x4000,
    };
    struct proc *q = fake_proc_block(&fb, &b);
    uint8_t buf[32] = {0};

    cr_assert_eq(umem_block_fill(&fb.k, q, ram_end - 0x10, 0, 0x20), -KS_EINVAL);
    cr_assert_eq(*fake_view(&fb, ram_end - 1), FAKE_RAM_FILL);
    cr_assert_eq(umem_block_write(&fb.k, q, ram_end, buf, 1), -KS_EINVAL);
    cr_assert_eq(umem_write(&fb.k, q, ram_end - 0x10, buf, 0x20), -KS_EINVAL);
    cr_assert_eq(umem_read(&fb.k, q, ram_end - 0x10, buf, 0x20, RW), -KS_EINVAL);
    cr_assert_null(umem_grant_ptr(&fb.k, q, ram_end + 0x3000, 16));
    /* The part inside RAM still works. */
    cr_assert_eq(umem_write(&fb.k, q, ram_end - 0x10, "ok", 2), 0);
    cr_assert_arr_eq(fake_view(&fb, ram_end - 0x10), "ok", 2);
}

Test(umem, grant_pointer_only_in_grant_region)
{
    uint8_t *g = umem_grant_ptr(&fb.k, p, FAKE_GRANT_START, FAKE_END - FAKE_GRANT_START);
    cr_assert_eq(g, fake_view(&fb, FAKE_GRANT_START), "grant must map to its kernel view");
    cr_assert_eq(umem_grant_ptr(&fb.k, p, FAKE_END - 8, 8), fake_view(&fb, FAKE_END - 8));
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_GRANT_START - 1, 8));
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_END - 8, 9));
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_END, 1));
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_DATA_START, 8), "data is not grant");
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_START, 8), "stack is not grant");
    cr_assert_null(umem_grant_ptr(&fb.k, p, FAKE_GRANT_START, SIZE_MAX));
    cr_assert_null(umem_grant_ptr(&fb.k, p, 0, 8));
    cr_assert_null(umem_grant_ptr(&fb.k, p, UINTPTR_MAX, 1));
}
