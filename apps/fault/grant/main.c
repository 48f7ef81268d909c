/* fault_grant: a store into its own grant region, which only the kernel may touch. */
#include <stdint.h>
#include <tock.h>

int main(void)
{
    volatile uint32_t *grant = tock_app_grant_begins_at();
    *grant = 0xbad;
    return 0;
}
