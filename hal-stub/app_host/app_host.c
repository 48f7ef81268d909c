/*
 * ksim-app-host: the host process of one app under `--isolation process`.
 *
 * ksim starts it with three memory files (board RAM, the control page,
 * board flash) and an empty environment. It maps only the app's own memory
 * at its board addresses, closes every file, unmaps the vDSO and its first
 * stack, and confines itself with a seccomp filter that allows nothing but
 * futex (the turn word of the control page), exit_group, and mprotect below
 * 4 GiB to readable-writable or nothing (the break). Then app code runs;
 * its gate is this program's app_gate, which hands a system call to ksim
 * through the control page and waits for the answer.
 *
 * Freestanding: no C library, so nothing of the host's is mapped here but
 * this small program. Whatever app code does to it only harms itself.
 */
#include <stddef.h>
#include <stdint.h>

#include "../hal_child_ctl.h"

/* --- system calls (x86-64 Linux) -------------------------------------------- */

#define SYS_read         0
#define SYS_open         2
#define SYS_close        3
#define SYS_mmap         9
#define SYS_mprotect     10
#define SYS_munmap       11
#define SYS_rt_sigaction 13
#define SYS_rt_sigreturn 15
#define SYS_sigaltstack  131
#define SYS_getppid      110
#define SYS_prctl        157
#define SYS_futex        202
#define SYS_exit_group   231
#define SYS_seccomp      317

#define PROT_NONE               0
#define PROT_READ               1
#define PROT_WRITE              2
#define MAP_SHARED              1
#define MAP_FIXED               0x10
#define FUTEX_WAIT              0
#define FUTEX_WAKE              1
#define PR_SET_NO_NEW_PRIVS     38
#define PR_SET_PDEATHSIG        1
#define SIGKILL                 9
#define SECCOMP_SET_MODE_FILTER 1
#define SA_SIGINFO              4
#define SA_ONSTACK              0x08000000
#define SA_RESTORER             0x04000000
#define SA_NODEFER              0x40000000
#define PAGE                    4096ul

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

static long sys3(long n, long a, long b, long c)
{
    return sys6(n, a, b, c, 0, 0, 0);
}

static __attribute__((noreturn)) void die(int code)
{
    for (;;)
        sys3(SYS_exit_group, code, 0, 0);
}

/* The compiler may emit calls to these. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *d, int c, size_t n)
{
    volatile unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

/* --- the control page ----------------------------------------------------- */

static struct child_ctl *ctl;
static uint64_t cur_brk; /* the break the page protections follow */

static void set_error(const char *what)
{
    size_t i = 0;
    for (; what[i] && i + 1 < CHILD_ERROR_BYTES; i++)
        ctl->error[i] = what[i];
    ctl->error[i] = '\0';
}

/* Hands the turn to ksim and waits until it hands it back. */
static void hand_over(uint32_t report)
{
    ctl->report = report;
    __atomic_store_n(&ctl->turn, CHILD_TURN_KERNEL, __ATOMIC_RELEASE);
    sys6(SYS_futex, (long)&ctl->turn, FUTEX_WAKE, 1, 0, 0, 0);
    while (__atomic_load_n(&ctl->turn, __ATOMIC_ACQUIRE) != CHILD_TURN_APP)
        sys6(SYS_futex, (long)&ctl->turn, FUTEX_WAIT, CHILD_TURN_KERNEL, 0, 0, 0);
}

static __attribute__((noreturn)) void report_and_end(uint32_t report)
{
    ctl->report = report;
    __atomic_store_n(&ctl->turn, CHILD_TURN_KERNEL, __ATOMIC_RELEASE);
    sys6(SYS_futex, (long)&ctl->turn, FUTEX_WAKE, 1, 0, 0, 0);
    die(0);
}

static uint64_t page_up(uint64_t v)
{
    return (v + PAGE - 1) & ~(PAGE - 1);
}

