/*
 * ksim-bench's `upcall` case: BENCH_ROUNDS times, set the alarm to expire
 * at once (Command 5, dt = 0) and Yield-Wait, which delivers the alarm
 * upcall and returns. One round is therefore a Command, a Yield and one
 * upcall delivered and returned. The bench subtracts a run with no rounds
 * (alarm_upcall_empty).
 */
#include <tock.h>
#include <ksim/abi.h>

#include "../bench_sizes.h"

#ifndef BENCH_ROUNDS
#define BENCH_ROUNDS KSIM_BENCH_UPCALL_ROUNDS
#endif

static volatile unsigned fired;

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    (void)now, (void)expiration, (void)unused, (void)userdata;
    fired++;
}

int main(void)
{
    subscribe_return_t s = subscribe(KSIM_DRIVER_ALARM, 0, on_alarm, NULL);
    if (!s.success)
        return 1;
    unsigned rounds = BENCH_ROUNDS; /* a variable: 0 must not warn as a constant test */
    for (unsigned i = 0; i < rounds; i++) {
        syscall_return_t r = command(KSIM_DRIVER_ALARM, 5, 0, 0);
        if (r.type != TOCK_SYSCALL_SUCCESS_U32)
            return 2;
        yield();
    }
    /* Every round must have run its upcall exactly once. */
    return fired == rounds ? 0 : 3;
}
