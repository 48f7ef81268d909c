/*
 * The x86-64 side of running app code (with hal_switch_x86_64.S): what the
 * CPU lets apps change (FS/GS base, vector state), the save area of each
 * process, and how a start, an upcall or a preempted process is entered.
 * Host code never runs on an app stack: the gate switches to the kernel
 * stack at once, and signal handlers leave app code by rewriting the
 * interrupted context, never by jumping out.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal_cpu.h"
#include "hal_internal.h"

/* The offsets the assembly uses are the struct's. */
_Static_assert(offsetof(struct hal__cpu, rsp) == CPU_RSP, "CPU_RSP");
_Static_assert(offsetof(struct hal__cpu, regs) == CPU_REGS, "CPU_REGS");
_Static_assert(offsetof(struct hal__cpu, in) == CPU_IN, "CPU_IN");
_Static_assert(offsetof(struct hal__cpu, ret) == CPU_RET, "CPU_RET");
_Static_assert(offsetof(struct hal__cpu, rflags) == CPU_RFLAGS, "CPU_RFLAGS");
_Static_assert(offsetof(struct hal__cpu, fsbase) == CPU_FSBASE, "CPU_FSBASE");
_Static_assert(offsetof(struct hal__cpu, gsbase) == CPU_GSBASE, "CPU_GSBASE");
_Static_assert(offsetof(struct hal__cpu, mem_lo) == CPU_MEM_LO, "CPU_MEM_LO");
_Static_assert(offsetof(struct hal__cpu, mem_hi) == CPU_MEM_HI, "CPU_MEM_HI");
_Static_assert(offsetof(struct hal__cpu, xstate) == CPU_XSTATE, "CPU_XSTATE");
_Static_assert(offsetof(struct hal__cpu, cls) == CPU_CLS, "CPU_CLS");
_Static_assert(offsetof(struct hal__cpu, mxcsr) == CPU_MXCSR, "CPU_MXCSR");
_Static_assert(offsetof(struct hal__cpu, fcw) == CPU_FCW, "CPU_FCW");
_Static_assert(offsetof(struct hal__cpu, stop) == CPU_STOP, "CPU_STOP");
_Static_assert(offsetof(struct hal__cpu, resume) == CPU_RESUME, "CPU_RESUME");
_Static_assert(offsetof(struct hal__cpu, npush) == CPU_NPUSH, "CPU_NPUSH");
_Static_assert(offsetof(struct hal__cpu, push_at) == CPU_PUSH_AT, "CPU_PUSH_AT");
_Static_assert(offsetof(struct hal__cpu, push) == CPU_PUSH, "CPU_PUSH");
_Static_assert(offsetof(struct hal__cpu, frame) == CPU_FRAME, "CPU_FRAME");
_Static_assert(offsetof(struct hal__cpu, xsaved) == CPU_XSAVED, "CPU_XSAVED");
_Static_assert(offsetof(struct hal__cpu, caller) == CPU_CALLER, "CPU_CALLER");
_Static_assert(sizeof(struct hal__cpu) == CPU_SIZE, "CPU_SIZE");

#define XSTATE_MAGIC1      0x46505853u /* the signal frame holds an XSAVE image */
#define XSAVE_HEADER       512         /* XSAVE image: legacy area, then the header */
#define CLEAN_XSTATE_BYTES 4096        /* XRSTOR may read every component it is asked for */
#define MXCSR_DEFAULT      0x1f80
#define FCW_DEFAULT        0x037f
#define XCR0_VECTOR_BITS   0xe7 /* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM */

/* Read by the assembly. */
struct hal__cpu *hal__cpu_current;
void *hal__kernel_rsp;
volatile unsigned char hal__in_app;
unsigned char hal__fsgsbase; /* apps can read and write FS/GS base (CR4.FSGSBASE) */
unsigned char hal__has_xsave;
uint32_t hal__clean_xsave_mask;
uint64_t hal__host_fsbase;
uint64_t hal__user_cs, hal__user_ss;
_Alignas(64) unsigned char hal__clean_xstate[CLEAN_XSTATE_BYTES];

void hal__start_return(void);
void hal__upcall_return(void);
void hal__kernel_resume(void);
extern const char hal__switch_code_begin[], hal__switch_code_end[];

static size_t xstate_bytes; /* an XSAVE image for every feature the OS enabled */

/* --- what this CPU lets apps do ------------------------------------------ */

static sigjmp_buf probe_jump;

static void probe_failed(int signo)
{
    (void)signo;
    siglongjmp(probe_jump, 1);
}

/* rdfsbase works in user mode only when the OS set CR4.FSGSBASE (Linux 5.9+);
 * HWCAP2 is not reliable in every VM, so ask the instruction itself. */
