/* Ends with completion code 3: `ksim run` must report a non-zero exit (status 1). */
#include <stdio.h>

int main(void)
{
    printf("exiting with 3\n");
    return 3;
}
