/*
 * The client of the ping-pong pair (ipc_pair.h): BENCH_ROUNDS times,
 * notify the service and Yield-Wait until its notify back has run.
 */
#include "../ipc_pair.h"

static volatile bool replied;

static void on_reply(int service, int len, int buf, void *ud)
{
    (void)service, (void)len, (void)buf, (void)ud;
    replied = true;
}

int main(void)
{
    unsigned rounds = BENCH_ROUNDS; /* a variable: 0 must not warn as a constant test */
    int svc = pong_id();
    if (svc < 0 || !subscribe(KSIM_DRIVER_IPC, (uint32_t)svc, on_reply, NULL).success)
        return 1;
    for (unsigned i = 0; i < rounds; i++) {
        replied = false;
        if (!notify(IPC_NOTIFY_SERVICE, svc))
            return 2;
        while (!replied)
            yield();
    }
    return 0;
}
