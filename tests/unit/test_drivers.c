/*
 * The everyday drivers (kernel/drivers/led.c, button.c, gpio.c, rng.c,
 * ipc.c) through syscall_handle on hand-made processes, over
 * the fake HAL of fake_hal.h plus a fake board I/O (LEDs, buttons, pins)
 * and a counting random source defined here. Each driver's command table:
 * command 0, NOSUPPORT for unknown commands, INVAL for an index the board
 * lacks; then what each does, and grant exhaustion.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "err.h"
#include "fake_hal.h"
#include "grant.h"
#include "proc.h"
#include "syscall.h"

#define LED    KSIM_DRIVER_LED
#define BUTTON KSIM_DRIVER_BUTTON
#define GPIO   KSIM_DRIVER_GPIO
#define RNG    KSIM_DRIVER_RNG
#define IPC    KSIM_DRIVER_IPC

#define NLEDS    4
#define NBUTTONS 3
#define NPINS    8

#define FN ((uintptr_t)FAKE_IMAGE_START + 0x100) /* an upcall inside the image */

/* --- A fake board I/O and random source --- */

static struct {
    bool leds[NLEDS];
    unsigned led_sets;
    bool buttons[NBUTTONS];
    struct {
        enum hal_pin_mode mode;
        enum hal_pin_pull pull;
        enum hal_pin_irq irq;
        bool out, ext;
    } pins[NPINS];
    uint8_t next_byte;
} io;

static unsigned led_count(void *hal)
{
    (void)hal;
    return NLEDS;
}
static void led_set(void *hal, unsigned led, bool on)
{
    (void)hal;
    cr_assert_lt(led, NLEDS, "the driver passed a bad LED index");
    io.leds[led] = on;
    io.led_sets++;
}
static bool led_get(void *hal, unsigned led)
{
    (void)hal;
    return io.leds[led];
}
static unsigned button_count(void *hal)
{
    (void)hal;
    return NBUTTONS;
}
static bool button_read(void *hal, unsigned b)
{
    (void)hal;
    return io.buttons[b];
}
static unsigned pin_count(void *hal)
{
    (void)hal;
    return NPINS;
}
static void pin_configure(void *hal, unsigned n, enum hal_pin_mode mode, enum hal_pin_pull pull)
{
    (void)hal;
    cr_assert_lt(n, NPINS, "the driver passed a bad pin");
    io.pins[n].mode = mode;
    io.pins[n].pull = pull;
}
static void pin_write(void *hal, unsigned n, bool high)
{
    (void)hal;
    io.pins[n].out = high;
}
static bool pin_read(void *hal, unsigned n)
{
    (void)hal;
    if (io.pins[n].mode == HAL_PIN_OUTPUT)
        return io.pins[n].out;
    if (io.pins[n].mode == HAL_PIN_INPUT)
        return io.pins[n].ext || io.pins[n].pull == HAL_PULL_UP;
    return false;
}
static void pin_set_irq(void *hal, unsigned n, enum hal_pin_irq irq)
{
    (void)hal;
    io.pins[n].irq = irq;
}

static const struct hal_gpio_ops io_ops = {
    .led_count = led_count,
    .led_set = led_set,
    .led_get = led_get,
    .button_count = button_count,
    .button_read = button_read,
    .pin_count = pin_count,
    .pin_configure = pin_configure,
    .pin_write = pin_write,
    .pin_read = pin_read,
    .pin_set_irq = pin_set_irq,
};

/* Bytes 1, 2, 3, ...: what landed where shows. */
static void rng_fill(void *hal, uint8_t *buf, size_t len)
{
    (void)hal;
    for (size_t i = 0; i < len; i++)
        buf[i] = ++io.next_byte;
}

static const struct hal_rng_ops rng_ops = {.fill = rng_fill};

/* Sensors: each read is counted; sensor_rc is what the next read returns. */
static struct {
    unsigned reads[HAL_SENSOR_KINDS];
    int rc;
} sensors;

static int sensor_read(void *hal, enum hal_sensor_kind kind)
{
    (void)hal;
    cr_assert_lt((unsigned)kind, HAL_SENSOR_KINDS);
    if (sensors.rc != 0)
        return sensors.rc;
    sensors.reads[kind]++;
    return 0;
}

/* A threshold reading: counted as a read, its thresholds kept. */
static int32_t sensor_lower, sensor_upper;
static int sensor_read_outside(void *hal, enum hal_sensor_kind kind, int32_t lower, int32_t upper)
{
    sensor_lower = lower;
    sensor_upper = upper;
    return sensor_read(hal, kind);
}

static const struct hal_sensor_ops sensor_ops = {.read = sensor_read,
                                                 .read_outside = sensor_read_outside};

/* A reading arrives: one value, or three. */
#define READING(...)       ((struct hal_sensor_reading){{__VA_ARGS__}})
#define arrives(kind, ...) kernel_sensor_reading(&fb.k, (kind), READING(__VA_ARGS__))

/* --- Board, processes, calls --- */

static struct fake_board fb;
static struct proc *p; /* slot 0 */
static uintptr_t r[4];

/* Process n's block: fake_proc's, moved up by n * 64 KiB. */
#define OFF(n)       ((uintptr_t)(n)*0x10000u)
#define DATA(n, off) (FAKE_DATA_START + OFF(n) + (off)) /* inside [data_start, brk) */

static struct proc *proc_n(unsigned n)
{
    const struct hal_block b = {
        .start = FAKE_START + OFF(n),
        .end = FAKE_END + OFF(n),
        .stack_start = FAKE_START + OFF(n),
        .stack_end = FAKE_STACK_END + OFF(n),
        .image_start = FAKE_IMAGE_START + OFF(n),
        .image_end = FAKE_IMAGE_END + OFF(n),
        .data_start = FAKE_DATA_START + OFF(n),
        .data_end = FAKE_DATA_END + OFF(n),
        .brk = FAKE_BRK + OFF(n),
        .grant_start = FAKE_GRANT_START + OFF(n),
    };
    struct proc *q = fake_proc_block(&fb, &b);
    cr_assert_eq(q->slot, n);
    return q;
}

static void setup(void)
{
    memset(&io, 0, sizeof(io));
    memset(&sensors, 0, sizeof(sensors));
    struct kernel_config cfg = fake_config();
    cfg.drv_led = cfg.drv_button = cfg.drv_gpio = cfg.drv_rng = cfg.drv_ipc = true;
    cfg.drv_temperature = cfg.drv_humidity = cfg.drv_ambient_light = cfg.drv_ninedof = true;
    cfg.drv_proximity = cfg.drv_sound_pressure = cfg.drv_moisture = cfg.drv_rainfall = true;
    cfg.drv_air_quality = true;
    fake_board_init_with(&fb, &cfg, FAKE_RAM_SIZE);
    fb.hal.gpio = &io_ops;
    fb.hal.rng = &rng_ops;
    fb.hal.sensor = &sensor_ops;
    p = proc_n(0);
}

