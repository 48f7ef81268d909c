/*
 * tock_exit from inside an upcall ends the process at once with that
 * completion code (0 here): nothing after the yield runs.
 */
#include <libtock/tock.h>
#include <stdio.h>

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    (void)now, (void)expiration, (void)unused, (void)userdata;
    printf("libtock-port exits from an upcall\n");
    tock_exit(0);
}

int main(void)
{
    subscribe_return_t s = subscribe(0x0, 0, on_alarm, NULL);
    syscall_return_t r = command(0x0, 5, 1000, 0);
    if (!s.success || r.type != TOCK_SYSCALL_SUCCESS_U32)
        return 2;
    yield();
    printf("libtock-port FAILED: tock_exit returned\n");
    return 3;
}
