/* The ping-pong pair's control run: the service with no rounds. */
#define BENCH_ROUNDS    0u
#define BENCH_PONG_NAME "bench_pong_empty"
#include "../pong/main.c"
