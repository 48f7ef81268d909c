/*
 * hostile_escape_file: tries to create a file on the host with a raw
 * open(2) (O_CREAT), then to write it. Every isolation mode must stop it
 * at the first instruction: a fault, no file.
 */
#include <stdio.h>

#include "../raw_syscall.h"

int main(void)
{
    long fd = raw_syscall3(2 /* open */, (long)"/tmp/ksim-escaped-file",
                           0101 /* O_WRONLY|O_CREAT */, 0644);
    if (fd >= 0)
        raw_syscall3(1 /* write */, fd, (long)"escaped\n", 8);
    printf("hostile_escape_file: ESCAPED, open gave %ld\n", fd);
    return 0;
}
