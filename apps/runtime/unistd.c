/* unistd.h's console I/O (sleep is in alarm.c, the break in malloc.c). */
#include <console.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t count)
{
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
        return -1;
    /* Keep order with what printf has buffered. */
    if (fflush(stdout) != 0)
        return -1;
    return ksim_console_write(buf, count) == 0 ? (ssize_t)count : -1;
}

ssize_t read(int fd, void *buf, size_t count)
{
    if (fd != STDIN_FILENO)
        return -1;
    if (count == 0)
        return 0;
    fflush(stdout);
    int n = ksim_console_read(buf, count);
    return n < 0 ? -1 : n;
}
