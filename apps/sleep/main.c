/*
 * Sleeps one hour of virtual time with the alarm driver's own commands and
 * reports the time it measured, so a clock that runs wrong shows.
 */
#include <alarm.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

#define SLEEP_SECONDS 3600u

static int fail(const char *what, returncode_t rc)
{
    printf("sleep: %s failed: %s\n", what, tock_strrcode(rc));
    return 1;
}

int main(void)
{
    uint32_t hz;
    returncode_t rc = ksim_alarm_frequency(&hz);
    if (rc != RETURNCODE_SUCCESS)
        return fail("frequency", rc);
    if (hz == 0)
        return fail("frequency", RETURNCODE_EINVAL);

    subscribe_return_t sub = subscribe(KSIM_DRIVER_ALARM, 0, TOCK_NULL_UPCALL, NULL);
    if (!sub.success)
        return fail("subscribe", tock_status_to_returncode(sub.status));

    uint32_t last;
    rc = ksim_alarm_now(&last);
    if (rc != RETURNCODE_SUCCESS)
        return fail("now", rc);

    /* Elapsed time adds up tick differences, each under 2^32, so wraps cancel. */
    const uint64_t target = (uint64_t)SLEEP_SECONDS * hz;
    const unsigned max_waits = (unsigned)(target / KSIM_ALARM_MAX_WAIT_TICKS) * 2 + 8;
    uint64_t elapsed = 0;
    unsigned waits = 0;
    while (elapsed < target) {
        if (++waits > max_waits)
            return fail("waiting (the clock does not advance)", RETURNCODE_FAIL);
        uint64_t left = target - elapsed;
        uint32_t dt = left < KSIM_ALARM_MAX_WAIT_TICKS ? (uint32_t)left : KSIM_ALARM_MAX_WAIT_TICKS;
        rc = ksim_alarm_set_relative(dt, NULL);
        if (rc != RETURNCODE_SUCCESS)
            return fail("set relative", rc);
        ksim_alarm_wait(NULL);
        uint32_t now;
        rc = ksim_alarm_now(&now);
        if (rc != RETURNCODE_SUCCESS)
            return fail("now", rc);
        elapsed += (uint32_t)(now - last);
        last = now;
    }

    printf("slept %" PRIu64 " s\n", elapsed / hz);
    return 0;
}
