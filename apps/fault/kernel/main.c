/*
 * fault_kernel: a store into the kernel's part of board RAM (the bottom of
 * RAM, below every process block). Boards put RAM on a 16 MiB boundary.
 */
#include <stdint.h>
#include <tock.h>

int main(void)
{
    uintptr_t ram = (uintptr_t)tock_app_memory_begins_at() & ~(uintptr_t)0xffffff;
    *(volatile uint32_t *)(ram + 0x100) = 0xbad;
    return 0;
}