static void teardown(void)
{
    fake_board_fini(&fb);
}

TestSuite(led, .init = setup, .fini = teardown);
TestSuite(button, .init = setup, .fini = teardown);
TestSuite(gpio, .init = setup, .fini = teardown);
TestSuite(rng, .init = setup, .fini = teardown);
TestSuite(ipc, .init = setup, .fini = teardown);
TestSuite(grant, .init = setup, .fini = teardown);

static void sys_as(struct proc *q, uint32_t cls, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d)
{
    r[0] = a;
    r[1] = b;
    r[2] = c;
    r[3] = d;
    cr_assert_eq(syscall_handle(&fb.k, q, cls, r), SYSCALL_RETURN);
}

static void cmd_as(struct proc *q, uint32_t drv, uint32_t cmd, uint32_t a0, uint32_t a1)
{
    sys_as(q, KSIM_CLASS_COMMAND, drv, cmd, a0, a1);
}

static void cmd(uint32_t drv, uint32_t c, uint32_t a0, uint32_t a1)
{
    cmd_as(p, drv, c, a0, a1);
}

#define expect(v, a, b, c) expect_at(__LINE__, (v), (a), (b), (c))
static void expect_at(int line, uintptr_t v, uintptr_t a, uintptr_t b, uintptr_t c)
{
    cr_assert(r[0] == v && r[1] == a && r[2] == b && r[3] == c,
              "line %d: got (%ju, 0x%jx, 0x%jx, 0x%jx), want (%ju, 0x%jx, 0x%jx, 0x%jx)", line,
              (uintmax_t)r[0], (uintmax_t)r[1], (uintmax_t)r[2], (uintmax_t)r[3], (uintmax_t)v,
              (uintmax_t)a, (uintmax_t)b, (uintmax_t)c);
}
#define expect_ok()        expect(KSIM_SUCCESS, 0, 0, 0)
#define expect_u32(x)      expect(KSIM_SUCCESS_U32, (x), 0, 0)
#define expect_fail(e)     expect(KSIM_FAILURE, (e), 0, 0)
#define expect_fail2(e, a) expect(KSIM_FAILURE_2_U32, (e), (a), 0)

static void subscribe_as(struct proc *q, uint32_t drv, uint32_t num)
{
    sys_as(q, KSIM_CLASS_SUBSCRIBE, drv, num, FN + OFF(q->slot), 0);
    cr_assert_eq(r[0], KSIM_SUCCESS_2_U32, "subscribe 0x%x/%u failed", drv, num);
}

static void allow_as(struct proc *q, uint32_t cls, uint32_t drv, uint32_t num, uintptr_t addr,
                     size_t len)
{
    sys_as(q, cls, drv, num, addr, len);
    cr_assert_eq(r[0], KSIM_SUCCESS_2_U32, "allow 0x%x/%u failed with %ju", drv, num,
                 (uintmax_t)r[1]);
}

/* The i-th queued event of q must be (drv, num, a0, a1, a2). */
#define expect_event(q, i, drv, num, a0, a1, a2)                                                   \
    expect_event_at(__LINE__, (q), (i), (drv), (num), (a0), (a1), (a2))
static void expect_event_at(int line, struct proc *q, unsigned i, uint32_t drv, uint32_t num,
                            uintptr_t a0, uintptr_t a1, uintptr_t a2)
{
    cr_assert_lt(i, q->upcalls.count, "line %d: only %u events queued", line, q->upcalls.count);
    const struct upcall_event *e = upcall_queue_at(&q->upcalls, i);
    cr_assert(e->driver == drv && e->number == num && e->args[0] == a0 && e->args[1] == a1 &&
                  e->args[2] == a2,
              "line %d: event (0x%x, %u, 0x%jx, 0x%jx, 0x%jx), want (0x%x, %u, 0x%jx, 0x%jx, "
              "0x%jx)",
              line, e->driver, e->number, (uintmax_t)e->args[0], (uintmax_t)e->args[1],
              (uintmax_t)e->args[2], drv, num, (uintmax_t)a0, (uintmax_t)a1, (uintmax_t)a2);
}

/* --- LED --- */

Test(led, count_is_success_u32)
{
    cmd(LED, 0, 0, 0);
    expect_u32(NLEDS); /* Tock's stable LED driver: Success with u32, not Success */
}

Test(led, on_off_toggle_read)
{
    cmd(LED, 1, 2, 0);
    expect_ok();
    cr_assert(io.leds[2]);
    cmd(LED, 4, 2, 0);
    expect_u32(1);
    cmd(LED, 2, 2, 0);
    expect_ok();
    cr_assert_not(io.leds[2]);
    cmd(LED, 3, 3, 0);
    expect_ok();
    cr_assert(io.leds[3]);
    cmd(LED, 3, 3, 0);
    cr_assert_not(io.leds[3]);
    cmd(LED, 4, 3, 0);
    expect_u32(0);
}

Test(led, bad_index_is_inval)
{
    for (uint32_t c = 1; c <= 4; c++) {
        cmd(LED, c, NLEDS, 0);
        expect_fail(KS_EINVAL);
        cmd(LED, c, UINT32_MAX, 0);
        expect_fail(KS_EINVAL);
    }
    cr_assert_eq(io.led_sets, 0, "a refused command changed an LED");
}

Test(led, unknown_command_is_nosupport)
{
    cmd(LED, 5, 0, 0);
    expect_fail(KS_ENOSUPPORT);
    cmd(LED, UINT32_MAX, 0, 0);
    expect_fail(KS_ENOSUPPORT);
}

Test(led, no_board_io_means_no_leds)
{
    fb.hal.gpio = NULL;
    cmd(LED, 0, 0, 0);
    expect_u32(0);
    cmd(LED, 1, 0, 0);
    expect_fail(KS_EINVAL);
}

/* --- Button --- */

Test(button, count_and_read)
{
    cmd(BUTTON, 0, 0, 0);
    expect_u32(NBUTTONS);
    io.buttons[1] = true;
    cmd(BUTTON, 3, 1, 0);
    expect_u32(1);
    cmd(BUTTON, 3, 0, 0);
    expect_u32(0);
}

Test(button, bad_index_is_inval)
{
    for (uint32_t c = 1; c <= 3; c++) {
        cmd(BUTTON, c, NBUTTONS, 0);
        expect_fail(KS_EINVAL);
    }
    cmd(BUTTON, 1, 31, 0); /* inside the 32-bit map, but not on this board */
    expect_fail(KS_EINVAL);
}

Test(button, unknown_command_is_nosupport)
{
    cmd(BUTTON, 4, 0, 0);
    expect_fail(KS_ENOSUPPORT);
}

