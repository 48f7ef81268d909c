/*
 * A bystander for the `scale` case: sleeps one virtual hour and exits. It
 * sits blocked in Yield-Wait while ping and pong run (virtual time does not
 * pass while a process is ready), so the scheduler has it to consider.
 */
#include <alarm.h>
#include <tock.h>

int main(void)
{
    uint32_t hz;
    if (ksim_alarm_frequency(&hz) != RETURNCODE_SUCCESS)
        return 1;
    return ksim_delay_ticks((uint64_t)hz * 3600u) == RETURNCODE_SUCCESS ? 0 : 2;
}
