/* Host input through libuv: streams for terminals and pipes, fs reads for files. */
#define _GNU_SOURCE
#include "run/input.h"

static void eof(struct sim_input *in)
{
    if (!in->open)
        return;
    in->open = false;
    in->on_eof(in->ctx);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct sim_input *in = h->data;
    (void)suggested;
    *buf = uv_buf_init(in->buf, sizeof(in->buf));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct sim_input *in = s->data;
    if (n > 0) {
        in->on_data(in->ctx, buf->base, (size_t)n);
    } else if (n < 0) {
        uv_read_stop(s);
        eof(in);
    }
}

static void read_file_chunk(struct sim_input *in);

static void on_file_read(uv_fs_t *req)
{
    struct sim_input *in = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    if (n <= 0 || !in->open) {
        eof(in);
        return;
    }
    in->on_data(in->ctx, in->buf, (size_t)n);
    read_file_chunk(in);
}

static void read_file_chunk(struct sim_input *in)
{
    uv_buf_t b = uv_buf_init(in->buf, sizeof(in->buf));
    in->req.data = in;
    if (uv_fs_read(in->loop, &in->req, in->fd, &b, 1, -1, on_file_read) != 0)
        eof(in);
}

void sim_input_start(struct sim_input *in, uv_loop_t *loop, int fd,
                     void (*on_data)(void *ctx, const char *buf, size_t len),
                     void (*on_eof)(void *ctx), void *ctx)
{
    int rc = -1;
    in->loop = loop;
    in->fd = fd;
    in->on_data = on_data;
    in->on_eof = on_eof;
    in->ctx = ctx;
    in->open = true;
    in->is_stream = false;
    switch (uv_guess_handle(fd)) {
    case UV_TTY:
        rc = uv_tty_init(loop, &in->h.tty, fd, 1);
        break;
    case UV_NAMED_PIPE:
        rc = uv_pipe_init(loop, &in->h.pipe, 0);
        if (rc == 0 && (rc = uv_pipe_open(&in->h.pipe, fd)) != 0)
            uv_close((uv_handle_t *)&in->h.pipe, NULL);
        break;
    case UV_FILE:
        read_file_chunk(in);
        return;
    default:
        break;
    }
    if (rc == 0) {
        in->is_stream = true;
        in->h.tty.data = in;
        rc = uv_read_start((uv_stream_t *)&in->h, on_alloc, on_read);
    }
    if (rc != 0)
        eof(in);
}

void sim_input_stop(struct sim_input *in)
{
    in->open = false;
    if (in->is_stream && !uv_is_closing((uv_handle_t *)&in->h))
        uv_close((uv_handle_t *)&in->h, NULL);
    in->is_stream = false;
}
