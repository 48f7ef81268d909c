/*
 * The entry point, for ksim's apps and libtock-c's alike. On a board,
 * libtock-c's crt0 asks the kernel for memory (brk), copies data, zeroes bss
 * and applies relocations; in ksim the loader has done all of that (ABI.md),
 * so _start only installs the gate, records the layout, reports the stack
 * top and heap start (memop 10 and 11, as libtock-c's crt0 does), sets up
 * the heap and exits with main's result.
 */
#include <libtock/tock.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <ksim/abi.h>

#include "internal.h"

/*
 * Called as libtock-c's crt0 calls it, main(0, NULL): an app may define
 * main with or without parameters, and the extra arguments of the call are
 * harmless to an `int main(void)` in the host's calling convention.
 */
int main(int argc, char *argv[]);

/* End of bss, from the linker; hidden so it is addressed PC-relative. */
extern char _end[] __attribute__((visibility("hidden")));

struct ksim_app_layout ksim_app_layout;

static void *align_up_16(void *p)
{
    return (void *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
}

/* The heap grows from the end of bss; memory up to the break is usable. */
static void *heap_start_for(void *app_heap_break)
{
    void *bss_end = align_up_16(_end);
    if ((uintptr_t)bss_end <= (uintptr_t)app_heap_break)
        return bss_end;
    return align_up_16(app_heap_break);
}

/*
 * Weak, as libtock-c's: an app may bring its own _start. force_align_arg_pointer:
 * SSE code stays safe however the loader aligned rsp.
 */
__attribute__((weak, visibility("default"), noreturn, force_align_arg_pointer)) void
_start(void *app_start, void *mem_start, uintptr_t mem_len, void *app_heap_break, ksim_gate_fn gate)
{
    ksim_set_gate(gate);
    ksim_app_layout.app_start = app_start;
    ksim_app_layout.mem_start = mem_start;
    ksim_app_layout.mem_len = mem_len;

    void *heap_start = heap_start_for(app_heap_break);
    /* Debug information for the kernel's process report; failures don't matter. */
    (void)memop(KSIM_MEMOP_SET_STACK_TOP, (uintptr_t)__builtin_frame_address(0));
    (void)memop(KSIM_MEMOP_SET_HEAP_START, (uintptr_t)heap_start);
    ksim_heap_init(heap_start, app_heap_break);

    exit(main(0, NULL));
}
