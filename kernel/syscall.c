/*
 * System-call dispatch: the registers decoded once into a struct syscall, a
 * designated-initializer table from class to handler, and the encoding of
 * return variants. The driver table's checks (driver.h) run here, once for
 * every driver; handlers only check in Tock's kernel order (ABI.md) and call
 * modules.
 */
#include "syscall.h"

#include "driver.h"
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

/* A driver number is looked up once, here; a missing driver leaves d NULL. */
static struct syscall_driver decode_driver(const struct kernel *k, uintptr_t reg)
{
    struct syscall_driver drv = {(uint32_t)reg, NULL, 0};
    int idx = reg > UINT32_MAX ? -1 : kernel_driver_index(k, (uint32_t)reg);
    if (idx >= 0) {
        drv.d = k->drivers[idx];
        drv.idx = (unsigned)idx;
    }
    return drv;
}

static bool decode_yield(const uintptr_t r[4], struct syscall *out)
{
    out->yield.type = (uint32_t)r[0];
    out->yield.flag = r[1];
    /* Driver and number are compared as passed: a wrong one simply never arrives. */
    out->yield.driver = (uint32_t)r[1];
    out->yield.number = (uint32_t)r[2];
    if (r[1] > UINT32_MAX || r[2] > UINT32_MAX)
        out->yield.driver = UINT32_MAX; /* cannot match any driver */
    /* As Tock's kernel does: an unknown yield type faults. */
    return r[0] == KSIM_YIELD_NO_WAIT || r[0] == KSIM_YIELD_WAIT || r[0] == KSIM_YIELD_WAIT_FOR;
}

static enum grant_allow_kind allow_kind(uint32_t cls)
{
    return cls == KSIM_CLASS_ALLOW_RO   ? GRANT_ALLOW_RO
           : cls == KSIM_CLASS_ALLOW_RW ? GRANT_ALLOW_RW
                                        : GRANT_ALLOW_UR;
}

bool syscall_decode(const struct kernel *k, uint32_t cls, const uintptr_t regs[4],
                    struct syscall *out)
{
    const uintptr_t *r = out->r;
    out->cls = cls;
    for (int i = 0; i < 4; i++)
        out->r[i] = regs[i];
    switch (cls) {
    case KSIM_CLASS_YIELD:
        return decode_yield(r, out);
    case KSIM_CLASS_SUBSCRIBE:
        out->subscribe.drv = decode_driver(k, r[0]);
        out->subscribe.number = r[1];
        out->subscribe.fn = r[2];
        out->subscribe.userdata = r[3];
        return true;
    case KSIM_CLASS_COMMAND:
        out->command.drv = decode_driver(k, r[0]);
        out->command.number = r[1];
        out->command.arg0 = (uint32_t)r[2];
        out->command.arg1 = (uint32_t)r[3];
        return true;
    case KSIM_CLASS_ALLOW_RW:
    case KSIM_CLASS_ALLOW_RO:
    case KSIM_CLASS_ALLOW_UR:
        out->allow.drv = decode_driver(k, r[0]);
        out->allow.kind = allow_kind(cls);
        out->allow.number = r[1];
        out->allow.addr = r[2];
        out->allow.len = r[3];
        return true;
    case KSIM_CLASS_MEMOP:
        out->memop.op = r[0];
        out->memop.arg = r[1];
        return true;
    case KSIM_CLASS_EXIT:
        out->exit.type = r[0];
        out->exit.code = (int32_t)(uint32_t)r[1];
        return true;
    default: /* unknown class: a fault, as in Tock's kernel */
        return false;
    }
}

struct sys_ctx {
    struct kernel *k;
    struct proc *p;
    const struct syscall *call;
    uintptr_t *regs; /* out */
};

typedef enum syscall_next (*sys_handler)(struct sys_ctx *c);

