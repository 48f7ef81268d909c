/* Process control for the process console and tests. */
#include "ctl.h"

#include "appload.h"
#include "err.h"
#include "kernel.h"
#include "klib.h"
#include "placement.h"

int kernel_ctl_load(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                    struct appload_error *err)
{
    return appload_file(k, name, file, len, err);
}

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
    struct hal_block b;
    if (p->state == PROC_FREE)
        return -KS_EINVAL;
    if (!placement_holds_ram(p)) { /* its old block may be someone else's now */
        if (placement_find(k, &p->image, p->min_ram, p, false, &b) != 0)
            return -KS_ENOMEM;
        proc_set_block(p, &b);
    }
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
    proc_to_free(p);
    k->ram_freed = true;
    return 0;
}