static bool probe_fsgsbase(uint64_t *fsbase)
{
    struct sigaction sa, old;
    volatile bool ok = false;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = probe_failed;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGILL, &sa, &old) != 0)
        return false;
    if (sigsetjmp(probe_jump, 1) == 0) {
        uint64_t v;
        __asm__ volatile("rdfsbase %0" : "=r"(v));
        *fsbase = v;
        ok = true;
    }
    sigaction(SIGILL, &old, NULL);
    return ok;
}

static void probe_vector_state(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    xstate_bytes = 4096;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE)) {
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        hal__has_xsave = 1;
        hal__clean_xsave_mask = lo & XCR0_VECTOR_BITS;
        if (__get_cpuid_count(0xd, 0, &a, &b, &c, &d) && b > xstate_bytes)
            xstate_bytes = b;
        for (unsigned i = 2; i < 8; i++) /* each component's offset and size */
            if ((hal__clean_xsave_mask >> i & 1) && __get_cpuid_count(0xd, i, &a, &b, &c, &d) &&
                a + b > CLEAN_XSTATE_BYTES)
                hal__clean_xsave_mask &= ~(1u << i); /* cannot happen on today's layouts */
    }
    /* The clean image: everything in its initial state (XSTATE_BV 0). For
     * FXRSTOR, whose image is loaded as it is, the x87 and SSE defaults. */
    memset(hal__clean_xstate, 0, sizeof(hal__clean_xstate));
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(hal__clean_xstate, &fcw, sizeof(fcw));
    memcpy(hal__clean_xstate + 24, &mxcsr, sizeof(mxcsr));
}

int hal__cpu_probe(char *err, size_t errlen)
{
    static bool done;
    if (done)
        return 0;
    uint16_t cs, ss;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    __asm__ volatile("mov %%ss, %0" : "=r"(ss));
    hal__user_cs = cs;
    hal__user_ss = ss;
    hal__fsgsbase = probe_fsgsbase(&hal__host_fsbase);
    probe_vector_state();
    (void)err, (void)errlen;
    done = true;
    return 0;
}

bool hal__cpu_lets_apps_set_fs(void)
{
    return hal__fsgsbase != 0;
}

/* --- save areas ------------------------------------------------------------ */

struct hal__cpu *hal__cpu_alloc(void)
{
    struct hal__cpu *c = aligned_alloc(64, (sizeof(*c) + 63) & ~(size_t)63);
    size_t bytes = (xstate_bytes + 63) & ~(size_t)63;
    void *x = aligned_alloc(64, bytes);
    if (!c || !x) {
        free(c);
        free(x);
        return NULL;
    }
    memset(c, 0, sizeof(*c));
    memset(x, 0, bytes);
    c->xstate = x;
    return c;
}

void hal__cpu_free(struct hal__cpu *c)
{
    if (c)
        free(c->xstate);
    free(c);
}

/* A fresh process: entry(args..., gate) on an empty stack, every other
 * register zero, default vector state, segment bases zero. The one word
 * stored is the entry's return address, into the gate's page. */
void hal__cpu_prepare_start(struct hal__cpu *c, uintptr_t entry, uintptr_t stack_top,
                            const uintptr_t args[4], uintptr_t gate, uintptr_t mem_lo,
                            uintptr_t mem_hi)
{
    void *xstate = c->xstate;
    memset(c, 0, sizeof(*c));
    c->xstate = xstate;
    c->mem_lo = mem_lo;
    c->mem_hi = mem_hi;
    c->mxcsr = MXCSR_DEFAULT;
    c->fcw = FCW_DEFAULT;
    uintptr_t sp = (stack_top & ~(uintptr_t)15) - 8; /* as after a call: rsp+8 aligned */
    c->push_at = sp;
    c->push[0] = (uintptr_t)hal__start_return;
    c->npush = 1;
    c->frame[FR_RDI / 8] = args[0];
    c->frame[FR_RSI / 8] = args[1];
    c->frame[FR_RDX / 8] = args[2];
    c->frame[FR_RCX / 8] = args[3];
    c->frame[FR_R8 / 8] = gate;
    c->frame[FR_RSP / 8] = sp;
    c->frame[FR_RIP / 8] = entry;
    c->frame[FR_RFLAGS / 8] = CPU_CLEAN_RFLAGS;
    c->resume = CPU_RESUME_FULL;
}

/*
 * The yield in the gate returns through fn(a0, a1, a2, userdata): the
 * upcall runs on the app stack just below the gate's caller, with the
 * app's own callee-saved registers, segment bases and vector controls.
 * Its frame (hal_cpu.h) is only the app's values and a return address into
 * the gate's page. False when that frame would leave the process's RAM.
 */
