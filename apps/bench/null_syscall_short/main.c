/*
 * The `trace` case's app: the null system call loop, shorter, since every
 * traced call becomes an event in the trace file.
 */
#include "../bench_sizes.h"
#define BENCH_CALLS KSIM_BENCH_TRACE_CALLS
#include "../null_syscall/main.c"
