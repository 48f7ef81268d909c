/*
 * RNG driver (0x40001), as Tock's capsules/core/src/rng.rs: command 1 asks
 * for n random bytes into Read-Write Allow 0; upcall 0 then reports (0,
 * bytes received, 0). A shorter buffer gets as many bytes as fit. As in
 * Tock, asking for 0 bytes succeeds and never calls back.
 *
 * The bytes come from hal->rng. ksim's source is fast and synchronous, so
 * the buffer is filled during the command and the upcall is queued at
 * once; the process sees it when it yields, as it would in Tock.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "umem.h"

#define RNG_CHUNK 64 /* bytes through the kernel's stack at a time */

/* Fills [addr, addr + len) of p's memory with random bytes; false if p's memory refuses. */
static bool fill(struct kernel *k, struct proc *p, uintptr_t addr, uintptr_t len)
{
    const struct hal *hal = k->hal;
    uint8_t chunk[RNG_CHUNK];
    for (uintptr_t done = 0; done < len;) {
        size_t n = len - done > RNG_CHUNK ? RNG_CHUNK : (size_t)(len - done);
        hal->rng->fill(hal->ctx, chunk, n);
        if (umem_write(k, p, addr + done, chunk, n) != 0)
            return false;
        done += n;
    }
    return true;
}

static struct syscall_ret rng_command(const struct driver_command *c)
{
    uint32_t want = c->arg0; /* the only command: KSIM_RNG_CMD_GET */
    const struct grant_allow buf = c->grant.rw[KSIM_RNG_ALLOW_RW_BUFFER];
    if (!c->k->hal->rng)
        return ret_failure(KS_ENODEVICE);
    if (want == 0)
        return ret_success(); /* Tock: nothing remains to deliver, so no upcall */
    /* The buffer is checked again now: the app may have swapped it since the allow. */
    uintptr_t n = buf.len < want ? buf.len : want;
    if (!fill(c->k, c->p, buf.addr, n))
        n = 0;
    kernel_schedule_upcall(c->k, c->p, c->idx, KSIM_RNG_UPCALL_DONE, 0, n, 0);
    return ret_success();
}

const struct driver drv_rng = {
    .num = KSIM_DRIVER_RNG,
    .name = "rng",
    .command_count = KSIM_RNG_CMD_COUNT,
    .upcalls = KSIM_RNG_UPCALL_COUNT,
    .allow_rw = KSIM_RNG_ALLOW_RW_COUNT,
    .grant_cmds = DRIVER_CMD(KSIM_RNG_CMD_GET),
    .command = rng_command,
};
