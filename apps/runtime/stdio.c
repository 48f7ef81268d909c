/*
 * stdio on the console. stdout collects output in a small buffer and
 * flushes it on newline, when full, on fflush and at exit; stderr writes
 * through, after flushing stdout so the two stay in order.
 */
#include <console.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "internal.h"

struct ksim_file {
    int fd;
    int error;
    size_t used;
    char *buffer; /* NULL: unbuffered */
    size_t capacity;
};

static char stdout_buffer[BUFSIZ];

FILE ksim_stdin_file = {0, 0, 0, NULL, 0};
FILE ksim_stdout_file = {1, 0, 0, stdout_buffer, sizeof stdout_buffer};
FILE ksim_stderr_file = {2, 0, 0, NULL, 0};

static int console_write(FILE *f, const char *text, size_t len)
{
    if (f->fd != 1 && f->fd != 2) {
        f->error = 1;
        return EOF;
    }
    if (ksim_console_write(text, len) != 0) {
        f->error = 1;
        return EOF;
    }
    return 0;
}

int fflush(FILE *f)
{
    if (f == NULL)
        f = stdout;
    if (f->used == 0)
        return 0;
    size_t used = f->used;
    f->used = 0;
    return console_write(f, f->buffer, used);
}

void ksim_stdio_flush_all(void)
{
    fflush(stdout);
}

static int write_unbuffered(FILE *f, const char *text, size_t len)
{
    if (fflush(stdout) != 0)
        return EOF;
    return console_write(f, text, len);
}

/* Whole lines go out at once; a line longer than the buffer goes in pieces. */
static int write_buffered(FILE *f, const char *text, size_t len)
{
    int has_newline = memchr(text, '\n', len) != NULL;
    while (len > 0) {
        if (f->used == f->capacity && fflush(f) != 0)
            return EOF;
        size_t room = f->capacity - f->used;
        size_t n = len < room ? len : room;
        memcpy(f->buffer + f->used, text, n);
        f->used += n;
        text += n;
        len -= n;
    }
    return has_newline ? fflush(f) : 0;
}

static int write_text(FILE *f, const char *text, size_t len)
{
    if (len == 0)
        return 0;
    return f->buffer != NULL ? write_buffered(f, text, len) : write_unbuffered(f, text, len);
}

size_t fwrite(const void *restrict ptr, size_t size, size_t count, FILE *restrict f)
{
    if (size == 0 || count == 0)
        return 0;
    if (write_text(f, ptr, size * count) != 0)
        return 0;
    return count;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    return write_text(f, &ch, 1) == 0 ? (unsigned char)ch : EOF;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
    return write_text(f, s, strlen(s)) == 0 ? 1 : EOF;
}

int puts(const char *s)
{
    if (write_text(stdout, s, strlen(s)) != 0)
        return EOF;
    return write_text(stdout, "\n", 1) == 0 ? 1 : EOF;
}

static void file_sink(void *ctx, const char *text, size_t len)
{
    (void)write_text(ctx, text, len);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    f->error = 0;
    int len = ksim_vformat(file_sink, f, fmt, ap);
    return f->error ? EOF : len;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vfprintf(f, fmt, ap);
    va_end(ap);
    return len;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return len;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    return ksim_vsnformat(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = ksim_vsnformat(buf, size, fmt, ap);
    va_end(ap);
    return len;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
    return ksim_vsnformat(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = ksim_vsnformat(buf, SIZE_MAX, fmt, ap);
    va_end(ap);
    return len;
}

int fgetc(FILE *f)
{
    unsigned char c;
    if (f->fd != 0) {
        f->error = 1;
        return EOF;
    }
    fflush(stdout); /* show any prompt before blocking */
    return ksim_console_read(&c, 1) == 1 ? c : EOF;
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}