Test(button, interrupts_reach_only_processes_that_enabled_them)
{
    struct proc *q = proc_n(1);
    subscribe_as(p, BUTTON, 0);
    subscribe_as(q, BUTTON, 0);
    cmd(BUTTON, 1, 2, 0);
    expect_ok();
    kernel_button_changed(&fb.k, 2, true);
    kernel_button_changed(&fb.k, 1, true); /* nobody enabled button 1 */
    kernel_button_changed(&fb.k, 2, false);
    cr_assert_eq(p->upcalls.count, 2);
    expect_event(p, 0, BUTTON, 0, 2, 1, 0);
    expect_event(p, 1, BUTTON, 0, 2, 0, 0);
    cr_assert_eq(q->upcalls.count, 0, "q never enabled button 2");

    cmd(BUTTON, 2, 2, 0);
    expect_ok();
    kernel_button_changed(&fb.k, 2, true);
    kernel_button_changed(&fb.k, NBUTTONS, true); /* not a button: ignored */
    cr_assert_eq(p->upcalls.count, 2, "disabled: no more events");
}

/* --- GPIO --- */

Test(gpio, exists_and_count)
{
    cmd(GPIO, 0, 0, 0);
    expect_ok(); /* Tock's GPIO: plain Success; the count is command 10 */
    cmd(GPIO, 10, 0, 0);
    expect_u32(NPINS);
}

Test(gpio, bad_pin_is_inval)
{
    for (uint32_t c = 1; c <= 9; c++) {
        cmd(GPIO, c, NPINS, 0);
        expect_fail(KS_EINVAL);
    }
}

Test(gpio, unknown_command_is_nosupport)
{
    cmd(GPIO, 11, 0, 0);
    expect_fail(KS_ENOSUPPORT);
}

Test(gpio, output_set_clear_toggle_read)
{
    cmd(GPIO, 1, 5, 0);
    expect_ok();
    cr_assert_eq(io.pins[5].mode, HAL_PIN_OUTPUT);
    cmd(GPIO, 2, 5, 0);
    cr_assert(io.pins[5].out);
    cmd(GPIO, 6, 5, 0);
    expect_u32(1);
    cmd(GPIO, 3, 5, 0);
    cr_assert_not(io.pins[5].out);
    cmd(GPIO, 4, 5, 0);
    cr_assert(io.pins[5].out);
    cmd(GPIO, 9, 5, 0);
    expect_ok();
    cr_assert_eq(io.pins[5].mode, HAL_PIN_DISABLED);
}

Test(gpio, input_pull_modes)
{
    static const enum hal_pin_pull want[] = {HAL_PULL_NONE, HAL_PULL_UP, HAL_PULL_DOWN};
    for (uint32_t pull = 0; pull < 3; pull++) {
        cmd(GPIO, 5, 1, pull);
        expect_ok();
        cr_assert_eq(io.pins[1].mode, HAL_PIN_INPUT);
        cr_assert_eq(io.pins[1].pull, want[pull]);
    }
    cmd(GPIO, 6, 1, 0);
    expect_u32(0); /* pulled down */
    cmd(GPIO, 5, 2, 3);
    expect_fail(KS_ENOSUPPORT);
    cr_assert_eq(io.pins[2].mode, HAL_PIN_DISABLED, "a refused setting changes nothing");
}

Test(gpio, interrupt_configuration)
{
    static const enum hal_pin_irq want[] = {HAL_IRQ_EITHER, HAL_IRQ_RISING, HAL_IRQ_FALLING};
    for (uint32_t edge = 0; edge < 3; edge++) {
        cmd(GPIO, 7, 4, edge);
        expect_ok();
        cr_assert_eq(io.pins[4].irq, want[edge]);
    }
    cmd(GPIO, 7, 4, 3);
    expect_fail(KS_ENOSUPPORT);
    cr_assert_eq(io.pins[4].irq, HAL_IRQ_FALLING);
    cmd(GPIO, 5, 4, 1);
    cmd(GPIO, 8, 4, 0);
    expect_ok();
    cr_assert_eq(io.pins[4].irq, HAL_IRQ_NONE);
    cr_assert_eq(io.pins[4].mode, HAL_PIN_DISABLED, "as Tock: command 8 disables the pin too");
}

Test(gpio, interrupts_reach_every_subscribed_process)
{
    struct proc *q = proc_n(1), *x = proc_n(2);
    subscribe_as(p, GPIO, 0);
    subscribe_as(q, GPIO, 0);
    (void)x; /* never used the driver: no grant, no event */
    kernel_gpio_changed(&fb.k, 6, true);
    kernel_gpio_changed(&fb.k, NPINS, true); /* not a pin: ignored */
    expect_event(p, 0, GPIO, 0, 6, 1, 0);
    expect_event(q, 0, GPIO, 0, 6, 1, 0);
    cr_assert_eq(p->upcalls.count, 1);
    cr_assert_eq(x->upcalls.count, 0);
}

/* --- RNG --- */

Test(rng, fills_the_buffer_and_reports_the_count)
{
    const uintptr_t buf = DATA(0, 0x40);
    memset(fake_view(&fb, buf), 0, 16);
    allow_as(p, KSIM_CLASS_ALLOW_RW, RNG, 0, buf, 8);
    cmd(RNG, 1, 8, 0);
    expect_ok();
    for (int i = 0; i < 8; i++)
        cr_assert_eq(fake_view(&fb, buf)[i], i + 1);
    cr_assert_eq(fake_view(&fb, buf)[8], 0, "nothing past the buffer");
    expect_event(p, 0, RNG, 0, 0, 8, 0);
}

Test(rng, short_buffer_gets_what_fits)
{
    const uintptr_t buf = DATA(0, 0x40);
    allow_as(p, KSIM_CLASS_ALLOW_RW, RNG, 0, buf, 4);
    cmd(RNG, 1, 100, 0);
    expect_ok();
    expect_event(p, 0, RNG, 0, 0, 4, 0);
}

Test(rng, no_buffer_reports_zero_bytes)
{
    cmd(RNG, 1, 10, 0);
    expect_ok();
    expect_event(p, 0, RNG, 0, 0, 0, 0);
    cr_assert_eq(io.next_byte, 0);
}

Test(rng, zero_bytes_never_calls_back)
{
    allow_as(p, KSIM_CLASS_ALLOW_RW, RNG, 0, DATA(0, 0), 4);
    cmd(RNG, 1, 0, 0);
    expect_ok();
    cr_assert_eq(p->upcalls.count, 0, "as Tock: nothing remains, so no upcall");
}

Test(rng, command_table)
{
    cmd(RNG, 0, 0, 0);
    expect_ok();
    cmd(RNG, 2, 0, 0);
    expect_fail(KS_ENOSUPPORT);
    fb.hal.rng = NULL;
    cmd(RNG, 1, 4, 0);
    expect_fail(KS_ENODEVICE);
}

/* --- IPC --- */

