/*
 * The process console, as Tock's ProcessConsole: commands on stdin and, with
 * a port, on loopback TCP for any number of clients (libuv). Nothing a client
 * types can crash ksim: every line is parsed and checked, and an unknown
 * command or a bad argument gets a one-line error.
 */
#ifndef KSIM_SIM_RUN_CONSOLE_H
#define KSIM_SIM_RUN_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>
#include <uv.h>

#include "hal_stub.h"
#include "kernel.h"
#include "run/trace.h"

/* What the console drives; the run loop implements the callbacks. */
struct console_host {
    struct kernel *kernel;
    struct hal_stub *hal;
    struct trace *trace; /* NULL without --trace */
    const char *board_name;
    /* Loads an app file as a new process; 0, or -1 with a message. */
    int (*load)(void *ctx, const char *path, char *msg, size_t cap);
    /* Presses (and releases) a button; NULL when the board has no buttons. */
    int (*press)(void *ctx, unsigned button, char *msg, size_t cap);
    void (*quit)(void *ctx); /* ends the run */
    void (*kick)(void *ctx); /* the kernel may have work now */
    void *ctx;
};

/* Runs one command line and writes the reply to out. */
void console_execute(const struct console_host *h, const char *line, FILE *out);

struct console;

/* console_start's port: any free port the system picks, printed on stderr. */
#define CONSOLE_PORT_ANY (-1)

/*
 * Starts serving commands on stdin (if on_stdin) and on 127.0.0.1:port (if
 * port > 0; with CONSOLE_PORT_ANY on a free port, and "ksim: process
 * console on 127.0.0.1:N" on stderr says which; 0: no port). NULL with a
 * message in err if the port cannot be opened.
 */
struct console *console_start(uv_loop_t *loop, const struct console_host *h, bool on_stdin,
                              int port, char *err, size_t errlen);
void console_stop(struct console *c);

#endif /* KSIM_SIM_RUN_CONSOLE_H */
