/* Loads from address 0: the process faults, ksim does not. */
#include <stdio.h>

int main(void)
{
    volatile int *volatile null = 0;
    printf("about to read address 0\n");
    return *null;
}
