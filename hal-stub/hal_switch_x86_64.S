/*
 * Stack switch for x86-64 (System V): saves the callee-saved registers,
 * MXCSR and the x87 control word on the current stack, stores the stack
 * pointer, loads the other one and restores from it. No host system call.
 *
 * void hal__switch(void **save_sp, void *load_sp);
 * void hal__jump(void *load_sp);
 */
    .text
    .globl hal__switch
    .type hal__switch, @function
hal__switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    jmp 1f
    .size hal__switch, . - hal__switch

    .globl hal__jump
    .type hal__jump, @function
hal__jump:
    movq %rdi, %rsp
1:
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size hal__jump, . - hal__jump

/*
 * The switch between the kernel and app code. See hal_cpu.h for the save
 * area and the rule this code keeps; in short, app code never sees a host
 * value and host code never runs with the app's flags, segment bases or
 * stack. Everything from hal__switch_code_begin to hal__switch_code_end is
 * "switch code": a timer tick there is never a preemption point, and a
 * fault there while hal__in_app is set is the app's fault.
 *
 * void hal__cpu_enter(struct hal__cpu *c);
 */
#include "hal_cpu.h"

#define SUD_ALLOW 0

/* Host system calls from here on are the app's: blocked (when SUD is on). */
.macro SUD_BLOCK
    movb hal__sud_block_value(%rip), %al
    movb %al, hal__sud_selector(%rip)
.endm

/* The app's own FS and GS bases (when the CPU lets apps set them at all). */
.macro APP_SEGMENTS
    cmpb $0, hal__fsgsbase(%rip)
    je 91f
    movq CPU_FSBASE(%rdi), %rax
    wrfsbase %rax
    movq CPU_GSBASE(%rdi), %rax
    wrgsbase %rax
91:
.endm

/* x87, SSE, AVX and AVX-512 (k0-7, zmm0-31) to their initial state, zeros,
 * then the app's own MXCSR and x87 control word: no value the kernel left. */
.macro CLEAN_VECTOR_STATE
    cmpb $0, hal__has_xsave(%rip)
    je 92f
    movl hal__clean_xsave_mask(%rip), %eax
    xorl %edx, %edx
    xrstor64 hal__clean_xstate(%rip)
    jmp 93f
92:
    fxrstor64 hal__clean_xstate(%rip)
93:
    ldmxcsr CPU_MXCSR(%rdi)
    fldcw CPU_FCW(%rdi)
.endm

    .text
    .globl hal__switch_code_begin
hal__switch_code_begin:

    .globl hal__cpu_enter
    .type hal__cpu_enter, @function
hal__cpu_enter:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, hal__kernel_rsp(%rip)
    movq %rdi, hal__cpu_current(%rip)
    cmpl $CPU_RESUME_GATE, CPU_RESUME(%rdi)
    jne .Lfull_entry

    /* Return from the gate: write the return registers into the app's
     * block, give back its callee-saved registers, flags and stack. */
    APP_SEGMENTS
    CLEAN_VECTOR_STATE
    SUD_BLOCK
    movb $1, hal__in_app(%rip)
    movq CPU_REGS(%rdi), %rsi
    movq CPU_RET+0(%rdi), %rax
    movq %rax, 0(%rsi)          /* app memory: a fault here is the app's */
    movq CPU_RET+8(%rdi), %rax
    movq %rax, 8(%rsi)
    movq CPU_RET+16(%rdi), %rax
    movq %rax, 16(%rsi)
    movq CPU_RET+24(%rdi), %rax
    movq %rax, 24(%rsi)
    movq CPU_RBX(%rdi), %rbx
    movq CPU_RBP(%rdi), %rbp
    movq CPU_R12(%rdi), %r12
    movq CPU_R13(%rdi), %r13
    movq CPU_R14(%rdi), %r14
    movq CPU_R15(%rdi), %r15
    movq CPU_RSP(%rdi), %rsi
    pushq CPU_RFLAGS(%rdi)      /* on the kernel stack: the app's is not touched */
    xorl %eax, %eax
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    xorl %edi, %edi
    popfq                       /* the app's own flags, AC and DF included */
    movq %rsi, %rsp
    movl $0, %esi               /* mov, not xor: the flags stay the app's */
    ret                         /* pops the app's return address */

    /* Full entry: the start of a process, an upcall, or the resume of a
     * preempted process. Stores the words C prepared (a return address
     * into this page, an upcall frame) on the app stack under the app's
     * own protections, then loads every register at once with iretq, so
     * nothing is pushed on the app stack. */
