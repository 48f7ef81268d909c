/*
 * The console UART: output goes to a host file descriptor at once, its
 * completion is an interrupt serviced by the kernel loop (split-phase, as
 * on hardware). Input arrives from sim/ and completes a pending receive
 * once it has the bytes asked for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "hal_internal.h"

static void write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* output closed: the app's bytes go nowhere, as on a UART */
        buf += n;
        len -= (size_t)n;
    }
}

static int console_write(void *hal, const uint8_t *buf, size_t len)
{
    struct hal_stub *s = hal;
    if (s->tx_done_pending)
        return -KS_EBUSY;
    write_all(s->cfg.out_fd, buf, len);
    s->tx_done_pending = true;
    s->tx_done_len = len;
    return 0;
}

/* Moves typed bytes into the pending receive; completes it when full. */
static void feed_receive(struct hal_stub *s)
{
    if (!s->rx_active)
        return;
    size_t n = s->rx_want - s->rx_have;
    if (n > s->in_len)
        n = s->in_len;
    if (n > 0) { /* in_buf is NULL until the first input arrives */
        memcpy(s->rx_dst + s->rx_have, s->in_buf, n);
        memmove(s->in_buf, s->in_buf + n, s->in_len - n);
    }
    s->in_len -= n;
    s->rx_have += n;
    /* At end of input a partial receive completes with what arrived. */
    if (s->rx_have == s->rx_want || (s->rx_eof && s->rx_have > 0)) {
        s->rx_active = false;
        s->rx_done_pending = true;
        s->rx_status = 0;
    }
}

static int console_read(void *hal, uint8_t *buf, size_t len)
{
    struct hal_stub *s = hal;
    if (s->rx_active || s->rx_done_pending)
        return -KS_EBUSY;
    s->rx_active = true;
    s->rx_dst = buf;
    s->rx_want = len;
    s->rx_have = 0;
    feed_receive(s);
    return 0;
}

static void console_abort_read(void *hal)
{
    struct hal_stub *s = hal;
    if (!s->rx_active)
        return;
    s->rx_active = false;
    s->rx_done_pending = true;
    s->rx_status = KS_ECANCEL;
}

void hal_stub_console_input(struct hal_stub *s, const uint8_t *buf, size_t len)
{
    if (len == 0)
        return;
    if (s->in_len + len > s->in_cap) {
        size_t cap = (s->in_len + len) * 2;
        uint8_t *nb = realloc(s->in_buf, cap);
        if (!nb)
            return; /* drop input rather than crash */
        s->in_buf = nb;
        s->in_cap = cap;
    }
    memcpy(s->in_buf + s->in_len, buf, len);
    s->in_len += len;
    feed_receive(s);
}

void hal_stub_console_eof(struct hal_stub *s)
{
    s->rx_eof = true;
    feed_receive(s);
}

bool hal_stub_console_reading(const struct hal_stub *s)
{
    return s->rx_active && !s->rx_eof;
}

bool hal__console_pending(const struct hal_stub *s)
{
    return s->tx_done_pending || s->rx_done_pending;
}

void hal__console_service(struct hal_stub *s, struct kernel *k)
{
    /* Clear each flag before the call: the kernel may start the next transfer. */
    if (s->tx_done_pending) {
        s->tx_done_pending = false;
        kernel_console_write_done(k, s->tx_done_len);
    }
    if (s->rx_done_pending) {
        s->rx_done_pending = false;
        kernel_console_read_done(k, s->rx_have, s->rx_status);
    }
}

const struct hal_console_ops hal__console_ops = {
    .write = console_write,
    .read = console_read,
    .abort_read = console_abort_read,
};