/* The break moved: the pages between the old and the new one change. */
static void follow_break(void)
{
    uint64_t want = ctl->brk;
    if (want < ctl->heap_lo || want > ctl->mem_hi || page_up(want) == page_up(cur_brk)) {
        cur_brk = want;
        return;
    }
    if (page_up(want) > page_up(cur_brk))
        sys3(SYS_mprotect, (long)page_up(cur_brk), (long)(page_up(want) - page_up(cur_brk)),
             PROT_READ | PROT_WRITE);
    else
        sys3(SYS_mprotect, (long)page_up(want), (long)(page_up(cur_brk) - page_up(want)),
             PROT_NONE);
    cur_brk = want;
}

/* --- the gate app code calls (ABI.md): void gate(uint32_t cls, uintptr_t regs[4]) */

typedef void (*upcall_fn)(int, int, int, void *);

static void write_return(uint64_t *regs)
{
    uint64_t ret[4];
    for (int i = 0; i < 4; i++)
        ret[i] = ctl->ret[i]; /* once: the app may not change them in between */
    for (int i = 0; i < 4; i++)
        regs[i] = ret[i];
}

void app_gate(uint32_t cls, uint64_t *regs);
void app_gate(uint32_t cls, uint64_t *regs)
{
    uint64_t at = (uint64_t)(uintptr_t)regs;
    ctl->cls = cls;
    ctl->regs_addr = at;
    ctl->caller = (uint64_t)(uintptr_t)__builtin_return_address(0);
    ctl->sp = (uint64_t)(uintptr_t)__builtin_frame_address(0) + 16;
    if ((at & 7) || at < ctl->mem_lo || at + 32 > ctl->mem_hi || at + 32 < at)
        report_and_end(CHILD_REPORT_BAD_GATE);
    for (int i = 0; i < 4; i++)
        ctl->regs[i] = regs[i]; /* app memory: a bad block faults here, as the app's */
    hand_over(CHILD_REPORT_SYSCALL);
    follow_break();
    if (ctl->order == CHILD_ORDER_UPCALL) {
        upcall_fn fn = (upcall_fn)(uintptr_t)ctl->upcall_fn;
        int a0 = (int)ctl->upcall_args[0], a1 = (int)ctl->upcall_args[1],
            a2 = (int)ctl->upcall_args[2];
        void *ud = (void *)(uintptr_t)ctl->upcall_args[3];
        fn(a0, a1, a2, ud);
    }
    write_return(regs);
}

/* --- start and end of app code -------------------------------------------- */

void app_returned(void);
void app_returned(void)
{
    report_and_end(CHILD_REPORT_RETURNED);
}

/* start_app(entry, stack_top, args): entry(args[0..3], gate) on the app stack,
 * returning into app_returned; every other register zero. */
void start_app(uint64_t entry, uint64_t stack_top, const uint64_t *args);
__asm__(".text\n"
        ".globl start_app\n"
        "start_app:\n"
        "  andq $-16, %rsi\n"
        "  movq %rsi, %rsp\n"
        "  leaq app_returned(%rip), %rax\n"
        "  pushq %rax\n"
        "  movq %rdi, %r11\n"
        "  movq 0(%rdx), %rdi\n"
        "  movq 8(%rdx), %rsi\n"
        "  movq 24(%rdx), %rcx\n"
        "  movq 16(%rdx), %rdx\n"
        "  leaq app_gate(%rip), %r8\n"
        "  xorl %eax, %eax\n"
        "  xorl %ebx, %ebx\n"
        "  xorl %ebp, %ebp\n"
        "  xorl %r9d, %r9d\n"
        "  xorl %r10d, %r10d\n"
        "  xorl %r12d, %r12d\n"
        "  xorl %r13d, %r13d\n"
        "  xorl %r14d, %r14d\n"
        "  xorl %r15d, %r15d\n"
        "  jmp *%r11\n");

/* --- faults: the app's signals, reported, then the end ---------------------- */

struct k_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

struct k_stack {
    void *sp;
    int flags;
    size_t size;
};

static _Alignas(16) unsigned char signal_stack[16384];

/* x86-64 ucontext: gregs start at byte 40, in the kernel's order. */
enum {
    G_R8 = 0,
    G_R9,
    G_R10,
    G_R11,
    G_R12,
    G_R13,
    G_R14,
    G_R15,
    G_RDI,
    G_RSI,
    G_RBP,
    G_RBX,
    G_RDX,
    G_RAX,
    G_RCX,
    G_RSP,
    G_RIP,
    G_EFL,
    G_CSGSFS,
    G_ERR
};

