/*
 * ksim's system calls as libtock-c's apps and libraries use them,
 * through libtock/tock.h only: return decoding, subscribe and allow
 * swapping, the three yields and upcalls run from inside them, memop and the
 * conversion helpers. Builds against ksim's runtime (CI) and, with
 * `ksim-cc --libtock-c DIR`, against DIR's own tock.h and tock.c.
 * Prints "libtock-port syscalls ok (N checks)" and returns 0, or names every
 * check that failed and returns 1.
 */
#include <ksim/abi.h>
#include <libtock/tock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_SUCH_DRIVER 0x7ffff

static int checks;
static int failures;

#define CHECK(cond) check((cond), #cond, __LINE__)

static void check(int ok, const char *what, int line)
{
    checks++;
    if (!ok) {
        failures++;
        printf("libtock-port syscalls FAILED line %d: %s\n", line, what);
    }
}

/* Userdata with bits above 32 set: the kernel must hand it back whole. */
static void *wide(uintptr_t low)
{
    return (void *)((UINTPTR_MAX & ~(uintptr_t)0xffffffffu) | low);
}

static int upcalls;
static int upcall_args[3];
static void *upcall_userdata;

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    upcalls++;
    upcall_args[0] = now;
    upcall_args[1] = expiration;
    upcall_args[2] = unused;
    upcall_userdata = userdata;
}

static void other_upcall(int a, int b, int c, void *userdata)
{
    (void)a, (void)b, (void)c, (void)userdata;
}

/* Alarm dt ticks from now; returns the expiration. */
static uint32_t set_alarm(uint32_t dt)
{
    uint32_t expiration = 0;
    syscall_return_t r = command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_SET_RELATIVE, (int)dt, 0);
    CHECK(r.type == TOCK_SYSCALL_SUCCESS_U32);
    CHECK(tock_command_return_u32_to_returncode(r, &expiration) == RETURNCODE_SUCCESS);
    return expiration;
}

static void commands(void)
{
    uint32_t hz = 0;
    syscall_return_t r = command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_FREQUENCY, 0, 0);
    CHECK(tock_command_return_u32_to_returncode(r, &hz) == RETURNCODE_SUCCESS);
    CHECK(hz > 0);

    r = command(NO_SUCH_DRIVER, 1, 0, 0);
    CHECK(r.type == TOCK_SYSCALL_FAILURE);
    CHECK(r.data[0] == TOCK_STATUSCODE_NODEVICE);
    CHECK(tock_command_return_novalue_to_returncode(r) == RETURNCODE_ENODEVICE);

    r = command(KSIM_DRIVER_ALARM, 9999, 0, 0);
    CHECK(tock_command_return_novalue_to_returncode(r) == RETURNCODE_ENOSUPPORT);
    /* A variant the helper does not expect. */
    CHECK(tock_command_return_novalue_to_returncode(
              command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_FREQUENCY, 0, 0)) == RETURNCODE_EBADRVAL);

    CHECK(driver_exists(KSIM_DRIVER_ALARM));
    CHECK(driver_exists(KSIM_DRIVER_CONSOLE));
    CHECK(!driver_exists(NO_SUCH_DRIVER));
    CHECK(tock_status_to_returncode(TOCK_STATUSCODE_SIZE) == RETURNCODE_ESIZE);
    CHECK(tock_strrcode(RETURNCODE_SUCCESS) != NULL);
    TOCK_EXPECT(RETURNCODE_SUCCESS,
                tock_command_return_u32_to_returncode(
                    command(KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_READ, 0, 0), &hz));
}

/* The helpers for the wider variants, on results a driver may return. */
static void wide_results(void)
{
    uint32_t v0 = 0, v1 = 0;
    uint64_t v64 = 0;
    syscall_return_t pair = {TOCK_SYSCALL_SUCCESS_U32_U32, {7, 9, 0}};
    CHECK(tock_command_return_u32_u32_to_returncode(pair, &v0, &v1) == RETURNCODE_SUCCESS);
    CHECK(v0 == 7 && v1 == 9);

    /* Success with u64: r1 holds the low half, r2 the high half. */
    syscall_return_t u64 = {TOCK_SYSCALL_SUCCESS_U64, {0x89abcdefu, 0x01234567u, 0}};
    CHECK(tock_command_return_u64_to_returncode(u64, &v64) == RETURNCODE_SUCCESS);
    CHECK(v64 == UINT64_C(0x0123456789abcdef));
    CHECK(tock_command_return_u64_to_returncode(pair, &v64) == RETURNCODE_EBADRVAL);

    syscall_return_t busy = {TOCK_SYSCALL_FAILURE, {TOCK_STATUSCODE_BUSY, 0, 0}};
    CHECK(tock_command_return_u32_u32_to_returncode(busy, &v0, &v1) == RETURNCODE_EBUSY);
    CHECK(tock_command_return_u64_to_returncode(busy, &v64) == RETURNCODE_EBUSY);
    /* Only plain Failure carries an error a helper passes on. */
    syscall_return_t busy_u32 = {TOCK_SYSCALL_FAILURE_U32, {TOCK_STATUSCODE_BUSY, 5, 0}};
    CHECK(tock_command_return_novalue_to_returncode(busy_u32) == RETURNCODE_EBADRVAL);
}