static void put(uintptr_t addr, const char *s)
{
    memcpy(fake_view(&fb, addr), s, strlen(s) + 1);
}

static void discover_as(struct proc *q, const char *name)
{
    const uintptr_t at = DATA(q->slot, 0x200);
    put(at, name);
    allow_as(q, KSIM_CLASS_ALLOW_RO, IPC, 0, at, strlen(name));
    cmd_as(q, IPC, 1, 0, 0);
}

Test(ipc, command_table)
{
    cmd(IPC, 0, 0, 0);
    expect_ok();
    cmd(IPC, 4, 0, 0);
    expect_fail(KS_ENOSUPPORT);
}

Test(ipc, discovery_by_name)
{
    proc_n(1); /* named fake1 */
    discover_as(p, "fake1");
    expect_u32(1);
    discover_as(p, "fake0");
    expect_u32(0);
    discover_as(p, "fake");
    expect_fail(KS_ENODEVICE); /* a prefix is not the name */
    discover_as(p, "fake10");
    expect_fail(KS_ENODEVICE);
    discover_as(p, "nobody");
    expect_fail(KS_ENODEVICE);
}

Test(ipc, discovery_without_a_name_is_nodevice)
{
    cmd(IPC, 1, 0, 0);
    expect_fail(KS_ENODEVICE);
    /* An embedded NUL: "fake0\0" is six bytes, the name five. */
    put(DATA(0, 0x200), "fake0");
    allow_as(p, KSIM_CLASS_ALLOW_RO, IPC, 0, DATA(0, 0x200), 6);
    cmd(IPC, 1, 0, 0);
    expect_fail(KS_ENODEVICE);
}

Test(ipc, notify_checks_the_target)
{
    proc_n(1);
    cmd(IPC, 2, 3, 0); /* a free slot */
    expect_fail(KS_EINVAL);
    cmd(IPC, 3, 1000, 0);
    expect_fail(KS_EINVAL);
    fb.k.procs[1].state = PROC_TERMINATED;
    cmd(IPC, 2, 1, 0);
    expect_fail(KS_ENODEVICE);
    cmd(IPC, 2, 0, 0); /* itself: accepted, as Tock, and dropped */
    expect_ok();
    cr_assert_eq(p->upcalls.count, 0);
}

/* p (slot 0) is a service; q (slot 1) a client sharing "abc" with it. */
static struct proc *service_and_client(void)
{
    struct proc *q = proc_n(1);
    subscribe_as(p, IPC, 0);
    put(DATA(1, 0x100), "abc");
    allow_as(q, KSIM_CLASS_ALLOW_RW, IPC, 0, DATA(1, 0x100), 4);
    subscribe_as(q, IPC, 0);
    return q;
}

static bool has_share(const struct proc *x, uintptr_t start, uintptr_t len)
{
    for (unsigned i = 0; i < x->block.nshares; i++)
        if (x->block.shares[i].start == start && x->block.shares[i].len == len)
            return true;
    return false;
}

Test(ipc, service_gets_the_clients_buffer_and_access_to_it)
{
    struct proc *q = service_and_client();
    cmd_as(q, IPC, 2, 0, 0);
    expect_ok();
    /* Service upcall: number = its own id; (client, length, the client's buffer). */
    expect_event(p, 0, IPC, 0, 1, 4, DATA(1, 0x100));
    cr_assert(has_share(p, DATA(1, 0x100), 4), "the service's MPU covers the client's buffer");
    cr_assert_eq(q->block.nshares, 0, "the client gets nothing of the service's");
}

Test(ipc, client_notified_back_gets_the_services_buffer_for_it)
{
    struct proc *q = service_and_client();
    cmd_as(q, IPC, 2, 0, 0);
    /* No buffer of the service's for the client: (service, 0, 0). */
    cmd_as(p, IPC, 3, 1, 0);
    expect_ok();
    expect_event(q, 0, IPC, 0, 0, 0, 0);
    /* With one (RW Allow numbered with the client's id), the client gets it. */
    allow_as(p, KSIM_CLASS_ALLOW_RW, IPC, 1, DATA(0, 0x300), 8);
    q->upcalls.count = 0;
    cmd_as(p, IPC, 3, 1, 0);
    expect_event(q, 0, IPC, 0, 0, 8, DATA(0, 0x300));
    cr_assert(has_share(q, DATA(0, 0x300), 8));
}

Test(ipc, sharing_the_same_buffer_again_takes_no_new_region)
{
    struct proc *q = service_and_client();
    for (int i = 0; i < 3; i++) {
        cmd_as(q, IPC, 2, 0, 0);
        p->upcalls.count = 0;
    }
    cr_assert_eq(p->block.nshares, 1);
}

Test(ipc, a_share_the_mpu_cannot_express_still_reaches_the_upcall)
{
    struct proc *q = service_and_client();
    fb.share_rc = -KS_ENOMEM;
    cmd_as(q, IPC, 2, 0, 0);
    expect_ok();
    expect_event(p, 0, IPC, 0, 1, 4, DATA(1, 0x100)); /* as Tock: touching it faults */
    cr_assert_eq(p->block.nshares, 0);
}

Test(ipc, shares_end_when_the_sharing_process_stops_or_restarts)
{
    struct proc *q = service_and_client();
    cmd_as(q, IPC, 2, 0, 0);
    cr_assert_eq(p->block.nshares, 1);
    proc_terminate(&fb.k, q, 0);
    cr_assert_eq(p->block.nshares, 0, "the client's memory is no longer the service's to touch");

    struct proc *x = proc_n(2);
    allow_as(x, KSIM_CLASS_ALLOW_RW, IPC, 0, DATA(2, 0x100), 4);
    cmd_as(x, IPC, 2, 0, 0);
    cr_assert_eq(p->block.nshares, 1);
    proc_restart(&fb.k, p);
    cr_assert_eq(p->block.nshares, 0, "a restarted service starts without shares");
}

Test(ipc, no_buffer_gives_no_share)
{
    struct proc *q = proc_n(1);
    subscribe_as(p, IPC, 0);
    cmd_as(q, IPC, 2, 0, 0);
    expect_ok();
    expect_event(p, 0, IPC, 0, 1, 0, 0);
    cr_assert_eq(fb.share_calls, 0);
}

Test(ipc, second_pending_notify_from_one_sender_is_busy)
{
    /* One sender cannot fill another's queue (docs/drivers.md). */
    struct proc *q = proc_n(1);
    cmd_as(q, IPC, 2, 0, 0);
    expect_ok();
    cmd_as(q, IPC, 2, 0, 0);
    expect_fail(KS_EBUSY);
}

/* --- Grants --- */

