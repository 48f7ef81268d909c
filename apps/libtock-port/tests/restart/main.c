/*
 * tock_restart gives a fresh process: data is copied again and bss zeroed,
 * so every run prints "data 1 bss 0". Restarts every 0.1 s of virtual time.
 */
#include <libtock/tock.h>
#include <stdio.h>

static int data = 1;
static int bss;

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    (void)now, (void)expiration, (void)unused, (void)userdata;
}

int main(void)
{
    printf("libtock-port restart: data %d bss %d\n", data, bss);
    data++;
    bss++;
    subscribe_return_t s = subscribe(0x0, 0, on_alarm, NULL);
    syscall_return_t r = command(0x0, 5, 100000, 0);
    if (!s.success || r.type != TOCK_SYSCALL_SUCCESS_U32)
        return 2;
    yield();
    tock_restart(0);
}
