/*
 * Console driver (0x1), as Tock's: one UART shared by every process. Writes
 * go out in chunks through a kernel buffer, one process at a time; the app's
 * buffer is re-checked on every chunk because it may be swapped at any time.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "umem.h"

#define ALLOW_WRITE  1
#define ALLOW_READ   1
#define UPCALL_WRITE 1
#define UPCALL_READ  2

struct console_data {
    uint32_t write_len; /* bytes asked for */
    uint32_t written;   /* bytes sent so far */
    uint32_t write_pending;
};

static int console_index(struct kernel *k)
{
    return kernel_driver_index(k, KSIM_DRIVER_CONSOLE);
}

/* Finishes p's write: the upcall reports what was sent. */
static void finish_write(struct kernel *k, struct proc *p, unsigned idx, struct console_data *d)
{
    d->write_pending = 0;
    kernel_schedule_upcall(k, p, idx, UPCALL_WRITE, d->written, 0, 0);
}

/* Sends p's next chunk; false when p has nothing (more) to send. */
static bool send_chunk(struct kernel *k, struct proc *p, unsigned idx)
{
    struct kernel_console *c = &k->console;
    struct grant_view g;
    if (!grant_peek(k, p, idx, &g))
        return false;
    struct console_data *d = g.data;
    if (!d->write_pending)
        return false;
    uintptr_t len = g.ro[ALLOW_WRITE].len;
    uint32_t want = d->write_len - d->written;
    if (len <= d->written)
        want = 0; /* the buffer was swapped for a shorter one: stop here */
    else if (want > len - d->written)
        want = (uint32_t)(len - d->written);
    if (want > sizeof(c->tx_buf))
        want = sizeof(c->tx_buf);
    if (want == 0 ||
        umem_read(k, p, g.ro[ALLOW_WRITE].addr + d->written, c->tx_buf, want, UMEM_RO) != 0) {
        finish_write(k, p, idx, d);
        return false;
    }
    if (k->hal->console->write(k->hal->ctx, c->tx_buf, want) != 0)
        return false;
    c->tx_busy = true;
    c->tx_slot = (int)p->slot;
    c->tx_id = p->id;
    c->tx_len = want;
    return true;
}

/* Starts the next pending write, round robin from the last writer. */
static void pump_writes(struct kernel *k)
{
    int idx = console_index(k);
    if (idx < 0 || k->console.tx_busy)
        return;
    unsigned start = k->console.tx_slot < 0 ? 0 : (unsigned)k->console.tx_slot;
    for (unsigned n = 0; n < k->nprocs; n++) {
        struct proc *p = &k->procs[(start + n) % k->nprocs];
        if (proc_is_alive(p) && send_chunk(k, p, (unsigned)idx))
            return;
    }
}

void kernel_console_write_done(struct kernel *k, size_t written)
{
    struct kernel_console *c = &k->console;
    int idx = console_index(k);
    struct grant_view g;
    c->tx_busy = false;
    struct proc *p = kernel_proc_by_id(k, c->tx_slot, c->tx_id);
    if (idx >= 0 && p && grant_peek(k, p, (unsigned)idx, &g)) {
        struct console_data *d = g.data;
        d->written += (uint32_t)written;
        if (d->write_pending && d->written >= d->write_len)
            finish_write(k, p, (unsigned)idx, d);
    }
    pump_writes(k);
}

void kernel_console_read_done(struct kernel *k, size_t received, int status)
{
    struct kernel_console *c = &k->console;
    int idx = console_index(k);
    struct grant_view g;
    c->rx_busy = false;
    struct proc *p = kernel_proc_by_id(k, c->rx_slot, c->rx_id);
    if (idx < 0 || !p || !grant_peek(k, p, (unsigned)idx, &g))
        return;
    /* Copy no more than the buffer the app has allowed now. */
    if (received > g.rw[ALLOW_READ].len)
        received = g.rw[ALLOW_READ].len;
    if (umem_write(k, p, g.rw[ALLOW_READ].addr, c->rx_buf, received) != 0)
        received = 0;
    kernel_schedule_upcall(k, p, (unsigned)idx, UPCALL_READ, (uintptr_t)status, received, 0);
}

static struct syscall_ret start_write(struct kernel *k, struct proc *p, unsigned idx,
                                      struct grant_view *g, uint32_t len)
{
    struct console_data *d = g->data;
    if (d->write_pending)
        return ret_failure(KS_EBUSY);
    d->write_len = len;
    d->written = 0;
    d->write_pending = 1;
    if (!k->console.tx_busy && !send_chunk(k, p, idx))
        pump_writes(k);
    return ret_success();
}

static struct syscall_ret start_read(struct kernel *k, struct proc *p, struct grant_view *g,
                                     uint32_t len)
{
    struct kernel_console *c = &k->console;
    if (c->rx_busy)
        return ret_failure(KS_EBUSY);
    uintptr_t n = g->rw[ALLOW_READ].len;
    if (n > len)
        n = len;
    if (n > sizeof(c->rx_buf))
        n = sizeof(c->rx_buf);
    if (n == 0)
        return ret_failure(KS_ESIZE);
    if (k->hal->console->read(k->hal->ctx, c->rx_buf, n) != 0)
        return ret_failure(KS_EBUSY);
    c->rx_busy = true;
    c->rx_slot = (int)p->slot;
    c->rx_id = p->id;
    return ret_success();
}

static struct syscall_ret console_command(struct kernel *k, struct proc *p, unsigned idx,
                                          uint32_t cmd, uint32_t arg0, uint32_t arg1)
{
    struct grant_view g;
    (void)arg1;
    if (cmd == 0)
        return ret_success();
    if (cmd > 3)
        return ret_failure(KS_ENOSUPPORT);
    if (grant_enter(k, p, idx, &g) != 0)
        return ret_failure(KS_ENOMEM);
    switch (cmd) {
    case 1:
        return start_write(k, p, idx, &g, arg0);
    case 2:
        return start_read(k, p, &g, arg0);
    default: /* 3: abort read */
        if (!k->console.rx_busy || k->console.rx_slot != (int)p->slot || k->console.rx_id != p->id)
            return ret_failure(KS_EALREADY);
        k->hal->console->abort_read(k->hal->ctx);
        return ret_success();
    }
}

const struct driver drv_console = {
    .num = KSIM_DRIVER_CONSOLE,
    .name = "console",
    .upcalls = 3,
    .allow_ro = 2,
    .allow_rw = 2,
    .data_size = sizeof(struct console_data),
    .command = console_command,
};
