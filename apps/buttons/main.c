/*
 * Enables interrupts on every button, prints each press and release, and
 * lights LED n while button n is down. Runs forever: drive it with
 * `ksim run --until 3 --press 0@1 buttons.elf`.
 */
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

enum { BUTTON_COUNT = 0, BUTTON_ENABLE = 1, BUTTON_UPCALL = 0 };
enum { LED_COUNT = 0, LED_ON = 1, LED_OFF = 2 };

static uint32_t leds;

static void on_button(int button, int pressed, int unused, void *ud)
{
    (void)unused;
    (void)ud;
    printf("buttons: button %d %s\n", button, pressed ? "pressed" : "released");
    if ((uint32_t)button < leds) {
        syscall_return_t r = command(KSIM_DRIVER_LED, pressed ? LED_ON : LED_OFF, button, 0);
        (void)r; /* a missing LED only means nothing lights up */
    }
}

int main(void)
{
    uint32_t count = 0;
    returncode_t rc = tock_command_return_u32_to_returncode(
        command(KSIM_DRIVER_BUTTON, BUTTON_COUNT, 0, 0), &count);
    if (rc != RETURNCODE_SUCCESS || count == 0) {
        printf("buttons: no buttons (%s)\n", tock_strrcode(rc));
        return 1;
    }
    if (tock_command_return_u32_to_returncode(command(KSIM_DRIVER_LED, LED_COUNT, 0, 0), &leds) !=
        RETURNCODE_SUCCESS)
        leds = 0;
    rc = tock_subscribe_return_to_returncode(
        subscribe(KSIM_DRIVER_BUTTON, BUTTON_UPCALL, on_button, NULL));
    for (uint32_t i = 0; i < count && rc == RETURNCODE_SUCCESS; i++)
        rc = tock_command_return_novalue_to_returncode(
            command(KSIM_DRIVER_BUTTON, BUTTON_ENABLE, (int)i, 0));
    if (rc != RETURNCODE_SUCCESS) {
        printf("buttons: set-up failed: %s\n", tock_strrcode(rc));
        return 1;
    }
    printf("buttons: waiting on %u buttons\n", (unsigned)count);
    for (;;)
        yield();
}