/* TRD104's name and number for variant 133 (r1 a u32, then a u64). */
_Static_assert(TOCK_SYSCALL_SUCCESS_U32_U64 == 133, "Success with u32 and u64");

static void subscribes(void)
{
    subscribe_return_t s =
        subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, on_alarm, wide(0x1234));
    CHECK(s.success);
    CHECK(s.callback == NULL && s.userdata == NULL);

    s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, other_upcall, wide(0x5678));
    CHECK(s.success);
    CHECK(s.callback == on_alarm);
    CHECK(s.userdata == wide(0x1234));
    CHECK(tock_subscribe_return_to_returncode(s) == RETURNCODE_SUCCESS);

    /* Failures hand back what was passed and keep the previous upcall. */
    s = subscribe(NO_SUCH_DRIVER, 0, on_alarm, wide(0x9abc));
    CHECK(!s.success);
    CHECK(s.status == TOCK_STATUSCODE_NODEVICE);
    CHECK(s.callback == on_alarm && s.userdata == wide(0x9abc));
    CHECK(tock_subscribe_return_to_returncode(s) == RETURNCODE_ENODEVICE);

    s = subscribe(KSIM_DRIVER_ALARM, 99, on_alarm, NULL);
    CHECK(!s.success && s.status == TOCK_STATUSCODE_NOSUPPORT);

    s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, (subscribe_upcall *)(uintptr_t)0x10,
                  NULL);
    CHECK(!s.success && s.status == TOCK_STATUSCODE_INVAL);

    s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, TOCK_NULL_UPCALL, NULL);
    CHECK(s.success && s.callback == other_upcall && s.userdata == wide(0x5678));
}

static void allows(void)
{
    static char first[16] = "first";
    static char second[32] = "second";
    static const char text[] = "read-only text in the image";

    /* stdio un-allows its buffer after every write: the slot starts empty. */
    allow_ro_return_t ro =
        allow_readonly(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RO_WRITE, first, sizeof first);
    CHECK(ro.success && ro.ptr == NULL && ro.size == 0);
    ro = allow_readonly(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RO_WRITE, text, sizeof text);
    CHECK(ro.success && ro.ptr == first && ro.size == sizeof first);
    ro = allow_readonly(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RO_WRITE, NULL, 0);
    CHECK(ro.success && ro.ptr == text && ro.size == sizeof text);
    CHECK(tock_allow_ro_return_to_returncode(ro) == RETURNCODE_SUCCESS);

    ro = allow_readonly(NO_SUCH_DRIVER, 0, first, 3);
    CHECK(!ro.success && ro.status == TOCK_STATUSCODE_NODEVICE);
    CHECK(ro.ptr == first && ro.size == 3);

    allow_rw_return_t rw =
        allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, second, sizeof second);
    CHECK(rw.success && rw.ptr == NULL && rw.size == 0);
    rw = allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, first, 5);
    CHECK(rw.success && rw.ptr == second && rw.size == sizeof second);
    /* Read-write access to the image is refused; the previous buffer stays. */
    rw = allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, (void *)(uintptr_t)text,
                         sizeof text);
    CHECK(!rw.success && rw.status == TOCK_STATUSCODE_INVAL);
    CHECK(rw.ptr == text && rw.size == sizeof text);
    CHECK(tock_allow_rw_return_to_returncode(rw) == RETURNCODE_EINVAL);
    rw = allow_readwrite(KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_ALLOW_RW_READ, NULL, 0);
    CHECK(rw.success && rw.ptr == first && rw.size == 5);

    allow_userspace_r_return_t ur = allow_userspace_read(NO_SUCH_DRIVER, 0, second, 4);
    CHECK(!ur.success && ur.status == TOCK_STATUSCODE_NODEVICE);
    CHECK(ur.ptr == second && ur.size == 4);
    CHECK(tock_allow_userspace_r_return_to_returncode(ur) == RETURNCODE_ENODEVICE);
}

