/*
 * Asks the RNG driver for RNG_LINES x RNG_BYTES random bytes and prints
 * them in hex, one line per request. The generator is seeded (--seed N), so
 * the same seed prints the same bytes.
 */
#include <stdio.h>
#include <tock.h>
#include <ksim/abi.h>

#define RNG_BYTES 16
#define RNG_LINES 4

enum { RNG_GET = 1, RNG_ALLOW = 0, RNG_UPCALL = 0 };

static uint8_t buf[RNG_BYTES];

static int fail(const char *what, returncode_t rc)
{
    printf("rng: %s failed: %s\n", what, tock_strrcode(rc));
    return 1;
}

int main(void)
{
    returncode_t rc = tock_allow_rw_return_to_returncode(
        allow_readwrite(KSIM_DRIVER_RNG, RNG_ALLOW, buf, sizeof(buf)));
    if (rc != RETURNCODE_SUCCESS)
        return fail("allow", rc);
    /* The Null Upcall: Yield-WaitFor hands over the upcall's arguments itself. */
    rc = tock_subscribe_return_to_returncode(
        subscribe(KSIM_DRIVER_RNG, RNG_UPCALL, TOCK_NULL_UPCALL, NULL));
    if (rc != RETURNCODE_SUCCESS)
        return fail("subscribe", rc);
    for (int line = 0; line < RNG_LINES; line++) {
        rc = tock_command_return_novalue_to_returncode(
            command(KSIM_DRIVER_RNG, RNG_GET, sizeof(buf), 0));
        if (rc != RETURNCODE_SUCCESS)
            return fail("get", rc);
        yield_waitfor_return_t got = yield_wait_for(KSIM_DRIVER_RNG, RNG_UPCALL);
        printf("rng:");
        for (uint32_t i = 0; i < got.data1 && i < sizeof(buf); i++)
            printf(" %02x", buf[i]);
        printf("\n");
    }
    return 0;
}