Test(grant, exhaustion_is_nomem_and_leaves_the_app_alone)
{
    /* A 256-byte grant region: room for small grants, not for IPC's. */
    const struct hal_block b = {
        .start = FAKE_START + OFF(1),
        .end = FAKE_END + OFF(1),
        .stack_start = FAKE_START + OFF(1),
        .stack_end = FAKE_STACK_END + OFF(1),
        .image_start = FAKE_IMAGE_START + OFF(1),
        .image_end = FAKE_IMAGE_END + OFF(1),
        .data_start = FAKE_DATA_START + OFF(1),
        .data_end = FAKE_DATA_END + OFF(1),
        .brk = FAKE_BRK + OFF(1),
        .grant_start = FAKE_END + OFF(1) - 0x100,
    };
    struct proc *q = fake_proc_block(&fb, &b);

    cmd_as(q, BUTTON, 1, 0, 0);
    expect_ok();
    uintptr_t top = q->grant_top;
    cr_assert_lt(top, b.end, "the button grant was allocated");
    cr_assert_geq(top, b.grant_start);

    cmd_as(q, IPC, 1, 0, 0);
    expect_fail(KS_ENOMEM);
    sys_as(q, KSIM_CLASS_SUBSCRIBE, IPC, 0, FN + OFF(1), 7);
    expect(KSIM_FAILURE_2_U32, KS_ENOMEM, FN + OFF(1), 7); /* the arguments, handed back */
    cr_assert_eq(q->grant_top, top, "a failed allocation takes nothing");
    cr_assert_eq(q->state, PROC_RUNNING);

    /* Everything below the button's grant is as the fake board left it. */
    for (uintptr_t a = b.start; a < top; a++)
        cr_assert_eq(*fake_view(&fb, a), FAKE_RAM_FILL, "0x%jx was touched", (uintmax_t)a);

    /* The grant that fit still works. */
    subscribe_as(q, BUTTON, 0);
    kernel_button_changed(&fb.k, 0, true);
    expect_event(q, 0, BUTTON, 0, 0, 1, 0);
}

Test(grant, ipc_grant_fits_the_default_region)
{
    /* alarm, console, button, gpio, rng and IPC all at once in a 0x2000-byte region. */
    subscribe_as(p, KSIM_DRIVER_ALARM, 0);
    subscribe_as(p, KSIM_DRIVER_CONSOLE, 1);
    subscribe_as(p, BUTTON, 0);
    subscribe_as(p, GPIO, 0);
    subscribe_as(p, RNG, 0);
    subscribe_as(p, IPC, 63);
    cr_assert_geq(p->grant_top, p->block.grant_start);
    sys_as(p, KSIM_CLASS_SUBSCRIBE, IPC, 64, FN, 0);
    expect(KSIM_FAILURE_2_U32, KS_ENOSUPPORT, FN, 0); /* IPC has 64 subscribe numbers */
}

/* --- The driver table (driver.h): checks syscall.c makes for every driver --- */

TestSuite(driver, .init = setup, .fini = teardown);

/* A process whose grant region has no room at all. */
static struct proc *proc_without_grant_room(void)
{
    const struct hal_block b = {
        .start = FAKE_START + OFF(1),
        .end = FAKE_END + OFF(1),
        .stack_start = FAKE_START + OFF(1),
        .stack_end = FAKE_STACK_END + OFF(1),
        .image_start = FAKE_IMAGE_START + OFF(1),
        .image_end = FAKE_IMAGE_END + OFF(1),
        .data_start = FAKE_DATA_START + OFF(1),
        .data_end = FAKE_DATA_END + OFF(1),
        .brk = FAKE_BRK + OFF(1),
        .grant_start = FAKE_END + OFF(1),
    };
    return fake_proc_block(&fb, &b);
}

Test(driver, every_driver_installs_in_number_order)
{
    struct kernel_config cfg = fake_config();
    cfg.drv_led = cfg.drv_button = cfg.drv_gpio = cfg.drv_rng = cfg.drv_ipc = true;
    cfg.drv_app_flash = cfg.drv_temperature = cfg.drv_humidity = cfg.drv_ambient_light = true;
    cfg.drv_ninedof = cfg.drv_proximity = cfg.drv_sound_pressure = cfg.drv_moisture = true;
    cfg.drv_rainfall = cfg.drv_air_quality = true;
    fake_board_fini(&fb);
    fake_board_init_with(&fb, &cfg, FAKE_RAM_SIZE); /* asserts kernel_init succeeds */
    cr_assert_eq(fb.k.ndrivers, 18, "every driver ksim has");
    for (unsigned i = 0; i < fb.k.ndrivers; i++) {
        if (i > 0)
            cr_assert_gt(fb.k.drivers[i]->num, fb.k.drivers[i - 1]->num,
                         "kernel_init's table is not in ascending number order at %u", i);
        cr_assert_eq(kernel_driver_index(&fb.k, fb.k.drivers[i]->num), (int)i);
    }
    const uint32_t missing[] = {0x5,     0x7,     0x9,     0xffff,  0x10001,
                                0x40000, 0x40002, 0x50001, 0x60003, UINT32_MAX};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
        cr_assert_eq(kernel_driver_index(&fb.k, missing[i]), -1, "0x%x found", missing[i]);
}

Test(driver, add_keeps_numbers_ascending)
{
    unsigned n = fb.k.ndrivers;
    cr_assert_eq(kernel_add_driver(&fb.k, &drv_alarm), -KS_EINVAL, "a number below the last");
    cr_assert_eq(kernel_add_driver(&fb.k, &drv_rainfall), -KS_EINVAL, "the last number again");
    cr_assert_eq(fb.k.ndrivers, n, "a refused driver is not installed");
}

Test(driver, a_sparse_command_list_must_ascend_from_0)
{
    static const uint16_t unsorted[] = {0, 5, 3}, no_zero[] = {1, 2};
    struct driver d = drv_ninedof;
    d.num = 0x7fffffff; /* above every installed number */
    d.command_numbers = unsorted;
    d.command_count = 3;
    cr_assert_eq(kernel_add_driver(&fb.k, &d), -KS_EINVAL, "numbers out of order");
    d.command_numbers = no_zero;
    d.command_count = 2;
    cr_assert_eq(kernel_add_driver(&fb.k, &d), -KS_EINVAL, "no existence check");
    d.command_count = 0;
    cr_assert_eq(kernel_add_driver(&fb.k, &d), -KS_EINVAL, "an empty list");
    d = drv_ninedof;
    d.num = 0x7fffffff;
    cr_assert_geq(kernel_add_driver(&fb.k, &d), 0, "ninedof's own list");
}

