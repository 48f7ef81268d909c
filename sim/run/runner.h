/*
 * sim/run/: a simulated board and its run. It owns the machine (memory
 * map, host HAL and kernel over them: machine.c, memmap.c), the libuv run
 * loop (runner.c), host input (input.c), the process console (console.c)
 * and the trace (trace.c).
 * May include: board/, image/, debug/, report/, kernel/ and hal-stub/
 * headers. Of sim/, only cli/ and watch/ include it (docs/architecture.md).
 *
 * `ksim run`: builds the board (memory map, HAL, kernel), loads the apps and
 * drives the kernel from the libuv event loop until no process can run again.
 */
#ifndef KSIM_SIM_RUN_RUNNER_H
#define KSIM_SIM_RUN_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "board/board.h"

/* Exit statuses of `ksim run` (README.md). */
enum sim_exit {
    SIM_EXIT_OK = 0,        /* every process ended with code 0, or --until came */
    SIM_EXIT_APP_ERROR = 1, /* a process ended with a non-zero code, or waits forever */
    SIM_EXIT_BAD_INPUT = 2, /* usage, app file or board file */
    SIM_EXIT_FAULT = 3,     /* a process faulted */
    SIM_EXIT_PANIC = 4,     /* the kernel panicked */
};

/* An input from outside at a virtual time (--press, --gpio). */
enum sim_stimulus_kind { SIM_STIM_BUTTON = 0, SIM_STIM_PIN = 1 };
struct sim_stimulus {
    enum sim_stimulus_kind kind;
    unsigned index;
    bool level; /* pressed, or pin high */
    double t_s;
};
#define SIM_STIMULI_MAX  256
#define SIM_PRESS_HOLD_S 0.1 /* --press releases the button this long after */

struct kernel;
struct hal_stub;

/* A board with its apps loaded and nothing run yet (`ksim memmap`). */
struct sim_loaded {
    const struct board *board;
    const struct kernel *kernel;
    struct hal_stub *hal; /* for the MPU model's region lists */
};

/* sim_run_options.console_port for --console-port 0: any free port, printed on stderr. */
#define SIM_CONSOLE_PORT_ANY (-1)

struct sim_run_options {
    const struct board *board;
    const char *board_file; /* for messages; "<default>" for the built-in board */
    const char *const *apps;
    size_t napps;
    bool until_set;
    double until_s;           /* virtual (or real) seconds after which the run ends */
    const char *trace_path;   /* --trace FILE, or NULL */
    const char *trace_filter; /* --trace-filter SPEC, or NULL */
    bool console;             /* --console: the process console on stdin */
    int console_port; /* --console-port N: also on 127.0.0.1:N (0: no; SIM_CONSOLE_PORT_ANY) */
    /* --press and --gpio, in the order given (the HAL sorts them by time) */
    const struct sim_stimulus *inputs;
    size_t ninputs;
    /*
     * Set: load the apps exactly as a run does, then call inspect instead of
     * running them and return its enum sim_exit; SIM_EXIT_BAD_INPUT without
     * calling it when an app was refused.
     */
    int (*inspect)(void *ctx, const struct sim_loaded *loaded);
    void *inspect_ctx;
    const char *flash_image; /* --flash IMG: board flash from this file, its apps booted first */
};

/* Runs to the end; returns an enum sim_exit. */
int sim_run(const struct sim_run_options *o);

#endif /* KSIM_SIM_RUN_RUNNER_H */
