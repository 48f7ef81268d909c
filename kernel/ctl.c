/* Process control for the process console and tests. */
#include "ctl.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"

struct proc *kernel_ctl_find(struct kernel *k, uint32_t id)
{
    for (unsigned i = 0; i < k->nprocs; i++)
        if (k->procs[i].state != PROC_FREE && k->procs[i].id == id)
            return &k->procs[i];
    return NULL;
}

int kernel_ctl_stop(struct kernel *k, struct proc *p)
{
    (void)k;
    if (!proc_is_alive(p))
        return -KS_EINVAL;
    if (p->stopped)
        return -KS_EALREADY;
    p->stopped = true; /* the scheduler skips it; its state is kept */
    return 0;
}

int kernel_ctl_start(struct kernel *k, struct proc *p)
{
    if (!proc_is_alive(p))
        return -KS_EINVAL;
    if (!p->stopped)
        return -KS_EALREADY;
    p->stopped = false;
    proc_make_ready(k, p); /* runs if it has something to run for */
    return 0;
}

int kernel_ctl_kill(struct kernel *k, struct proc *p)
{
    if (!proc_is_alive(p))
        return -KS_EINVAL;
    p->stopped = false;
    proc_terminate(k, p, 0);
    return 0;
}

int kernel_ctl_restart(struct kernel *k, struct proc *p)
{
    if (p->state == PROC_FREE)
        return -KS_EINVAL;
    p->stopped = false;
    proc_restart(k, p);
    return 0;
}

int kernel_ctl_fault(struct kernel *k, struct proc *p)
{
    struct hal_fault f;
    if (!proc_is_alive(p))
        return -KS_EINVAL;
    klib_fill(&f, 0, sizeof(f));
    f.kind = HAL_FAULT_FORCED;
    p->stopped = false;
    proc_fault(k, p, &f);
    return 0;
}

int kernel_ctl_unload(struct kernel *k, struct proc *p)
{
    if (p->state == PROC_FREE)
        return -KS_EINVAL;
    if (proc_is_alive(p))
        proc_terminate(k, p, 0);
    kernel_emit(k, KEV_UNLOAD, p);
    p->stopped = false;
    p->state = PROC_FREE;
    return 0;
}
