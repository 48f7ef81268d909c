/* unistd.h for apps: console output, sleeping on the alarm, the break. */
#ifndef KSIM_APP_UNISTD_H
#define KSIM_APP_UNISTD_H

#include <stddef.h>
#include <stdint.h>

#ifndef KSIM_APP_SSIZE_T
#define KSIM_APP_SSIZE_T
typedef long ssize_t;
#endif
typedef unsigned int useconds_t;

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* fd 1 and 2 write to the console (after flushing stdout); -1 otherwise. */
ssize_t write(int fd, const void *buf, size_t count);
/* fd 0 reads from the console: waits until some bytes arrive. */
ssize_t read(int fd, void *buf, size_t count);

/* Sleep on the alarm driver; any length (split below the counter's wrap). */
int usleep(useconds_t usec);
unsigned int sleep(unsigned int seconds);

/* The program break (memop 0 and 1). */
void *sbrk(intptr_t increment);
int brk(void *addr);

#endif /* KSIM_APP_UNISTD_H */
