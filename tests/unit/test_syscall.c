/*
 * The system-call dispatcher (kernel/syscall.c and memop.c), class by class,
 * through syscall_handle on a process made by hand (fake_hal.h draws its
 * block). Every return is checked register by register, as an app sees it:
 * the variant in r0, the values it names, and 0 in every register it does
 * not name. Inputs the call does not use carry JUNK, so a register the
 * kernel forgets to clear shows.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "err.h"
#include "fake_hal.h"
#include "syscall.h"

#define JUNK ((uintptr_t)0xdeadbeefcafef00dull)
#define WIDE (UINTPTR_MAX > 0xffffffffu) /* registers wider than TRD104's 32 bits */
/* A bit above TRD104's 32 bits: only used under if (WIDE). */
#define HIGH ((uintptr_t)((uint64_t)1 << 32))
/* A negative increment as C passes it: sign-extended to the full register. */
#define NEG(x) ((uintptr_t) - (intptr_t)(x))

#define FN1 ((uintptr_t)FAKE_IMAGE_START + 0x100)
#define FN2 ((uintptr_t)FAKE_IMAGE_START + 0x200)
#define UD1 ((uintptr_t)0x1234567u)
/* Above 4 GiB where registers allow it: userdata must come back untruncated. */
#define UD2 ((uintptr_t)(WIDE ? 0x89abcdef01234567ull : 0x89abcdefu))

#define ALARM   KSIM_DRIVER_ALARM
#define CONSOLE KSIM_DRIVER_CONSOLE
#define LLD     KSIM_DRIVER_LOW_LEVEL_DEBUG
#define MISSING 0x55u /* no such driver */

static struct fake_board fb;
static struct proc *p;
static uintptr_t r[4];
static enum syscall_next next;

static void setup(void)
{
    fake_board_init(&fb);
    p = fake_proc(&fb);
}

static void teardown(void)
{
    fake_board_fini(&fb);
}

TestSuite(syscall, .init = setup, .fini = teardown);
TestSuite(yield, .init = setup, .fini = teardown);
TestSuite(subscribe, .init = setup, .fini = teardown);
TestSuite(command, .init = setup, .fini = teardown);
TestSuite(allow, .init = setup, .fini = teardown);
TestSuite(memop, .init = setup, .fini = teardown);
TestSuite(exit, .init = setup, .fini = teardown);

/* --- Making calls --- */

static enum syscall_next sys(uint32_t cls, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d)
{
    r[0] = a;
    r[1] = b;
    r[2] = c;
    r[3] = d;
    next = syscall_handle(&fb.k, p, cls, r);
    return next;
}

static void subscribe(uintptr_t drv, uintptr_t num, uintptr_t fn, uintptr_t ud)
{
    sys(KSIM_CLASS_SUBSCRIBE, drv, num, fn, ud);
}

static void command(uintptr_t drv, uintptr_t cmd, uintptr_t a0, uintptr_t a1)
{
    sys(KSIM_CLASS_COMMAND, drv, cmd, a0, a1);
}

static void allow(uint32_t cls, uintptr_t drv, uintptr_t num, uintptr_t addr, uintptr_t len)
{
    sys(cls, drv, num, addr, len);
}

static void memop(uintptr_t op, uintptr_t arg)
{
    sys(KSIM_CLASS_MEMOP, op, arg, JUNK, JUNK);
}

static enum syscall_next yield_nowait(uintptr_t flag)
{
    return sys(KSIM_CLASS_YIELD, KSIM_YIELD_NO_WAIT, flag, JUNK, JUNK);
}

static enum syscall_next yield_wait(void)
{
    return sys(KSIM_CLASS_YIELD, KSIM_YIELD_WAIT, JUNK, JUNK, JUNK);
}

static enum syscall_next yield_waitfor(uintptr_t drv, uintptr_t num)
{
    return sys(KSIM_CLASS_YIELD, KSIM_YIELD_WAIT_FOR, drv, num, JUNK);
}

/* A driver raises an event for p, as an interrupt would. */
static void event(uint32_t drv, uint32_t num, uintptr_t a0, uintptr_t a1, uintptr_t a2)
{
    int idx = kernel_driver_index(&fb.k, drv);
    cr_assert_geq(idx, 0, "driver 0x%x is not installed", drv);
    kernel_schedule_upcall(&fb.k, p, (unsigned)idx, num, a0, a1, a2);
}

/* --- Checking returns --- */

#define EXPECT(v, a, b, c) expect_at(__LINE__, (v), (a), (b), (c))
#define SUCCESS()          EXPECT(KSIM_SUCCESS, 0, 0, 0)
#define SUCCESS_U32(a)     EXPECT(KSIM_SUCCESS_U32, (a), 0, 0)
#define SUCCESS_2(a, b)    EXPECT(KSIM_SUCCESS_2_U32, (a), (b), 0)
#define FAILURE(e)         EXPECT(KSIM_FAILURE, (e), 0, 0)
#define FAILURE_2(e, a, b) EXPECT(KSIM_FAILURE_2_U32, (e), (a), (b))
#define ZEROS()            EXPECT(0, 0, 0, 0)
/* The registers only: for a Yield that runs an upcall (SYSCALL_UPCALL) and then returns them. */
#define REGS_ZERO() regs_at(__LINE__, 0, 0, 0, 0)

static void regs_at(int line, uintptr_t v, uintptr_t a, uintptr_t b, uintptr_t c)
{
    cr_assert(r[0] == v && r[1] == a && r[2] == b && r[3] == c,
              "line %d: got (%ju, 0x%jx, 0x%jx, 0x%jx), want (%ju, 0x%jx, 0x%jx, 0x%jx)", line,
              (uintmax_t)r[0], (uintmax_t)r[1], (uintmax_t)r[2], (uintmax_t)r[3], (uintmax_t)v,
              (uintmax_t)a, (uintmax_t)b, (uintmax_t)c);
}

static void expect_at(int line, uintptr_t v, uintptr_t a, uintptr_t b, uintptr_t c)
{
    cr_assert_eq(next, SYSCALL_RETURN, "line %d: syscall_handle gave %d, not SYSCALL_RETURN", line,
                 (int)next);
    regs_at(line, v, a, b, c);
}

/* The pending events, oldest first, are those whose args[0] are want[0..n). */
static void assert_queue(const uintptr_t *want, unsigned n)
{
    cr_assert_eq(p->upcalls.count, n, "%u events queued, expected %u", p->upcalls.count, n);
    for (unsigned i = 0; i < n; i++)
        cr_assert_eq(upcall_queue_at(&p->upcalls, i)->args[0], want[i],
                     "event %u has arg0 %ju, expected %ju", i,
                     (uintmax_t)upcall_queue_at(&p->upcalls, i)->args[0], (uintmax_t)want[i]);
}

static void assert_fault(uint32_t cls, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d)
{
    cr_assert_eq(next, SYSCALL_FAULT);
    cr_assert_eq(p->last_fault.kind, HAL_FAULT_SYSCALL);
    cr_assert_eq(p->last_fault.signo, 0);
    cr_assert_eq(p->last_fault.syscall_class, cls);
    /* The report shows the registers as the app passed them. */
    cr_assert_eq(p->last_fault.regs[0], a);
    cr_assert_eq(p->last_fault.regs[1], b);
    cr_assert_eq(p->last_fault.regs[2], c);
    cr_assert_eq(p->last_fault.regs[3], d);
}

/* ================= Classes and encoding ================= */

Test(syscall, unknown_class_faults)
{
    const uint32_t classes[] = {8, 9, 0x80, 0x100, 0xffffffffu};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        memset(&p->last_fault, 0xff, sizeof(p->last_fault));
        sys(classes[i], 1, 2, 3, JUNK);
        assert_fault(classes[i], 1, 2, 3, JUNK);
    }
}

