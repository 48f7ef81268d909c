/*
 * The console driver (0x1): one write is allow-RO 1, subscribe 1, command 1,
 * Yield-WaitFor on (console, 1), un-allow. Yield-WaitFor hands back the
 * upcall's arguments without running a function, so the Null Upcall will do.
 */
#include <console.h>
#include <stddef.h>
#include <stdint.h>
#include <tock.h>
#include <ksim/abi.h>

/* The command argument is a 32-bit int: longer writes go in pieces. */
#define CONSOLE_MAX_CHUNK ((size_t)1 << 30)

/* Hands the buffer back; nothing useful to do if the kernel refuses. */
static void unallow_write(void)
{
    allow_ro_return_t previous =
        allow_readonly(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RO_WRITE, NULL, 0);
    (void)previous;
}

static void unallow_read(void)
{
    allow_rw_return_t previous =
        allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, NULL, 0);
    (void)previous;
}

static returncode_t start_write(const uint8_t *buf, size_t len)
{
    allow_ro_return_t allowed =
        allow_readonly(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RO_WRITE, buf, len);
    if (!allowed.success)
        return tock_status_to_returncode(allowed.status);
    /* Also drops a stale "write done" that could end the wait too early. */
    subscribe_return_t subscribed =
        subscribe(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_UPCALL_WRITE, TOCK_NULL_UPCALL, NULL);
    if (!subscribed.success)
        return tock_status_to_returncode(subscribed.status);
    return tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_CMD_WRITE, (int)len, 0));
}

static returncode_t write_once(const uint8_t *buf, size_t len, size_t *written)
{
    returncode_t rc = start_write(buf, len);
    if (rc == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t done =
            yield_wait_for(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_UPCALL_WRITE);
        *written = done.data0 < len ? done.data0 : len;
    }
    unallow_write();
    return rc;
}

returncode_t ksim_console_write(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len > 0) {
        size_t chunk = len < CONSOLE_MAX_CHUNK ? len : CONSOLE_MAX_CHUNK;
        size_t written = 0;
        returncode_t rc = write_once(p, chunk, &written);
        if (rc != RETURNCODE_SUCCESS)
            return rc;
        if (written == 0)
            return RETURNCODE_FAIL; /* no progress: don't spin forever */
        p += written;
        len -= written;
    }
    return RETURNCODE_SUCCESS;
}

static returncode_t start_read(void *buf, size_t len)
{
    allow_rw_return_t allowed =
        allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, buf, len);
    if (!allowed.success)
        return tock_status_to_returncode(allowed.status);
    subscribe_return_t subscribed =
        subscribe(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_UPCALL_READ, TOCK_NULL_UPCALL, NULL);
    if (!subscribed.success)
        return tock_status_to_returncode(subscribed.status);
    return tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_CMD_READ, (int)len, 0));
}

/* The "read done" upcall carries (status, length). */
int ksim_console_read(void *buf, size_t len)
{
    if (len > CONSOLE_MAX_CHUNK)
        len = CONSOLE_MAX_CHUNK;
    int result = start_read(buf, len);
    if (result == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t done = yield_wait_for(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_UPCALL_READ);
        returncode_t status = tock_status_to_returncode((statuscode_t)done.data0);
        result =
            status != RETURNCODE_SUCCESS ? (int)status : (int)(done.data1 < len ? done.data1 : len);
    }
    unallow_read();
    return result;
}