Test(driver, table_answers_command_0_and_out_of_range_numbers)
{
    cmd(KSIM_DRIVER_LOW_LEVEL_DEBUG, 0, 1, 2);
    expect_ok();
    cmd(KSIM_DRIVER_LOW_LEVEL_DEBUG, KSIM_LOW_LEVEL_DEBUG_CMD_COUNT, 1, 2);
    expect_fail(KS_ENOSUPPORT);
    cmd(KSIM_DRIVER_LOW_LEVEL_DEBUG, UINT32_MAX, 1, 2);
    expect_fail(KS_ENOSUPPORT);
    if (UINTPTR_MAX > UINT32_MAX) { /* a number over TRD104's 32 bits is not truncated to 1 */
        sys_as(p, KSIM_CLASS_COMMAND, KSIM_DRIVER_LOW_LEVEL_DEBUG,
               (uintptr_t)((uint64_t)1 << 32 | 1), 1, 2);
        expect_fail(KS_ENOSUPPORT);
    }
    cr_assert_eq(fb.ndebug, 0, "the driver never saw those commands");
}

Test(driver, index_is_checked_before_the_grant)
{
    struct proc *q = proc_without_grant_room();
    int idx = kernel_driver_index(&fb.k, BUTTON);
    cmd_as(q, BUTTON, KSIM_BUTTON_CMD_ENABLE_INTERRUPT, NBUTTONS, 0);
    expect_fail(KS_EINVAL);
    cmd_as(q, BUTTON, KSIM_BUTTON_CMD_ENABLE_INTERRUPT, 0, 0);
    expect_fail(KS_ENOMEM);
    /* Reading a button needs no grant: it works with no room for one. */
    io.buttons[1] = true;
    cmd_as(q, BUTTON, KSIM_BUTTON_CMD_READ, 1, 0);
    expect_u32(1);
    cr_assert_eq(q->grant[idx], 0, "no grant was made");
    cr_assert_eq(q->grant_top, q->block.end);
}

Test(driver, grant_failure_is_nomem_once_for_every_driver)
{
    struct proc *q = proc_without_grant_room();
    const struct {
        uint32_t drv, cmd;
    } calls[] = {
        {KSIM_DRIVER_ALARM, KSIM_ALARM_CMD_READ},
        {KSIM_DRIVER_CONSOLE, KSIM_CONSOLE_CMD_ABORT_READ},
        {RNG, KSIM_RNG_CMD_GET},
        {IPC, KSIM_IPC_CMD_DISCOVER},
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        cmd_as(q, calls[i].drv, calls[i].cmd, 0, 0);
        expect_fail(KS_ENOMEM);
        cmd_as(q, calls[i].drv, 0, 0, 0);
        expect_ok(); /* command 0 needs no grant */
    }
    cr_assert_eq(q->grant_top, q->block.end);
}

/* --- Sensors (kernel/drivers/sensor.c and one file per capsule) --- */

TestSuite(sensor, .init = setup, .fini = teardown);

#define TEMPERATURE KSIM_DRIVER_TEMPERATURE
#define HUMIDITY    KSIM_DRIVER_HUMIDITY

Test(sensor, temperature_read_delivers_the_value_to_upcall_0)
{
    subscribe_as(p, TEMPERATURE, KSIM_TEMPERATURE_UPCALL_READING);
    cmd(TEMPERATURE, KSIM_TEMPERATURE_CMD_READ, 0, 0);
    expect_ok();
    cr_assert_eq(sensors.reads[HAL_SENSOR_TEMPERATURE], 1);
    cr_assert_eq(p->upcalls.count, 0, "split-phase: nothing before the value arrives");
    arrives(HAL_SENSOR_TEMPERATURE, -1250);
    expect_event(p, 0, TEMPERATURE, 0, (uint32_t)-1250, 0, 0);
    /* One value per read: another reading (someone else's) reaches no one. */
    arrives(HAL_SENSOR_TEMPERATURE, 99);
    cr_assert_eq(p->upcalls.count, 1);
}

