/*
 * Exercises the three yield types against the alarm and checks the results
 * itself (ABI.md, TRD104): Yield-Wait runs the upcall before returning,
 * Yield-NoWait reports whether one ran, Yield-WaitFor returns the event's
 * arguments without calling the upcall and leaves other events queued.
 * Prints "yield_modes ok" and returns 0, or names the first check that failed.
 */
#include <stdio.h>
#include <tock.h>

#define ALARM 0x0

static int upcalls;
static int last_args[3];
static void *last_userdata;

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    upcalls++;
    last_args[0] = now;
    last_args[1] = expiration;
    last_args[2] = unused;
    last_userdata = userdata;
}

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("yield_modes FAILED: %s\n", what);
        failures++;
    }
}

/* Sets the alarm dt ticks from now; returns the expiration. */
static uint32_t set_alarm(uint32_t dt)
{
    syscall_return_t r = command(ALARM, 5, (int)dt, 0);
    check(r.type == TOCK_SYSCALL_SUCCESS_U32, "alarm set relative returns success with u32");
    return r.data[0];
}

static void wait_runs_the_upcall(void)
{
    static int marker;
    subscribe_return_t s = subscribe(ALARM, 0, on_alarm, &marker);
    check(s.success && s.callback == NULL && s.userdata == NULL, "first subscribe returns (0, 0)");
    uint32_t expiration = set_alarm(1000);
    upcalls = 0;
    yield();
    check(upcalls == 1, "yield-wait ran the upcall once");
    check((uint32_t)last_args[1] == expiration, "upcall got the expiration");
    check(last_args[2] == 0, "upcall's third argument is 0");
    check(last_userdata == &marker, "upcall got its userdata back");
}

static void no_wait_reports_what_ran(void)
{
    upcalls = 0;
    check(yield_no_wait() == 0, "yield-no-wait with nothing pending returns 0");
    check(upcalls == 0, "yield-no-wait with nothing pending runs nothing");
    set_alarm(0); /* expires at once: the event is queued now */
    check(yield_no_wait() == 1, "yield-no-wait with an event pending returns 1");
    check(upcalls == 1, "yield-no-wait ran the upcall");
}

static void wait_for_returns_arguments(void)
{
    upcalls = 0;
    uint32_t expiration = set_alarm(0);
    yield_waitfor_return_t w = yield_wait_for(ALARM, 0);
    check(upcalls == 0, "yield-wait-for does not call the upcall");
    check(w.data1 == expiration, "yield-wait-for returns the upcall's arguments");
    check(w.data2 == 0, "yield-wait-for's third value is the upcall's third argument");
}

static void wait_for_leaves_others_queued(void)
{
    upcalls = 0;
    set_alarm(0);        /* queued, with a real upcall */
    printf("waiting\n"); /* printf waits for the console with yield-wait-for */
    check(upcalls == 0, "another yield-wait-for left the alarm event alone");
    check(yield_no_wait() == 1 && upcalls == 1, "the alarm event was still queued, in order");
}

static void null_upcall_events_are_discarded(void)
{
    subscribe_return_t s = subscribe(ALARM, 0, NULL, NULL);
    check(s.success && s.callback == on_alarm, "subscribe returns the previous upcall");
    upcalls = 0;
    set_alarm(0);
    check(yield_no_wait() == 0, "yield-no-wait discards a Null-Upcall event");
    check(upcalls == 0, "nothing ran for a Null-Upcall event");
}

int main(void)
{
    wait_runs_the_upcall();
    no_wait_reports_what_ran();
    wait_for_returns_arguments();
    wait_for_leaves_others_queued();
    null_upcall_events_are_discarded();
    if (failures)
        return 1;
    printf("yield_modes ok\n");
    return 0;
}
