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
    kernel_schedule_upcall(k, p, idx, KSIM_CONSOLE_UPCALL_WRITE, d->written, 0, 0);
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
    uintptr_t len = g.ro[KSIM_CONSOLE_ALLOW_RO_WRITE].len;
    uint32_t want = d->write_len - d->written;
    if (len <= d->written)
        want = 0; /* the buffer was swapped for a shorter one: stop here */
    else if (want > len - d->written)
        want = (uint32_t)(len - d->written);
    if (want > sizeof(c->tx_buf))
        want = sizeof(c->tx_buf);
    if (want == 0 || umem_read(k, p, g.ro[KSIM_CONSOLE_ALLOW_RO_WRITE].addr + d->written, c->tx_buf,
                               want, UMEM_RO) != 0) {
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
    if (received > g.rw[KSIM_CONSOLE_ALLOW_RW_READ].len)
        received = g.rw[KSIM_CONSOLE_ALLOW_RW_READ].len;
    if (umem_write(k, p, g.rw[KSIM_CONSOLE_ALLOW_RW_READ].addr, c->rx_buf, received) != 0)
        received = 0;
    kernel_schedule_upcall(k, p, (unsigned)idx, KSIM_CONSOLE_UPCALL_READ, (uintptr_t)status,
                           received, 0);
}

static struct syscall_ret start_write(const struct driver_command *c)
{
    struct console_data *d = c->grant.data;
    if (d->write_pending)
        return ret_failure(KS_EBUSY);
    d->write_len = c->arg0;
    d->written = 0;
    d->write_pending = 1;
    if (!c->k->console.tx_busy && !send_chunk(c->k, c->p, c->idx))
        pump_writes(c->k);
    return ret_success();
}

static struct syscall_ret start_read(const struct driver_command *c)
{
    struct kernel_console *con = &c->k->console;
    if (con->rx_busy)
        return ret_failure(KS_EBUSY);
    uintptr_t n = c->grant.rw[KSIM_CONSOLE_ALLOW_RW_READ].len;
    if (n > c->arg0)
        n = c->arg0;
    if (n > sizeof(con->rx_buf))
        n = sizeof(con->rx_buf);
    if (n == 0)
        return ret_failure(KS_ESIZE);
    if (c->k->hal->console->read(c->k->hal->ctx, con->rx_buf, n) != 0)
        return ret_failure(KS_EBUSY);
    con->rx_busy = true;
    con->rx_slot = (int)c->p->slot;
    con->rx_id = c->p->id;
    return ret_success();
}

static struct syscall_ret abort_read(const struct driver_command *c)
{
    const struct kernel_console *con = &c->k->console;
    if (!con->rx_busy || con->rx_slot != (int)c->p->slot || con->rx_id != c->p->id)
        return ret_failure(KS_EALREADY);
    c->k->hal->console->abort_read(c->k->hal->ctx);
    return ret_success();
}

static struct syscall_ret console_command(const struct driver_command *c)
{
    switch (c->number) {
    case KSIM_CONSOLE_CMD_WRITE:
        return start_write(c);
    case KSIM_CONSOLE_CMD_READ:
        return start_read(c);
    default: /* KSIM_CONSOLE_CMD_ABORT_READ */
        return abort_read(c);
    }
}

const struct driver drv_console = {
    .num = KSIM_DRIVER_CONSOLE,
    .name = "console",
    .command_count = KSIM_CONSOLE_CMD_COUNT,
    .upcalls = KSIM_CONSOLE_UPCALL_COUNT,
    .allow_ro = KSIM_CONSOLE_ALLOW_RO_COUNT,
    .allow_rw = KSIM_CONSOLE_ALLOW_RW_COUNT,
    .data_size = sizeof(struct console_data),
    .grant_cmds = ~DRIVER_CMD(0),
    .command = console_command,
};
