/*
 * The board's LEDs, buttons and GPIO pins (struct hal_gpio_ops), and the
 * inputs that drive them from outside: button presses and pin levels that
 * sim/ schedules on the simulated clock (--press, --gpio) or applies at
 * once. A change that an app could see becomes an interrupt, serviced by the
 * kernel loop like the alarm's. Every LED or output change, and every input,
 * is shown as one line on stderr with the virtual time.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal_internal.h"

#define EVENT_RING 256 /* interrupts not yet serviced; more are dropped, as lost edges */

struct pin {
    enum hal_pin_mode mode;
    enum hal_pin_pull pull;
    enum hal_pin_irq irq;
    bool out;    /* output latch */
    bool driven; /* something outside drives the pin (--gpio) */
    bool ext;    /* the level it drives */
};

struct input {
    uint64_t t_ns;
    enum hal_stub_input_kind kind;
    unsigned index;
    bool level;
};

struct event {
    enum hal_stub_input_kind kind;
    unsigned index;
    bool level;
};

struct hal__gpio {
    unsigned nleds, nbuttons, npins;
    bool *leds;
    bool *buttons; /* pressed */
    struct pin *pins;

    struct input *inputs; /* sorted by time; [next, count) are still to come */
    size_t ninputs, next_input, cap_inputs;
    uint64_t reached_ns; /* the virtual clock was asked to reach this time */

    struct event ring[EVENT_RING];
    unsigned head, count;

    hal_stub_io_fn observer; /* sim/'s trace */
    void *observer_ctx;
};

/* One line on stderr ("ksim: [1.500000] led 0 on"), and the observer's event. */
static void show(struct hal_stub *s, const char *kind, unsigned index, const char *what)
{
    uint64_t now = hal_stub_now_ns(s);
    char detail[48];
    snprintf(detail, sizeof(detail), "%u %s", index, what);
    fprintf(stderr, "ksim: [%.6f] %s %s\n", (double)now / 1e9, kind, detail);
    if (s->gpio->observer)
        s->gpio->observer(s->gpio->observer_ctx, kind, detail, now);
}

void hal_stub_set_io_observer(struct hal_stub *s, hal_stub_io_fn fn, void *ctx)
{
    s->gpio->observer = fn;
    s->gpio->observer_ctx = ctx;
}

static void raise_event(struct hal__gpio *g, enum hal_stub_input_kind kind, unsigned index,
                        bool level)
{
    if (g->count == EVENT_RING)
        return;
    g->ring[(g->head + g->count) % EVENT_RING] = (struct event){kind, index, level};
    g->count++;
}

static bool pin_level(const struct pin *p)
{
    switch (p->mode) {
    case HAL_PIN_OUTPUT:
        return p->out;
    case HAL_PIN_INPUT:
        return p->driven ? p->ext : p->pull == HAL_PULL_UP;
    default:
        return false;
    }
}

static bool edge_selected(enum hal_pin_irq irq, bool high)
{
    return irq == HAL_IRQ_EITHER || (irq == HAL_IRQ_RISING && high) ||
           (irq == HAL_IRQ_FALLING && !high);
}

/* --- ops --------------------------------------------------------------------- */

static struct hal__gpio *gpio_of(void *hal)
{
    return ((struct hal_stub *)hal)->gpio;
}

static unsigned led_count(void *hal)
{
    return gpio_of(hal)->nleds;
}

static void led_set(void *hal, unsigned led, bool on)
{
    struct hal__gpio *g = gpio_of(hal);
    if (led >= g->nleds || g->leds[led] == on)
        return;
    g->leds[led] = on;
    show(hal, "led", led, on ? "on" : "off");
}

static bool led_get(void *hal, unsigned led)
{
    struct hal__gpio *g = gpio_of(hal);
    return led < g->nleds && g->leds[led];
}

static unsigned button_count(void *hal)
{
    return gpio_of(hal)->nbuttons;
}

static bool button_read(void *hal, unsigned button)
{
    struct hal__gpio *g = gpio_of(hal);
    return button < g->nbuttons && g->buttons[button];
}

static unsigned pin_count(void *hal)
{
    return gpio_of(hal)->npins;
}

static void pin_configure(void *hal, unsigned n, enum hal_pin_mode mode, enum hal_pin_pull pull)
{
    struct hal__gpio *g = gpio_of(hal);
    if (n >= g->npins)
        return;
    struct pin *p = &g->pins[n];
    bool was_output = p->mode == HAL_PIN_OUTPUT;
    p->mode = mode;
    p->pull = mode == HAL_PIN_INPUT ? pull : HAL_PULL_NONE;
    if (mode == HAL_PIN_OUTPUT && !was_output)
        show(hal, "gpio", n, p->out ? "output high" : "output low");
}

static void pin_write(void *hal, unsigned n, bool high)
{
    struct hal__gpio *g = gpio_of(hal);
    if (n >= g->npins || g->pins[n].out == high)
        return;
    g->pins[n].out = high;
    if (g->pins[n].mode == HAL_PIN_OUTPUT)
        show(hal, "gpio", n, high ? "high" : "low");
}

static bool pin_read(void *hal, unsigned n)
{
    struct hal__gpio *g = gpio_of(hal);
    return n < g->npins && pin_level(&g->pins[n]);
}

