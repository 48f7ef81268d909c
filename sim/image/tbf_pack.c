/*
 * Builds a TBF object around an ELF:
 *
 *   base header | Program | Package Name | [Writeable Flash Regions]
 *   ELF (unchanged) | zeroed writeable regions | padding to 4
 *   Credentials footer (SHA-256 of everything before it)
 */
#define _GNU_SOURCE
#include "image/tbf_pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define CREDENTIAL_FOOTER_LEN (TBF_TLV_HEADER + 4 + 32)

static uint32_t pad4(uint32_t v)
{
    return (v + 3u) & ~3u;
}

static void wr16(uint8_t *b, uint32_t off, uint32_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *b, uint32_t off, uint32_t v)
{
    wr16(b, off, v & 0xffffu);
    wr16(b, off + 2, v >> 16);
}

/* The file offset of the ELF's entry point (loader_parse accepted img). */
static int entry_offset(const struct loader_image *img, uint64_t *off)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct loader_segment *s = &img->seg[i];
        if (img->entry_off >= s->vaddr_off && img->entry_off - s->vaddr_off < s->filesz) {
            *off = s->file_offset + (img->entry_off - s->vaddr_off);
            return 0;
        }
    }
    return -1;
}

/* Sizes of everything, computed once. */
struct pack_layout {
    uint32_t name_len, header_size, elf_at, regions_at, binary_end, total_size;
};

static int plan(size_t elf_len, const struct tbf_pack_options *o, struct pack_layout *l, char *err,
                size_t errlen)
{
    size_t name_len = o->package_name ? strlen(o->package_name) : 0;
    uint64_t regions = 0;
    if (name_len == 0 || name_len > 255) {
        snprintf(err, errlen, "package name: expected 1..255 bytes, got %zu", name_len);
        return -1;
    }
    for (unsigned i = 0; i < o->nregions; i++)
        regions += pad4(o->region_size[i]);
    l->name_len = (uint32_t)name_len;
    l->header_size =
        TBF_BASE_SIZE + TBF_TLV_HEADER + TBF_PROGRAM_LEN + TBF_TLV_HEADER + pad4(l->name_len);
    if (o->nregions > 0)
        l->header_size += TBF_TLV_HEADER + TBF_WFR_ENTRY_LEN * o->nregions;
    l->elf_at = l->header_size;
    uint64_t end = (uint64_t)l->elf_at + pad4((uint32_t)elf_len) + regions;
    /* header_size is 16 bits; total_size and every offset 32. */
    if (elf_len > UINT32_MAX / 2 || end + CREDENTIAL_FOOTER_LEN > UINT32_MAX) {
        snprintf(err, errlen, "the app is too large for a TBF (offsets are 32-bit)");
        return -1;
    }
    l->regions_at = l->elf_at + pad4((uint32_t)elf_len);
    l->binary_end = (uint32_t)end;
    l->total_size = l->binary_end + CREDENTIAL_FOOTER_LEN;
    return 0;
}

static uint32_t write_tlv(uint8_t *b, uint32_t at, enum tbf_tlv_type type, uint32_t len)
{
    wr16(b, at, type);
    wr16(b, at + 2, len);
    return at + TBF_TLV_HEADER;
}

/* Header, ELF and regions; the checksum last, over the finished header. */
static void write_header(uint8_t *b, const struct pack_layout *l, const struct tbf_pack_options *o,
                         uint32_t init_fn_offset, uint32_t min_ram)
{
    uint32_t flags = (o->disabled ? 0 : TBF_FLAG_ENABLED) | (o->sticky ? TBF_FLAG_STICKY : 0);
    wr16(b, 0, TBF_VERSION);
    wr16(b, 2, l->header_size);
    wr32(b, 4, l->total_size);
    wr32(b, 8, flags);
    uint32_t at = write_tlv(b, TBF_BASE_SIZE, TBF_TLV_PROGRAM, TBF_PROGRAM_LEN);
    wr32(b, at, init_fn_offset);
    wr32(b, at + 4, 0); /* no protected trailer: the ELF follows the header */
    wr32(b, at + 8, min_ram);
    wr32(b, at + 12, l->binary_end);
    wr32(b, at + 16, o->binary_version);
    at = write_tlv(b, at + TBF_PROGRAM_LEN, TBF_TLV_PACKAGE_NAME, l->name_len);
    memcpy(b + at, o->package_name, l->name_len);
    at += pad4(l->name_len);
    if (o->nregions > 0) {
        at = write_tlv(b, at, TBF_TLV_WRITEABLE_FLASH_REGIONS, TBF_WFR_ENTRY_LEN * o->nregions);
        uint32_t region = l->regions_at;
        for (unsigned i = 0; i < o->nregions; i++, at += TBF_WFR_ENTRY_LEN) {
            wr32(b, at, region);
            wr32(b, at + 4, o->region_size[i]);
            region += pad4(o->region_size[i]);
        }
    }
    wr32(b, 12, tbf_checksum(b, (uint16_t)l->header_size));
}

/* The SHA-256 credential over [0, binary_end), by the parser's own rule. */
static int write_credential(uint8_t *b, const struct pack_layout *l, char *err, size_t errlen)
{
    struct tbf_header h;
    struct tbf_error te;
    /* Parse what was written (footer still zero: a Reserved credential) to
     * get the regions exactly as the kernel will see them. */
    uint32_t at = write_tlv(b, l->binary_end, TBF_TLV_CREDENTIALS, 4 + 32);
    wr32(b, at, TBF_CRED_RESERVED);
    if (tbf_parse(b, l->total_size, &h, &te) != 0) {
        snprintf(err, errlen, "internal error: the packed TBF does not parse: %s: %s",
                 tbf_why_field(te.why), tbf_why_text(te.why));
        return -1;
    }
    wr32(b, at, TBF_CRED_SHA256);
    tbf_integrity_digest(b, &h, b + at + 4);
    return 0;
}

int tbf_pack(const uint8_t *elf, size_t elf_len, uint16_t machine, const struct tbf_pack_options *o,
             uint8_t **out, size_t *out_len, char *err, size_t errlen)
{
    struct loader_image img;
    struct loader_error le;
    struct pack_layout l;
    uint64_t entry;

    *out = NULL;
    *out_len = 0;
    if (loader_parse(elf, elf_len, machine, &img, &le) != 0) {
        snprintf(err, errlen, "offset 0x%llx: %s (value 0x%llx)", (unsigned long long)le.offset,
                 loader_why_text(le.why), (unsigned long long)le.value);
        return -1;
    }
    if (entry_offset(&img, &entry) != 0) {
        snprintf(err, errlen, "the entry point has no bytes in the file");
        return -1;
    }
    if (plan(elf_len, o, &l, err, errlen) != 0)
        return -1;
    uint64_t span = img.data_offset + img.data_size;
    uint32_t min_ram = o->minimum_ram_size ? o->minimum_ram_size : (uint32_t)pad4((uint32_t)span);
    uint8_t *b = calloc(1, l.total_size);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(b + l.elf_at, elf, elf_len);
    write_header(b, &l, o, (uint32_t)entry, min_ram);
    if (write_credential(b, &l, err, errlen) != 0) {
        free(b);
        return -1;
    }
    *out = b;
    *out_len = l.total_size;
    return 0;
}
