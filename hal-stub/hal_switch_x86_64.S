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
 * Preemption. A timer signal that lands in app code makes its handler push
 * the interrupted pc below the red zone and return here instead. This saves
 * every register the interrupted code may hold (flags, the caller-saved
 * ones, and the whole XSAVE state: x87, SSE, AVX, AVX-512), calls
 * hal__preempted (which returns when the kernel resumes the process),
 * restores all of it and returns to the pc, skipping the red zone again.
 */
    .globl hal__preempt_entry
    .type hal__preempt_entry, @function
hal__preempt_entry:
    pushfq
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %rbx
    pushq %rbp
    movq %rsp, %rbx             /* rbx is callee-saved: it survives the call */
    subq hal__xsave_size(%rip), %rsp
    andq $-64, %rsp             /* XSAVE needs 64-byte alignment */
    xorl %eax, %eax             /* XSAVE needs its header zeroed first */
    movq %rax, 512(%rsp)
    movq %rax, 520(%rsp)
    movq %rax, 528(%rsp)
    movq %rax, 536(%rsp)
    movq %rax, 544(%rsp)
    movq %rax, 552(%rsp)
    movq %rax, 560(%rsp)
    movq %rax, 568(%rsp)
    movl $-1, %eax
    movl $-1, %edx
    xsave64 (%rsp)
    cld                         /* the C code expects DF clear */
    call hal__preempted
    movl $-1, %eax
    movl $-1, %edx
    xrstor64 (%rsp)
    movq %rbx, %rsp
    popq %rbp
    popq %rbx
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    popfq
    ret $128
    .size hal__preempt_entry, . - hal__preempt_entry

/*
 * The gate as apps see it: calls hal__gate, then clears every register the
 * calling convention lets a callee clobber, so no host pointer left there by
 * the kernel or libffi reaches the app. Callee-saved ones hold the app's own.
 */
    .globl hal__gate_entry
    .type hal__gate_entry, @function
hal__gate_entry:
    subq $8, %rsp               /* keep the stack 16-byte aligned for the call */
    call hal__gate
    addq $8, %rsp
    xorl %eax, %eax
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %edi, %edi
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    pxor %xmm0, %xmm0
    pxor %xmm1, %xmm1
    pxor %xmm2, %xmm2
    pxor %xmm3, %xmm3
    pxor %xmm4, %xmm4
    pxor %xmm5, %xmm5
    pxor %xmm6, %xmm6
    pxor %xmm7, %xmm7
    pxor %xmm8, %xmm8
    pxor %xmm9, %xmm9
    pxor %xmm10, %xmm10
    pxor %xmm11, %xmm11
    pxor %xmm12, %xmm12
    pxor %xmm13, %xmm13
    pxor %xmm14, %xmm14
    pxor %xmm15, %xmm15
    ret
    .size hal__gate_entry, . - hal__gate_entry

    .section .note.GNU-stack,"",@progbits
