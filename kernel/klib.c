/* Byte helpers for the freestanding kernel. Plain loops: clarity over speed. */
#include "klib.h"

void klib_copy(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (len--)
        *d++ = *s++;
}

void klib_fill(void *dst, uint8_t byte, size_t len)
{
    uint8_t *d = dst;
    while (len--)
        *d++ = byte;
}

void klib_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    if (cap == 0)
        return;
    for (; i + 1 < cap && src[i] != '\0'; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}
