/*
 * An IPC service named "ipc_service" (its file name): a client shares a
 * buffer holding a NUL-terminated string and notifies; the service upper-
 * cases the string in place and notifies the client back. Runs forever
 * (run it with --until).
 *
 * As in Tock, the upcall carries the client's buffer and the kernel gives
 * this process an MPU region over it, so the service works on the client's
 * memory in place (docs/drivers.md).
 */
#include <ctype.h>
#include <stdio.h>
#include <tock.h>

#include "ipc.h"

static void on_request(int client, int len, int buf, void *ud)
{
    char *req = (char *)(uintptr_t)(uint32_t)buf;
    (void)ud;
    printf("ipc_service: %d bytes from client %d\n", len, client);
    for (int i = 0; i < len && req[i] != '\0'; i++)
        req[i] = (char)toupper((unsigned char)req[i]);
    ipc_notify_client((size_t)client);
}

int main(void)
{
    size_t me = 0;
    int rc = ipc_discover("ipc_service", &me);
    if (rc == RETURNCODE_SUCCESS)
        rc = ipc_register_service_callback("ipc_service", on_request, NULL);
    if (rc != RETURNCODE_SUCCESS) {
        printf("ipc_service: set-up failed: %s\n", tock_strrcode(rc));
        return 1;
    }
    printf("ipc_service: ready (id %u)\n", (unsigned)me);
    for (;;)
        yield();
}
