/*
 * The few memory helpers the freestanding kernel needs (no libc here).
 */
#ifndef KSIM_KERNEL_KLIB_H
#define KSIM_KERNEL_KLIB_H

#include <stddef.h>
#include <stdint.h>

void klib_copy(void *dst, const void *src, size_t len);
void klib_fill(void *dst, uint8_t byte, size_t len);
/* Copies a NUL-terminated string into dst[cap], truncating; always terminates. */
void klib_strlcpy(char *dst, const char *src, size_t cap);

/* Rounds up to a power-of-two alignment; 0 on overflow. */
static inline uintptr_t klib_align_up(uintptr_t v, uintptr_t align)
{
    uintptr_t r = (v + align - 1) & ~(align - 1);
    return r < v ? 0 : r;
}

#endif /* KSIM_KERNEL_KLIB_H */
