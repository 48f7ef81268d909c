/*
 * fault_flash_write: a store into flash. The default board's app flash
 * starts at 0x10000000; on boards with flash elsewhere the address is
 * unmapped, which faults just the same.
 */
#include <stdint.h>

int main(void)
{
    *(volatile uint32_t *)(uintptr_t)0x10000100 = 0xbad;
    return 0;
}