Test(syscall, decode_refuses_unknown_class_and_yield_type)
{
    struct syscall call;
    const uintptr_t regs[4] = {3, 1, 2, JUNK};
    cr_assert_not(syscall_decode(&fb.k, KSIM_CLASS_COUNT, regs, &call));
    cr_assert_eq(call.cls, KSIM_CLASS_COUNT, "the fault report still gets the class");
    cr_assert_eq(call.r[3], JUNK, "and the registers as passed");
    cr_assert_not(syscall_decode(&fb.k, KSIM_CLASS_YIELD, regs, &call), "yield type 3");
    const uintptr_t wait_for[4] = {KSIM_YIELD_WAIT_FOR, ALARM, 0, JUNK};
    cr_assert(syscall_decode(&fb.k, KSIM_CLASS_YIELD, wait_for, &call));
    cr_assert_eq(call.yield.driver, ALARM);
    cr_assert_eq(call.yield.number, 0);
    if (WIDE) {
        const uintptr_t wide_for[4] = {KSIM_YIELD_WAIT_FOR, ALARM, HIGH, JUNK};
        cr_assert(syscall_decode(&fb.k, KSIM_CLASS_YIELD, wide_for, &call));
        cr_assert_eq(call.yield.driver, UINT32_MAX, "a number over 32 bits matches nothing");
    }
}

Test(syscall, decode_looks_the_driver_up_once)
{
    struct syscall call;
    const uintptr_t console[4] = {CONSOLE, 1, FAKE_DATA_START, 4};
    cr_assert(syscall_decode(&fb.k, KSIM_CLASS_ALLOW_UR, console, &call));
    cr_assert_eq(call.allow.drv.d, &drv_console);
    cr_assert_eq(call.allow.drv.idx, (unsigned)kernel_driver_index(&fb.k, CONSOLE));
    cr_assert_eq(call.allow.kind, GRANT_ALLOW_UR);
    cr_assert_eq(call.allow.number, 1);
    cr_assert_eq(call.allow.addr, FAKE_DATA_START);
    cr_assert_eq(call.allow.len, 4);
    const uintptr_t missing[4] = {MISSING, 0, 0, 0};
    cr_assert(syscall_decode(&fb.k, KSIM_CLASS_COMMAND, missing, &call));
    cr_assert_null(call.command.drv.d);
    if (WIDE) { /* the low 32 bits name the alarm, the whole register does not */
        const uintptr_t wide[4] = {HIGH | ALARM, 0, 0, 0};
        cr_assert(syscall_decode(&fb.k, KSIM_CLASS_SUBSCRIBE, wide, &call));
        cr_assert_null(call.subscribe.drv.d);
    }
}

Test(syscall, encode_names_only_variant_registers)
{
    /* Each variant names its registers; the rest come back 0 whatever the handler left. */
    const struct {
        struct syscall_ret ret;
        uintptr_t want[4];
    } cases[] = {
        {{KSIM_FAILURE, 6, 7, 8}, {0, 6, 0, 0}},
        {ret_failure_u32(KS_ESIZE, 77), {1, 7, 77, 0}},
        {ret_failure_2(KS_EINVAL, 5, 9), {2, 6, 5, 9}},
        {ret_failure_u64(KS_EBUSY, 0x1122334455667788ull), {3, 2, 0x55667788u, 0x11223344u}},
        {{KSIM_SUCCESS, 1, 2, 3}, {128, 0, 0, 0}},
        {{KSIM_SUCCESS_U32, 1, 2, 3}, {129, 1, 0, 0}},
        {{KSIM_SUCCESS_2_U32, 1, 2, 3}, {130, 1, 2, 0}},
        {ret_success_u64(0xa1b2c3d4e5f60718ull), {131, 0xe5f60718u, 0xa1b2c3d4u, 0}},
        {ret_success_3_u32(1, 2, 3), {132, 1, 2, 3}},
        {ret_success_u32_u64(9, 0x0102030405060708ull), {133, 9, 0x05060708u, 0x01020304u}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uintptr_t regs[4] = {JUNK, JUNK, JUNK, JUNK};
        syscall_encode(&cases[i].ret, regs);
        for (int j = 0; j < 4; j++)
            cr_assert_eq(regs[j], cases[i].want[j], "variant %u: r%d is 0x%jx, want 0x%jx",
                         cases[i].ret.variant, j, (uintmax_t)regs[j], (uintmax_t)cases[i].want[j]);
    }
}

Test(syscall, only_memop_changes_protections)
{
    /* ABI.md: brk and sbrk are the only calls that change the caller's page protections. */
    subscribe(ALARM, 0, FN1, UD1);
    command(ALARM, 2, JUNK, JUNK);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_START, 4);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_IMAGE_START, 4);
    memop(KSIM_MEMOP_RAM_START, 0);
    yield_nowait(FAKE_DATA_START);
    cr_assert_eq(fb.set_brk_calls, 0);
    cr_assert_eq(fb.activate_calls, 0);
    cr_assert_eq(fb.release_calls, 0);
    memop(KSIM_MEMOP_SBRK, 16);
    cr_assert_eq(fb.set_brk_calls, 1);
    cr_assert_eq(fb.last_brk, FAKE_BRK + 16);
}

/* ================= Yield ================= */

Test(yield, unknown_type_faults)
{
    sys(KSIM_CLASS_YIELD, 3, 0, 0, JUNK);
    assert_fault(KSIM_CLASS_YIELD, 3, 0, 0, JUNK);
    if (WIDE) {
        /* 2^32 is not 0 (no-wait): the full register is the type. */
        sys(KSIM_CLASS_YIELD, HIGH | KSIM_YIELD_NO_WAIT, 0, 0, 0);
        assert_fault(KSIM_CLASS_YIELD, HIGH, 0, 0, 0);
    }
}

Test(yield, nowait_nothing_queued_clears_flag_in_writable_ram)
{
    const uintptr_t flags[] = {FAKE_START, FAKE_STACK_END - 1, FAKE_DATA_START, FAKE_DATA_END,
                               FAKE_BRK - 1};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        *fake_view(&fb, flags[i]) = 0x77;
        cr_assert_eq(yield_nowait(flags[i]), SYSCALL_RETURN);
        ZEROS();
        cr_assert_eq(*fake_view(&fb, flags[i]), 0, "flag at 0x%jx not cleared",
                     (uintmax_t)flags[i]);
        cr_assert_eq(p->state, PROC_RUNNING);
    }
}

Test(yield, nowait_flag_outside_writable_ram_untouched)
{
    /* The image, the free RAM above the break, the grant and other RAM are not the app's to write.
     */
    const uintptr_t flags[] = {FAKE_IMAGE_START, FAKE_IMAGE_END - 1, FAKE_BRK, FAKE_GRANT_START - 1,
                               FAKE_GRANT_START, FAKE_END - 1,       FAKE_END, FAKE_START - 1,
                               FAKE_RAM_BASE};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        cr_assert_eq(yield_nowait(flags[i]), SYSCALL_RETURN);
        ZEROS();
        cr_assert_eq(*fake_view(&fb, flags[i]), FAKE_RAM_FILL, "byte at 0x%jx written",
                     (uintmax_t)flags[i]);
    }
    /* No flag at all, and addresses outside RAM: the call still returns normally. */
    const uintptr_t outside[] = {0, 1, UINTPTR_MAX};
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        cr_assert_eq(yield_nowait(outside[i]), SYSCALL_RETURN);
        ZEROS();
    }
    if (WIDE) {
        cr_assert_eq(yield_nowait(HIGH | FAKE_DATA_START), SYSCALL_RETURN);
        ZEROS();
        cr_assert_eq(*fake_view(&fb, FAKE_DATA_START), FAKE_RAM_FILL,
                     "flag address truncated to 32 bits");
    }
}

