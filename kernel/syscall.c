/*
 * System-call dispatch: decode, a designated-initializer table from class to
 * handler, and the encoding of return variants. Handlers only unpack
 * registers and call modules; checks run in Tock's kernel order (ABI.md).
 */
#include "syscall.h"

#include "err.h"
#include "grant.h"
#include "kernel.h"
#include "memop.h"
#include "umem.h"

/* How many of r1..r3 each variant names. */
static unsigned named_registers(uint32_t variant)
{
    switch (variant) {
    case KSIM_FAILURE:
    case KSIM_SUCCESS_U32:
        return 1;
    case KSIM_FAILURE_U32:
    case KSIM_SUCCESS_2_U32:
    case KSIM_SUCCESS_U64:
        return 2;
    case KSIM_FAILURE_2_U32:
    case KSIM_FAILURE_U64:
    case KSIM_SUCCESS_3_U32:
    case KSIM_SUCCESS_U32_U64:
        return 3;
    default: /* KSIM_SUCCESS */
        return 0;
    }
}

void syscall_encode(const struct syscall_ret *ret, uintptr_t regs[4])
{
    unsigned n = named_registers(ret->variant);
    regs[0] = ret->variant;
    regs[1] = n >= 1 ? ret->r1 : 0;
    regs[2] = n >= 2 ? ret->r2 : 0;
    regs[3] = n >= 3 ? ret->r3 : 0;
}

struct sys_ctx {
    struct kernel *k;
    struct proc *p;
    struct syscall call;
    uintptr_t *regs; /* out */
};

typedef enum syscall_next (*sys_handler)(struct sys_ctx *c);

static enum syscall_next give(struct sys_ctx *c, struct syscall_ret ret)
{
    syscall_encode(&ret, c->regs);
    return SYSCALL_RETURN;
}

static enum syscall_next fault(struct sys_ctx *c)
{
    struct hal_fault *f = &c->p->last_fault;
    f->kind = HAL_FAULT_SYSCALL;
    f->signo = 0;
    f->addr = 0;
    f->pc = 0;
    f->access = 0;
    f->syscall_class = c->call.cls;
    for (int i = 0; i < 4; i++)
        f->regs[i] = c->call.r[i];
    return SYSCALL_FAULT;
}

static enum syscall_next zero_return(struct sys_ctx *c)
{
    for (int i = 0; i < 4; i++)
        c->regs[i] = 0;
    return SYSCALL_RETURN;
}

static enum syscall_next sys_yield(struct sys_ctx *c)
{
    struct proc *p = c->p;
    switch (c->call.r[0]) {
    case KSIM_YIELD_NO_WAIT: {
        bool ran = proc_take_deliverable(c->k, p);
        uintptr_t flag = c->call.r[1];
        uint8_t byte = ran ? 1 : 0;
        /* Written only when the byte is the caller's own writable RAM. */
        if (flag != 0 && umem_allowed(p, flag, 1, UMEM_RW))
            umem_write(c->k, p, flag, &byte, 1);
        zero_return(c);
        return ran ? SYSCALL_UPCALL : SYSCALL_RETURN;
    }
    case KSIM_YIELD_WAIT:
        zero_return(c);
        if (proc_take_deliverable(c->k, p))
            return SYSCALL_UPCALL;
        p->state = PROC_YIELDED;
        return SYSCALL_BLOCK;
    case KSIM_YIELD_WAIT_FOR: {
        /* Driver and number are compared as passed: a wrong one simply never arrives. */
        p->waitfor_driver = (uint32_t)c->call.r[1];
        p->waitfor_number = (uint32_t)c->call.r[2];
        if (c->call.r[1] > UINT32_MAX || c->call.r[2] > UINT32_MAX)
            p->waitfor_driver = UINT32_MAX; /* cannot match any driver */
        int i = upcall_queue_find(&p->upcalls, p->waitfor_driver, p->waitfor_number);
        if (i < 0) {
            p->state = PROC_YIELDED_FOR;
            return SYSCALL_BLOCK;
        }
        const struct upcall_event *ev = upcall_queue_at(&p->upcalls, (unsigned)i);
        kernel_trace_upcall(c->k, p, ev);
        c->regs[0] = ev->args[0];
        c->regs[1] = ev->args[1];
        c->regs[2] = ev->args[2];
        c->regs[3] = 0;
        upcall_queue_remove(&p->upcalls, (unsigned)i);
        return SYSCALL_RETURN;
    }
    default:
        return fault(c); /* as Tock's kernel does: an unknown yield type faults */
    }
}

static bool in_image(const struct proc *p, uintptr_t addr)
{
    return addr >= p->block.image_start && addr < p->block.image_end;
}

static enum syscall_next sys_subscribe(struct sys_ctx *c)
{
    uintptr_t drv = c->call.r[0], num = c->call.r[1], fn = c->call.r[2], ud = c->call.r[3];
    struct grant_view g;