static void on_fault(int signo, void *info, void *ucv)
{
    const uint64_t *g = (const uint64_t *)((const unsigned char *)ucv + 40);
    const unsigned char *si = info;
    static const int order[16] = {G_RAX, G_RBX, G_RCX, G_RDX, G_RSI, G_RDI, G_RBP, G_R8,
                                  G_R9,  G_R10, G_R11, G_R12, G_R13, G_R14, G_R15, G_EFL};
    struct child_fault *f = &ctl->fault;
    f->signo = signo;
    f->code = *(const int32_t *)(si + 8);
    f->addr = *(const uint64_t *)(si + 16); /* si_addr, or si_call_addr for SIGSYS */
    f->pc = g[G_RIP];
    f->sp = g[G_RSP];
    f->err = g[G_ERR];
    for (int i = 0; i < 16; i++)
        f->gpr[i] = g[order[i]];
    f->syscall_nr = (uint64_t)(uint32_t) * (const int32_t *)(si + 24);
    report_and_end(CHILD_REPORT_FAULT);
}

static void never_returns(void)
{
    die(1);
}

static int install_fault_handlers(void)
{
    static const int signals[] = {4 /* ILL */, 5 /* TRAP */,  7 /* BUS */,
                                  8 /* FPE */, 11 /* SEGV */, 31 /* SYS */};
    struct k_stack ss = {signal_stack, 0, sizeof(signal_stack)};
    if (sys3(SYS_sigaltstack, (long)&ss, 0, 0) != 0)
        return -1;
    for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        struct k_sigaction sa = {on_fault, SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER,
                                 never_returns, 0};
        if (sys6(SYS_rt_sigaction, signals[i], (long)&sa, 0, 8, 0, 0) != 0)
            return -1;
    }
    return 0;
}

/* --- confinement -------------------------------------------------------------- */

struct sock_filter {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};

struct sock_fprog {
    unsigned short len;
    struct sock_filter *filter;
};

#define BPF_LD_W_ABS      0x20
#define BPF_JEQ_K         0x15
#define BPF_JGE_K         0x35
#define BPF_RET_K         0x06
#define RET_ALLOW         0x7fff0000u
#define RET_TRAP          0x00030000u
#define RET_KILL          0x80000000u
#define AUDIT_ARCH_X86_64 0xc000003eu

static int confine(void)
{
    /* seccomp_data: nr at 0, arch at 4, args at 16 (8 bytes each, low half first). */
    struct sock_filter prog[] = {
        {BPF_LD_W_ABS, 0, 0, 4},
        {BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64},
        {BPF_RET_K, 0, 0, RET_KILL},
        {BPF_LD_W_ABS, 0, 0, 0},
        {BPF_JGE_K, 0, 1, 0x40000000u}, /* the x32 ABI */
        {BPF_RET_K, 0, 0, RET_KILL},
        {BPF_JEQ_K, 0, 1, SYS_futex},
        {BPF_RET_K, 0, 0, RET_ALLOW},
        {BPF_JEQ_K, 0, 1, SYS_exit_group},
        {BPF_RET_K, 0, 0, RET_ALLOW},
        {BPF_JEQ_K, 0, 8, SYS_mprotect},
        {BPF_LD_W_ABS, 0, 0, 20}, /* address, high half: below 4 GiB (board memory) */
        {BPF_JEQ_K, 0, 6, 0},
        {BPF_LD_W_ABS, 0, 0, 36}, /* prot, high half */
        {BPF_JEQ_K, 0, 4, 0},
        {BPF_LD_W_ABS, 0, 0, 32}, /* prot: nothing, or read and write */
        {BPF_JEQ_K, 1, 0, PROT_NONE},
        {BPF_JEQ_K, 0, 1, PROT_READ | PROT_WRITE},
        {BPF_RET_K, 0, 0, RET_ALLOW},
        {BPF_RET_K, 0, 0, RET_TRAP},
    };
    struct sock_fprog fprog = {(unsigned short)(sizeof(prog) / sizeof(prog[0])), prog};
    if (sys6(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0) != 0)
        return -1;
    return sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&fprog) == 0 ? 0 : -1;
}

