/*
 * The per-process upcall queue (kernel/upcall.c). Apps see its order through
 * Yield (events run in the order they arrived) and its bound through lost
 * events, so both are checked exactly.
 */
#include <criterion/criterion.h>

#include "upcall.h"

static struct upcall_queue q;

/* Event n of driver d, number num; args carry n so order is visible. */
static struct upcall_event ev(uint32_t d, uint32_t num, uintptr_t n)
{
    return (struct upcall_event){d, num, {n, n + 100, n + 200}};
}

static void push(uint32_t d, uint32_t num, uintptr_t n)
{
    struct upcall_event e = ev(d, num, n);
    cr_assert(upcall_queue_push(&q, &e), "push of event %ju refused", (uintmax_t)n);
}

/* The queue holds exactly the events tagged want[0..n), oldest first. */
static void assert_order(const uintptr_t *want, unsigned n)
{
    cr_assert_eq(q.count, n, "queue holds %u events, expected %u", q.count, n);
    for (unsigned i = 0; i < n; i++) {
        const struct upcall_event *e = upcall_queue_at(&q, i);
        cr_assert_eq(e->args[0], want[i], "event %u is %ju, expected %ju", i, (uintmax_t)e->args[0],
                     (uintmax_t)want[i]);
        cr_assert_eq(e->args[1], want[i] + 100);
        cr_assert_eq(e->args[2], want[i] + 200);
    }
}

Test(upcall, init_bounds_capacity)
{
    upcall_queue_init(&q, 0);
    cr_assert_eq(q.cap, UPCALL_QUEUE_MAX, "0 means the largest queue");
    upcall_queue_init(&q, UPCALL_QUEUE_MAX + 1);
    cr_assert_eq(q.cap, UPCALL_QUEUE_MAX, "a queue never exceeds its storage");
    upcall_queue_init(&q, 5);
    cr_assert_eq(q.cap, 5);
    cr_assert_eq(q.count, 0);
    cr_assert_eq(q.dropped, 0);
    cr_assert_eq(upcall_queue_find(&q, 0, 0), -1);
}

Test(upcall, keeps_arrival_order)
{
    upcall_queue_init(&q, 8);
    for (uintptr_t n = 1; n <= 8; n++)
        push((uint32_t)(n % 3), 0, n);
    const uintptr_t want[] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_order(want, 8);
    const struct upcall_event *e = upcall_queue_at(&q, 4);
    cr_assert_eq(e->driver, 5 % 3);
    cr_assert_eq(e->number, 0);
}

Test(upcall, full_queue_drops_and_counts)
{
    upcall_queue_init(&q, 3);
    push(0, 0, 1);
    push(0, 0, 2);
    push(0, 0, 3);
    struct upcall_event e = ev(1, 1, 4);
    cr_assert_not(upcall_queue_push(&q, &e), "a full queue must refuse");
    cr_assert_eq(q.dropped, 1);
    cr_assert_not(upcall_queue_push(&q, &e));
    cr_assert_eq(q.dropped, 2, "every lost event is counted");
    const uintptr_t want[] = {1, 2, 3};
    assert_order(want, 3); /* the dropped event is the new one, never an old one */
    cr_assert_eq(upcall_queue_find(&q, 1, 1), -1);
}

Test(upcall, room_again_after_remove)
{
    upcall_queue_init(&q, 2);
    push(0, 0, 1);
    push(0, 0, 2);
    upcall_queue_remove(&q, 0);
    push(0, 0, 3);
    const uintptr_t want[] = {2, 3};
    assert_order(want, 2);
    cr_assert_eq(q.dropped, 0);
}

Test(upcall, remove_middle_keeps_order)
{
    upcall_queue_init(&q, 8);
    for (uintptr_t n = 1; n <= 5; n++)
        push(0, (uint32_t)n, n);
    upcall_queue_remove(&q, 2);
    const uintptr_t want[] = {1, 2, 4, 5};
    assert_order(want, 4);
    upcall_queue_remove(&q, 3); /* the youngest */
    const uintptr_t want2[] = {1, 2, 4};
    assert_order(want2, 3);
    upcall_queue_remove(&q, 0); /* the oldest */
    const uintptr_t want3[] = {2, 4};
    assert_order(want3, 2);
}

Test(upcall, remove_past_end_changes_nothing)
{
    upcall_queue_init(&q, 8);
    push(0, 0, 1);
    push(0, 0, 2);
    upcall_queue_remove(&q, 2);
    upcall_queue_remove(&q, 1000);
    const uintptr_t want[] = {1, 2};
    assert_order(want, 2);
}

Test(upcall, long_run_of_push_and_take_keeps_order)
{
    /* Many more events than slots pass through: order holds however they wrap. */
    upcall_queue_init(&q, 4);
    uintptr_t next = 1, expect = 1;
    for (int round = 0; round < 3 * UPCALL_QUEUE_MAX; round++) {
        while (q.count < 3)
            push(0, 0, next++);
        cr_assert_eq(upcall_queue_at(&q, 0)->args[0], expect);
        upcall_queue_remove(&q, 0);
        expect++;
    }
    cr_assert_eq(q.dropped, 0);
}

Test(upcall, drop_removes_every_match_only)
{
    upcall_queue_init(&q, 8);
    push(1, 2, 1);
    push(1, 3, 2); /* same driver, other number */
    push(1, 2, 3);
    push(2, 2, 4); /* other driver, same number */
    push(1, 2, 5);
    push(0, 0, 6);
    upcall_queue_drop(&q, 1, 2);
    const uintptr_t want[] = {2, 4, 6};
    assert_order(want, 3);
    upcall_queue_drop(&q, 7, 7); /* nothing matches: nothing changes */
    assert_order(want, 3);
    cr_assert_eq(q.dropped, 0, "a drop is not a loss to count");
}

Test(upcall, drop_everything)
{
    upcall_queue_init(&q, 4);
    for (uintptr_t n = 1; n <= 4; n++)
        push(3, 1, n);
    upcall_queue_drop(&q, 3, 1);
    cr_assert_eq(q.count, 0);
    push(3, 1, 9); /* all four slots are free again */
    push(3, 1, 10);
    push(3, 1, 11);
    push(3, 1, 12);
    const uintptr_t want[] = {9, 10, 11, 12};
    assert_order(want, 4);
}

Test(upcall, find_returns_first_match)
{
    upcall_queue_init(&q, 8);
    push(1, 0, 1);
    push(2, 1, 2);
    push(2, 0, 3);
    push(2, 1, 4);
    cr_assert_eq(upcall_queue_find(&q, 2, 1), 1);
    cr_assert_eq(upcall_queue_find(&q, 2, 0), 2);
    cr_assert_eq(upcall_queue_find(&q, 1, 0), 0);
    cr_assert_eq(upcall_queue_find(&q, 1, 1), -1);
    cr_assert_eq(upcall_queue_find(&q, 0, 0), -1);
    upcall_queue_remove(&q, 1);
    cr_assert_eq(upcall_queue_find(&q, 2, 1), 2, "the next match moves up after a removal");
}