Test(yield, nowait_runs_queued_upcall)
{
    subscribe(ALARM, 0, FN1, UD2);
    SUCCESS_2(0, 0);
    event(ALARM, 0, 11, 22, 33);
    *fake_view(&fb, FAKE_DATA_START) = 0x77;
    cr_assert_eq(yield_nowait(FAKE_DATA_START), SYSCALL_UPCALL);
    REGS_ZERO(); /* what the yield returns once the upcall is done */
    cr_assert_eq(*fake_view(&fb, FAKE_DATA_START), 1, "flag must say an upcall ran");
    cr_assert_eq(p->deliver_fn, FN1);
    cr_assert_eq(p->deliver_args[0], 11);
    cr_assert_eq(p->deliver_args[1], 22);
    cr_assert_eq(p->deliver_args[2], 33);
    cr_assert_eq(p->deliver_args[3], UD2, "userdata must come back untruncated");
    cr_assert_eq(p->upcalls.count, 0);
    cr_assert_eq(p->state, PROC_RUNNING);

    /* Queue drained: the next one reports nothing ran. */
    cr_assert_eq(yield_nowait(FAKE_DATA_START), SYSCALL_RETURN);
    ZEROS();
    cr_assert_eq(*fake_view(&fb, FAKE_DATA_START), 0);
}

Test(yield, nowait_upcall_with_flag_elsewhere)
{
    subscribe(ALARM, 0, FN1, UD1);
    event(ALARM, 0, 1, 2, 3);
    cr_assert_eq(yield_nowait(0), SYSCALL_UPCALL, "flag 0 still runs the upcall");
    cr_assert_eq(p->deliver_fn, FN1);
    event(ALARM, 0, 4, 5, 6);
    cr_assert_eq(yield_nowait(FAKE_IMAGE_START), SYSCALL_UPCALL);
    cr_assert_eq(*fake_view(&fb, FAKE_IMAGE_START), FAKE_RAM_FILL);
    cr_assert_eq(p->deliver_args[0], 4);
}

Test(yield, upcalls_run_one_per_yield_in_arrival_order)
{
    subscribe(ALARM, 0, FN1, UD1);
    subscribe(CONSOLE, 1, FN2, UD2);
    event(CONSOLE, 1, 1, 0, 0);
    event(ALARM, 0, 2, 0, 0);
    event(CONSOLE, 1, 3, 0, 0);
    const uintptr_t fns[] = {FN2, FN1, FN2}, uds[] = {UD2, UD1, UD2};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(yield_wait(), SYSCALL_UPCALL);
        REGS_ZERO();
        cr_assert_eq(p->deliver_fn, fns[i]);
        cr_assert_eq(p->deliver_args[0], (uintptr_t)(i + 1));
        cr_assert_eq(p->deliver_args[3], uds[i]);
    }
    cr_assert_eq(yield_wait(), SYSCALL_BLOCK);
}

Test(yield, nowait_discards_null_upcall_events)
{
    event(ALARM, 0, 1, 2, 3); /* never subscribed: the Null Upcall */
    subscribe(CONSOLE, 1, 0, 0);
    event(CONSOLE, 1, 4, 5, 6); /* subscribed to the Null Upcall explicitly */
    *fake_view(&fb, FAKE_DATA_START) = 0x77;
    cr_assert_eq(yield_nowait(FAKE_DATA_START), SYSCALL_RETURN);
    ZEROS();
    cr_assert_eq(*fake_view(&fb, FAKE_DATA_START), 0, "nothing ran");
    cr_assert_eq(p->upcalls.count, 0, "Null-Upcall events are discarded");
    cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_BLOCK, "the discarded event is gone");
}

Test(yield, wait_discards_null_upcall_events_and_waits)
{
    event(ALARM, 0, 1, 2, 3);
    event(CONSOLE, 2, 4, 5, 6);
    cr_assert_eq(yield_wait(), SYSCALL_BLOCK);
    cr_assert_eq(p->state, PROC_YIELDED);
    cr_assert_eq(p->upcalls.count, 0);
}

Test(yield, wait_skips_null_to_next_deliverable)
{
    subscribe(ALARM, 0, FN1, UD1);
    event(CONSOLE, 2, 9, 9, 9); /* Null Upcall: discarded */
    event(ALARM, 0, 1, 2, 3);
    event(CONSOLE, 2, 7, 7, 7); /* behind the delivered one: stays */
    cr_assert_eq(yield_wait(), SYSCALL_UPCALL);
    REGS_ZERO();
    cr_assert_eq(p->deliver_fn, FN1);
    cr_assert_eq(p->deliver_args[0], 1);
    cr_assert_eq(p->state, PROC_RUNNING);
    const uintptr_t left[] = {7};
    assert_queue(left, 1);
}

Test(yield, wait_blocks_then_wakes_with_upcall)
{
    subscribe(ALARM, 0, FN1, UD2);
    cr_assert_eq(yield_wait(), SYSCALL_BLOCK);
    cr_assert_eq(p->state, PROC_YIELDED);
    event(CONSOLE, 2, 9, 9, 9); /* Null Upcall: does not wake it */
    cr_assert_eq(kernel_status(&fb.k), KERNEL_IDLE);
    event(ALARM, 0, 1, 2, 3);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_RUNNABLE);
    kernel_step(&fb.k);
    cr_assert_eq(fb.set_return_calls, 1);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(fb.last_return[i], 0, "Yield-Wait returns zeros");
    cr_assert_eq(fb.push_upcall_calls, 1);
    cr_assert_eq(fb.last_upcall_fn, FN1);
    cr_assert_eq(fb.last_upcall_args[0], 1);
    cr_assert_eq(fb.last_upcall_args[1], 2);
    cr_assert_eq(fb.last_upcall_args[2], 3);
    cr_assert_eq(fb.last_upcall_args[3], UD2);
    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_eq(p->upcalls.count, 0);
}

Test(yield, waitfor_returns_event_args)
{
    event(CONSOLE, 1, 0x111, 0x222, 0x333);
    cr_assert_eq(yield_waitfor(CONSOLE, 1), SYSCALL_RETURN);
    EXPECT(0x111, 0x222, 0x333, 0); /* no variant: the three args, r3 = 0 */
    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_eq(p->upcalls.count, 0);
}

Test(yield, waitfor_receives_null_upcall_event_that_already_arrived)
{
    /* The event arrived before the WaitFor and before any Subscribe: it waited in the queue. */
    event(ALARM, 0, 5, 6, 7);
    cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_RETURN);
    EXPECT(5, 6, 7, 0);
    subscribe(CONSOLE, 2, 0, 0);
    event(CONSOLE, 2, 8, 9, 10);
    cr_assert_eq(yield_waitfor(CONSOLE, 2), SYSCALL_RETURN);
    EXPECT(8, 9, 10, 0);
}

Test(yield, waitfor_does_not_run_the_upcall)
{
    subscribe(ALARM, 0, FN1, UD1);
    event(ALARM, 0, 1, 2, 3);
    cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_RETURN);
    EXPECT(1, 2, 3, 0);
    cr_assert_eq(p->deliver_fn, 0, "WaitFor hands the args back instead of calling the upcall");
    cr_assert_eq(p->upcalls.count, 0);
}

Test(yield, waitfor_leaves_other_events_queued_in_order)
{
    subscribe(CONSOLE, 1, FN1, UD1);
    event(ALARM, 0, 1, 0, 0);
    event(CONSOLE, 1, 2, 0, 0);
    event(CONSOLE, 2, 3, 0, 0);
    event(CONSOLE, 1, 4, 0, 0);
    event(ALARM, 0, 5, 0, 0);
    cr_assert_eq(yield_waitfor(CONSOLE, 1), SYSCALL_RETURN);
    EXPECT(2, 0, 0, 0); /* the first of its kind */
    const uintptr_t left[] = {1, 3, 4, 5};
    assert_queue(left, 4);
    cr_assert_eq(yield_waitfor(CONSOLE, 1), SYSCALL_RETURN);
    EXPECT(4, 0, 0, 0);
    const uintptr_t left2[] = {1, 3, 5};
    assert_queue(left2, 3);
}

