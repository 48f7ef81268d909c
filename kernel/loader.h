/*
 * The app loader: checks a static-PIE ELF field by field before trusting any
 * of it, then places it into a process block (non-XIP: the whole image moves
 * by one constant offset) and applies its R_*_RELATIVE relocations.
 */
#ifndef KSIM_KERNEL_LOADER_H
#define KSIM_KERNEL_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct kernel;
struct proc;

#define LOADER_MAX_SEGMENTS 8
#define LOADER_MAX_PHDRS    64
#define LOADER_MAX_SPAN     (16u * 1024u * 1024u) /* image + data, bytes */

/* ELF machines the host may run. */
#define LOADER_EM_X86_64  62
#define LOADER_EM_AARCH64 183
#define LOADER_EM_RISCV   243

#define LOADER_WHY_MAP(XX)                                                                         \
    XX(NONE, "no error")                                                                           \
    XX(TRUNCATED, "file ends before this structure")                                               \
    XX(BAD_MAGIC, "not an ELF file (bad magic)")                                                   \
    XX(BAD_CLASS, "not a 64-bit ELF file")                                                         \
    XX(BAD_ENDIAN, "not a little-endian ELF file")                                                 \
    XX(BAD_VERSION, "unknown ELF version")                                                         \
    XX(NOT_PIE, "not position-independent (ELF type is not ET_DYN): build with -static-pie")       \
    XX(WRONG_MACHINE, "built for another machine than this host")                                  \
    XX(BAD_PHENTSIZE, "program header entry size is not 56")                                       \
    XX(BAD_PHNUM, "no program headers, or too many")                                               \
    XX(HAS_INTERP, "dynamically linked (has PT_INTERP): build with -static-pie and no libc")       \
    XX(HAS_TLS, "uses thread-local storage (PT_TLS), which apps cannot have")                      \
    XX(TOO_MANY_SEGMENTS, "too many PT_LOAD segments")                                             \
    XX(BAD_FILESZ, "segment's file size exceeds its memory size")                                  \
    XX(BAD_ALIGN, "segment alignment is not a power of two up to 64 KiB")                          \
    XX(SEGMENT_ORDER, "PT_LOAD segments overlap or are not in address order")                      \
    XX(SPAN_TOO_LARGE, "segments span more than 16 MiB")                                           \
    XX(WRITE_EXEC, "segment is both writable and executable")                                      \
    XX(DATA_BEFORE_CODE, "a writable segment comes before a read-only one")                        \
    XX(DATA_SHARES_PAGE, "writable data shares a page with code")                                  \
    XX(NO_CODE, "no executable segment")                                                           \
    XX(BAD_ENTRY, "entry point is not inside an executable segment")                               \
    XX(BAD_DYNAMIC, "PT_DYNAMIC lies outside the file or is malformed")                            \
    XX(NEEDS_LIBRARY, "needs a shared library (DT_NEEDED)")                                        \
    XX(TEXTREL, "has text relocations (DT_TEXTREL)")                                               \
    XX(REL_UNSUPPORTED, "uses REL or RELR relocation tables; only RELA is supported")              \
    XX(BAD_RELAENT, "relocation entry size is not 24")                                             \
    XX(BAD_RELA, "relocation table lies outside the loaded segments")                              \
    XX(BAD_RELOC_TYPE, "relocation type other than R_*_RELATIVE")                                  \
    XX(BAD_RELOC_TARGET, "relocation target lies outside the loaded image")                        \
    XX(NO_ROOM, "process memory block too small for the image")

enum loader_why {
#define LOADER_WHY_ENUM(name, text) LOADER_##name,
    LOADER_WHY_MAP(LOADER_WHY_ENUM)
#undef LOADER_WHY_ENUM
};

struct loader_error {
    enum loader_why why;
    uint64_t offset; /* file offset of the offending field */
    uint64_t value;  /* the offending value, where one helps */
};

struct loader_segment {
    uint64_t file_offset;
    uint64_t filesz;
    uint64_t vaddr_off; /* distance from the image base */
    uint64_t memsz;
    uint32_t flags; /* ELF PF_R/PF_W/PF_X */
};

/* What parsing learnt, all relative to the image base (first segment, rounded). */
struct loader_image {
    uint16_t machine;
    uint64_t base_vaddr; /* link-time address of the image base */
    uint64_t entry_off;
    uint64_t image_size;  /* code + read-only data */
    uint64_t data_offset; /* start of the first writable segment */
    uint64_t data_size;   /* writable segments, including bss */
    uint64_t data_ph_at;  /* file offset of the first writable segment's header */
    uint64_t align;       /* largest segment alignment */
    unsigned nsegments;
    struct loader_segment seg[LOADER_MAX_SEGMENTS];
    uint64_t rela_file_offset; /* RELA table(s): DT_RELA then DT_JMPREL */
    uint64_t rela_count;
    uint64_t jmprel_file_offset;
    uint64_t jmprel_count;
};

/* Text for a refusal reason. */
const char *loader_why_text(enum loader_why why);

/*
 * Checks file[0..len) as a static-PIE ELF for `machine`. Reads nothing
 * outside the buffer. 0, or -KS_EINVAL with *err filled.
 */
int loader_parse(const uint8_t *file, size_t len, uint16_t machine, struct loader_image *img,
                 struct loader_error *err);

/*
 * Copies the image and data of a parsed file into p's block (already
 * planned), zeroes bss and applies relocations. 0, or -KS_EINVAL with *err.
 */
int loader_place(struct kernel *k, struct proc *p, const uint8_t *file, size_t len,
                 const struct loader_image *img, struct loader_error *err);

#endif /* KSIM_KERNEL_LOADER_H */
