/*
 * Reading a host input (stdin) through libuv whatever it is: a terminal, a
 * pipe, or a regular file (which libuv cannot poll, so it is read with
 * uv_fs_read requests one after another).
 */
#ifndef KSIM_SIM_RUN_INPUT_H
#define KSIM_SIM_RUN_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct sim_input {
    uv_loop_t *loop;
    int fd;
    void (*on_data)(void *ctx, const char *buf, size_t len);
    void (*on_eof)(void *ctx);
    void *ctx;
    bool is_stream, open;
    union {
        uv_tty_t tty;
        uv_pipe_t pipe;
    } h;
    uv_fs_t req;
    char buf[4096];
};

/* Starts reading fd; on_eof is called once, also when fd cannot be read at all. */
void sim_input_start(struct sim_input *in, uv_loop_t *loop, int fd,
                     void (*on_data)(void *ctx, const char *buf, size_t len),
                     void (*on_eof)(void *ctx), void *ctx);
void sim_input_stop(struct sim_input *in);

#endif /* KSIM_SIM_RUN_INPUT_H */
