/*
 * hostile_leak_probe: prints, as hex words, everything host code could have
 * left where app code can read it, then waits for console input so a test
 * can compare the words with ksim's host mappings (/proc/PID/maps) while
 * ksim still runs:
 *   - every caller-saved register and the flags right after the gate returns;
 *   - the whole XSAVE image (x87, SSE, AVX, AVX-512 incl. k0-7) after it;
 *   - 256 words of its own stack below the stack pointer;
 *   - every register at an upcall's entry.
 * Lines: "layout MEM_LO MEM_HI IMG_LO IMG_HI GATE", then "v WHAT HEX" per
 * word, then "END".
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void ksim_syscall(uint32_t syscall_class, uintptr_t regs[4]);
ksim_gate_fn ksim_gate_address(void);

enum { GATE_WORDS = 10, UPCALL_WORDS = 16, STACK_WORDS = 256, XSAVE_BYTES = 16384 };

uint64_t after_gate[GATE_WORDS];
uint64_t at_upcall[UPCALL_WORDS];
volatile int upcall_seen;
static _Alignas(64) unsigned char xsave_image[XSAVE_BYTES];

/*
 * probe_call(gate, cls, regs, out): calls the gate and stores rax, rcx, rdx,
 * rsi, rdi, r8-r11 and the flags as the gate left them.
 */
void probe_call(ksim_gate_fn gate, uint32_t cls, uintptr_t regs[4], uint64_t out[GATE_WORDS]);
__asm__(".text\n"
        ".globl probe_call\n"
        "probe_call:\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  subq $8, %rsp\n"
        "  movq %rcx, %r12\n"
        "  movq %rdi, %r13\n"
        "  movl %esi, %edi\n"
        "  movq %rdx, %rsi\n"
        "  call *%r13\n"
        "  movq %rax, 0(%r12)\n"
        "  movq %rcx, 8(%r12)\n"
        "  movq %rdx, 16(%r12)\n"
        "  movq %rsi, 24(%r12)\n"
        "  movq %rdi, 32(%r12)\n"
        "  movq %r8, 40(%r12)\n"
        "  movq %r9, 48(%r12)\n"
        "  movq %r10, 56(%r12)\n"
        "  movq %r11, 64(%r12)\n"
        "  pushfq\n"
        "  popq 72(%r12)\n"
        "  addq $8, %rsp\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  ret\n");

/* The upcall's first instruction: every register as the kernel left it. */
void upcall_entry(int a, int b, int c, void *ud);
void upcall_body(int a, int b, int c, void *ud);
__asm__(".text\n"
        ".globl upcall_entry\n"
        "upcall_entry:\n"
        "  movq %rax, at_upcall+0(%rip)\n"
        "  movq %rbx, at_upcall+8(%rip)\n"
        "  movq %rcx, at_upcall+16(%rip)\n"
        "  movq %rdx, at_upcall+24(%rip)\n"
        "  movq %rsi, at_upcall+32(%rip)\n"
        "  movq %rdi, at_upcall+40(%rip)\n"
        "  movq %rbp, at_upcall+48(%rip)\n"
        "  movq %r8, at_upcall+56(%rip)\n"
        "  movq %r9, at_upcall+64(%rip)\n"
        "  movq %r10, at_upcall+72(%rip)\n"
        "  movq %r11, at_upcall+80(%rip)\n"
        "  movq %r12, at_upcall+88(%rip)\n"
        "  movq %r13, at_upcall+96(%rip)\n"
        "  movq %r14, at_upcall+104(%rip)\n"
        "  movq %r15, at_upcall+112(%rip)\n"
        "  pushfq\n"
        "  popq at_upcall+120(%rip)\n"
        "  jmp upcall_body\n");

void upcall_body(int a, int b, int c, void *ud)
{
    (void)a, (void)b, (void)c, (void)ud;
    upcall_seen = 1;
}

static uintptr_t memop(uintptr_t op)
{
    uintptr_t regs[4] = {op, 0, 0, 0};
    ksim_syscall(KSIM_CLASS_MEMOP, regs);
    return regs[1];
}

static void put(const char *what, uint64_t v)
{
    printf("v %s %llx\n", what, (unsigned long long)v);
}

static void dump_stack_below_sp(void)
{
    uint64_t *sp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(sp));
    for (int i = 1; i <= STACK_WORDS; i++)
        put("stack", sp[-i]);
}

static void dump_xsave(void)
{
    unsigned a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & (1u << 27))) /* OSXSAVE */
        return;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
    unsigned size = b < XSAVE_BYTES ? b : XSAVE_BYTES;
    memset(xsave_image, 0, sizeof(xsave_image));
    __asm__ volatile("xsave64 %0" : "+m"(xsave_image) : "a"(~0u), "d"(~0u) : "memory");
    for (unsigned i = 0; i + 8 <= size; i += 8) {
        uint64_t w;
        memcpy(&w, xsave_image + i, sizeof(w));
        put("xsave", w);
    }
}

int main(void)
{
    ksim_gate_fn gate = ksim_gate_address();
    printf("layout %lx %lx %lx %lx %lx\n", (unsigned long)memop(2), (unsigned long)memop(3),
           (unsigned long)memop(4), (unsigned long)memop(5), (unsigned long)(uintptr_t)gate);

    /* A plain command (alarm frequency), then the state it left. */
    uintptr_t regs[4] = {KSIM_DRIVER_ALARM, 1, 0, 0};
    probe_call(gate, KSIM_CLASS_COMMAND, regs, after_gate);
    dump_xsave(); /* first: printing would change the vector registers */
    for (int i = 0; i < GATE_WORDS; i++)
        put("gate", after_gate[i]);
    dump_stack_below_sp();

    /* An upcall: the alarm, 1 ms from now. */
    uintptr_t sub[4] = {KSIM_DRIVER_ALARM, 0, (uintptr_t)upcall_entry, 0};
    ksim_syscall(KSIM_CLASS_SUBSCRIBE, sub);
    uintptr_t set[4] = {KSIM_DRIVER_ALARM, 5, 32, 0};
    ksim_syscall(KSIM_CLASS_COMMAND, set);
    while (!upcall_seen) {
        uintptr_t y[4] = {KSIM_YIELD_WAIT, 0, 0, 0};
        ksim_syscall(KSIM_CLASS_YIELD, y);
    }
    for (int i = 0; i < UPCALL_WORDS; i++)
        put("upcall", at_upcall[i]);
    dump_stack_below_sp();
    printf("END\n");
    fflush(stdout);
    (void)getchar(); /* ksim stays up while the test reads its mappings */
    return 0;
}