Test(yield, waitfor_blocks_then_wakes_with_args)
{
    cr_assert_eq(yield_waitfor(CONSOLE, 2), SYSCALL_BLOCK);
    cr_assert_eq(p->state, PROC_YIELDED_FOR);
    event(CONSOLE, 1, 9, 9, 9); /* another number: stays queued, no wake-up */
    event(ALARM, 2, 9, 9, 9);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_IDLE);
    event(CONSOLE, 2, 0xa, 0xb, 0xc);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_RUNNABLE);
    kernel_step(&fb.k);
    cr_assert_eq(fb.set_return_calls, 1);
    cr_assert_eq(fb.last_return[0], 0xa);
    cr_assert_eq(fb.last_return[1], 0xb);
    cr_assert_eq(fb.last_return[2], 0xc);
    cr_assert_eq(fb.last_return[3], 0);
    cr_assert_eq(fb.push_upcall_calls, 0);
    cr_assert_eq(p->state, PROC_RUNNING);
    const uintptr_t left[] = {9, 9};
    assert_queue(left, 2);
}

Test(yield, waitfor_does_not_truncate_driver_or_number)
{
    if (!WIDE)
        return;
    event(ALARM, 0, 1, 2, 3);
    cr_assert_eq(yield_waitfor(HIGH | ALARM, 0), SYSCALL_BLOCK, "2^32 is not the alarm");
    p->state = PROC_RUNNING;
    cr_assert_eq(yield_waitfor(ALARM, HIGH), SYSCALL_BLOCK, "2^32 is not number 0");
    p->state = PROC_RUNNING;
    cr_assert_eq(p->upcalls.count, 1);
    cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_RETURN);
    EXPECT(1, 2, 3, 0);
}

Test(yield, full_queue_drops_newest)
{
    for (uintptr_t i = 0; i < FAKE_QUEUE + 2; i++)
        event(ALARM, 0, i, 0, 0);
    cr_assert_eq(p->upcalls.count, FAKE_QUEUE);
    cr_assert_eq(p->upcalls.dropped, 2);
    for (uintptr_t i = 0; i < FAKE_QUEUE; i++) {
        cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_RETURN);
        EXPECT(i, 0, 0, 0);
    }
}

/* ================= Subscribe ================= */

Test(subscribe, first_returns_zero_then_previous_full_width)
{
    subscribe(ALARM, 0, FN1, UD2);
    SUCCESS_2(0, 0);
    cr_assert_eq(r[0], 130);
    subscribe(ALARM, 0, FN2, UD1);
    SUCCESS_2(FN1, UD2);
    subscribe(ALARM, 0, 0, 0);
    SUCCESS_2(FN2, UD1);
    subscribe(ALARM, 0, FN1, JUNK);
    SUCCESS_2(0, 0);
    subscribe(ALARM, 0, FN1, 0);
    SUCCESS_2(FN1, JUNK);
}

Test(subscribe, numbers_and_drivers_are_separate)
{
    subscribe(CONSOLE, 1, FN1, 1);
    subscribe(CONSOLE, 2, FN2, 2);
    subscribe(ALARM, 0, FN1, 3);
    subscribe(CONSOLE, 1, 0, 0);
    SUCCESS_2(FN1, 1);
    subscribe(CONSOLE, 2, 0, 0);
    SUCCESS_2(FN2, 2);
    subscribe(ALARM, 0, 0, 0);
    SUCCESS_2(FN1, 3);
}

Test(subscribe, upcall_must_point_into_image)
{
    const uintptr_t bad[] = {FAKE_IMAGE_END, FAKE_IMAGE_START - 1, FAKE_DATA_START,
                             FAKE_START,     FAKE_GRANT_START,     1,
                             UINTPTR_MAX};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        subscribe(ALARM, 0, bad[i], UD2);
        FAILURE_2(KSIM_ERR_INVAL, bad[i], UD2);
    }
    if (WIDE) {
        subscribe(ALARM, 0, HIGH | FN1, UD2); /* not FN1 */
        FAILURE_2(KSIM_ERR_INVAL, HIGH | FN1, UD2);
    }
    subscribe(ALARM, 0, FAKE_IMAGE_START, 1);
    SUCCESS_2(0, 0);
    subscribe(ALARM, 0, FAKE_IMAGE_END - 1, 2);
    SUCCESS_2(FAKE_IMAGE_START, 1);
}

Test(subscribe, bad_upcall_checked_before_driver)
{
    subscribe(MISSING, 0, FAKE_DATA_START, UD1);
    FAILURE_2(KSIM_ERR_INVAL, FAKE_DATA_START, UD1);
    subscribe(ALARM, 7, FAKE_DATA_START, UD1);
    FAILURE_2(KSIM_ERR_INVAL, FAKE_DATA_START, UD1);
}

Test(subscribe, missing_driver_nodevice)
{
    subscribe(MISSING, 0, FN1, UD2);
    FAILURE_2(KSIM_ERR_NODEVICE, FN1, UD2);
    subscribe(MISSING, 0, 0, UD1);
    FAILURE_2(KSIM_ERR_NODEVICE, 0, UD1);
    if (WIDE) {
        subscribe(HIGH | ALARM, 0, FN1, UD1); /* not the alarm */
        FAILURE_2(KSIM_ERR_NODEVICE, FN1, UD1);
    }
}

Test(subscribe, number_too_large_nosupport)
{
    subscribe(ALARM, 1, FN1, UD2);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FN1, UD2);
    subscribe(CONSOLE, 3, FN1, UD1);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FN1, UD1);
    subscribe(LLD, 0, 0, 0); /* a driver without upcalls */
    FAILURE_2(KSIM_ERR_NOSUPPORT, 0, 0);
    if (WIDE) {
        subscribe(ALARM, HIGH, FN1, UD1); /* not number 0 */
        FAILURE_2(KSIM_ERR_NOSUPPORT, FN1, UD1);
    }
    subscribe(ALARM, UINTPTR_MAX, FN1, UD1);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FN1, UD1);
}

Test(subscribe, failure_keeps_previous_upcall)
{
    subscribe(CONSOLE, 1, FN1, UD2);
    event(CONSOLE, 1, 1, 0, 0);
    subscribe(CONSOLE, 1, FAKE_DATA_START, UD1); /* refused */
    FAILURE_2(KSIM_ERR_INVAL, FAKE_DATA_START, UD1);
    cr_assert_eq(p->upcalls.count, 1, "a failed subscribe drops nothing");
    cr_assert_eq(yield_nowait(0), SYSCALL_UPCALL, "the old upcall still runs");
    cr_assert_eq(p->deliver_fn, FN1);
    cr_assert_eq(p->deliver_args[3], UD2);
    subscribe(CONSOLE, 1, FN2, 0);
    SUCCESS_2(FN1, UD2);
}

Test(subscribe, success_drops_pending_of_that_number_only)
{
    event(CONSOLE, 1, 1, 0, 0);
    event(ALARM, 0, 2, 0, 0);
    event(CONSOLE, 2, 3, 0, 0);
    event(CONSOLE, 1, 4, 0, 0);
    subscribe(CONSOLE, 1, FN1, UD1);
    SUCCESS_2(0, 0);
    const uintptr_t left[] = {2, 3};
    assert_queue(left, 2);
    subscribe(ALARM, 0, 0, 0); /* to the Null Upcall: drops too */
    SUCCESS_2(0, 0);
    const uintptr_t left2[] = {3};
    assert_queue(left2, 1);
}

