/*
 * Loading an app file, whatever its packaging: a bare static-PIE ELF, or a
 * TBF object whose binary is that ELF (program headers and relocations
 * kept, so the ELF loader relocates it by the standard). The process
 * console, the run command and the flash image all load through here.
 */
#ifndef KSIM_KERNEL_APPLOAD_H
#define KSIM_KERNEL_APPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"
#include "placement.h"
#include "proc.h"
#include "tbf.h"

struct kernel;

/* Which check refused the file. */
enum appload_stage {
    APPLOAD_OK = 0,
    APPLOAD_TBF,     /* the TBF container: tbf says which field */
    APPLOAD_ELF,     /* the ELF (inside the TBF at elf_offset): elf says which field */
    APPLOAD_NO_SLOT, /* every process slot is taken */
    APPLOAD_NO_ROOM, /* the process block does not fit in free RAM */
};

struct appload_error {
    enum appload_stage stage;
    struct tbf_error tbf;
    struct loader_error elf;    /* offsets inside the ELF */
    uint32_t elf_offset;        /* where the ELF starts in the file (0: a bare ELF) */
    struct placement_room room; /* APPLOAD_NO_ROOM: what the block needs, what RAM has */
};

/* What a file holds, without loading it (ksim layout, flash list). */
struct appload_info {
    char name[PROC_NAME_MAX]; /* the package name, or the name given */
    const uint8_t *elf;       /* the ELF bytes inside the file */
    size_t elf_len;
    uint32_t elf_offset;
    bool is_tbf;
    struct tbf_header tbf; /* when is_tbf */
    struct loader_image img;
};

/*
 * Checks file[0..len) (ELF or TBF, for ELF machine `machine`) without
 * loading it. name is used when
 * the file has no package name. 0, or -KS_EINVAL with *err.
 */
int appload_inspect(uint16_t machine, const char *name, const uint8_t *file, size_t len,
                    struct appload_info *info, struct appload_error *err);

/*
 * Loads the app in file[0..len) as a new process and makes it ready. The
 * bytes must outlive the process. Returns the slot, or -KS_EINVAL (refused:
 * *err says where and why), -KS_ENOMEM (APPLOAD_NO_SLOT or APPLOAD_NO_ROOM).
 */
int appload_file(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                 struct appload_error *err);

/*
 * The same for a TBF object that lies in board flash at flash_addr (file
 * is its kernel view): the process may read its object, and its writeable
 * flash regions are its own (memop 7-9, the app flash driver).
 */
int appload_flash_object(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                         uintptr_t flash_addr, struct appload_error *err);

#endif /* KSIM_KERNEL_APPLOAD_H */
