/*
 * The portable way of running app code, for hosts without an assembly
 * switch: each process on a ucontext, the gate a C function that runs on
 * the app stack, the entry point and upcalls called through libffi. No
 * preemption (turns end at system calls), and none of the x86-64 switch's
 * promises about host values (docs/faults.md).
 */
#define _GNU_SOURCE
#include <ffi.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hal_internal.h"
#include "ksim/abi.h"

#if defined(__SANITIZE_ADDRESS__)
#define KSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KSIM_ASAN 1
#endif
#endif

#ifdef KSIM_ASAN
#include <sanitizer/common_interface_defs.h>
/* Code that runs on an app stack is not instrumented: ASan's frames there would
 * outlive a process that exits or faults mid-call. */
#define HAL_ON_APP_STACK __attribute__((no_sanitize_address, noinline))
#else
#define HAL_ON_APP_STACK __attribute__((noinline))
#endif

static ffi_cif entry_cif, upcall_cif;
static ffi_type *entry_args[5], *upcall_args[4];

static void asan_leave(void **fake_stack, const void *bottom, size_t size)
{
#ifdef KSIM_ASAN
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#else
    (void)fake_stack, (void)bottom, (void)size;
#endif
}

static void asan_arrive(void *fake_stack, const void **old_bottom, size_t *old_size)
{
#ifdef KSIM_ASAN
    __sanitizer_finish_switch_fiber(fake_stack, old_bottom, old_size);
#else
    (void)fake_stack, (void)old_bottom, (void)old_size;
#endif
}

/* --- the process side ------------------------------------------------------ */

/* Stops the running process and returns to the kernel; returns when resumed. */
HAL_ON_APP_STACK static void back_to_kernel(struct hal_stub *s, struct hal__proc *p)
{
    asan_leave(&p->asan_fake_stack, s->kstack_bottom, s->kstack_size);
    hal__switch(&p->sp, s->kernel_sp);
    asan_arrive(p->asan_fake_stack, &s->kstack_bottom, &s->kstack_size);
}

HAL_ON_APP_STACK static void call_upcall(uintptr_t fn, const uintptr_t a[4])
{
    int a0 = (int)a[0], a1 = (int)a[1], a2 = (int)a[2];
    void *ud = (void *)a[3];
    void *values[4] = {&a0, &a1, &a2, &ud};
    hal__sud_block();
    ffi_call(&upcall_cif, FFI_FN(fn), NULL, values);
    hal__sud_allow();
}

/* True when the gate's register block is 4 aligned words of the process's RAM. */
static bool regs_in_process(const struct hal__proc *p, const uintptr_t *regs)
{
    uintptr_t a = (uintptr_t)regs, len = 4 * sizeof(uintptr_t);
    return a % sizeof(uintptr_t) == 0 && a >= p->mem_lo && a <= p->mem_hi && len <= p->mem_hi - a;
}

HAL_ON_APP_STACK static void stop_with_bad_gate(struct hal_stub *s, struct hal__proc *p,
                                                uint32_t cls, const uintptr_t *regs)
{
    memset(&s->stop->fault, 0, sizeof(s->stop->fault));
    s->stop->kind = HAL_STOP_FAULT;
    s->stop->fault.kind = HAL_FAULT_BAD_GATE;
    s->stop->fault.addr = (uintptr_t)regs;
    s->stop->fault.pc = (uintptr_t)__builtin_return_address(0);
    s->stop->fault.syscall_class = cls;
    for (;;)
        back_to_kernel(s, p); /* the kernel never resumes a faulted context */
}

/* The system-call entry (ABI.md). */
HAL_ON_APP_STACK static void gate(uint32_t cls, uintptr_t regs[4])
{
    struct hal_stub *s = hal__running;
    struct hal__proc *p = s->current;
    uintptr_t ret[4], fn = 0, args[4];

    hal__sud_allow();
    if (!regs_in_process(p, regs))
        stop_with_bad_gate(s, p, cls, regs);
    s->stop->kind = HAL_STOP_SYSCALL;
    s->stop->syscall_class = cls;
    memcpy(s->stop->regs, regs, sizeof(s->stop->regs));
    back_to_kernel(s, p);
    /* Resumed: copy what the kernel left before an upcall can make more calls. */
    memcpy(ret, p->ret, sizeof(ret));
    if (p->upcall) {
        p->upcall = false;
        fn = p->upcall_fn;
        memcpy(args, p->upcall_args, sizeof(args));
        call_upcall(fn, args);
    }
    memcpy(regs, ret, sizeof(ret));
    hal__sud_block();
}

