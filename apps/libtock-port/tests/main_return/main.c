/*
 * Returning from main ends the process with main's result as the completion
 * code, as libtock-c's crt0 does (exit(main(0, NULL))), after stdout is
 * flushed. Prints a partial line, then returns 7.
 */
#include <libtock/tock.h>
#include <stdio.h>

int main(void)
{
    printf("libtock-port main returns 7");
    return 7;
}