    if (fn != 0 && !in_image(c->p, fn))
        return give(c, ret_failure_2(KS_EINVAL, fn, ud));
    int idx = drv > UINT32_MAX ? -1 : kernel_driver_index(c->k, (uint32_t)drv);
    if (idx < 0)
        return give(c, ret_failure_2(KS_ENODEVICE, fn, ud));
    if (num >= c->k->drivers[idx]->upcalls)
        return give(c, ret_failure_2(KS_ENOSUPPORT, fn, ud));
    if (grant_enter(c->k, c->p, (unsigned)idx, &g) != 0)
        return give(c, ret_failure_2(KS_ENOMEM, fn, ud));
    struct grant_upcall prev = g.upcalls[num];
    g.upcalls[num].fn = fn;
    g.upcalls[num].userdata = ud;
    upcall_queue_drop(&c->p->upcalls, (uint32_t)drv, (uint32_t)num);
    return give(c, ret_success_2(prev.fn, prev.userdata));
}

static enum syscall_next allow(struct sys_ctx *c, enum umem_access access)
{
    uintptr_t drv = c->call.r[0], num = c->call.r[1], addr = c->call.r[2], len = c->call.r[3];
    struct grant_view g;
    struct proc *p = c->p;

    int idx = drv > UINT32_MAX ? -1 : kernel_driver_index(c->k, (uint32_t)drv);
    if (idx < 0)
        return give(c, ret_failure_2(KS_ENODEVICE, addr, len));
    if (!umem_allowed(p, addr, len, access))
        return give(c, ret_failure_2(KS_EINVAL, addr, len));
    const struct driver *d = c->k->drivers[idx];
    unsigned count = c->call.cls == KSIM_CLASS_ALLOW_RO   ? d->allow_ro
                     : c->call.cls == KSIM_CLASS_ALLOW_RW ? d->allow_rw
                                                          : d->allow_ur;
    if (num >= count)
        return give(c, ret_failure_2(KS_ENOSUPPORT, addr, len));
    if (grant_enter(c->k, p, (unsigned)idx, &g) != 0)
        return give(c, ret_failure_2(KS_ENOMEM, addr, len));
    struct grant_allow *slot = c->call.cls == KSIM_CLASS_ALLOW_RO   ? &g.ro[num]
                               : c->call.cls == KSIM_CLASS_ALLOW_RW ? &g.rw[num]
                                                                    : &g.ur[num];
    struct grant_allow prev = *slot;
    slot->addr = addr;
    slot->len = len;
    /* brk may never again uncover less than a buffer a driver may still use. */
    if (len > 0 && umem_range_within(addr, len, p->block.data_start, p->block.brk) &&
        addr + len > p->allow_hwm)
        p->allow_hwm = addr + len;
    return give(c, ret_success_2(prev.addr, prev.len));
}

static enum syscall_next sys_allow_rw(struct sys_ctx *c)
{
    return allow(c, UMEM_RW);
}

static enum syscall_next sys_allow_ro(struct sys_ctx *c)
{
    return allow(c, UMEM_RO);
}

static enum syscall_next sys_command(struct sys_ctx *c)
{
    uintptr_t drv = c->call.r[0];
    int idx = drv > UINT32_MAX ? -1 : kernel_driver_index(c->k, (uint32_t)drv);
    if (idx < 0)
        return give(c, ret_failure(KS_ENODEVICE));
    const struct driver *d = c->k->drivers[idx];
    /* TRD104 passes 32-bit command numbers and arguments. */
    if (c->call.r[1] > UINT32_MAX)
        return give(c, ret_failure(KS_ENOSUPPORT));
    return give(c, d->command(c->k, c->p, (unsigned)idx, (uint32_t)c->call.r[1],
                              (uint32_t)c->call.r[2], (uint32_t)c->call.r[3]));
}

static enum syscall_next sys_memop(struct sys_ctx *c)
{
    return give(c, memop_handle(c->k, c->p, c->call.r[0], c->call.r[1]));
}

static enum syscall_next sys_exit(struct sys_ctx *c)
{
    switch (c->call.r[0]) {
    case KSIM_EXIT_TERMINATE:
        proc_terminate(c->k, c->p, (int32_t)(uint32_t)c->call.r[1]);
        return SYSCALL_EXITED;
    case KSIM_EXIT_RESTART:
        c->p->completion_code = (int32_t)(uint32_t)c->call.r[1];
        proc_restart(c->k, c->p);
        return SYSCALL_EXITED;
    default:
        return give(c, ret_failure(KS_ENOSUPPORT));
    }
}

static const sys_handler handlers[KSIM_CLASS_COUNT] = {
    [KSIM_CLASS_YIELD] = sys_yield,       [KSIM_CLASS_SUBSCRIBE] = sys_subscribe,
    [KSIM_CLASS_COMMAND] = sys_command,   [KSIM_CLASS_ALLOW_RW] = sys_allow_rw,
    [KSIM_CLASS_ALLOW_RO] = sys_allow_ro, [KSIM_CLASS_MEMOP] = sys_memop,
    [KSIM_CLASS_EXIT] = sys_exit,         [KSIM_CLASS_ALLOW_UR] = sys_allow_rw,
};

enum syscall_next syscall_handle(struct kernel *k, struct proc *p, uint32_t cls, uintptr_t regs[4])
{
    struct sys_ctx c = {k, p, {cls, {regs[0], regs[1], regs[2], regs[3]}}, regs};
    if (cls >= KSIM_CLASS_COUNT)
        return fault(&c); /* unknown class: a fault, as in Tock's kernel */
    return handlers[cls](&c);
}