.Lfull_entry:
    APP_SEGMENTS
    cmpl $0, CPU_XSAVED(%rdi)
    je 1f
    movq CPU_XSTATE(%rdi), %rsi
    cmpb $0, hal__has_xsave(%rip)
    je 5f
    movl $-1, %eax
    movl $-1, %edx
    xrstor64 (%rsi)             /* the interrupted state, exactly */
    jmp 2f
5:
    fxrstor64 (%rsi)
    jmp 2f
1:
    CLEAN_VECTOR_STATE
2:
    SUD_BLOCK
    movb $1, hal__in_app(%rip)
    movl CPU_NPUSH(%rdi), %ecx
    movq CPU_PUSH_AT(%rdi), %rdx
    xorl %esi, %esi
3:
    cmpl %ecx, %esi
    jae 4f
    movq CPU_PUSH(%rdi,%rsi,8), %rax
    movq %rax, (%rdx,%rsi,8)    /* app memory: a fault here is the app's */
    incl %esi
    jmp 3b
4:
    pushq hal__user_ss(%rip)
    pushq CPU_FRAME+FR_RSP(%rdi)
    pushq CPU_FRAME+FR_RFLAGS(%rdi)
    pushq hal__user_cs(%rip)
    pushq CPU_FRAME+FR_RIP(%rdi)
    movq CPU_FRAME+FR_RAX(%rdi), %rax
    movq CPU_FRAME+FR_RBX(%rdi), %rbx
    movq CPU_FRAME+FR_RCX(%rdi), %rcx
    movq CPU_FRAME+FR_RDX(%rdi), %rdx
    movq CPU_FRAME+FR_RSI(%rdi), %rsi
    movq CPU_FRAME+FR_RBP(%rdi), %rbp
    movq CPU_FRAME+FR_R8(%rdi), %r8
    movq CPU_FRAME+FR_R9(%rdi), %r9
    movq CPU_FRAME+FR_R10(%rdi), %r10
    movq CPU_FRAME+FR_R11(%rdi), %r11
    movq CPU_FRAME+FR_R12(%rdi), %r12
    movq CPU_FRAME+FR_R13(%rdi), %r13
    movq CPU_FRAME+FR_R14(%rdi), %r14
    movq CPU_FRAME+FR_R15(%rdi), %r15
    movq CPU_FRAME+FR_RDI(%rdi), %rdi
    iretq                       /* rip, rflags and rsp in one step, same privilege */
    .size hal__cpu_enter, . - hal__cpu_enter

/*
 * The gate as apps see it (ABI.md): void gate(uint32_t cls, uintptr_t regs[4]).
 * Saves what the app must get back, reads the register block if it lies in
 * the process's RAM, and switches to the kernel stack at once: nothing is
 * written below the app's stack pointer.
 */
    .globl hal__gate_entry
    .type hal__gate_entry, @function
hal__gate_entry:
    movq hal__cpu_current(%rip), %rax
    movq %rbx, CPU_RBX(%rax)
    movq %rbp, CPU_RBP(%rax)
    movq %r12, CPU_R12(%rax)
    movq %r13, CPU_R13(%rax)
    movq %r14, CPU_R14(%rax)
    movq %r15, CPU_R15(%rax)
    movq %rsp, CPU_RSP(%rax)
    movq %rsi, CPU_REGS(%rax)
    movl %edi, CPU_CLS(%rax)
    stmxcsr CPU_MXCSR(%rax)
    fnstcw CPU_FCW(%rax)
    movq (%rsp), %rdx           /* the caller, for reports (the app's own stack) */
    movq %rdx, CPU_CALLER(%rax)
    movl $CPU_STOP_BAD_GATE, %edx
    testl $7, %esi              /* the block: 4 aligned words of process RAM */
    jnz .Lto_kernel
    cmpq CPU_MEM_LO(%rax), %rsi
    jb .Lto_kernel
    movq CPU_MEM_HI(%rax), %rcx
    subq $32, %rcx
    jb .Lto_kernel
    cmpq %rcx, %rsi
    ja .Lto_kernel
    movq 0(%rsi), %rcx          /* app memory, under its own protections */
    movq %rcx, CPU_IN+0(%rax)
    movq 8(%rsi), %rcx
    movq %rcx, CPU_IN+8(%rax)
    movq 16(%rsi), %rcx
    movq %rcx, CPU_IN+16(%rax)
    movq 24(%rsi), %rcx
    movq %rcx, CPU_IN+24(%rax)
    movl $CPU_STOP_SYSCALL, %edx

    /* rax: the save area, edx: why. Onto the kernel stack, clean flags,
     * the host's FS base, host calls allowed, then back into hal__cpu_enter's caller. */
