/*
 * The service of the ping-pong pair (ipc_pair.h): answers each notify with
 * one back, and exits 0 after BENCH_ROUNDS of them. Load it first, so it
 * is listening before ping's first notify.
 */
#include "../ipc_pair.h"

static volatile unsigned served;
static volatile bool failed;

static void on_request(int client, int len, int buf, void *ud)
{
    (void)len, (void)buf, (void)ud;
    served++;
    if (!notify(IPC_NOTIFY_CLIENT, client))
        failed = true;
}

int main(void)
{
    unsigned rounds = BENCH_ROUNDS; /* a variable: 0 must not warn as a constant test */
    int me = pong_id();
    if (me < 0 || !subscribe(KSIM_DRIVER_IPC, (uint32_t)me, on_request, NULL).success)
        return 1;
    while (served < rounds && !failed)
        yield();
    return failed ? 2 : 0;
}
