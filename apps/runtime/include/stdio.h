/*
 * stdio.h for apps: output to the console driver. stdout is line-buffered
 * (flushed on newline, fflush and exit); stderr is unbuffered.
 */
#ifndef KSIM_APP_STDIO_H
#define KSIM_APP_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF    (-1)
#define BUFSIZ 256

typedef struct ksim_file FILE;

extern FILE ksim_stdin_file;
extern FILE ksim_stdout_file;
extern FILE ksim_stderr_file;
#define stdin  (&ksim_stdin_file)
#define stdout (&ksim_stdout_file)
#define stderr (&ksim_stderr_file)

#define KSIM_PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))

int printf(const char *restrict fmt, ...) KSIM_PRINTF_LIKE(1, 2);
int vprintf(const char *restrict fmt, va_list ap) KSIM_PRINTF_LIKE(1, 0);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) KSIM_PRINTF_LIKE(2, 3);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap) KSIM_PRINTF_LIKE(2, 0);
int sprintf(char *restrict buf, const char *restrict fmt, ...) KSIM_PRINTF_LIKE(2, 3);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap) KSIM_PRINTF_LIKE(2, 0);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...) KSIM_PRINTF_LIKE(3, 4);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    KSIM_PRINTF_LIKE(3, 0);

int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
size_t fwrite(const void *restrict ptr, size_t size, size_t count, FILE *restrict f);
int fflush(FILE *f);

/* Reads one byte from the console (blocking); EOF on error. */
int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);

#endif /* KSIM_APP_STDIO_H */
