/* The `upcall` case's control run: the same app with no rounds. */
#define BENCH_ROUNDS 0u
#include "../alarm_upcall/main.c"