Test(subscribe, grant_region_full_nomem)
{
    p->block.grant_start = FAKE_END - 16; /* too small for the alarm's grant */
    subscribe(ALARM, 0, FN1, UD2);
    FAILURE_2(KSIM_ERR_NOMEM, FN1, UD2);
    cr_assert_eq(p->grant_top, FAKE_END, "nothing allocated");
}

Test(subscribe, processes_do_not_share_upcalls)
{
    subscribe(ALARM, 0, FN1, UD1);
    struct proc *mine = p;
    struct hal_block b = p->block;
    b.start = b.stack_start = FAKE_END;
    b.stack_end = b.image_start = FAKE_END + 0x1000;
    b.image_end = b.data_start = FAKE_END + 0x3000;
    b.data_end = b.brk = FAKE_END + 0x3400;
    b.grant_start = FAKE_END + 0x6000;
    b.end = FAKE_END + 0x8000;
    p = fake_proc_block(&fb, &b);
    subscribe(ALARM, 0, FAKE_END + 0x1100, UD2);
    SUCCESS_2(0, 0);
    p = mine;
    subscribe(ALARM, 0, 0, 0);
    SUCCESS_2(FN1, UD1);
}

/* ================= Command ================= */

Test(command, missing_driver_nodevice)
{
    command(MISSING, 0, JUNK, JUNK);
    FAILURE(KSIM_ERR_NODEVICE);
    command(KSIM_DRIVER_LED, 0, JUNK, JUNK); /* not on this board */
    FAILURE(KSIM_ERR_NODEVICE);
    if (WIDE) {
        command(HIGH | CONSOLE, 0, JUNK, JUNK);
        FAILURE(KSIM_ERR_NODEVICE);
    }
}

Test(command, zero_is_existence_check)
{
    command(ALARM, 0, JUNK, JUNK);
    SUCCESS();
    command(CONSOLE, 0, JUNK, JUNK);
    SUCCESS();
    command(LLD, 0, JUNK, JUNK);
    SUCCESS();
}

Test(command, unknown_command_nosupport)
{
    const struct {
        uint32_t drv;
        uintptr_t cmd;
    } cases[] = {{ALARM, 4},     {ALARM, 7}, {ALARM, 0xffffffffu}, {CONSOLE, 4},
                 {CONSOLE, 100}, {LLD, 4},   {LLD, UINTPTR_MAX}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        command(cases[i].drv, cases[i].cmd, JUNK, JUNK);
        FAILURE(KSIM_ERR_NOSUPPORT);
    }
    if (WIDE) {
        command(ALARM, HIGH | 2, JUNK, JUNK); /* not "read ticks" */
        FAILURE(KSIM_ERR_NOSUPPORT);
        command(LLD, HIGH | 0, JUNK, JUNK); /* not the existence check */
        FAILURE(KSIM_ERR_NOSUPPORT);
    }
}

Test(command, alarm_frequency_left_justified)
{
    command(ALARM, 1, JUNK, JUNK);
    SUCCESS_U32(32768u << 8); /* 24-bit counter: 8 bits of padding */
    fb.width = 32;
    command(ALARM, 1, JUNK, JUNK);
    SUCCESS_U32(32768u);
}

Test(command, alarm_now_left_justified)
{
    fb.now = 0x123456;
    command(ALARM, 2, JUNK, JUNK);
    SUCCESS_U32(0x12345600u);
    fb.now = 0xffffff;
    command(ALARM, 2, JUNK, JUNK);
    SUCCESS_U32(0xffffff00u);
    fb.width = 32;
    fb.now = 0xfedcba98u;
    command(ALARM, 2, JUNK, JUNK);
    SUCCESS_U32(0xfedcba98u);
}

Test(command, alarm_stop_when_not_armed_already)
{
    command(ALARM, 3, JUNK, JUNK);
    FAILURE(KSIM_ERR_ALREADY);
}

Test(command, alarm_set_relative_then_stop)
{
    fb.now = 0x123456;
    command(ALARM, 5, 0x1000, JUNK);
    SUCCESS_U32(0x12346600u); /* now + dt, left-justified */
    cr_assert_eq(fb.set_alarm_calls, 1);
    cr_assert_eq(fb.alarm_reference, 0x123456);
    cr_assert_eq(fb.alarm_dt, 0x10, "dt in hardware ticks");
    command(ALARM, 3, JUNK, JUNK);
    SUCCESS();
    cr_assert_eq(fb.disarm_calls, 1);
    command(ALARM, 3, JUNK, JUNK);
    FAILURE(KSIM_ERR_ALREADY);
}

Test(command, alarm_set_relative_never_early)
{
    /* 0x1001 user ticks is 16.004 hardware ticks: the alarm must wait 17. */
    fb.now = 0x100;
    command(ALARM, 5, 0x1001, JUNK);
    cr_assert_eq(r[0], KSIM_SUCCESS_U32);
    cr_assert_geq(r[1], 0x10000u + 0x1001u);
    cr_assert_lt(r[1], 0x10000u + 0x1001u + 0x100u);
    cr_assert_eq(r[2], 0);
    cr_assert_eq(r[3], 0);
    cr_assert_eq(fb.alarm_dt, 0x11);
}

Test(command, alarm_set_absolute)
{
    fb.now = 0x123456;
    command(ALARM, 6, 0x12345600u, 0x2000);
    SUCCESS_U32(0x12347600u);
    cr_assert_eq(fb.alarm_reference, 0x123456);
    cr_assert_eq(fb.alarm_dt, 0x20);
}

Test(command, alarm_fires_with_now_and_expiration)
{
    fb.now = 0x10;
    command(ALARM, 5, 0x1000, JUNK);
    SUCCESS_U32(0x2000u);
    fb.now = 0x1f;
    kernel_alarm_fired(&fb.k);
    cr_assert_eq(p->upcalls.count, 0, "one tick early: nothing yet");
    fb.now = 0x21;
    kernel_alarm_fired(&fb.k);
    cr_assert_eq(yield_waitfor(ALARM, 0), SYSCALL_RETURN);
    EXPECT(0x2100u, 0x2000u, 0, 0);
    command(ALARM, 3, JUNK, JUNK);
    FAILURE(KSIM_ERR_ALREADY); /* fired alarms are no longer armed */
}

Test(command, low_level_debug_reaches_hal)
{
    command(LLD, 1, 0x41, JUNK);
    SUCCESS();
    command(LLD, 2, 0x1234, JUNK);
    SUCCESS();
    command(LLD, 3, 0x56, 0x78);
    SUCCESS();
    cr_assert_eq(fb.ndebug, 3);
    cr_assert_eq(fb.debug[0].kind, HAL_DEBUG_ALERT);
    cr_assert_eq(fb.debug[0].a, 0x41);
    cr_assert_eq(fb.debug[1].kind, HAL_DEBUG_PRINT1);
    cr_assert_eq(fb.debug[1].a, 0x1234);
    cr_assert_eq(fb.debug[2].kind, HAL_DEBUG_PRINT2);
    cr_assert_eq(fb.debug[2].a, 0x56);
    cr_assert_eq(fb.debug[2].b, 0x78);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(fb.debug[i].proc_id, p->id);
}

Test(command, arguments_reach_driver)
{
    fake_add_driver(&fb);
    command(FAKE_DRIVER_NUM, 9, 0x11, 0xffffffffu);
    SUCCESS_2(0x11, 0xffffffffu);
    cr_assert_eq(fb.ncommands, 1);
    cr_assert_eq(fb.commands[0].cmd, 9);
    cr_assert_eq(fb.commands[0].arg0, 0x11);
    cr_assert_eq(fb.commands[0].arg1, 0xffffffffu);
    cr_assert_eq(fb.commands[0].proc_id, p->id);
}

