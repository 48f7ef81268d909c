/*
 * The scheduler (kernel/sched.c) on its own, then the main loop's use of it
 * through kernel_step on the fake HAL (whose processes are preempted as soon
 * as they run, so every step is one decision).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "fake_hal.h"
#include "proc.h"
#include "sched.h"

static struct sched s; /* large: not on the stack */

static unsigned pop(void)
{
    unsigned slot = 0xffff;
    cr_assert(sched_pop(&s, &slot), "the queue is empty");
    return slot;
}

Test(sched, empty_pops_nothing)
{
    unsigned slot = 77;
    sched_init(&s, SCHED_ROUND_ROBIN);
    cr_assert(sched_empty(&s));
    cr_assert_not(sched_pop(&s, &slot));
    cr_assert_eq(slot, 77, "a failed pop leaves the output alone");
}

Test(sched, round_robin_is_first_in_first_out)
{
    static const unsigned order[] = {5, 0, 1023, 31, 32, 7};
    sched_init(&s, SCHED_ROUND_ROBIN);
    for (unsigned i = 0; i < 6; i++)
        sched_push(&s, order[i]);
    cr_assert_eq(s.count, 6);
    for (unsigned i = 0; i < 6; i++)
        cr_assert_eq(pop(), order[i]);
    cr_assert(sched_empty(&s));
}

Test(sched, round_robin_never_outranks)
{
    sched_init(&s, SCHED_ROUND_ROBIN);
    sched_push(&s, 0);
    cr_assert_not(sched_outranked(&s, 9), "round robin turns end by count or timer only");
}

Test(sched, round_robin_requeued_goes_to_the_back)
{
    sched_init(&s, SCHED_ROUND_ROBIN);
    sched_push(&s, 1);
    sched_push(&s, 2);
    sched_push(&s, 3);
    unsigned first = pop();
    sched_push(&s, first); /* its turn is used up */
    cr_assert_eq(pop(), 2);
    cr_assert_eq(pop(), 3);
    cr_assert_eq(pop(), 1);
}

Test(sched, priority_pops_the_lowest_slot_first)
{
    static const unsigned pushed[] = {900, 33, 64, 2, 1023, 31, 32};
    static const unsigned sorted[] = {2, 31, 32, 33, 64, 900, 1023};
    sched_init(&s, SCHED_PRIORITY);
    for (unsigned i = 0; i < 7; i++)
        sched_push(&s, pushed[i]);
    for (unsigned i = 0; i < 7; i++)
        cr_assert_eq(pop(), sorted[i], "pop %u", i);
    cr_assert(sched_empty(&s));
}

Test(sched, priority_outranked_only_by_a_higher_one)
{
    sched_init(&s, SCHED_PRIORITY);
    cr_assert_not(sched_outranked(&s, 5), "nothing ready");
    sched_push(&s, 7);
    cr_assert_not(sched_outranked(&s, 5), "a lower-priority process is ready");
    sched_push(&s, 6);
    cr_assert_not(sched_outranked(&s, 5));
    sched_push(&s, 4);
    cr_assert(sched_outranked(&s, 5), "slot 4 outranks slot 5");
    cr_assert_eq(pop(), 4);
    cr_assert_not(sched_outranked(&s, 5));
}

Test(sched, full_table_in_and_out)
{
    sched_init(&s, SCHED_PRIORITY);
    for (unsigned i = SCHED_MAX_PROCS; i-- > 0;)
        sched_push(&s, i);
    cr_assert_eq(s.count, SCHED_MAX_PROCS);
    for (unsigned i = 0; i < SCHED_MAX_PROCS; i++)
        cr_assert_eq(pop(), i);
    cr_assert(sched_empty(&s));

    sched_init(&s, SCHED_ROUND_ROBIN);
    for (unsigned i = 0; i < SCHED_MAX_PROCS; i++)
        sched_push(&s, (i * 7) % SCHED_MAX_PROCS);
    for (unsigned i = 0; i < SCHED_MAX_PROCS; i++)
        cr_assert_eq(pop(), (i * 7) % SCHED_MAX_PROCS);
}

