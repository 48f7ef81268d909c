/*
 * ksim-bench's `syscall` case: BENCH_CALLS null system calls (Command 0, the
 * existence check, on the console driver) through the ordinary libtock-style
 * wrapper, then exit. The bench subtracts a run of the same code with no
 * calls (null_syscall_empty), so start-up and exit cancel out.
 */
#include <tock.h>
#include <ksim/abi.h>

#include "../bench_sizes.h"

#ifndef BENCH_CALLS
#define BENCH_CALLS KSIM_BENCH_SYSCALL_CALLS
#endif

int main(void)
{
    unsigned calls = BENCH_CALLS; /* a variable: 0 must not warn as a constant test */
    for (unsigned i = 0; i < calls; i++) {
        syscall_return_t r = command(KSIM_DRIVER_CONSOLE, 0, 0, 0);
        if (r.type != TOCK_SYSCALL_SUCCESS)
            return 1; /* a wrong answer must not pass as a fast one */
    }
    return 0;
}
