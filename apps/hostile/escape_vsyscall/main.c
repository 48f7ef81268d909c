/*
 * hostile_escape_vsyscall: calls time() in the legacy vsyscall page, which
 * the host kernel maps into every process at a fixed address and which
 * needs no system call instruction of the app's. In the in-process modes it
 * answers (a documented escape, reading the host clock); in process mode
 * the seccomp filter sees the call it emulates, and it is a fault.
 */
#include <stdio.h>

typedef long (*vtime_fn)(long *);

int main(void)
{
    vtime_fn vtime = (vtime_fn)0xffffffffff600400ul;
    long t = vtime(0);
    printf("hostile_escape_vsyscall: ESCAPED, the host clock says %ld\n", t);
    return 0;
}
