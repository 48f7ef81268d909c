/*
 * fault_neighbor: a store into another process's memory. Loaded after the
 * victim, its block lies just above the victim's: 8 KiB below its own start
 * is the victim's.
 */
#include <stdint.h>
#include <tock.h>

int main(void)
{
    uintptr_t mine = (uintptr_t)tock_app_memory_begins_at();
    *(volatile uint32_t *)(mine - 0x2000) = 0xbad;
    return 0;
}
