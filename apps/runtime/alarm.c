/*
 * The alarm driver (0x0) and the sleeps built on it. Ticks are 32 bits
 * and wrap, so long delays are a series of waits of at most 2^31 ticks;
 * tick counts come from 64-bit arithmetic so nothing overflows on the way.
 */
#include <alarm.h>
#include <stddef.h>
#include <stdint.h>
#include <tock.h>
#include <unistd.h>
#include <ksim/abi.h>

returncode_t ksim_alarm_frequency(uint32_t *hz)
{
    return tock_command_return_u32_to_returncode(
        command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_FREQUENCY, 0, 0), hz);
}

returncode_t ksim_alarm_now(uint32_t *ticks)
{
    return tock_command_return_u32_to_returncode(
        command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_READ, 0, 0), ticks);
}

returncode_t ksim_alarm_set_relative(uint32_t dt, uint32_t *expiration)
{
    uint32_t ignored;
    return tock_command_return_u32_to_returncode(
        command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_SET_RELATIVE, (int)dt, 0),
        expiration != NULL ? expiration : &ignored);
}

returncode_t ksim_alarm_stop(void)
{
    return tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_STOP, 0, 0));
}

/* The upcall's arguments are (now, expiration, 0). */
returncode_t ksim_alarm_wait(uint32_t *now)
{
    yield_waitfor_return_t fired = yield_wait_for(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED);
    if (now != NULL)
        *now = fired.data0;
    return RETURNCODE_SUCCESS;
}

returncode_t ksim_delay_ticks(uint64_t ticks)
{
    /* The Null Upcall suits Yield-WaitFor, and subscribing drops stale events. */
    returncode_t rc = tock_subscribe_return_to_returncode(
        subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, TOCK_NULL_UPCALL, NULL));
    while (rc == RETURNCODE_SUCCESS && ticks > 0) {
        uint32_t chunk =
            ticks < KSIM_ALARM_MAX_WAIT_TICKS ? (uint32_t)ticks : KSIM_ALARM_MAX_WAIT_TICKS;
        rc = ksim_alarm_set_relative(chunk, NULL);
        if (rc == RETURNCODE_SUCCESS)
            rc = ksim_alarm_wait(NULL);
        ticks -= chunk;
    }
    return rc;
}

/* ceil(amount * hz / per_second) ticks; amount and hz are 32-bit. */
static returncode_t delay_units(uint32_t amount, uint32_t per_second)
{
    uint32_t hz;
    returncode_t rc = ksim_alarm_frequency(&hz);
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    uint64_t scaled = (uint64_t)amount * hz;
    return ksim_delay_ticks(scaled / per_second + (scaled % per_second != 0));
}

returncode_t delay_ms(uint32_t ms)
{
    return delay_units(ms, 1000);
}

returncode_t delay_us(uint32_t us)
{
    return delay_units(us, 1000000);
}

int usleep(useconds_t usec)
{
    return delay_us(usec) == RETURNCODE_SUCCESS ? 0 : -1;
}

unsigned int sleep(unsigned int seconds)
{
    return delay_units(seconds, 1) == RETURNCODE_SUCCESS ? 0 : seconds;
}
