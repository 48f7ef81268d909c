/* Runs briefly, then asks for a restart: each run is a fresh process. */
#include <stdio.h>
#include <tock.h>
#include <unistd.h>

static int runs; /* data: reset on every restart */

int main(void)
{
    runs++;
    printf("run %d\n", runs);
    usleep(100000); /* 0.1 s of virtual time between restarts */
    tock_restart(0);
}