Test(command, console_write_sends_allowed_bytes)
{
    memcpy(fake_view(&fb, FAKE_DATA_START), "hello, world", 12);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_DATA_START, 12);
    SUCCESS_2(0, 0);
    subscribe(CONSOLE, 1, FN1, UD1);
    command(CONSOLE, 1, 5, JUNK); /* the first 5 of the 12 allowed */
    SUCCESS();
    cr_assert_eq(fb.nwritten, 5);
    cr_assert_arr_eq(fb.written, "hello", 5);
    command(CONSOLE, 1, 5, JUNK);
    FAILURE(KSIM_ERR_BUSY);
    kernel_console_write_done(&fb.k, 5);
    cr_assert_eq(yield_nowait(0), SYSCALL_UPCALL);
    cr_assert_eq(p->deliver_fn, FN1);
    cr_assert_eq(p->deliver_args[0], 5, "bytes written");
    cr_assert_eq(p->deliver_args[3], UD1);
}

Test(command, console_read_fills_allowed_buffer)
{
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_END, 8);
    SUCCESS_2(0, 0);
    command(CONSOLE, 2, 4, JUNK);
    SUCCESS();
    cr_assert_eq(fb.read_calls, 1);
    cr_assert_eq(fb.read_len, 4);
    memcpy(fb.read_buf, "abcd", 4);
    kernel_console_read_done(&fb.k, 4, 0);
    cr_assert_eq(yield_waitfor(CONSOLE, 2), SYSCALL_RETURN);
    EXPECT(0, 4, 0, 0);
    cr_assert_arr_eq(fake_view(&fb, FAKE_DATA_END), "abcd", 4);
    cr_assert_eq(*fake_view(&fb, FAKE_DATA_END + 4), FAKE_RAM_FILL);
}

/* ================= Allow ================= */

static const uint32_t allow_classes[] = {KSIM_CLASS_ALLOW_RW, KSIM_CLASS_ALLOW_RO,
                                         KSIM_CLASS_ALLOW_UR};

Test(allow, errors_in_order_nodevice_inval_nosupport)
{
    fake_add_driver(&fb); /* has one slot of each kind, number 0 */
    for (size_t i = 0; i < 3; i++) {
        uint32_t cls = allow_classes[i];
        allow(cls, MISSING, 9, FAKE_GRANT_START, 4); /* bad driver, buffer and number */
        FAILURE_2(KSIM_ERR_NODEVICE, FAKE_GRANT_START, 4);
        allow(cls, FAKE_DRIVER_NUM, 9, FAKE_GRANT_START, 4); /* bad buffer and number */
        FAILURE_2(KSIM_ERR_INVAL, FAKE_GRANT_START, 4);
        allow(cls, FAKE_DRIVER_NUM, 9, FAKE_DATA_START, 4); /* bad number */
        FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
        allow(cls, FAKE_DRIVER_NUM, 0, FAKE_DATA_START, 4);
        SUCCESS_2(0, 0);
        if (WIDE) {
            allow(cls, HIGH | FAKE_DRIVER_NUM, 0, FAKE_DATA_START, 4);
            FAILURE_2(KSIM_ERR_NODEVICE, FAKE_DATA_START, 4);
            allow(cls, FAKE_DRIVER_NUM, HIGH, FAKE_DATA_START, 4);
            FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
        }
    }
}

Test(allow, drivers_without_slots_nosupport)
{
    allow(KSIM_CLASS_ALLOW_UR, CONSOLE, 0, FAKE_DATA_START, 4);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
    allow(KSIM_CLASS_ALLOW_RW, ALARM, 0, FAKE_DATA_START, 4);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 2, FAKE_DATA_START, 4);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 2, FAKE_DATA_START, 4);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 4);
}

Test(allow, zero_length_anywhere_handed_back_exactly)
{
    fake_add_driver(&fb);
    const uintptr_t addrs[] = {UINTPTR_MAX, 1, FAKE_GRANT_START, FAKE_IMAGE_START,
                               (uintptr_t)0xfedcba9876543210ull};
    for (size_t i = 0; i < 3; i++) {
        uint32_t cls = allow_classes[i];
        uintptr_t prev = 0;
        for (size_t j = 0; j < sizeof(addrs) / sizeof(addrs[0]); j++) {
            allow(cls, FAKE_DRIVER_NUM, 0, addrs[j], 0);
            SUCCESS_2(prev, 0);
            prev = addrs[j];
        }
        allow(cls, FAKE_DRIVER_NUM, 0, 0, 0);
        SUCCESS_2(prev, 0);
    }
}

Test(allow, image_read_only)
{
    fake_add_driver(&fb);
    allow(KSIM_CLASS_ALLOW_RO, FAKE_DRIVER_NUM, 0, FAKE_IMAGE_START,
          FAKE_IMAGE_END - FAKE_IMAGE_START);
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_RW, FAKE_DRIVER_NUM, 0, FAKE_IMAGE_START, 16);
    FAILURE_2(KSIM_ERR_INVAL, FAKE_IMAGE_START, 16);
    allow(KSIM_CLASS_ALLOW_UR, FAKE_DRIVER_NUM, 0, FAKE_IMAGE_END - 1, 1);
    FAILURE_2(KSIM_ERR_INVAL, FAKE_IMAGE_END - 1, 1);
}

Test(allow, stack_and_data_accepted)
{
    fake_add_driver(&fb);
    for (size_t i = 0; i < 3; i++) {
        uint32_t cls = allow_classes[i];
        allow(cls, FAKE_DRIVER_NUM, 0, FAKE_START, FAKE_STACK_END - FAKE_START);
        SUCCESS_2(0, 0);
        allow(cls, FAKE_DRIVER_NUM, 0, FAKE_DATA_START, FAKE_BRK - FAKE_DATA_START);
        SUCCESS_2(FAKE_START, FAKE_STACK_END - FAKE_START);
        allow(cls, FAKE_DRIVER_NUM, 0, FAKE_BRK - 1, 1);
        SUCCESS_2(FAKE_DATA_START, FAKE_BRK - FAKE_DATA_START);
        allow(cls, FAKE_DRIVER_NUM, 0, FAKE_STACK_END - 1, 1);
        SUCCESS_2(FAKE_BRK - 1, 1);
    }
}

Test(allow, straddling_or_outside_refused)
{
    fake_add_driver(&fb);
    const struct {
        uintptr_t addr, len;
    } bad[] = {
        {FAKE_BRK - 1, 2},       /* across the break */
        {FAKE_BRK, 1},           /* above the break */
        {FAKE_STACK_END - 1, 2}, /* stack into image */
        {FAKE_IMAGE_END - 1, 2}, /* image into data */
        {FAKE_START - 1, 2},     /* below the block */
        {FAKE_GRANT_START, 16},  /* the grant region */
        {FAKE_END - 1, 1},       {0, 1},
    };
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
            allow(allow_classes[i], FAKE_DRIVER_NUM, 0, bad[j].addr, bad[j].len);
            FAILURE_2(KSIM_ERR_INVAL, bad[j].addr, bad[j].len);
        }
}

Test(allow, overflowing_range_refused)
{
    fake_add_driver(&fb);
    const struct {
        uintptr_t addr, len;
    } bad[] = {
        {FAKE_DATA_START, UINTPTR_MAX},
        {UINTPTR_MAX - 3, 8},
        {UINTPTR_MAX, 1},
        /* addr + len wraps to the stack end: inside if computed naively */
        {FAKE_DATA_START, (uintptr_t)FAKE_STACK_END - FAKE_DATA_START},
        {FAKE_BRK - 1, (uintptr_t)FAKE_DATA_START - (FAKE_BRK - 1)},
    };
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
            allow(allow_classes[i], FAKE_DRIVER_NUM, 0, bad[j].addr, bad[j].len);
            FAILURE_2(KSIM_ERR_INVAL, bad[j].addr, bad[j].len);
        }
}

