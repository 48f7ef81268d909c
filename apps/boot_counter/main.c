/*
 * Counts how many times it has booted, in its writeable flash region: it
 * reads the count straight from flash (its own TBF is readable), adds one
 * and stores it with Tock's app flash driver (0x50000). Booted from a flash
 * image (ksim flash install, ksim run --flash), the count survives a
 * restart of ksim. Pack it with a region:
 *
 *   ksim pack --flash-region 64 boot_counter.elf -o boot_counter.tbf
 *
 * Prints "boot_counter: boot N".
 */
#include <stdint.h>
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

enum { FLASH_WRITE = 1, FLASH_ALLOW = 0, FLASH_UPCALL = 0 };

static uint32_t stored; /* the word to write: the driver reads it from here */

static int fail(const char *what, returncode_t rc)
{
    printf("boot_counter: %s failed: %s\n", what, tock_strrcode(rc));
    return 1;
}

int main(void)
{
    if (tock_app_number_writeable_flash_regions() < 1) {
        printf("boot_counter: no writeable flash region (pack with --flash-region and boot "
               "from a flash image)\n");
        return 1;
    }
    volatile const uint32_t *region = tock_app_writeable_flash_region_begins_at(0);
    stored = *region + 1;

    returncode_t rc = tock_allow_ro_return_to_returncode(
        allow_readonly(KSIM_DRIVER_APP_FLASH, FLASH_ALLOW, &stored, sizeof(stored)));
    if (rc != RETURNCODE_SUCCESS)
        return fail("allow", rc);
    rc = tock_subscribe_return_to_returncode(
        subscribe(KSIM_DRIVER_APP_FLASH, FLASH_UPCALL, TOCK_NULL_UPCALL, NULL));
    if (rc != RETURNCODE_SUCCESS)
        return fail("subscribe", rc);
    rc = tock_command_return_novalue_to_returncode(
        command(KSIM_DRIVER_APP_FLASH, FLASH_WRITE, (uint32_t)(uintptr_t)region, 0));
    if (rc != RETURNCODE_SUCCESS)
        return fail("write", rc);
    yield_wait_for(KSIM_DRIVER_APP_FLASH, FLASH_UPCALL);
    if (*region != stored) {
        printf("boot_counter: flash holds %u after writing %u\n", (unsigned)*region,
               (unsigned)stored);
        return 1;
    }
    printf("boot_counter: boot %u\n", (unsigned)stored);
    return 0;
}