bool hal__cpu_prepare_upcall(struct hal__cpu *c, uintptr_t fn, const uintptr_t args[4])
{
    uintptr_t top = c->rsp, frame_bytes = UPCALL_FRAME_WORDS * 8;
    if (top < c->mem_lo + frame_bytes + 32 || top > c->mem_hi)
        return false;
    uintptr_t sp = ((top - frame_bytes) & ~(uintptr_t)15) - 8;
    c->push_at = sp;
    c->push[0] = (uintptr_t)hal__upcall_return;
    c->push[1] = c->regs;
    memcpy(&c->push[2], c->ret, sizeof(c->ret));
    c->push[6] = top;
    c->npush = UPCALL_FRAME_WORDS;
    memset(c->frame, 0, sizeof(c->frame));
    c->frame[FR_RBX / 8] = c->rbx;
    c->frame[FR_RBP / 8] = c->rbp;
    c->frame[FR_R12 / 8] = c->r12;
    c->frame[FR_R13 / 8] = c->r13;
    c->frame[FR_R14 / 8] = c->r14;
    c->frame[FR_R15 / 8] = c->r15;
    c->frame[FR_RDI / 8] = (uint32_t)args[0]; /* int arguments: upper halves zero */
    c->frame[FR_RSI / 8] = (uint32_t)args[1];
    c->frame[FR_RDX / 8] = (uint32_t)args[2];
    c->frame[FR_RCX / 8] = args[3];
    c->frame[FR_RSP / 8] = sp;
    c->frame[FR_RIP / 8] = fn;
    c->frame[FR_RFLAGS / 8] = CPU_CLEAN_RFLAGS;
    c->xsaved = 0;
    c->resume = CPU_RESUME_FULL;
    return true;
}

/* After a system call the next entry returns from the gate. */
void hal__cpu_after_syscall(struct hal__cpu *c)
{
    c->resume = CPU_RESUME_GATE;
    c->npush = 0;
    c->xsaved = 0;
}

bool hal__cpu_in_switch_code(uintptr_t pc)
{
    return pc >= (uintptr_t)hal__switch_code_begin && pc < (uintptr_t)hal__switch_code_end;
}

/* --- from signal handlers -------------------------------------------------- */

void hal__cpu_save_interrupted(struct hal__cpu *c, const ucontext_t *uc, uintptr_t fsbase)
{
    static const int order[FR_WORDS] = {REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI,
                                        REG_RBP, REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12,
                                        REG_R13, REG_R14, REG_R15, REG_RSP, REG_RIP, REG_EFL};
    for (int i = 0; i < FR_WORDS; i++)
        c->frame[i] = (uint64_t)uc->uc_mcontext.gregs[order[i]];
    c->fsbase = fsbase;
    if (hal__fsgsbase) {
        uint64_t gs;
        __asm__ volatile("rdgsbase %0" : "=r"(gs));
        c->gsbase = gs;
    }
    /* The signal frame holds the interrupted vector state as an XSAVE image
     * (or, on old CPUs, the 512-byte FXSAVE one, restored as x87 and SSE). */
    const unsigned char *fp = (const unsigned char *)uc->uc_mcontext.fpregs;
    uint32_t magic = 0, size = 0;
    memcpy(&magic, fp + 464, sizeof(magic));
    memcpy(&size, fp + 464 + 12, sizeof(size));
    if (magic != XSTATE_MAGIC1 || size < XSAVE_HEADER + 64 || size > xstate_bytes) {
        memset(c->xstate, 0, XSAVE_HEADER + 64);
        memcpy(c->xstate, fp, XSAVE_HEADER);
        uint64_t bv = 3; /* x87 and SSE from the legacy area */
        memcpy((unsigned char *)c->xstate + XSAVE_HEADER, &bv, sizeof(bv));
    } else {
        memcpy(c->xstate, fp, size);
    }
    c->xsaved = 1;
    c->npush = 0;
    c->resume = CPU_RESUME_FULL;
}

void hal__cpu_divert_to_kernel(struct hal__cpu *c, ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    c->stop = CPU_STOP_SIGNAL;
    hal__in_app = 0;
    g[REG_RSP] = (greg_t)(uintptr_t)hal__kernel_rsp;
    g[REG_RIP] = (greg_t)(uintptr_t)hal__kernel_resume;
    g[REG_EFL] = CPU_CLEAN_RFLAGS;
}

/* --- the architecture interface of hal_internal.h --------------------------- */

