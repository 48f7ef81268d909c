/*
 * The `yield switch` and `scale` apps: a client (ping) and a service (pong)
 * that wake each other with IPC notifies (driver 0x10000, docs/drivers.md),
 * each blocking in Yield-Wait until the other's notify arrives. No buffer is
 * shared, so no bytes are copied: a round is two process switches, each a
 * notify Command, a Yield and one upcall.
 */
#ifndef KSIM_BENCH_IPC_PAIR_H
#define KSIM_BENCH_IPC_PAIR_H

#include <stdint.h>
#include <string.h>
#include <tock.h>
#include <ksim/abi.h>

#include "bench_sizes.h"

#ifndef BENCH_ROUNDS
#define BENCH_ROUNDS KSIM_BENCH_SWITCH_ROUNDS
#endif
/* The service's name is its file name: an empty pair has its own. */
#ifndef BENCH_PONG_NAME
#define BENCH_PONG_NAME "bench_pong"
#endif

enum { IPC_DISCOVER = 1, IPC_NOTIFY_SERVICE = 2, IPC_NOTIFY_CLIENT = 3, IPC_SEARCH = 0 };

/* The IPC id of the service, or -1. */
static inline int pong_id(void)
{
    static const char name[] = BENCH_PONG_NAME;
    allow_ro_return_t a = allow_readonly(KSIM_DRIVER_IPC, IPC_SEARCH, name, sizeof(name) - 1);
    if (!a.success)
        return -1;
    syscall_return_t r = command(KSIM_DRIVER_IPC, IPC_DISCOVER, 0, 0);
    return r.type == TOCK_SYSCALL_SUCCESS_U32 ? (int)r.data[0] : -1;
}

static inline bool notify(unsigned cmd, int id)
{
    return command(KSIM_DRIVER_IPC, cmd, id, 0).type == TOCK_SYSCALL_SUCCESS;
}

#endif /* KSIM_BENCH_IPC_PAIR_H */