.Lto_kernel:
    movl %edx, CPU_STOP(%rax)
    movq hal__kernel_rsp(%rip), %rsp
    movb $0, hal__in_app(%rip)
    pushfq
    popq CPU_RFLAGS(%rax)
    pushq $CPU_CLEAN_RFLAGS
    popfq                       /* DF, AC and TF clear from here on */
    cmpb $0, hal__fsgsbase(%rip)
    je 1f
    rdfsbase %rdx
    movq %rdx, CPU_FSBASE(%rax)
    rdgsbase %rdx
    movq %rdx, CPU_GSBASE(%rax)
    movq hal__host_fsbase(%rip), %rdx
    wrfsbase %rdx
    xorl %edx, %edx
    wrgsbase %rdx
1:
    movb $SUD_ALLOW, hal__sud_selector(%rip)
    .globl hal__kernel_resume
hal__kernel_resume:             /* also where a signal handler sends the kernel */
    emms                        /* no x87 stack the app left behind (all tags empty) */
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size hal__gate_entry, . - hal__gate_entry

/* Where an app's entry point returns to (ABI.md: exit 0). */
    .globl hal__start_return
    .type hal__start_return, @function
hal__start_return:
    movq hal__cpu_current(%rip), %rax
    movl $CPU_STOP_RETURNED, %edx
    jmp .Lto_kernel
    .size hal__start_return, . - hal__start_return

/*
 * Where an upcall returns to. App code, in the app's context: the frame
 * the full entry stored (hal_cpu.h) says where the yield's register block
 * is and where the gate's caller waits; the yield returns without the
 * kernel. A frame whose block left the process's RAM is a bad gate.
 */
    .globl hal__upcall_return
    .type hal__upcall_return, @function
hal__upcall_return:
    movq 0(%rsp), %rdi          /* the yield's register block */
    movq hal__cpu_current(%rip), %rax
    movq %rdi, CPU_REGS(%rax)
    movl $CPU_STOP_UPCALL_BAD_GATE, %edx
    testl $7, %edi
    jnz .Lto_kernel
    cmpq CPU_MEM_LO(%rax), %rdi
    jb .Lto_kernel
    movq CPU_MEM_HI(%rax), %rcx
    subq $32, %rcx
    jb .Lto_kernel
    cmpq %rcx, %rdi
    ja .Lto_kernel
    movq 8(%rsp), %rax
    movq %rax, 0(%rdi)
    movq 16(%rsp), %rax
    movq %rax, 8(%rdi)
    movq 24(%rsp), %rax
    movq %rax, 16(%rdi)
    movq 32(%rsp), %rax
    movq %rax, 24(%rdi)
    movq 40(%rsp), %rsp         /* the gate's caller: its return address on top */
    xorl %eax, %eax
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %edi, %edi
    ret
    .size hal__upcall_return, . - hal__upcall_return

/*
 * Signal handlers are entered here first (SIG_TRAMPOLINE below): before
 * any C runs, clear AC (the host would take alignment faults) and DF, allow
 * host system calls and put back the host's FS base; pass the interrupted
 * FS base as the handler's fourth argument. The handler returns nonzero
 * when it sent the context to the kernel (hal__kernel_resume); otherwise
 * the interrupted code's FS base and syscall selector come back.
 */
.macro SIG_TRAMPOLINE name, handler
    .globl \name
    .type \name, @function
\name:
    pushfq
    andq $~0x40400, (%rsp)      /* AC (bit 18) and DF (bit 10) */
    popfq
    pushq %rbx
    pushq %r12
    subq $8, %rsp
    movzbl hal__sud_selector(%rip), %r12d
    movb $SUD_ALLOW, hal__sud_selector(%rip)
    xorl %ebx, %ebx
    cmpb $0, hal__fsgsbase(%rip)
    je 1f
    rdfsbase %rbx
    movq hal__host_fsbase(%rip), %rax
    wrfsbase %rax
1:
    movq %rbx, %rcx
    call \handler
    testl %eax, %eax
    jnz 2f
    movb %r12b, hal__sud_selector(%rip)
    cmpb $0, hal__fsgsbase(%rip)
    je 2f
    wrfsbase %rbx
2:
    addq $8, %rsp
    popq %r12
    popq %rbx
    ret
    .size \name, . - \name
.endm

    SIG_TRAMPOLINE hal__sigtramp_fault, hal__on_fault
    SIG_TRAMPOLINE hal__sigtramp_tick, hal__on_tick
    SIG_TRAMPOLINE hal__sigtramp_sys, hal__on_sigsys

    .globl hal__switch_code_end
hal__switch_code_end:

    .section .note.GNU-stack,"",@progbits