void hal__gate_entry(uint32_t cls, uintptr_t regs[4]);

int hal__arch_init(struct hal_stub *s, char *err, size_t errlen)
{
    (void)s;
    return hal__cpu_probe(err, errlen);
}

void hal__arch_fini(struct hal_stub *s)
{
    for (unsigned i = 0; s->procs && i < s->cfg.max_procs; i++) {
        hal__cpu_free(s->procs[i].cpu);
        s->procs[i].cpu = NULL;
    }
}

int hal__arch_start(struct hal_stub *s, struct hal__proc *p)
{
    (void)s;
    if (!p->cpu && !(p->cpu = hal__cpu_alloc()))
        return -1;
    hal__cpu_prepare_start(p->cpu, p->entry, p->stack_hi, p->args, (uintptr_t)hal__gate_entry,
                           p->mem_lo, p->mem_hi);
    return 0;
}

void hal__arch_forget(struct hal__proc *p)
{
    if (p->cpu)
        p->cpu->resume = 0; /* never entered again until started anew */
}

/* The upcall frame would leave the process's RAM: the app's stack pointer
 * at the gate was not in it. A memory fault at the gate's caller. */
static void stop_with_bad_upcall_frame(const struct hal__cpu *c, struct hal_stop *stop)
{
    memset(&stop->fault, 0, sizeof(stop->fault));
    stop->kind = HAL_STOP_FAULT;
    stop->fault.kind = HAL_FAULT_MEMORY;
    stop->fault.access = HAL_ACCESS_WRITE;
    stop->fault.addr = c->rsp - UPCALL_FRAME_WORDS * 8;
    stop->fault.pc = c->caller;
    stop->fault.sp = c->rsp;
}

static void stop_with_bad_gate(const struct hal__cpu *c, struct hal_stop *stop)
{
    memset(&stop->fault, 0, sizeof(stop->fault));
    stop->kind = HAL_STOP_FAULT;
    stop->fault.kind = HAL_FAULT_BAD_GATE;
    stop->fault.addr = c->regs;
    stop->fault.pc = c->caller;
    stop->fault.sp = c->rsp;
    stop->fault.syscall_class = c->cls;
}

void hal__arch_run(struct hal_stub *s, struct hal__proc *p, struct hal_stop *stop)
{
    struct hal__cpu *c = p->cpu;
    (void)s;
    if (!c || !c->resume) {
        stop->kind = HAL_STOP_RETURNED;
        return;
    }
    if (c->resume == CPU_RESUME_GATE) {
        memcpy(c->ret, p->ret, sizeof(c->ret));
        if (p->upcall) {
            p->upcall = false;
            if (!hal__cpu_prepare_upcall(c, p->upcall_fn, p->upcall_args)) {
                stop_with_bad_upcall_frame(c, stop);
                return;
            }
        }
    }
    hal__cpu_enter(c);
    switch (c->stop) {
    case CPU_STOP_SYSCALL:
        stop->kind = HAL_STOP_SYSCALL;
        stop->syscall_class = c->cls;
        memcpy(stop->regs, c->in, sizeof(stop->regs));
        hal__cpu_after_syscall(c);
        break;
    case CPU_STOP_BAD_GATE:
    case CPU_STOP_UPCALL_BAD_GATE:
        stop_with_bad_gate(c, stop);
        break;
    case CPU_STOP_RETURNED:
        stop->kind = HAL_STOP_RETURNED;
        break;
    default: /* CPU_STOP_SIGNAL: the handler filled *stop */
        break;
    }
}

bool hal__arch_app_running(const struct hal_stub *s)
{
    (void)s;
    return hal__in_app != 0;
}

bool hal__arch_preemptable(const struct hal_stub *s, const void *ucv)
{
    const ucontext_t *uc = ucv;
    (void)s;
    return hal__in_app && !hal__cpu_in_switch_code((uintptr_t)uc->uc_mcontext.gregs[REG_RIP]);
}

uintptr_t hal__arch_report_pc(const struct hal_stub *s, uintptr_t pc)
{
    (void)s;
    if (hal__cpu_in_switch_code(pc) && hal__cpu_current && hal__cpu_current->caller)
        return hal__cpu_current->caller; /* the gate on the app's behalf: its caller */
    return pc;
}

bool hal__arch_stop_from_signal(struct hal_stub *s, void *ucv, uintptr_t fsbase)
{
    ucontext_t *uc = ucv;
    struct hal__cpu *c = s->current->cpu;
    if (s->stop->kind == HAL_STOP_PREEMPTED)
        hal__cpu_save_interrupted(c, uc, fsbase);
    hal__cpu_divert_to_kernel(c, uc);
    return true;
}