static void yields(void)
{
    subscribe_return_t s =
        subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, on_alarm, wide(0x42));
    CHECK(s.success);

    /* Yield-NoWait: 0 with nothing pending, 1 once it ran an upcall. */
    upcalls = 0;
    CHECK(yield_no_wait() == 0);
    CHECK(upcalls == 0);
    uint32_t expiration = set_alarm(0);
    CHECK(yield_no_wait() == 1);
    CHECK(upcalls == 1);
    CHECK((uint32_t)upcall_args[1] == expiration);
    CHECK(upcall_userdata == wide(0x42));

    /* Yield-Wait runs the upcall with its arguments and userdata. */
    upcalls = 0;
    expiration = set_alarm(1000);
    yield();
    CHECK(upcalls == 1);
    CHECK((uint32_t)upcall_args[1] == expiration);
    CHECK(upcall_args[2] == 0);
    CHECK(upcall_userdata == wide(0x42));

    /* Yield-WaitFor returns the arguments and does not call the upcall. */
    upcalls = 0;
    expiration = set_alarm(500);
    yield_waitfor_return_t w = yield_wait_for(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED);
    CHECK(upcalls == 0);
    CHECK(w.data1 == expiration);
    CHECK(w.data2 == 0);

    /* ... with the Null Upcall too, as libtock-sync uses it. */
    s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, TOCK_NULL_UPCALL, NULL);
    CHECK(s.success);
    expiration = set_alarm(250);
    w = yield_wait_for(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED);
    CHECK(w.data1 == expiration);
}

static bool flag;

/* An upcall may call into the kernel itself (printf goes to the console). */
static void set_flag(int now, int expiration, int unused, void *userdata)
{
    (void)now, (void)expiration, (void)unused;
    printf("libtock-port upcall prints from inside a yield\n");
    *(bool *)userdata = true;
}

static void yield_for_a_flag(void)
{
    flag = false;
    subscribe_return_t s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, set_flag, &flag);
    CHECK(s.success);
    set_alarm(100);
    yield_for(&flag);
    CHECK(flag);
    s = subscribe(KSIM_DRIVER_ALARM, KSIM_ALARM_UPCALL_FIRED, TOCK_NULL_UPCALL, NULL);
    CHECK(s.success);
}

static void memops(void)
{
    int on_stack = 0;
    char *ram = tock_app_memory_begins_at();
    char *ram_end = tock_app_memory_ends_at();
    char *flash = tock_app_flash_begins_at();
    char *flash_end = tock_app_flash_ends_at();
    char *grant = tock_app_grant_begins_at();
    CHECK(ram != NULL && ram < ram_end);
    CHECK(flash != NULL && flash < flash_end);
    CHECK(grant > ram && grant <= ram_end);
    CHECK((char *)&on_stack >= ram && (char *)&on_stack < grant);
    CHECK((uintptr_t)memops >= (uintptr_t)flash && (uintptr_t)memops < (uintptr_t)flash_end);
    CHECK(tock_app_number_writeable_flash_regions() == 0);
    CHECK(tock_app_writeable_flash_region_begins_at(0) == NULL);

    /* sbrk(0) gives the break; a negative increment passes sign-extended. */
    memop_return_t m = memop(1, 0);
    CHECK(m.status == TOCK_STATUSCODE_SUCCESS);
    uintptr_t brk = m.data;
    CHECK(brk > (uintptr_t)ram && brk <= (uintptr_t)grant);
    m = memop(1, 4096);
    CHECK(m.status == TOCK_STATUSCODE_SUCCESS && m.data == brk);
    m = memop(1, (uintptr_t)(intptr_t)-4096);
    CHECK(m.status == TOCK_STATUSCODE_SUCCESS && m.data == brk + 4096);
    CHECK(memop(1, 0).data == brk);
    m = memop(0, (uintptr_t)grant + 4096);
    CHECK(m.status == TOCK_STATUSCODE_NOMEM);
    m = memop(99, 0);
    CHECK(m.status == TOCK_STATUSCODE_NOSUPPORT);

    /* ksim's malloc runs on the port's memop. */
    char *big = malloc(65536);
    CHECK(big != NULL);
    if (big != NULL) {
        memset(big, 0x5a, 65536);
        CHECK(big[65535] == 0x5a);
        free(big);
    }
}

int main(void)
{
    commands();
    wide_results();
    subscribes();
    allows();
    yields();
    yield_for_a_flag();
    memops();
    if (failures != 0) {
        printf("libtock-port syscalls: %d of %d checks FAILED\n", failures, checks);
        return 1;
    }
    printf("libtock-port syscalls ok (%d checks)\n", checks);
    return 0;
}