static void pin_set_irq(void *hal, unsigned n, enum hal_pin_irq irq)
{
    struct hal__gpio *g = gpio_of(hal);
    if (n < g->npins)
        g->pins[n].irq = irq;
}

const struct hal_gpio_ops hal__gpio_ops = {
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

/* --- inputs from outside ------------------------------------------------------- */

void hal_stub_button(struct hal_stub *s, unsigned button, bool pressed)
{
    struct hal__gpio *g = s->gpio;
    if (button >= g->nbuttons || g->buttons[button] == pressed)
        return;
    g->buttons[button] = pressed;
    show(s, "button", button, pressed ? "pressed" : "released");
    raise_event(g, HAL_STUB_INPUT_BUTTON, button, pressed);
}

void hal_stub_pin(struct hal_stub *s, unsigned n, bool high)
{
    struct hal__gpio *g = s->gpio;
    if (n >= g->npins)
        return;
    struct pin *p = &g->pins[n];
    bool before = pin_level(p);
    p->driven = true;
    p->ext = high;
    show(s, "gpio", n, high ? "input high" : "input low");
    /* Only an input sees the outside level, and only its selected edges interrupt. */
    if (p->mode == HAL_PIN_INPUT && before != high && edge_selected(p->irq, high))
        raise_event(g, HAL_STUB_INPUT_PIN, n, high);
}

int hal_stub_schedule_input(struct hal_stub *s, enum hal_stub_input_kind kind, unsigned index,
                            bool level, uint64_t t_ns)
{
    struct hal__gpio *g = s->gpio;
    unsigned limit = kind == HAL_STUB_INPUT_BUTTON ? g->nbuttons : g->npins;
    if (index >= limit)
        return -1;
    if (g->ninputs == g->cap_inputs) {
        size_t cap = g->cap_inputs ? g->cap_inputs * 2 : 16;
        struct input *n = realloc(g->inputs, cap * sizeof(*n));
        if (!n)
            return -1;
        g->inputs = n;
        g->cap_inputs = cap;
    }
    /* Insert after every input at or before t: equal times keep their given order. */
    size_t i = g->ninputs;
    while (i > g->next_input && g->inputs[i - 1].t_ns > t_ns) {
        g->inputs[i] = g->inputs[i - 1];
        i--;
    }
    g->inputs[i] = (struct input){t_ns, kind, index, level};
    g->ninputs++;
    return 0;
}

bool hal__gpio_next_ns(const struct hal_stub *s, uint64_t *t_ns)
{
    const struct hal__gpio *g = s->gpio;
    if (!g || g->next_input >= g->ninputs)
        return false;
    *t_ns = g->inputs[g->next_input].t_ns;
    return true;
}

void hal__gpio_reached(struct hal_stub *s, uint64_t t_ns)
{
    if (s->gpio && t_ns > s->gpio->reached_ns)
        s->gpio->reached_ns = t_ns;
}

/* Applies the inputs whose time has come. */
static void apply_due(struct hal_stub *s)
{
    struct hal__gpio *g = s->gpio;
    if (g->next_input >= g->ninputs)
        return;
    uint64_t now = hal_stub_now_ns(s);
    if (now < g->reached_ns)
        now = g->reached_ns; /* the tick clock rounds: the asked-for time counts */
    while (g->next_input < g->ninputs && g->inputs[g->next_input].t_ns <= now) {
        const struct input *in = &g->inputs[g->next_input++];
        if (in->kind == HAL_STUB_INPUT_BUTTON)
            hal_stub_button(s, in->index, in->level);
        else
            hal_stub_pin(s, in->index, in->level);
    }
}

bool hal__gpio_pending(struct hal_stub *s)
{
    if (!s->gpio)
        return false;
    apply_due(s);
    return s->gpio->count > 0;
}

void hal__gpio_service(struct hal_stub *s, struct kernel *k)
{
    struct hal__gpio *g = s->gpio;
    /* Take each event off the ring before the call: the kernel may change pins. */
    while (g && g->count > 0) {
        struct event ev = g->ring[g->head];
        g->head = (g->head + 1) % EVENT_RING;
        g->count--;
        if (ev.kind == HAL_STUB_INPUT_BUTTON)
            kernel_button_changed(k, ev.index, ev.level);
        else
            kernel_gpio_changed(k, ev.index, ev.level);
    }
}

int hal__gpio_init(struct hal_stub *s, char *err, size_t errlen)
{
    struct hal__gpio *g = calloc(1, sizeof(*g));
    if (g) {
        g->nleds = s->cfg.led_count;
        g->nbuttons = s->cfg.button_count;
        g->npins = s->cfg.pin_count;
        /* One extra element each: calloc(0) may return NULL. */
        g->leds = calloc(g->nleds + 1, sizeof(*g->leds));
        g->buttons = calloc(g->nbuttons + 1, sizeof(*g->buttons));
        g->pins = calloc(g->npins + 1, sizeof(*g->pins));
    }
    s->gpio = g;
    if (!g || !g->leds || !g->buttons || !g->pins) {
        snprintf(err, errlen, "out of memory for LEDs, buttons and pins");
        return -1;
    }
    return 0;
}

void hal__gpio_fini(struct hal_stub *s)
{
    struct hal__gpio *g = s->gpio;
    if (!g)
        return;
    free(g->leds);
    free(g->buttons);
    free(g->pins);
    free(g->inputs);
    free(g);
    s->gpio = NULL;
}
