/*
 * Reading little-endian ELF fields out of an untrusted file: every caller
 * checks a range with elf_in_file before it reads inside it.
 */
#ifndef KSIM_SIM_IMAGE_ELF_BYTES_H
#define KSIM_SIM_IMAGE_ELF_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The width-byte little-endian value at b + off. */
static inline uint64_t elf_rd(const uint8_t *b, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | b[off + i];
    return v;
}

/* Does [off, off + size) lie inside a file of len bytes? (no overflow) */
static inline bool elf_in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

#endif /* KSIM_SIM_IMAGE_ELF_BYTES_H */
