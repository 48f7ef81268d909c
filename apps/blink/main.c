/*
 * Toggles the board's LEDs in turn, one every 250 ms of alarm time, forever
 * (run it with --until). ksim shows each change on stderr:
 * "ksim: [0.250000] led 1 on".
 */
#include <alarm.h>
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

enum { LED_COUNT = 0, LED_TOGGLE = 3 };

int main(void)
{
    uint32_t leds = 0;
    returncode_t rc =
        tock_command_return_u32_to_returncode(command(KSIM_DRIVER_LED, LED_COUNT, 0, 0), &leds);
    if (rc != RETURNCODE_SUCCESS || leds == 0) {
        printf("blink: no LEDs (%s)\n", tock_strrcode(rc));
        return 1;
    }
    printf("blink: %u LEDs\n", (unsigned)leds);
    for (uint32_t i = 0;; i++) {
        rc = tock_command_return_novalue_to_returncode(
            command(KSIM_DRIVER_LED, LED_TOGGLE, (int)(i % leds), 0));
        if (rc != RETURNCODE_SUCCESS) {
            printf("blink: toggle failed: %s\n", tock_strrcode(rc));
            return 1;
        }
        delay_ms(250);
    }
}