Test(allow, failure_keeps_previous_buffer)
{
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_START + 3, 5);
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_IMAGE_START, 5);
    FAILURE_2(KSIM_ERR_INVAL, FAKE_IMAGE_START, 5);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 7, FAKE_DATA_START, 5);
    FAILURE_2(KSIM_ERR_NOSUPPORT, FAKE_DATA_START, 5);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_START + 1, 7);
    SUCCESS_2(FAKE_DATA_START + 3, 5);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, 0, 0);
    SUCCESS_2(FAKE_START + 1, 7);
}

Test(allow, slots_are_separate)
{
    /* RW 1, RO 1 and RW 0 of one driver are three slots; console RO 1 is not fake's RO 0. */
    fake_add_driver(&fb);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_START, 1);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_DATA_START, 2);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 0, FAKE_DATA_START, 3);
    allow(KSIM_CLASS_ALLOW_RO, FAKE_DRIVER_NUM, 0, FAKE_DATA_START, 4);
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_UR, FAKE_DRIVER_NUM, 0, FAKE_DATA_START, 5);
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, 0, 0);
    SUCCESS_2(FAKE_DATA_START, 1);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, 0, 0);
    SUCCESS_2(FAKE_DATA_START, 2);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 0, 0, 0);
    SUCCESS_2(FAKE_DATA_START, 3);
    allow(KSIM_CLASS_ALLOW_UR, FAKE_DRIVER_NUM, 0, 0, 0);
    SUCCESS_2(FAKE_DATA_START, 5);
}

Test(allow, same_buffer_twice)
{
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 0, FAKE_DATA_START, 16);
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_START + 8, 16); /* overlapping */
    SUCCESS_2(0, 0);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_DATA_START, 16);
    SUCCESS_2(0, 0);
}

Test(allow, grant_region_full_nomem)
{
    p->block.grant_start = FAKE_END - 16;
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_START, 4);
    FAILURE_2(KSIM_ERR_NOMEM, FAKE_DATA_START, 4);
}

/* ================= Memop ================= */

Test(memop, bounds)
{
    memop(KSIM_MEMOP_RAM_START, JUNK);
    SUCCESS_U32(FAKE_START);
    memop(KSIM_MEMOP_RAM_END, JUNK);
    SUCCESS_U32(FAKE_END);
    memop(KSIM_MEMOP_IMAGE_START, JUNK);
    SUCCESS_U32(FAKE_IMAGE_START);
    memop(KSIM_MEMOP_IMAGE_END, JUNK);
    SUCCESS_U32(FAKE_IMAGE_END);
    memop(KSIM_MEMOP_GRANT_START, JUNK);
    SUCCESS_U32(FAKE_GRANT_START);
}

Test(memop, no_writeable_flash_regions)
{
    memop(KSIM_MEMOP_FLASH_REGIONS, JUNK);
    SUCCESS_U32(0);
    memop(KSIM_MEMOP_FLASH_REGION_START, 0);
    FAILURE(KSIM_ERR_FAIL);
    memop(KSIM_MEMOP_FLASH_REGION_END, 0);
    FAILURE(KSIM_ERR_FAIL);
    memop(KSIM_MEMOP_FLASH_REGION_START, 5);
    FAILURE(KSIM_ERR_FAIL);
}

Test(memop, debug_information)
{
    memop(KSIM_MEMOP_SET_STACK_TOP, FAKE_STACK_END - 16);
    SUCCESS();
    memop(KSIM_MEMOP_SET_HEAP_START, FAKE_DATA_END);
    SUCCESS();
    cr_assert_eq(p->debug_stack_top, FAKE_STACK_END - 16);
    cr_assert_eq(p->debug_heap_start, FAKE_DATA_END);
}

Test(memop, unknown_op_nosupport)
{
    const uintptr_t ops[] = {12, 13, 255, 0xffffffffu, UINTPTR_MAX};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        memop(ops[i], FAKE_BRK + 0x100);
        FAILURE(KSIM_ERR_NOSUPPORT);
    }
    if (WIDE) {
        memop(HIGH | KSIM_MEMOP_BRK, FAKE_BRK + 0x100);
        FAILURE(KSIM_ERR_NOSUPPORT);
    }
    cr_assert_eq(p->block.brk, FAKE_BRK, "no op may move the break by aliasing brk");
}

Test(memop, brk_moves_break)
{
    memop(KSIM_MEMOP_BRK, FAKE_BRK + 0x100);
    SUCCESS();
    cr_assert_eq(p->block.brk, FAKE_BRK + 0x100);
    cr_assert_eq(fb.last_brk, FAKE_BRK + 0x100);
    /* The new memory is the app's at once. */
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_BRK, 0x100);
    SUCCESS_2(0, 0);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END); /* down to the end of bss */
    FAILURE(KSIM_ERR_NOMEM);              /* ...not below the allowed buffer */
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, 0, 0);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END);
    FAILURE(KSIM_ERR_NOMEM); /* the high-water mark stays: ABI.md "has allowed" */
    memop(KSIM_MEMOP_BRK, FAKE_BRK + 0x100);
    SUCCESS();
}

Test(memop, brk_limits)
{
    const uintptr_t bad[] = {
        FAKE_DATA_END - 1, FAKE_DATA_START,
        FAKE_GRANT_START,  FAKE_GRANT_START + 1,
        FAKE_END,          0,
        UINTPTR_MAX,       (uintptr_t)((uint64_t)FAKE_BRK + (WIDE ? HIGH : 0))};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bad[i] == FAKE_BRK)
            continue; /* a 32-bit host has no address above 4 GiB */
        memop(KSIM_MEMOP_BRK, bad[i]);
        FAILURE(KSIM_ERR_NOMEM);
        cr_assert_eq(p->block.brk, FAKE_BRK, "a failed brk moved the break");
    }
    cr_assert_eq(fb.set_brk_calls, 0, "refused before the MPU is asked");
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END);
    SUCCESS();
    memop(KSIM_MEMOP_BRK, FAKE_GRANT_START - 1);
    SUCCESS();
    cr_assert_eq(p->block.brk, FAKE_GRANT_START - 1);
}

Test(memop, brk_below_allow_high_water_mark)
{
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_END + 0x100, 0x100);
    SUCCESS_2(0, 0);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END + 0x1ff);
    FAILURE(KSIM_ERR_NOMEM);
    cr_assert_eq(p->block.brk, FAKE_BRK);
    memop(KSIM_MEMOP_SBRK, NEG(FAKE_BRK - FAKE_DATA_END - 0x1ff));
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END + 0x200); /* exactly the end of the buffer */
    SUCCESS();
    /* A Read-Only Allow of data counts too. */
    memop(KSIM_MEMOP_BRK, FAKE_BRK);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_BRK - 0x10, 0x10);
    SUCCESS_2(0, 0);
    memop(KSIM_MEMOP_BRK, FAKE_BRK - 1);
    FAILURE(KSIM_ERR_NOMEM);
}

Test(memop, high_water_mark_is_highest_end)
{
    /* The mark is the highest end of any allowed buffer, not of the highest start or the last. */
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_DATA_END + 0x100, 0x100);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 0, FAKE_DATA_END + 0x80, 0x300); /* lower, ends higher */
    SUCCESS_2(0, 0);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END + 0x37f);
    FAILURE(KSIM_ERR_NOMEM);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 0, FAKE_DATA_END, 0x10); /* swapped for a smaller one */
    SUCCESS_2(FAKE_DATA_END + 0x80, 0x300);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END + 0x37f);
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END + 0x380);
    SUCCESS();
}

Test(memop, stack_and_empty_allows_do_not_pin_break)
{
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_START, 0x100);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 1, FAKE_BRK - 1, 0);
    allow(KSIM_CLASS_ALLOW_RO, CONSOLE, 0, FAKE_IMAGE_START, 0x100);
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END);
    SUCCESS();
}

