/*
 * A simulated board without its run loop: the memory map, the host HAL and
 * a kernel over them, set up from a board. `ksim run` drives one; `ksim
 * layout` and `ksim flash` load apps into one to ask the real loader and
 * MPU model where things go, and never run it.
 */
#ifndef KSIM_SIM_RUN_MACHINE_H
#define KSIM_SIM_RUN_MACHINE_H

#include <stddef.h>

#include "board/board.h"
#include "hal_stub.h"
#include "kernel.h"
#include "run/memmap.h"

/*
 * Maps the board's memory (flash backed by flash_fd, a flash image file,
 * or fresh when -1; the map owns it), creates the HAL and initialises k
 * with a calloc'd process table (*procs, board.process.max_processes). 0,
 * or -1 with a message in err; what was set up is left for
 * sim_machine_teardown.
 */
int sim_machine_setup(const struct board *b, const char *board_file, int flash_fd,
                      struct sim_memmap *mem, struct hal_stub **hal, struct kernel *k,
                      struct proc **procs, char *err, size_t errlen);
/* Undoes sim_machine_setup (any part of it). */
void sim_machine_teardown(struct sim_memmap *mem, struct hal_stub *hal, struct proc *procs);

/* All of it in one place, for commands that only load. */
struct sim_machine {
    struct sim_memmap mem;
    struct hal_stub *hal;
    struct kernel kernel;
    struct proc *procs;
};

int sim_machine_create(struct sim_machine *m, const struct board *b, const char *board_file,
                       char *err, size_t errlen);
void sim_machine_destroy(struct sim_machine *m);

#endif /* KSIM_SIM_RUN_MACHINE_H */
