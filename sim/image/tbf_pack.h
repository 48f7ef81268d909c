/*
 * The TBF builder behind `ksim pack`: wraps a static-PIE ELF, unchanged,
 * as the binary of a TBF version 2 object (Program and Package Name
 * elements, writeable flash regions on request, a SHA-256 credential
 * footer). The kernel's TBF parser (kernel/tbf.c) reads what this writes.
 */
#ifndef KSIM_SIM_IMAGE_TBF_PACK_H
#define KSIM_SIM_IMAGE_TBF_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tbf.h"

struct tbf_pack_options {
    const char *package_name;  /* required, 1..255 bytes of UTF-8 */
    uint32_t minimum_ram_size; /* 0: the ELF's own span (image, data and bss) */
    uint32_t binary_version;   /* the Program element's version */
    bool disabled;             /* clear the enabled flag */
    bool sticky;               /* set the sticky flag */
    unsigned nregions;         /* writeable flash regions, zero-filled after the ELF */
    uint32_t region_size[TBF_MAX_WFR];
};

/*
 * Builds the TBF for elf[0..elf_len) (checked by the ELF loader for
 * `machine` first) into a malloc'd buffer. 0, or -1 with a message in err.
 */
int tbf_pack(const uint8_t *elf, size_t elf_len, uint16_t machine, const struct tbf_pack_options *o,
             uint8_t **out, size_t *out_len, char *err, size_t errlen);

#endif /* KSIM_SIM_IMAGE_TBF_PACK_H */
