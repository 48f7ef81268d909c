/*
 * An IPC client: finds "ipc_service" by name, shares a buffer holding a
 * message, notifies the service and waits for its notify back, then prints
 * the reply the service left in the buffer and exits 0. A notify sent
 * before the service was ready is lost, so it retries after a timeout.
 */
#include <alarm.h>
#include <stdbool.h>
#include <stdio.h>
#include <tock.h>

#include "ipc.h"

#define TRIES 5

/* Aligned to its size, so a Cortex-M MPU region can cover exactly it. */
static char buf[64] __attribute__((aligned(64))) = "hello from ipc_client";
static bool replied, timed_out;

static void on_reply(int svc, int len, int ptr, void *ud)
{
    (void)ud;
    (void)ptr; /* the service shares no buffer of its own: the reply is in buf */
    printf("ipc_client: notified by service %d (%d bytes)\n", svc, len);
    replied = true;
}

static void on_timeout(int now, int expiration, int unused, void *ud)
{
    (void)now;
    (void)expiration;
    (void)unused;
    (void)ud;
    timed_out = true;
}

static int fail(const char *what, int rc)
{
    printf("ipc_client: %s failed: %s\n", what, tock_strrcode((returncode_t)rc));
    return 1;
}

int main(void)
{
    size_t svc = 0;
    uint32_t hz;
    int rc = ipc_discover("ipc_service", &svc);
    if (rc != RETURNCODE_SUCCESS)
        return fail("discovering ipc_service", rc);
    printf("ipc_client: found ipc_service as id %u\n", (unsigned)svc);
    rc = ipc_register_client_callback(svc, on_reply, NULL);
    if (rc == RETURNCODE_SUCCESS)
        rc = ipc_share(svc, buf, sizeof(buf));
    if (rc == RETURNCODE_SUCCESS)
        rc = tock_subscribe_return_to_returncode(subscribe(KSIM_DRIVER_ALARM, 0, on_timeout, NULL));
    if (rc == RETURNCODE_SUCCESS)
        rc = ksim_alarm_frequency(&hz);
    if (rc != RETURNCODE_SUCCESS)
        return fail("set-up", rc);

    for (int try = 0; try < TRIES && !replied; try++) {
        timed_out = false;
        rc = ipc_notify_service(svc);
        if (rc != RETURNCODE_SUCCESS)
            return fail("notify", rc);
        ksim_alarm_set_relative(hz / 10, NULL); /* 100 ms */
        while (!replied && !timed_out)
            yield();
    }
    if (!replied) {
        printf("ipc_client: no reply after %d tries\n", TRIES);
        return 1;
    }
    printf("ipc_client: reply: %s\n", buf);
    return 0;
}
