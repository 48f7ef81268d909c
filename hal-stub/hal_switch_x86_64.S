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

    .section .note.GNU-stack,"",@progbits