/* --- setup ------------------------------------------------------------------ */

static int map_app_memory(void)
{
    uint32_t n = ctl->nmaps;
    if (n > CHILD_MAPS_MAX)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        const struct child_map *m = &ctl->maps[i];
        long r = sys6(SYS_mmap, (long)m->addr, (long)m->len, (long)m->prot, MAP_SHARED | MAP_FIXED,
                      (long)m->fd, (long)m->offset);
        if (r != (long)m->addr)
            return -1;
    }
    return 0;
}

static uint64_t parse_hex(const char *s, const char **end)
{
    uint64_t v = 0;
    for (;; s++) {
        char c = *s;
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16u;
        if (d == 16)
            break;
        v = v << 4 | d;
    }
    *end = s;
    return v;
}

static int has_suffix(const char *line, size_t len, const char *name)
{
    size_t n = 0;
    while (name[n])
        n++;
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (line[len - n + i] != name[i])
            return 0;
    return 1;
}

/* The vDSO, its data pages and the first stack (argv, auxv) are ksim's
 * kernel's gifts to every process: none is left for app code to read. */
static int unmap_gifts(void)
{
    static char maps[65536];
    long fd = sys3(SYS_open, (long)"/proc/self/maps", 0, 0), got = 0, r;
    if (fd < 0)
        return -1;
    while ((r = sys3(SYS_read, fd, (long)(maps + got), (long)(sizeof(maps) - 1 - got))) > 0)
        got += r;
    sys3(SYS_close, fd, 0, 0);
    maps[got] = '\0';
    for (char *line = maps; *line;) {
        char *eol = line;
        while (*eol && *eol != '\n')
            eol++;
        size_t len = (size_t)(eol - line);
        if (has_suffix(line, len, "[vdso]") || has_suffix(line, len, "[vvar]") ||
            has_suffix(line, len, "[vvar_vclock]") || has_suffix(line, len, "[stack]")) {
            const char *p;
            uint64_t lo = parse_hex(line, &p), hi = parse_hex(p + 1, &p);
            sys3(SYS_munmap, (long)lo, (long)(hi - lo), 0);
        }
        line = *eol ? eol + 1 : eol;
    }
    return 0;
}

void host_main(void);
void host_main(void)
{
    long page =
        sys6(SYS_mmap, 0, CHILD_CTL_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, CHILD_FD_CTL, 0);
    if (page < 0 && page > -4096)
        die(2);
    ctl = (struct child_ctl *)page;
    if (ctl->magic != CHILD_CTL_MAGIC)
        die(3);
    /* Ends with ksim, whatever ends ksim (and if ksim is gone already). */
    if (sys6(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0) != 0 ||
        sys3(SYS_getppid, 0, 0, 0) == 1)
        die(4);
    if (map_app_memory() != 0) {
        set_error("cannot map the app's memory at its board addresses");
        report_and_end(CHILD_REPORT_SETUP);
    }
    for (long fd = 0; fd < 64; fd++)
        sys3(SYS_close, fd, 0, 0);
    if (unmap_gifts() != 0 || install_fault_handlers() != 0 || confine() != 0) {
        set_error("cannot confine the app's host process (seccomp)");
        report_and_end(CHILD_REPORT_SETUP);
    }
    cur_brk = ctl->brk;
    hand_over(CHILD_REPORT_READY);
    if (ctl->order != CHILD_ORDER_START)
        report_and_end(CHILD_REPORT_SETUP);
    uint64_t args[4];
    for (int i = 0; i < 4; i++)
        args[i] = ctl->args[i];
    start_app(ctl->entry, ctl->stack_top, args);
}

/* The first stack is ksim's kernel's; this program runs on its own. */
_Alignas(16) unsigned char ksim_host_stack[16384];

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  leaq ksim_host_stack+16384(%rip), %rsp\n"
        "  call host_main\n"
        "  hlt\n");
