/*
 * Running processes: the kernel's process operations (hal.h), each process
 * on its own stack in the app view. How app code is entered and left is the
 * architecture's (hal_cpu_x86_64.c with hal_switch_x86_64.S, or the portable
 * hal_cpu_ucontext.c); this file keeps what the kernel asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal_internal.h"

struct hal_stub *volatile hal__running;

static int proc_start(void *hal, unsigned slot, uintptr_t entry, uintptr_t stack_lo,
                      uintptr_t stack_top, const uintptr_t args[4])
{
    struct hal_stub *s = hal;
    struct hal__proc *p = &s->procs[slot];
    p->live = true;
    p->upcall = false;
    p->stack_lo = stack_lo;
    p->stack_hi = stack_top;
    p->code_lo = args[0];
    p->mem_lo = args[1];
    p->mem_hi = args[1] + args[2];
    p->entry = entry;
    memcpy(p->args, args, sizeof(p->args));
    memset(p->ret, 0, sizeof(p->ret));
    if (s->cfg.isolation_process)
        return hal__child_start(s, p);
    return hal__arch_start(s, p);
}

static void proc_set_return(void *hal, unsigned slot, const uintptr_t regs[4])
{
    struct hal_stub *s = hal;
    memcpy(s->procs[slot].ret, regs, sizeof(s->procs[slot].ret));
}

static void proc_push_upcall(void *hal, unsigned slot, uintptr_t fn, const uintptr_t args[4])
{
    struct hal_stub *s = hal;
    struct hal__proc *p = &s->procs[slot];
    p->upcall = true;
    p->upcall_fn = fn;
    memcpy(p->upcall_args, args, sizeof(p->upcall_args));
}

static void proc_run(void *hal, unsigned slot, struct hal_stop *stop)
{
    struct hal_stub *s = hal;
    struct hal__proc *p = &s->procs[slot];

    if (!p->live) {
        stop->kind = HAL_STOP_RETURNED;
        return;
    }
    s->stop = stop;
    s->run_start_tick = s->tick_count;
    hal__running = s;
    s->current = p;
    if (s->cfg.isolation_process)
        hal__child_run(s, p, stop);
    else
        hal__arch_run(s, p, stop);
    s->current = NULL;
    s->last_preempted = stop->kind == HAL_STOP_PREEMPTED;
    if (s->last_preempted)
        hal__clock_charge_timeslice(s);
}

static void proc_discard(void *hal, unsigned slot)
{
    struct hal_stub *s = hal;
    hal__arch_forget(&s->procs[slot]);
    hal__child_forget(&s->procs[slot]);
    s->procs[slot].live = false;
}

const struct hal_proc_ops hal__proc_ops = {
    .start = proc_start,
    .set_return = proc_set_return,
    .push_upcall = proc_push_upcall,
    .run = proc_run,
    .discard = proc_discard,
};

int hal__ctx_init(struct hal_stub *s, char *err, size_t errlen)
{
    s->procs = calloc(s->cfg.max_procs, sizeof(*s->procs));
    if (!s->procs) {
        snprintf(err, errlen, "out of memory for %u process contexts", s->cfg.max_procs);
        return -1;
    }
    return hal__arch_init(s, err, errlen);
}

void hal__ctx_fini(struct hal_stub *s)
{
    for (unsigned i = 0; s->procs && i < s->cfg.max_procs; i++) {
        hal__arch_forget(&s->procs[i]);
        hal__child_forget(&s->procs[i]);
    }
    hal__arch_fini(s);
    free(s->procs);
    s->procs = NULL;
}