static enum syscall_next give(struct sys_ctx *c, struct syscall_ret ret)
{
    syscall_encode(&ret, c->regs);
    return SYSCALL_RETURN;
}

/* Subscribe and Allow refuse with Failure with 2 u32: the error, then r2 and r3 handed back. */
static enum syscall_next refuse(struct sys_ctx *c, int err)
{
    return give(c, ret_failure_2(err, c->call->r[2], c->call->r[3]));
}

static enum syscall_next fault(struct proc *p, const struct syscall *call)
{
    struct hal_fault *f = &p->last_fault;
    f->kind = HAL_FAULT_SYSCALL;
    f->signo = 0;
    f->addr = 0;
    f->pc = 0;
    f->access = 0;
    f->syscall_class = call->cls;
    for (int i = 0; i < 4; i++)
        f->regs[i] = call->r[i];
    return SYSCALL_FAULT;
}

static enum syscall_next zero_return(struct sys_ctx *c)
{
    for (int i = 0; i < 4; i++)
        c->regs[i] = 0;
    return SYSCALL_RETURN;
}

static enum syscall_next yield_wait_for(struct sys_ctx *c)
{
    struct proc *p = c->p;
    p->waitfor_driver = c->call->yield.driver;
    p->waitfor_number = c->call->yield.number;
    if (proc_take_waited_for(c->k, p, c->regs))
        return SYSCALL_RETURN;
    proc_to_yielded_for(p); /* a system call comes from a running process */
    return SYSCALL_BLOCK;
}

static enum syscall_next sys_yield(struct sys_ctx *c)
{
    struct proc *p = c->p;
    switch (c->call->yield.type) {
    case KSIM_YIELD_NO_WAIT: {
        bool ran = proc_take_deliverable(c->k, p);
        uintptr_t flag = c->call->yield.flag;
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
        proc_to_yielded(p);
        return SYSCALL_BLOCK;
    default: /* KSIM_YIELD_WAIT_FOR: decode let no other type through */
        return yield_wait_for(c);
    }
}

static bool in_image(const struct proc *p, uintptr_t addr)
{
    return addr >= p->block.image_start && addr < p->block.image_end;
}

/* Subscribe and allow to a driver the board lacks: NODEVICE, told once (kernel.c). */
static enum syscall_next no_device(struct sys_ctx *c, uint32_t driver)
{
    kernel_note_missing_driver(c->k, c->p, driver);
    return refuse(c, KS_ENODEVICE);
}

static enum syscall_next sys_subscribe(struct sys_ctx *c)
{
    const struct syscall_driver *drv = &c->call->subscribe.drv;
    uintptr_t num = c->call->subscribe.number;
    struct grant_upcall upcall = {c->call->subscribe.fn, c->call->subscribe.userdata}, prev;

    /* Checked first, even for a missing driver (ABI.md). */
    if (upcall.fn != 0 && !in_image(c->p, upcall.fn))
        return refuse(c, KS_EINVAL);
    if (!drv->d)
        return no_device(c, drv->num);
    if (num >= drv->d->upcalls)
        return refuse(c, KS_ENOSUPPORT);
    if (grant_subscribe(c->k, c->p, drv->idx, (uint32_t)num, upcall, &prev) != 0)
        return refuse(c, KS_ENOMEM);
    upcall_queue_drop(&c->p->upcalls, drv->num, (uint32_t)num);
    return give(c, ret_success_2(prev.fn, prev.userdata));
}

static enum syscall_next sys_allow(struct sys_ctx *c)
{
    const struct syscall_driver *drv = &c->call->allow.drv;
    enum grant_allow_kind kind = c->call->allow.kind;
    uintptr_t num = c->call->allow.number;
    struct grant_allow buf = {c->call->allow.addr, c->call->allow.len}, prev;

