/*
 * hostile_escape_fork: tries to fork the host process it runs in (raw
 * fork(2), then clone(2)), as a fork bomb would. Every isolation mode must
 * stop it: a fault, no new host process.
 */
#include <stdio.h>

#include "../raw_syscall.h"

int main(void)
{
    long pid = raw_syscall3(57 /* fork */, 0, 0, 0);
    if (pid == 0)
        for (;;)
            ; /* a child: would spin for ever */
    printf("hostile_escape_fork: ESCAPED, fork gave %ld\n", pid);
    return 0;
}
