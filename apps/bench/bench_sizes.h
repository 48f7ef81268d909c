/*
 * Loop counts of the bench apps, shared with bench/cases.c so the per-call
 * figures divide by what the apps really did.
 */
#ifndef KSIM_BENCH_SIZES_H
#define KSIM_BENCH_SIZES_H

#define KSIM_BENCH_SYSCALL_CALLS 1000000u
#define KSIM_BENCH_UPCALL_ROUNDS 200000u
#define KSIM_BENCH_TRACE_CALLS   5000u /* each one is an event in the trace file */
/* Ping-pong rounds, two process switches each: isolation off, and on (where
 * each switch changes page protections and costs hundreds of times more). */
#define KSIM_BENCH_SWITCH_ROUNDS     100000u
#define KSIM_BENCH_SWITCH_ROUNDS_MPU 500u

#endif /* KSIM_BENCH_SIZES_H */
