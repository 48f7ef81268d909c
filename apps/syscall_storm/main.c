/*
 * syscall_storm: random system calls from inside a real process, with
 * hostile pointers and lengths, for a few virtual seconds. Its randomness is
 * seeded from the RNG driver, so `--seed N` repeats a storm exactly.
 *
 * It leaves out only what would end it by the ABI's own rules: the Exit
 * class, unknown classes and yield types (they fault), blocking yields with
 * nothing to wake them, and upcall pointers into random code (an upcall there
 * would run garbage). Read-Write buffers the kernel accepts point at a scratch
 * area, so drivers filling them cannot overwrite the storm's own stack.
 */
#include <stdint.h>
#include <stdio.h>
#include <tock.h>

#define STORM_SECONDS 5
#define SCRATCH_SIZE  512

static uint64_t state;
static uint8_t scratch[SCRATCH_SIZE];
static volatile unsigned upcalls;

static uint64_t next(void)
{
    /* splitmix64 */
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void on_upcall(int a, int b, int c, void *ud)
{
    (void)a, (void)b, (void)c, (void)ud;
    upcalls++;
}

/* An address an attacker would try: own regions' edges, others, kernel, far away. */
static uintptr_t hostile_address(void)
{
    uintptr_t mem = (uintptr_t)tock_app_memory_begins_at();
    uintptr_t grant = (uintptr_t)tock_app_grant_begins_at();
    uintptr_t image = (uintptr_t)tock_app_flash_begins_at();
    switch (next() % 9) {
    case 0:
        return 0;
    case 1:
        return UINTPTR_MAX - (uintptr_t)(next() % 64);
    case 2:
        return grant + (uintptr_t)(next() % 4096);
    case 3:
        return mem - 1 - (uintptr_t)(next() % 65536); /* below: a neighbour or the kernel */
    case 4:
        return mem & ~(uintptr_t)0xffffff; /* the kernel's RAM */
    case 5:
        return image + (uintptr_t)(next() % 4096); /* own code: read-only */
    case 6:
        return 0x10000000u + (uintptr_t)(next() % 4096); /* flash */
    case 7:
        return (uintptr_t)next();
    default:
        return (uintptr_t)scratch + (uintptr_t)(next() % SCRATCH_SIZE);
    }
}

static uintptr_t hostile_length(void)
{
    switch (next() % 5) {
    case 0:
        return 0;
    case 1:
        return UINTPTR_MAX - (uintptr_t)(next() % 16);
    case 2:
        return (uintptr_t)1 << (next() % 40);
    default:
        return (uintptr_t)(next() % (SCRATCH_SIZE + 64));
    }
}

static uint32_t some_driver(void)
{
    static const uint32_t drivers[] = {0x0, 0x1,     0x2,     0x3, 0x4,
                                       0x8, 0x40001, 0x10000, 0x5, 0xffffffff};
    return drivers[next() % (sizeof(drivers) / sizeof(drivers[0]))];
}

/* The runtime's raw entry into the gate (apps/runtime/tock.c). */
void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);
static void raw(uint32_t cls, uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3);

/* Read-Write buffers only ever point where a driver may write without harm. */
static void storm_allow(uint32_t cls)
{
    uintptr_t addr = hostile_address(), len = hostile_length();
    if (cls != 4 && addr >= (uintptr_t)tock_app_memory_begins_at() &&
        addr < (uintptr_t)tock_app_grant_begins_at() &&
        !(addr >= (uintptr_t)scratch && addr < (uintptr_t)scratch + SCRATCH_SIZE)) {
        addr = (uintptr_t)scratch;
        len %= SCRATCH_SIZE;
    }
    if (addr >= (uintptr_t)scratch && addr < (uintptr_t)scratch + SCRATCH_SIZE &&
        len > (uintptr_t)scratch + SCRATCH_SIZE - addr)
        len = (uintptr_t)scratch + SCRATCH_SIZE - addr;
    raw(cls, some_driver(), next() % 4, addr, len);
}

static void storm_subscribe(void)
{
    uintptr_t fn = 0;
    switch (next() % 3) {
    case 0:
        fn = (uintptr_t)on_upcall;
        break;
    case 1:
        fn = hostile_address() | 1; /* refused unless inside the image: made odd, never code */
        if (fn >= (uintptr_t)tock_app_flash_begins_at() && fn < (uintptr_t)tock_app_flash_ends_at())
            fn = 0;
        break;
    default:
        break;
    }
    raw(1, some_driver(), next() % 4, fn, (uintptr_t)next());
}

static void storm_memop(void)
{
    uint32_t op = (uint32_t)(next() % 14);
    uintptr_t arg = (next() & 1) ? hostile_address() : (uintptr_t)(int32_t)(next() % 8192 - 4096);
    raw(5, op, arg, (uintptr_t)next(), (uintptr_t)next());
}

static void storm_yield(void)
{
    uint8_t flag;
    uintptr_t where = (next() & 1) ? (uintptr_t)&flag : hostile_address();
    raw(0, 0, where, 0, 0); /* no-wait: never blocks */
}

static void raw(uint32_t cls, uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    uintptr_t regs[4] = {r0, r1, r2, r3};
    ksim_syscall(cls, regs);
}

/* Results the storm does not need: the kernel's answers are checked by the kernel's tests. */
static void ignore_allow(allow_rw_return_t r)
{
    (void)r;
}

static void ignore_subscribe(subscribe_return_t r)
{
    (void)r;
}

static void ignore_command(syscall_return_t r)
{
    (void)r;
}

static uint64_t seed_from_rng(void)
{
    uint8_t bytes[8] = {0};
    ignore_allow(allow_readwrite(0x40001, 0, bytes, sizeof(bytes)));
    ignore_subscribe(subscribe(0x40001, 0, NULL, NULL));
    if (command(0x40001, 1, sizeof(bytes), 0).type == TOCK_SYSCALL_SUCCESS)
        yield_wait_for(0x40001, 0);
    ignore_allow(allow_readwrite(0x40001, 0, NULL, 0));
    uint64_t s = 0;
    for (int i = 0; i < 8; i++)
        s = s << 8 | bytes[i];
    return s;
}

int main(void)
{
    state = seed_from_rng();
    printf("syscall_storm: seed 0x%016llx\n", (unsigned long long)state);
    uint32_t hz = (uint32_t)command(0, 1, 0, 0).data[0];
    uint32_t start = (uint32_t)command(0, 2, 0, 0).data[0];
    unsigned long calls = 0;
    while ((uint32_t)command(0, 2, 0, 0).data[0] - start < STORM_SECONDS * hz) {
        for (int i = 0; i < 1000; i++, calls++) {
            switch (next() % 6) {
            case 0:
                storm_subscribe();
                break;
            case 1:
                raw(2, some_driver(), (uintptr_t)(next() % 8), hostile_address(), hostile_length());
                break;
            case 2:
                storm_allow((uint32_t)(3 + next() % 2));
                break;
            case 3:
                storm_allow(7);
                break;
            case 4:
                storm_memop();
                break;
            default:
                storm_yield();
                break;
            }
        }
        /* Let time pass (and others run): a short real sleep on the alarm. */
        ignore_subscribe(subscribe(0, 0, NULL, NULL));
        ignore_command(command(0, 5, (int)(hz / 100), 0));
        yield_wait_for(0, 0);
    }
    printf("syscall_storm: %lu calls, %u upcalls, survived\n", calls, upcalls);
    return 0;
}