Test(sched, bitmap_empties_and_refills)
{
    /* Levels in one bitmap word, in two, and the last word: emptied and reused. */
    sched_init(&s, SCHED_PRIORITY);
    for (int round = 0; round < 3; round++) {
        sched_push(&s, 1000);
        sched_push(&s, 40);
        sched_push(&s, 3);
        cr_assert_eq(pop(), 3);
        cr_assert_eq(pop(), 40);
        cr_assert_eq(pop(), 1000);
        cr_assert(sched_empty(&s));
        cr_assert_eq(s.word_bits, 0, "round %d left a word marked", round);
    }
}

Test(sched, out_of_range_slot_is_ignored)
{
    sched_init(&s, SCHED_PRIORITY);
    sched_push(&s, SCHED_MAX_PROCS);
    cr_assert(sched_empty(&s));
}

/* --- The main loop's decisions --- */

static struct fake_board fb;

static void boot(enum sched_kind kind)
{
    struct kernel_config cfg = fake_config();
    cfg.sched_kind = kind;
    fake_board_init_with(&fb, &cfg, FAKE_RAM_SIZE);
}

/* Three hand-made processes, made ready in the order 2, 0, 1. */
static void three_ready(void)
{
    struct proc *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = fake_proc(&fb);
    proc_make_ready(&fb.k, p[2]);
    proc_make_ready(&fb.k, p[0]);
    proc_make_ready(&fb.k, p[1]);
}

static int step(void)
{
    cr_assert_eq(kernel_step(&fb.k), KERNEL_RUNNABLE);
    return fb.k.last_run;
}

Test(sched_kernel, round_robin_takes_turns_in_arrival_order)
{
    boot(SCHED_ROUND_ROBIN);
    three_ready();
    /* The fake HAL preempts every process at once: each goes to the back. */
    static const int expect[] = {2, 0, 1, 2, 0, 1};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(step(), expect[i], "step %d", i);
    cr_assert_eq(fb.run_calls, 6);
    fake_board_fini(&fb);
}

Test(sched_kernel, priority_runs_the_first_loaded_while_it_is_ready)
{
    boot(SCHED_PRIORITY);
    three_ready();
    for (int i = 0; i < 4; i++)
        cr_assert_eq(step(), 0, "step %d: slot 0 outranks the others", i);
    /* Slot 0 waits for an event: the next in rank runs. */
    fb.k.procs[0].state = PROC_YIELDED;
    cr_assert_eq(step(), 0, "its queued entry is dropped without running it");
    cr_assert_eq(step(), 1);
    cr_assert_eq(step(), 1);
    fake_board_fini(&fb);
}

Test(sched_kernel, kernel_status_follows_the_queue)
{
    boot(SCHED_PRIORITY);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_DONE, "no process at all");
    struct proc *p = fake_proc(&fb);
    p->state = PROC_YIELDED;
    cr_assert_eq(kernel_status(&fb.k), KERNEL_IDLE);
    p->state = PROC_RUNNING;
    proc_make_ready(&fb.k, p);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_RUNNABLE);
    fake_board_fini(&fb);
}

/* Issue 19: state changes go through named transitions that check the state they leave. */
Test(proc_state, transitions_refuse_the_states_they_do_not_leave)
{
    static struct proc p; /* large: not on the stack */
    memset(&p, 0, sizeof(p));
    p.state = PROC_RUNNING;
    cr_assert(proc_to_yielded(&p));
    cr_assert_eq(p.state, PROC_YIELDED);
    cr_assert_not(proc_to_yielded_for(&p), "only a running process yields");
    cr_assert_eq(p.state, PROC_YIELDED, "a refused transition changes nothing");
    cr_assert_not(proc_to_free(&p), "a live process is stopped before its slot frees");
    cr_assert(proc_to_running(&p));
    cr_assert(proc_to_yielded_for(&p));
    cr_assert(proc_to_running(&p));
    p.state = PROC_FAULTED;
    cr_assert_not(proc_to_running(&p), "a faulted process does not run again by a wake");
    cr_assert_not(proc_to_yielded(&p));
    cr_assert_eq(p.state, PROC_FAULTED);
    cr_assert(proc_to_free(&p));
    cr_assert_eq(p.state, PROC_FREE);
}
