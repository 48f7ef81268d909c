/*
 * Process RAM (kernel/placement.c) and loading while others run
 * (kernel/ctl.c): first-fit placement in the gaps live processes leave,
 * the `refuse` and `evict` policies, and evicted processes coming back
 * when RAM frees. On the fake HAL, with hello.elf as every app, in a RAM
 * sized for exactly two of its blocks.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "appload.h"
#include "ctl.h"
#include "err.h"
#include "fake_hal.h"
#include "placement.h"

#ifndef KSIM_APPS_DIR
#define KSIM_APPS_DIR "build/apps"
#endif

static struct fake_board fb;
static uint8_t *elf;
static size_t elf_len;
static size_t block_size; /* hello's block on the fake board */
static struct appload_error err;

/* The fake board with RAM for `blocks` of hello's blocks, under a policy. */
static void board(enum kernel_pressure_policy policy, double blocks)
{
    struct kernel_config cfg = fake_config();
    cfg.pressure = policy;
    fake_board_init_with(&fb, &cfg, (size_t)(blocks * (double)block_size) & ~(size_t)0xfff);
}

static void setup(void)
{
    elf = fake_read_file(KSIM_APPS_DIR "/hello.elf", &elf_len);
    fake_board_init(&fb);
    int slot = kernel_ctl_load(&fb.k, "probe", elf, elf_len, &err);
    cr_assert_geq(slot, 0);
    block_size = fb.k.procs[slot].block.end - fb.k.procs[slot].block.start;
    fake_board_fini(&fb);
}

static void teardown(void)
{
    fake_board_fini(&fb);
    free(elf);
}

TestSuite(placement, .init = setup, .fini = teardown);

static int load(const char *name)
{
    return kernel_ctl_load(&fb.k, name, elf, elf_len, &err);
}

static bool overlap(const struct hal_block *a, const struct hal_block *b)
{
    return a->start < b->end && b->start < a->end;
}

/* No two processes that hold RAM share a byte, and all lie in RAM. */
static void assert_disjoint(void)
{
    for (unsigned i = 0; i < fb.k.nprocs; i++) {
        const struct proc *p = &fb.k.procs[i];
        if (!placement_holds_ram(p))
            continue;
        cr_assert_geq(p->block.start, fb.k.ram.base);
        cr_assert_leq(p->block.end, fb.k.ram.base + fb.k.ram.size);
        for (unsigned j = i + 1; j < fb.k.nprocs; j++)
            if (placement_holds_ram(&fb.k.procs[j]))
                cr_assert_not(overlap(&p->block, &fb.k.procs[j].block), "slots %u and %u overlap",
                              i, j);
    }
}

static unsigned events_of(enum kernel_event_kind kind)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fb.nevents; i++)
        n += fb.events[i] == kind;
    return n;
}

