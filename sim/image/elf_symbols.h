/* App symbols for reports: the function (or object) at an image offset. */
#ifndef KSIM_SIM_IMAGE_ELF_SYMBOLS_H
#define KSIM_SIM_IMAGE_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Finds the symbol containing link-time address vaddr in an ELF64 file.
 * Reads nothing outside file[0..len) (the file is untrusted). True with
 * the name and the offset into the symbol.
 */
bool elf_symbolize(const uint8_t *file, size_t len, uint64_t vaddr, char *name, size_t cap,
                   uint64_t *offset);

#endif /* KSIM_SIM_IMAGE_ELF_SYMBOLS_H */