/* First function on a new process stack: calls the entry point, never returns. */
HAL_ON_APP_STACK static void proc_main(void)
{
    struct hal_stub *s = hal__running;
    struct hal__proc *p = s->current;
    asan_arrive(NULL, &s->kstack_bottom, &s->kstack_size);

    void *a0 = (void *)p->args[0], *a1 = (void *)p->args[1], *a3 = (void *)p->args[3];
    uintptr_t a2 = p->args[2];
    ksim_gate_fn g = gate;
    void *values[5] = {&a0, &a1, &a2, &a3, &g};
    hal__sud_block();
    ffi_call(&entry_cif, FFI_FN(p->entry), NULL, values);
    hal__sud_allow();

    s = hal__running; /* the entry returned: ABI.md makes that exit 0 */
    s->stop->kind = HAL_STOP_RETURNED;
    for (;;)
        back_to_kernel(s, s->current);
}

/* --- the architecture interface of hal_internal.h --------------------------- */

int hal__arch_start(struct hal_stub *s, struct hal__proc *p)
{
    (void)s;
    hal__free_context(p->sp);
    p->sp = NULL; /* the first frame is built at the first run, when the stack is accessible */
    return 0;
}

void hal__arch_run(struct hal_stub *s, struct hal__proc *p, struct hal_stop *stop)
{
    void *fake_stack = NULL;
    if (!p->sp)
        p->sp = hal__init_stack(p->stack_lo, p->stack_hi, proc_main);
    if (!p->sp) {
        stop->kind = HAL_STOP_RETURNED;
        return;
    }
    asan_leave(&fake_stack, (const void *)p->stack_lo, p->stack_hi - p->stack_lo);
    hal__switch(&s->kernel_sp, p->sp);
    asan_arrive(fake_stack, NULL, NULL);
}

void hal__arch_forget(struct hal__proc *p)
{
    hal__free_context(p->sp);
    p->sp = NULL;
}

bool hal__arch_app_running(const struct hal_stub *s)
{
    return s->current != NULL;
}

bool hal__arch_preemptable(const struct hal_stub *s, const void *uc)
{
    (void)s, (void)uc;
    return false; /* nothing saves an interrupted context here */
}

uintptr_t hal__arch_report_pc(const struct hal_stub *s, uintptr_t pc)
{
    (void)s;
    return pc;
}

bool hal__arch_stop_from_signal(struct hal_stub *s, void *uc, uintptr_t fsbase)
{
    (void)uc, (void)fsbase;
    asan_leave(NULL, s->kstack_bottom, s->kstack_size);
    hal__jump(s->kernel_sp);
    return false; /* not reached */
}

static void find_kernel_stack(struct hal_stub *s)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
    }
    s->kstack_bottom = addr;
    s->kstack_size = size;
}

int hal__arch_init(struct hal_stub *s, char *err, size_t errlen)
{
    entry_args[0] = &ffi_type_pointer;
    entry_args[1] = &ffi_type_pointer;
    entry_args[2] = sizeof(uintptr_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32;
    entry_args[3] = &ffi_type_pointer;
    entry_args[4] = &ffi_type_pointer;
    upcall_args[0] = upcall_args[1] = upcall_args[2] = &ffi_type_sint;
    upcall_args[3] = &ffi_type_pointer;
    if (ffi_prep_cif(&entry_cif, FFI_DEFAULT_ABI, 5, &ffi_type_void, entry_args) != FFI_OK ||
        ffi_prep_cif(&upcall_cif, FFI_DEFAULT_ABI, 4, &ffi_type_void, upcall_args) != FFI_OK) {
        snprintf(err, errlen, "libffi cannot describe the app entry or upcall signature");
        return -1;
    }
    find_kernel_stack(s);
    return 0;
}

void hal__arch_fini(struct hal_stub *s)
{
    hal__free_context(s->kernel_sp);
    s->kernel_sp = NULL;
}
