/* The console driver (0x1), below stdio. */
#ifndef KSIM_APP_CONSOLE_H
#define KSIM_APP_CONSOLE_H

#include <stddef.h>
#include <tock.h>

/* Writes all len bytes, however many rounds the kernel needs. */
returncode_t ksim_console_write(const void *buf, size_t len);
/* Reads up to len bytes; returns how many, or a negative returncode_t. */
int ksim_console_read(void *buf, size_t len);

#endif /* KSIM_APP_CONSOLE_H */
