/*
 * App flash driver (0x50000), as Tock's capsules/extra/src/app_flash_driver.rs:
 * command 1 writes the whole Read-Only Allow 0 buffer at a flash address;
 * upcall 0 then reports (0, 0, 0). Tock lets an app write anywhere in its
 * own flash after the protected header; ksim only into its writeable flash
 * regions (TBF element 2), so the ELF and the credential stay intact.
 *
 * Board flash is ksim's flash image when the run has one, so what an app
 * stores survives a restart. The write is synchronous; the upcall is queued
 * at once and seen when the process yields, as the completion would be.
 */
#include "driver.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "umem.h"

#define COPY_CHUNK 64 /* bytes through the kernel's stack at a time */

/* Copies the allowed buffer into flash at addr; the whole range was checked. */
static bool copy_out(struct kernel *k, struct proc *p, const struct grant_allow *buf,
                     uintptr_t addr)
{
    uint8_t chunk[COPY_CHUNK];
    for (uintptr_t done = 0; done < buf->len;) {
        size_t n = buf->len - done > COPY_CHUNK ? COPY_CHUNK : (size_t)(buf->len - done);
        if (umem_read(k, p, buf->addr + done, chunk, n, UMEM_RO) != 0 ||
            umem_flash_write(k, p, addr + done, chunk, n) != 0)
            return false;
        done += n;
    }
    return true;
}

static struct syscall_ret app_flash_command(const struct driver_command *c)
{
    uintptr_t flash_address = c->arg0;
    /* Re-read now: the app may have swapped the buffer since the allow. */
    const struct grant_allow buf = c->grant.ro[KSIM_APP_FLASH_ALLOW_RO_BUFFER];
    if (buf.len == 0 || !umem_flash_writable(c->k, c->p, flash_address, buf.len))
        return ret_failure(KS_EINVAL);
    if (!copy_out(c->k, c->p, &buf, flash_address))
        return ret_failure(KS_EINVAL);
    kernel_schedule_upcall(c->k, c->p, c->idx, KSIM_APP_FLASH_UPCALL_DONE, 0, 0, 0);
    return ret_success(); /* the only command: KSIM_APP_FLASH_CMD_WRITE */
}

const struct driver drv_app_flash = {
    .num = KSIM_DRIVER_APP_FLASH,
    .name = "app_flash",
    .command_count = KSIM_APP_FLASH_CMD_COUNT,
    .upcalls = KSIM_APP_FLASH_UPCALL_COUNT,
    .allow_ro = KSIM_APP_FLASH_ALLOW_RO_COUNT,
    .grant_cmds = DRIVER_CMD(KSIM_APP_FLASH_CMD_WRITE),
    .command = app_flash_command,
};
