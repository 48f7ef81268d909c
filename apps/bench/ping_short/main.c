/* The client for `yield switch` with isolation: fewer rounds (bench_sizes.h). */
#include "../bench_sizes.h"
#define BENCH_ROUNDS    KSIM_BENCH_SWITCH_ROUNDS_MPU
#define BENCH_PONG_NAME "bench_pong_short"
#include "../ping/main.c"
