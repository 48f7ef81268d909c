/*
 * Polls with Yield-NoWait until its alarm fires, as libtock-c's tests/yield
 * does: virtual time must still advance while it spins on system calls.
 */
#include <stdio.h>
#include <tock.h>

static volatile int fired;

static void on_alarm(int now, int expiration, int unused, void *ud)
{
    (void)now, (void)expiration, (void)unused, (void)ud;
    fired = 1;
}

int main(void)
{
    subscribe_return_t s = subscribe(0, 0, on_alarm, NULL);
    syscall_return_t c = command(0, 5, 100000, 0); /* 0.1 s at the default 1 MHz */
    if (!s.success || c.type != TOCK_SYSCALL_SUCCESS_U32)
        return 1;
    while (!fired)
        yield_no_wait();
    printf("alarm fired while polling\n");
    return 0;
}
