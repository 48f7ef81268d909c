/* The `syscall` case's control run: the same app with no calls in the loop. */
#define BENCH_CALLS 0u
#include "../null_syscall/main.c"
