/* The smallest app: one line through printf, then a clean exit. */
#include <stdio.h>

int main(void)
{
    printf("Hello from ksim!\n");
    return 0;
}
