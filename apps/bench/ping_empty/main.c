/* The ping-pong pair's control run: the client with no rounds. */
#define BENCH_ROUNDS    0u
#define BENCH_PONG_NAME "bench_pong_empty"
#include "../ping/main.c"
