/*
 * A copy of an app's ELF file rebased to the address it was loaded at, for
 * gdb's JIT interface: gdb takes the addresses of an in-memory object as
 * absolute and does not relocate its DWARF, so every address in the copy
 * (sections, segments, symbols, and the addresses inside the DWARF) moves
 * by the load offset. The input is untrusted: nothing outside it is read,
 * and what cannot be rebased with certainty is refused, with the section,
 * offset and reason.
 */
#ifndef KSIM_SIM_DEBUG_ELF_REBASE_H
#define KSIM_SIM_DEBUG_ELF_REBASE_H

#include <stddef.h>
#include <stdint.h>

#define ELF_REBASE_ERR_MAP(XX)                                                                     \
    XX(OK, "rebased")                                                                              \
    XX(NOT_ELF64, "not a 64-bit little-endian ELF file")                                           \
    XX(BAD_ELF, "malformed ELF headers")                                                           \
    XX(BAD_DWARF, "malformed DWARF")                                                               \
    XX(UNSUPPORTED, "DWARF or ELF that the rebaser does not handle")                               \
    XX(NO_MEMORY, "out of memory")

enum elf_rebase_err {
#define ELF_REBASE_ERR_ENUM(name, text) ELF_REBASE_##name,
    ELF_REBASE_ERR_MAP(ELF_REBASE_ERR_ENUM)
#undef ELF_REBASE_ERR_ENUM
};

/* Text for an error. */
const char *elf_rebase_err_text(enum elf_rebase_err err);

/*
 * Writes to *out (malloc'ed, len bytes, the caller frees it) a copy of
 * file[0..len) with every address that lies in the file's allocated
 * sections moved by delta (load address minus link address, modulo 2^64).
 * ELF_REBASE_OK, or an error with *out NULL and a one-line reason (section,
 * offset, what) in msg.
 */
enum elf_rebase_err elf_rebase(const uint8_t *file, size_t len, uint64_t delta, uint8_t **out,
                               char *msg, size_t cap);

#endif /* KSIM_SIM_DEBUG_ELF_REBASE_H */