Test(memop, sbrk_returns_old_break)
{
    memop(KSIM_MEMOP_SBRK, 0x100);
    SUCCESS_U32(FAKE_BRK);
    cr_assert_eq(p->block.brk, FAKE_BRK + 0x100);
    memop(KSIM_MEMOP_SBRK, 0);
    SUCCESS_U32(FAKE_BRK + 0x100);
    memop(KSIM_MEMOP_SBRK, NEG(0x180)); /* full width, as C passes it */
    SUCCESS_U32(FAKE_BRK + 0x100);
    cr_assert_eq(p->block.brk, FAKE_BRK - 0x80);
}

Test(memop, sbrk_limits)
{
    memop(KSIM_MEMOP_SBRK, NEG(FAKE_BRK - FAKE_DATA_END + 1));
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_SBRK, FAKE_GRANT_START - FAKE_BRK);
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_SBRK, 0x7fffffffu);
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_SBRK, 0x80000000u); /* 2 GiB up (INT32_MIN if read as 32 bits): no room */
    FAILURE(KSIM_ERR_NOMEM);
    cr_assert_eq(p->block.brk, FAKE_BRK);
    memop(KSIM_MEMOP_SBRK, FAKE_GRANT_START - FAKE_BRK - 1);
    SUCCESS_U32(FAKE_BRK);
    memop(KSIM_MEMOP_SBRK, NEG(FAKE_GRANT_START - 1 - FAKE_DATA_END));
    SUCCESS_U32(FAKE_GRANT_START - 1);
    cr_assert_eq(p->block.brk, FAKE_DATA_END);
}

Test(memop, sbrk_increment_is_not_truncated)
{
    /* The runtime's sbrk(intptr_t) passes the increment full width; 4 GiB + 16 is not 16. */
    if (!WIDE)
        return;
    memop(KSIM_MEMOP_SBRK, HIGH + 0x10);
    FAILURE(KSIM_ERR_NOMEM);
    cr_assert_eq(p->block.brk, FAKE_BRK);
}

Test(memop, uncovered_memory_is_zeroed)
{
    /* Old contents above the break (FAKE_RAM_FILL) must never reach the app. */
    *fake_view(&fb, FAKE_BRK - 1) = 0x42; /* below the break: kept */
    memop(KSIM_MEMOP_SBRK, 0x200);
    SUCCESS_U32(FAKE_BRK);
    for (uintptr_t a = FAKE_BRK; a < FAKE_BRK + 0x200; a++)
        cr_assert_eq(*fake_view(&fb, a), 0, "byte at 0x%jx not zeroed", (uintmax_t)a);
    cr_assert_eq(*fake_view(&fb, FAKE_BRK - 1), 0x42, "memory below the old break changed");
    cr_assert_eq(*fake_view(&fb, FAKE_BRK + 0x200), FAKE_RAM_FILL, "zeroed past the break");

    /* Shrink and grow again: what the app left up there is gone. */
    memset(fake_view(&fb, FAKE_BRK), 0x99, 0x200);
    memop(KSIM_MEMOP_BRK, FAKE_BRK);
    SUCCESS();
    memop(KSIM_MEMOP_BRK, FAKE_BRK + 0x200);
    SUCCESS();
    for (uintptr_t a = FAKE_BRK; a < FAKE_BRK + 0x200; a++)
        cr_assert_eq(*fake_view(&fb, a), 0, "byte at 0x%jx kept old data", (uintmax_t)a);
}

Test(memop, mpu_refusal_leaves_break)
{
    fb.set_brk_rc = -KS_ENOMEM; /* the MPU model cannot express it */
    memop(KSIM_MEMOP_BRK, FAKE_BRK + 0x100);
    FAILURE(KSIM_ERR_NOMEM);
    memop(KSIM_MEMOP_SBRK, 0x100);
    FAILURE(KSIM_ERR_NOMEM);
    cr_assert_eq(p->block.brk, FAKE_BRK);
    cr_assert_eq(*fake_view(&fb, FAKE_BRK), FAKE_RAM_FILL, "zeroed although refused");
}

/* ================= Exit ================= */

Test(exit, terminate_keeps_completion_code)
{
    uint32_t old_id = p->id;
    cr_assert_eq(sys(KSIM_CLASS_EXIT, KSIM_EXIT_TERMINATE, 0xfffffffeu, JUNK, JUNK),
                 SYSCALL_EXITED);
    cr_assert_eq(p->state, PROC_TERMINATED);
    cr_assert_eq(p->completion_code, -2);
    cr_assert(p->exited);
    cr_assert_eq(p->id, old_id);
    cr_assert_eq(fb.discard_calls, 1, "its context must be dropped");
    cr_assert_eq(fb.release_calls, 1, "its memory must become inaccessible");
    cr_assert_eq(fb.nevents, 1);
    cr_assert_eq(fb.events[0], KEV_EXIT);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_DONE);
}

Test(exit, unknown_type_nosupport)
{
    sys(KSIM_CLASS_EXIT, 2, 5, JUNK, JUNK);
    FAILURE(KSIM_ERR_NOSUPPORT);
    sys(KSIM_CLASS_EXIT, UINTPTR_MAX, 5, JUNK, JUNK);
    FAILURE(KSIM_ERR_NOSUPPORT);
    if (WIDE) {
        sys(KSIM_CLASS_EXIT, HIGH | KSIM_EXIT_TERMINATE, 5, JUNK, JUNK);
        FAILURE(KSIM_ERR_NOSUPPORT);
    }
    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_eq(fb.discard_calls, 0);
}

Test(exit, restart_gives_fresh_start)
{
    uint32_t old_id = p->id;
    subscribe(ALARM, 0, FN1, UD1);
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, FAKE_BRK - 0x10, 0x10);
    event(ALARM, 0, 1, 2, 3);
    memop(KSIM_MEMOP_SBRK, 0x100);
    cr_assert_eq(sys(KSIM_CLASS_EXIT, KSIM_EXIT_RESTART, 42, JUNK, JUNK), SYSCALL_EXITED);

    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_neq(p->id, old_id, "a restart gets a new process identifier");
    cr_assert_eq(fb.start_calls, 1);
    cr_assert_eq(fb.last_start.stack_top, FAKE_STACK_END);
    cr_assert_eq(p->block.brk, FAKE_DATA_END, "break reset");
    cr_assert_eq(p->upcalls.count, 0, "pending upcalls dropped");
    cr_assert_eq(fb.events[0], KEV_RESTART);
    cr_assert_eq(fb.events[1], KEV_START);
    subscribe(ALARM, 0, FN2, 0);
    SUCCESS_2(0, 0); /* subscriptions dropped */
    allow(KSIM_CLASS_ALLOW_RW, CONSOLE, 1, 0, 0);
    SUCCESS_2(0, 0); /* allows dropped */
    memop(KSIM_MEMOP_BRK, FAKE_DATA_END);
    SUCCESS(); /* and with them the allow high-water mark */
}

Test(exit, restart_that_cannot_start_stops)
{
    /* If the HAL cannot start it again, the process stops instead of running a dead context. */
    fb.start_rc = -KS_ENOMEM;
    cr_assert_eq(sys(KSIM_CLASS_EXIT, KSIM_EXIT_RESTART, 0, JUNK, JUNK), SYSCALL_EXITED);
    cr_assert_eq(p->state, PROC_FAULTED);
    cr_assert_eq(fb.discard_calls, 1);
    cr_assert_eq(fb.release_calls, 1);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_DONE);
}

Test(exit, restart_keeps_completion_code)
{
    /* ABI.md: the completion code of the last exit is kept for the process console. */
    cr_assert_eq(sys(KSIM_CLASS_EXIT, KSIM_EXIT_RESTART, 42, JUNK, JUNK), SYSCALL_EXITED);
    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_eq(p->completion_code, 42);
}
