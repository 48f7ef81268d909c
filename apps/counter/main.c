/*
 * Counts to COUNTER_STEPS, yielding between steps (it waits 1 ms on the
 * alarm), so several copies interleave and all finish. Each step goes out
 * through low-level debug, which the kernel stamps with the caller's
 * process id: "LowLevelDebug: App 0x3 prints 0x2 0x5" is process 3 at step
 * 2 of 5. (Tock gives an app no system call for its own id; the kernel's
 * stamp is how a count is told apart.) Ends with "counter done".
 */
#include <alarm.h>
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

#define COUNTER_STEPS 5
#define LLD_PRINT2    3 /* low-level debug: print two numbers */

int main(void)
{
    for (int step = 1; step <= COUNTER_STEPS; step++) {
        returncode_t rc = tock_command_return_novalue_to_returncode(
            command(KSIM_DRIVER_LOW_LEVEL_DEBUG, LLD_PRINT2, step, COUNTER_STEPS));
        if (rc != RETURNCODE_SUCCESS) {
            printf("counter: low-level debug failed: %s\n", tock_strrcode(rc));
            return 1;
        }
        delay_ms(1); /* yield: the other counters run */
    }
    printf("counter done\n");
    return 0;
}