Test(sensor, temperature_read_while_one_is_under_way_joins_it)
{
    struct proc *q = proc_n(1);
    cmd_as(p, TEMPERATURE, KSIM_TEMPERATURE_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(q, TEMPERATURE, KSIM_TEMPERATURE_CMD_READ, 0, 0);
    expect_ok(); /* Tock: success, and the upcall comes with the reading under way */
    cr_assert_eq(sensors.reads[HAL_SENSOR_TEMPERATURE], 1, "one reading for both");
    arrives(HAL_SENSOR_TEMPERATURE, 2350);
    expect_event(p, 0, TEMPERATURE, 0, 2350, 0, 0);
    expect_event(q, 0, TEMPERATURE, 0, 2350, 0, 0);
}

Test(sensor, humidity_read_while_one_is_under_way_is_busy)
{
    struct proc *q = proc_n(1);
    cmd_as(p, HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(q, HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    cmd_as(p, HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    arrives(HAL_SENSOR_HUMIDITY, 4321);
    expect_event(p, 0, HUMIDITY, 0, 4321, 0, 0);
    cr_assert_eq(q->upcalls.count, 0, "q's read was refused");
    cmd_as(q, HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_ok(); /* free again once the value arrived */
    cr_assert_eq(sensors.reads[HAL_SENSOR_HUMIDITY], 2);
}

Test(sensor, kinds_are_independent)
{
    cmd(TEMPERATURE, KSIM_TEMPERATURE_CMD_READ, 0, 0);
    expect_ok();
    cmd(HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_ok(); /* a temperature reading does not make humidity busy */
    arrives(HAL_SENSOR_HUMIDITY, 1);
    expect_event(p, 0, HUMIDITY, 0, 1, 0, 0);
    cr_assert_eq(p->upcalls.count, 1, "the temperature reading is still under way");
}

Test(sensor, a_read_that_does_not_start_leaves_the_sensor_free)
{
    sensors.rc = -KS_EBUSY;
    cmd(HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    sensors.rc = 0;
    cmd(HUMIDITY, KSIM_HUMIDITY_CMD_READ, 0, 0);
    expect_ok();
    fb.hal.sensor = NULL;
    cmd(TEMPERATURE, KSIM_TEMPERATURE_CMD_READ, 0, 0);
    expect_fail(KS_ENODEVICE);
}

Test(sensor, command_table)
{
    cmd(TEMPERATURE, 0, 0, 0);
    expect_ok();
    cmd(HUMIDITY, 0, 0, 0);
    expect_ok();
    cmd(TEMPERATURE, KSIM_TEMPERATURE_CMD_COUNT, 0, 0);
    expect_fail(KS_ENOSUPPORT);
    cmd(HUMIDITY, KSIM_HUMIDITY_CMD_COUNT, 0, 0);
    expect_fail(KS_ENOSUPPORT);
    sys_as(p, KSIM_CLASS_SUBSCRIBE, HUMIDITY, 1, FN, 0);
    expect(KSIM_FAILURE_2_U32, KS_ENOSUPPORT, FN, 0); /* one upcall, number 0 */
}

#define AMBIENT_LIGHT  KSIM_DRIVER_AMBIENT_LIGHT
#define NINEDOF        KSIM_DRIVER_NINEDOF
#define PROXIMITY      KSIM_DRIVER_PROXIMITY
#define SOUND_PRESSURE KSIM_DRIVER_SOUND_PRESSURE
#define AIR_QUALITY    KSIM_DRIVER_AIR_QUALITY
#define MOISTURE       KSIM_DRIVER_MOISTURE
#define RAINFALL       KSIM_DRIVER_RAINFALL

Test(sensor, every_sensor_exists_and_bounds_its_commands)
{
    const struct {
        uint32_t drv, count;
    } all[] = {
        {AMBIENT_LIGHT, KSIM_AMBIENT_LIGHT_CMD_COUNT},
        {PROXIMITY, KSIM_PROXIMITY_CMD_COUNT},
        {SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_COUNT},
        {AIR_QUALITY, KSIM_AIR_QUALITY_CMD_COUNT},
        {MOISTURE, KSIM_MOISTURE_CMD_COUNT},
        {RAINFALL, KSIM_RAINFALL_CMD_COUNT},
        {NINEDOF, KSIM_NINEDOF_CMD_COUNT},
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        cmd(all[i].drv, 0, 0, 0);
        expect_ok();
        cmd(all[i].drv, all[i].count, 0, 0);
        expect_fail(KS_ENOSUPPORT);
        sys_as(p, KSIM_CLASS_SUBSCRIBE, all[i].drv, 1, FN, 0);
        expect(KSIM_FAILURE_2_U32, KS_ENOSUPPORT, FN, 0); /* one upcall, number 0 */
    }
}

Test(sensor, ambient_light_delivers_lux_and_joins_a_read_under_way)
{
    struct proc *q = proc_n(1);
    cmd_as(p, AMBIENT_LIGHT, KSIM_AMBIENT_LIGHT_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(q, AMBIENT_LIGHT, KSIM_AMBIENT_LIGHT_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(p, AMBIENT_LIGHT, KSIM_AMBIENT_LIGHT_CMD_READ, 0, 0);
    expect_ok(); /* Tock: a second read of the same process is success, and one upcall */
    cr_assert_eq(sensors.reads[HAL_SENSOR_AMBIENT_LIGHT], 1, "one reading for all");
    cr_assert_eq(p->upcalls.count, 0, "split-phase");
    arrives(HAL_SENSOR_AMBIENT_LIGHT, 320);
    expect_event(p, 0, AMBIENT_LIGHT, 0, 320, 0, 0);
    expect_event(q, 0, AMBIENT_LIGHT, 0, 320, 0, 0);
    cr_assert_eq(p->upcalls.count, 1);
}

Test(sensor, moisture_and_rainfall_give_a_status_then_the_value)
{
    struct proc *q = proc_n(1);
    cmd_as(p, MOISTURE, KSIM_MOISTURE_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(q, MOISTURE, KSIM_MOISTURE_CMD_READ, 0, 0);
    expect_ok(); /* joins it, as Tock's moisture capsule */
    cmd_as(p, RAINFALL, KSIM_RAINFALL_CMD_READ, 1, 0);
    expect_ok();
    cmd_as(q, RAINFALL, KSIM_RAINFALL_CMD_READ, 24, 0);
    expect_ok();
    cr_assert_eq(sensors.reads[HAL_SENSOR_MOISTURE], 1);
    cr_assert_eq(sensors.reads[HAL_SENSOR_RAINFALL], 1);
    arrives(HAL_SENSOR_MOISTURE, 2500);
    arrives(HAL_SENSOR_RAINFALL, 1200);
    expect_event(p, 0, MOISTURE, 0, 0, 2500, 0);
    expect_event(q, 0, MOISTURE, 0, 0, 2500, 0);
    expect_event(p, 1, RAINFALL, 0, 0, 1200, 0);
    expect_event(q, 1, RAINFALL, 0, 0, 1200, 0);
}

Test(sensor, sound_pressure_is_busy_while_any_read_is_under_way)
{
    struct proc *q = proc_n(1);
    cmd_as(p, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_ENABLE, 0, 0);
    expect_ok();
    cmd_as(p, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(q, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    cmd_as(p, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    arrives(HAL_SENSOR_SOUND_PRESSURE, 40);
    expect_event(p, 0, SOUND_PRESSURE, 0, 40, 0, 0);
    cr_assert_eq(q->upcalls.count, 0);
    /* A read does not need the sensor enabled, as in Tock's capsule. */
    cmd_as(q, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_DISABLE, 0, 0);
    expect_ok();
    cmd_as(q, SOUND_PRESSURE, KSIM_SOUND_PRESSURE_CMD_READ, 0, 0);
    expect_ok();
    arrives(HAL_SENSOR_SOUND_PRESSURE, 41);
    expect_event(q, 0, SOUND_PRESSURE, 0, 41, 0, 0);
}

Test(sensor, ninedof_gives_three_values_for_each_of_its_sensors)
{
    const struct {
        uint32_t command;
        enum hal_sensor_kind kind;
    } all[] = {
        {KSIM_NINEDOF_CMD_ACCELEROMETER, HAL_SENSOR_ACCELEROMETER},
        {KSIM_NINEDOF_CMD_MAGNETOMETER, HAL_SENSOR_MAGNETOMETER},
        {KSIM_NINEDOF_CMD_GYROSCOPE, HAL_SENSOR_GYROSCOPE},
    };
    for (unsigned i = 0; i < 3; i++) {
        cmd(NINEDOF, all[i].command, 0, 0);
        expect_ok();
        cr_assert_eq(sensors.reads[all[i].kind], 1);
        arrives(all[i].kind, (int32_t)i + 1, -20, 1000);
        expect_event(p, i, NINEDOF, 0, i + 1, (uint32_t)-20, 1000);
    }
    /* The sparse command numbers: everything between them is NOSUPPORT. */
    const uint32_t none[] = {2, 99, 101, 199, 201, 300};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        cmd(NINEDOF, none[i], 0, 0);
        expect_fail(KS_ENOSUPPORT);
    }
}

Test(sensor, ninedof_queues_one_command_per_process_while_a_reading_is_under_way)
{
    struct proc *q = proc_n(1), *r2 = proc_n(2);
    cmd_as(p, NINEDOF, KSIM_NINEDOF_CMD_ACCELEROMETER, 0, 0);
    expect_ok();
    cmd_as(q, NINEDOF, KSIM_NINEDOF_CMD_ACCELEROMETER, 0, 0);
    expect_ok(); /* queued */
    cmd_as(q, NINEDOF, KSIM_NINEDOF_CMD_GYROSCOPE, 0, 0);
    expect_fail(KS_EBUSY); /* one queued command per process, as Tock */
    cmd_as(r2, NINEDOF, KSIM_NINEDOF_CMD_MAGNETOMETER, 0, 0);
    expect_ok();
    cr_assert_eq(sensors.reads[HAL_SENSOR_ACCELEROMETER], 1, "one reading under way");
    cr_assert_eq(sensors.reads[HAL_SENSOR_MAGNETOMETER], 0);
    arrives(HAL_SENSOR_ACCELEROMETER, 1, 2, 3);
    expect_event(p, 0, NINEDOF, 0, 1, 2, 3);
    expect_event(q, 0, NINEDOF, 0, 1, 2, 3); /* the same reading serves q's */
    cr_assert_eq(r2->upcalls.count, 0);
    cr_assert_eq(sensors.reads[HAL_SENSOR_MAGNETOMETER], 1, "r2's command started next");
    arrives(HAL_SENSOR_MAGNETOMETER, 20, 0, -43);
    expect_event(r2, 0, NINEDOF, 0, 20, 0, (uint32_t)-43);
    cr_assert_eq(p->upcalls.count, 1);
    cr_assert_eq(q->upcalls.count, 1);
    /* Free again; a read that does not start leaves it free. */
    sensors.rc = -KS_ENODEVICE;
    cmd_as(q, NINEDOF, KSIM_NINEDOF_CMD_GYROSCOPE, 0, 0);
    expect_fail(KS_ENODEVICE);
    sensors.rc = 0;
    cmd_as(q, NINEDOF, KSIM_NINEDOF_CMD_GYROSCOPE, 0, 0);
    expect_ok();
}

Test(sensor, ninedof_reading_of_a_process_that_ended_goes_to_the_queue)
{
    struct proc *q = proc_n(1);
    cmd_as(p, NINEDOF, KSIM_NINEDOF_CMD_GYROSCOPE, 0, 0);
    expect_ok();
    cmd_as(q, NINEDOF, KSIM_NINEDOF_CMD_ACCELEROMETER, 0, 0);
    expect_ok();
    proc_terminate(&fb.k, p, 0);
    arrives(HAL_SENSOR_GYROSCOPE, 0, 0, 0);
    cr_assert_eq(sensors.reads[HAL_SENSOR_ACCELEROMETER], 1, "q's starts");
    arrives(HAL_SENSOR_ACCELEROMETER, 0, 0, 1000);
    expect_event(q, 0, NINEDOF, 0, 0, 0, 1000);
}

Test(sensor, proximity_read_is_busy_for_the_same_process_and_shared_with_others)
{
    struct proc *q = proc_n(1);
    cmd_as(p, PROXIMITY, KSIM_PROXIMITY_CMD_READ, 0, 0);
    expect_ok();
    cmd_as(p, PROXIMITY, KSIM_PROXIMITY_CMD_READ, 0, 0);
    expect_fail(KS_EBUSY);
    cmd_as(q, PROXIMITY, KSIM_PROXIMITY_CMD_READ, 0, 0);
    expect_ok();
    cr_assert_eq(sensors.reads[HAL_SENSOR_PROXIMITY], 1);
    arrives(HAL_SENSOR_PROXIMITY, 17);
    expect_event(p, 0, PROXIMITY, 0, 17, 0, 0);
    expect_event(q, 0, PROXIMITY, 0, 17, 0, 0);
    cr_assert_eq(sensors.reads[HAL_SENSOR_PROXIMITY], 1, "nothing left to run");
}

Test(sensor, proximity_threshold_waits_until_the_value_leaves_the_window)
{
    struct proc *q = proc_n(1);
    cmd_as(p, PROXIMITY, KSIM_PROXIMITY_CMD_READ_OUTSIDE, 10, 175);
    expect_ok();
    cr_assert_eq(sensor_lower, 10);
    cr_assert_eq(sensor_upper, 175);
    /* Another process's narrower window narrows the chip's thresholds. */
    cmd_as(q, PROXIMITY, KSIM_PROXIMITY_CMD_READ_OUTSIDE, 20, 100);
    expect_ok();
    cr_assert_eq(sensor_lower, 20);
    cr_assert_eq(sensor_upper, 100);
    arrives(HAL_SENSOR_PROXIMITY, 150); /* above q's 100, inside p's window */
    expect_event(q, 0, PROXIMITY, 0, 150, 0, 0);
    cr_assert_eq(p->upcalls.count, 0, "p waits on");
    cr_assert_eq(sensor_lower, 10, "the chip waits for p's window again");
    cr_assert_eq(sensor_upper, 175);
    /* A read interrupts the wait; the wait runs again after it. */
    cmd_as(q, PROXIMITY, KSIM_PROXIMITY_CMD_READ, 0, 0);
    expect_ok();
    arrives(HAL_SENSOR_PROXIMITY, 150);
    expect_event(q, 1, PROXIMITY, 0, 150, 0, 0);
    cr_assert_eq(p->upcalls.count, 0);
    arrives(HAL_SENSOR_PROXIMITY, 200);
    expect_event(p, 0, PROXIMITY, 0, 200, 0, 0);
}

Test(sensor, proximity_thresholds_without_hal_support_are_nosupport)
{
    static const struct hal_sensor_ops plain = {.read = sensor_read};
    fb.hal.sensor = &plain;
    cmd(PROXIMITY, KSIM_PROXIMITY_CMD_READ_OUTSIDE, 0, 175);
    expect_fail(KS_ENOSUPPORT);
    cmd(PROXIMITY, KSIM_PROXIMITY_CMD_READ, 0, 0);
    expect_ok(); /* the refused command was not kept */
}

Test(sensor, air_quality_reads_co2_or_tvoc_one_at_a_time)
{
    struct proc *q = proc_n(1);
    cmd(AIR_QUALITY, KSIM_AIR_QUALITY_CMD_ENVIRONMENT, 2350, 4500);
    expect_fail(KS_ENOSUPPORT); /* a TODO in Tock's capsule */
    cmd_as(p, AIR_QUALITY, KSIM_AIR_QUALITY_CMD_READ_CO2, 0, 0);
    expect_ok();
    cmd_as(q, AIR_QUALITY, KSIM_AIR_QUALITY_CMD_READ_TVOC, 0, 0);
    expect_fail(KS_EBUSY); /* the chip does one at a time */
    cmd_as(q, AIR_QUALITY, KSIM_AIR_QUALITY_CMD_READ_CO2, 0, 0);
    expect_fail(KS_EBUSY);
    arrives(HAL_SENSOR_CO2, 420);
    expect_event(p, 0, AIR_QUALITY, 0, 420, 0, 0);
    cr_assert_eq(q->upcalls.count, 0);
    cmd_as(q, AIR_QUALITY, KSIM_AIR_QUALITY_CMD_READ_TVOC, 0, 0);
    expect_ok();
    cr_assert_eq(sensors.reads[HAL_SENSOR_TVOC], 1);
    arrives(HAL_SENSOR_TVOC, 50);
    expect_event(q, 0, AIR_QUALITY, 0, 50, 0, 0);
    cr_assert_eq(p->upcalls.count, 1);
}