Test(placement, refuse_names_the_sizes_and_changes_nothing)
{
    board(KERNEL_PRESSURE_REFUSE, 2.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    cr_assert_eq(load("c"), -KS_ENOMEM);
    cr_assert_eq(err.stage, APPLOAD_NO_ROOM);
    cr_assert_eq(err.room.need, block_size);
    cr_assert_lt(err.room.largest_gap, block_size);
    cr_assert_eq(err.room.free_total, fb.k.ram.size - 2 * block_size);
    cr_assert_eq(fb.k.procs[2].state, PROC_FREE);
    cr_assert(proc_is_alive(&fb.k.procs[0]) && proc_is_alive(&fb.k.procs[1]));
    cr_assert_eq(events_of(KEV_EVICT), 0);
}

Test(placement, evict_stops_the_lowest_priority_process)
{
    board(KERNEL_PRESSURE_EVICT, 2.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    uint32_t b_id = fb.k.procs[1].id;
    int c = load("c");
    cr_assert_eq(c, 2, "stage %d", err.stage);
    /* b (slot 1) was the lowest priority holding RAM: stopped, recorded, its RAM given to c. */
    struct proc *b = &fb.k.procs[1];
    cr_assert_eq(b->state, PROC_EVICTED);
    cr_assert_eq(b->evictions, 1);
    cr_assert(proc_is_alive(&fb.k.procs[0]) && proc_is_alive(&fb.k.procs[2]));
    cr_assert_eq(events_of(KEV_EVICT), 1);
    assert_disjoint();
    /* Nothing is freed yet: b waits. */
    kernel_step(&fb.k);
    cr_assert_eq(b->state, PROC_EVICTED);
    /* a ends: RAM frees, and the next step brings b back, afresh. */
    kernel_ctl_kill(&fb.k, &fb.k.procs[0]);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_RUNNABLE);
    kernel_step(&fb.k);
    cr_assert(proc_is_alive(b), "b is back: state %d", b->state);
    cr_assert_neq(b->id, b_id, "a fresh start has a new id");
    cr_assert_eq(events_of(KEV_READMIT), 1);
    assert_disjoint();
}

/* Evicting everyone cannot make room for a block bigger than RAM: nothing is evicted. */
Test(placement, evicts_nothing_for_an_app_that_never_fits)
{
    board(KERNEL_PRESSURE_EVICT, 1.5);
    cr_assert_eq(load("a"), 0);
    fb.k.cfg.heap_size = fb.k.ram.size; /* the next app asks for more than RAM */
    cr_assert_eq(load("huge"), -KS_ENOMEM);
    cr_assert_eq(err.stage, APPLOAD_NO_ROOM);
    cr_assert_eq(err.room.need, 0, "it fits nowhere");
    cr_assert(proc_is_alive(&fb.k.procs[0]));
    cr_assert_eq(events_of(KEV_EVICT), 0);
}

/* Unloading frees RAM at once: the next load takes the gap (first fit), no eviction. */
Test(placement, unload_frees_ram_for_the_next_load)
{
    board(KERNEL_PRESSURE_REFUSE, 2.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    uintptr_t a_start = fb.k.procs[0].block.start;
    cr_assert_eq(kernel_ctl_unload(&fb.k, &fb.k.procs[0]), 0);
    cr_assert_eq(fb.k.procs[0].state, PROC_FREE);
    int c = load("c");
    cr_assert_eq(c, 0, "the free slot and the free gap: %d", err.stage);
    cr_assert_eq(fb.k.procs[0].block.start, a_start);
    cr_assert_str_eq(fb.k.procs[0].name, "c");
    assert_disjoint();
}

/* A terminated process holds no RAM; restarting it needs room again. */
Test(placement, restart_of_an_ended_process_needs_room)
{
    board(KERNEL_PRESSURE_REFUSE, 2.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    kernel_ctl_kill(&fb.k, &fb.k.procs[0]);
    cr_assert_eq(load("c"), 2, "a's RAM went to c");
    cr_assert_eq(kernel_ctl_restart(&fb.k, &fb.k.procs[0]), -KS_ENOMEM);
    cr_assert_eq(fb.k.procs[0].state, PROC_TERMINATED);
    kernel_ctl_kill(&fb.k, &fb.k.procs[2]);
    cr_assert_eq(kernel_ctl_restart(&fb.k, &fb.k.procs[0]), 0);
    cr_assert(proc_is_alive(&fb.k.procs[0]));
    assert_disjoint();
}

/* Evicted processes come back when RAM frees, whoever frees it. */
Test(placement, an_evicted_process_returns_when_its_evictor_leaves)
{
    board(KERNEL_PRESSURE_EVICT, 2.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    cr_assert_eq(load("c"), 2); /* evicts b */
    cr_assert_eq(fb.k.procs[1].state, PROC_EVICTED);
    kernel_ctl_unload(&fb.k, &fb.k.procs[0]);
    cr_assert_eq(load("d"), 0); /* slot 0 again: takes a's gap, no eviction needed */
    cr_assert_eq(events_of(KEV_EVICT), 1);
    kernel_ctl_unload(&fb.k, &fb.k.procs[2]);
    kernel_step(&fb.k);
    cr_assert(proc_is_alive(&fb.k.procs[1]), "b came back when c left");
    assert_disjoint();
}

Test(placement, room_reports_gaps)
{
    board(KERNEL_PRESSURE_REFUSE, 3.5);
    cr_assert_eq(load("a"), 0);
    cr_assert_eq(load("b"), 1);
    cr_assert_eq(load("c"), 2);
    kernel_ctl_unload(&fb.k, &fb.k.procs[1]); /* a hole in the middle */
    struct placement_room room;
    placement_room(&fb.k, &fb.k.procs[0].image, 0, &room);
    cr_assert_eq(room.need, block_size);
    size_t tail = fb.k.ram.base + fb.k.ram.size - fb.k.procs[2].block.end;
    cr_assert_eq(room.free_total, block_size + tail);
    cr_assert_eq(room.largest_gap, block_size > tail ? block_size : tail);
}
