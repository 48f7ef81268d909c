/*
 * fault_syscall: a raw host system call (write to stdout), bypassing the
 * gate. Syscall user dispatch turns it into a fault.
 */
int main(void)
{
    static const char msg[] = "escaped the kernel\n";
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(1L), "D"(1L), "S"(msg), "d"(sizeof(msg) - 1)
                     : "rcx", "r11", "memory");
    return (int)ret;
}
