/*
 * The `boot` baseline: the least a process can be. Static, no libc, no
 * dynamic loader; _start makes the exit system call and nothing else.
 */
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    movl $231, %eax\n" /* exit_group */
        "    xorl %edi, %edi\n"
        "    syscall\n"
        "    hlt\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    mov x8, #94\n" /* exit_group */
        "    mov x0, #0\n"
        "    svc #0\n");
#elif defined(__riscv)
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    li a7, 94\n" /* exit_group */
        "    li a0, 0\n"
        "    ecall\n");
#else
#error "nolibc_exit: no exit system call for this architecture"
#endif