    if (!drv->d)
        return no_device(c, drv->num);
    /* Only a Read-Only Allow may share the image; a Userspace-Readable one is writable. */
    if (!umem_allowed(c->p, buf.addr, buf.len, kind == GRANT_ALLOW_RO ? UMEM_RO : UMEM_RW))
        return refuse(c, KS_EINVAL);
    if (num >= driver_allow_count(drv->d, kind))
        return refuse(c, KS_ENOSUPPORT);
    if (grant_allow(c->k, c->p, drv->idx, kind, (uint32_t)num, buf, &prev) != 0)
        return refuse(c, KS_ENOMEM);
    return give(c, ret_success_2(prev.addr, prev.len));
}

static enum syscall_next sys_command(struct sys_ctx *c)
{
    const struct driver *d = c->call->command.drv.d;
    uintptr_t num = c->call->command.number;

    if (!d) {
        kernel_note_missing_driver(c->k, c->p, c->call->command.drv.num);
        return give(c, ret_failure(KS_ENODEVICE));
    }
    /* The table bounds every driver's commands (a number over 32 bits too). */
    uintptr_t pos = num; /* the command's place in the table */
    if (d->command_numbers) {
        pos = d->command_count;
        for (unsigned i = 0; i < d->command_count; i++)
            if (d->command_numbers[i] == num)
                pos = i;
    }
    if (pos >= d->command_count)
        return give(c, ret_failure(KS_ENOSUPPORT));
    if (pos == 0) /* the existence check */
        return give(c, d->exists_gives_count ? ret_success_u32(d->instances(c->k)) : ret_success());
    struct driver_command cmd = {
        .k = c->k,
        .p = c->p,
        .idx = c->call->command.drv.idx,
        .number = (uint32_t)num,
        .arg0 = c->call->command.arg0,
        .arg1 = c->call->command.arg1,
    };
    uint32_t bit = DRIVER_CMD(pos);
    /* An LED, button or pin the board lacks, before anything changes (as Tock). */
    if ((d->indexed_cmds & bit) && cmd.arg0 >= d->instances(c->k))
        return give(c, ret_failure(KS_EINVAL));
    if ((d->grant_cmds & bit) && grant_enter(c->k, c->p, cmd.idx, &cmd.grant) != 0)
        return give(c, ret_failure(KS_ENOMEM));
    return give(c, d->command(&cmd));
}

static enum syscall_next sys_memop(struct sys_ctx *c)
{
    return give(c, memop_handle(c->k, c->p, c->call->memop.op, c->call->memop.arg));
}

static enum syscall_next sys_exit(struct sys_ctx *c)
{
    switch (c->call->exit.type) {
    case KSIM_EXIT_TERMINATE:
        proc_terminate(c->k, c->p, c->call->exit.code);
        return SYSCALL_EXITED;
    case KSIM_EXIT_RESTART:
        c->p->completion_code = c->call->exit.code;
        proc_restart(c->k, c->p);
        return SYSCALL_EXITED;
    default:
        return give(c, ret_failure(KS_ENOSUPPORT));
    }
}

static const sys_handler handlers[KSIM_CLASS_COUNT] = {
    [KSIM_CLASS_YIELD] = sys_yield,     [KSIM_CLASS_SUBSCRIBE] = sys_subscribe,
    [KSIM_CLASS_COMMAND] = sys_command, [KSIM_CLASS_ALLOW_RW] = sys_allow,
    [KSIM_CLASS_ALLOW_RO] = sys_allow,  [KSIM_CLASS_MEMOP] = sys_memop,
    [KSIM_CLASS_EXIT] = sys_exit,       [KSIM_CLASS_ALLOW_UR] = sys_allow,
};

enum syscall_next syscall_handle(struct kernel *k, struct proc *p, uint32_t cls, uintptr_t regs[4])
{
    struct syscall call;
    if (!syscall_decode(k, cls, regs, &call))
        return fault(p, &call);
    struct sys_ctx c = {k, p, &call, regs};
    return handlers[cls](&c);
}
