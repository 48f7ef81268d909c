/*
 * IPC (driver 0x10000) for apps, with libtock-c's names and calls
 * (libtock/kernel/ipc.c), so ported services and clients read the same.
 * ksim's one addition: a process that receives shared buffers allows a
 * window (ipc_share with its own id), the place the kernel copies a peer's
 * buffer into (docs/drivers.md says why).
 */
#ifndef KSIM_APP_IPC_H
#define KSIM_APP_IPC_H

#include <stddef.h>
#include <string.h>
#include <tock.h>
#include <ksim/abi.h>

enum { IPC_DISCOVER = 1, IPC_NOTIFY_SERVICE = 2, IPC_NOTIFY_CLIENT = 3, IPC_SEARCH = 0 };

/* The id of the first process named pkg_name (the app's file name without .elf). */
static inline int ipc_discover(const char *pkg_name, size_t *svc_id)
{
    allow_ro_return_t prev =
        allow_readonly(KSIM_DRIVER_IPC, IPC_SEARCH, pkg_name, strlen(pkg_name));
    if (!prev.success)
        return tock_status_to_returncode(prev.status);
    uint32_t id = 0;
    int rc =
        tock_command_return_u32_to_returncode(command(KSIM_DRIVER_IPC, IPC_DISCOVER, 0, 0), &id);
    *svc_id = id;
    /* Put the previous buffer back, as libtock-c does. */
    prev = allow_readonly(KSIM_DRIVER_IPC, IPC_SEARCH, prev.ptr, prev.size);
    return rc != RETURNCODE_SUCCESS ? rc : tock_allow_ro_return_to_returncode(prev);
}

/* Subscribes callback as the service named pkg_name (this process's own name). */
static inline int ipc_register_service_callback(const char *pkg_name, subscribe_upcall callback,
                                                void *ud)
{
    size_t id;
    int rc = ipc_discover(pkg_name, &id);
    if (rc < 0)
        return rc;
    return tock_subscribe_return_to_returncode(subscribe(KSIM_DRIVER_IPC, id, callback, ud));
}

static inline int ipc_register_client_callback(size_t svc_id, subscribe_upcall callback, void *ud)
{
    return tock_subscribe_return_to_returncode(subscribe(KSIM_DRIVER_IPC, svc_id, callback, ud));
}

static inline int ipc_notify_service(size_t pid)
{
    return tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_IPC, IPC_NOTIFY_SERVICE, (int)pid, 0));
}

static inline int ipc_notify_client(size_t pid)
{
    return tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_IPC, IPC_NOTIFY_CLIENT, (int)pid, 0));
}

/* Shares base with process pid; with the caller's own id, allows its window. */
static inline int ipc_share(size_t pid, void *base, int len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(KSIM_DRIVER_IPC, (uint32_t)pid, base, (size_t)len));
}

#endif /* KSIM_APP_IPC_H */
