/*
 * printf formatting core, free of any libc so it serves the apps and, as
 * plain host code, its unit test. Conversions: d i u x X o c s p %, flags
 * - 0 + space #, width and precision (also *), lengths hh h l ll z j t.
 * Floating-point conversions are not supported: they consume their
 * argument and print the conversion text as written.
 */
#ifndef KSIM_APP_FORMAT_H
#define KSIM_APP_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted text in pieces, in order. */
typedef void (*ksim_format_sink)(void *ctx, const char *text, size_t len);

/* Formats to a sink; returns the number of characters, or -1 past INT_MAX. */
int ksim_vformat(ksim_format_sink sink, void *ctx, const char *fmt, va_list ap);

/*
 * vsnprintf: writes at most size - 1 characters and a NUL (when size > 0);
 * returns the length the whole text would have.
 */
int ksim_vsnformat(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* KSIM_APP_FORMAT_H */
