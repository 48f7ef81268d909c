/*
 * missing_driver: calls drivers the default board lacks (date-time twice,
 * then its subscribe, then ADC), printing what each call returned. ksim
 * must answer NODEVICE (-11) and say once per driver, on stderr, which
 * driver the app wanted.
 */
#include <libtock/tock.h>
#include <stdio.h>

int main(void)
{
    syscall_return_t a = command(0x90007, 1, 0, 0);
    syscall_return_t b = command(0x90007, 1, 0, 0);
    subscribe_return_t s = subscribe(0x90007, 0, NULL, NULL);
    syscall_return_t c = command(0x5, 1, 0, 0);
    printf("missing_driver: %d %d %d %d\n", (int)a.data[0], (int)b.data[0], (int)s.status,
           (int)c.data[0]);
    return 0;
}
