/*
 * The ELF level of the rebaser: headers, segments, sections and symbols of
 * the copy, then each DWARF part in turn. Offsets and sizes from the file
 * are checked against its length before anything is read through them.
 */
#include "debug/elf_rebase_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EHDR_SIZE     64u
#define PHDR_SIZE     56u
#define SHDR_SIZE     64u
#define SYM_SIZE      24u
#define SHT_SYMTAB    2u
#define SHT_NOBITS    8u
#define SHT_DYNSYM    11u
#define SHF_ALLOC     0x2u
#define SHF_COMPRESS  0x800u
#define PT_NULL       0u
#define PT_GNU_STACK  0x6474e551u
#define SHN_LORESERVE 0xff00u
#define SHN_XINDEX    0xffffu

const char *elf_rebase_err_text(enum elf_rebase_err err)
{
    switch (err) {
#define ELF_REBASE_ERR_CASE(name, text)                                                            \
    case ELF_REBASE_##name:                                                                        \
        return text;
        ELF_REBASE_ERR_MAP(ELF_REBASE_ERR_CASE)
#undef ELF_REBASE_ERR_CASE
    }
    return "unknown rebase error";
}

int rb_fail(struct rebase *rb, enum elf_rebase_err err, const struct rb_section *s, uint64_t off,
            const char *fmt, ...)
{
    va_list ap;
    int n = 0;
    if (rb->err != ELF_REBASE_OK)
        return -1; /* the first reason is the one worth reading */
    rb->err = err;
    if (rb->cap == 0)
        return -1;
    if (s)
        n = snprintf(rb->msg, rb->cap, "%s offset 0x%llx: ", s->name, (unsigned long long)off);
    if (n < 0 || (size_t)n >= rb->cap)
        return -1;
    va_start(ap, fmt);
    vsnprintf(rb->msg + n, rb->cap - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

bool rb_in_image(const struct rebase *rb, uint64_t addr)
{
    for (unsigned i = 0; i < rb->nspans; i++)
        if (addr >= rb->spans[i].lo && addr <= rb->spans[i].hi)
            return true;
    return false;
}

static uint64_t get(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static void put(uint8_t *p, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int rb_fix(struct rebase *rb, struct rb_section *s, uint64_t off, unsigned width)
{
    if (off > s->size || width > s->size - off)
        return rb_fail(rb, ELF_REBASE_BAD_DWARF, s, off, "address runs past the section's end");
    if (s->fixed) {
        if (s->fixed[off / 8] & (1u << (off % 8)))
            return 0; /* reached again through another list reference */
        s->fixed[off / 8] |= (uint8_t)(1u << (off % 8));
    }
    uint64_t v = get(s->data + off, width);
    if (!rb_in_image(rb, v))
        return 0;
    uint64_t moved = v + rb->delta;
    if (width < 8 && moved >> (8 * width) != 0)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, s, off,
                       "address 0x%llx moved does not fit in %u bytes", (unsigned long long)v,
                       width);
    put(s->data + off, moved, width);
    return 0;
}

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

struct shdr {
    uint64_t at; /* file offset of the header */
    uint32_t name, type;
    uint64_t flags, addr, offset, size, entsize;
};

static void read_shdr(const uint8_t *f, uint64_t at, struct shdr *sh)
{
    sh->at = at;
    sh->name = (uint32_t)get(f + at, 4);
    sh->type = (uint32_t)get(f + at + 4, 4);
    sh->flags = get(f + at + 8, 8);
    sh->addr = get(f + at + 16, 8);
    sh->offset = get(f + at + 24, 8);
    sh->size = get(f + at + 32, 8);
    sh->entsize = get(f + at + 56, 8);
}

struct elf {
    const uint8_t *f;
    size_t len;
    uint64_t shoff, shnum;
    struct shdr strtab; /* section names */
};

static int check_header(struct rebase *rb, struct elf *e)
{
    const uint8_t *f = e->f;
    if (e->len < EHDR_SIZE || memcmp(f, "\177ELF", 4) != 0 || f[4] != 2 || f[5] != 1)
        return rb_fail(rb, ELF_REBASE_NOT_ELF64, NULL, 0, "not a 64-bit little-endian ELF file");
    e->shoff = get(f + 40, 8);
    e->shnum = get(f + 60, 2);
    uint64_t shstrndx = get(f + 62, 2);
    if (get(f + 58, 2) != SHDR_SIZE || e->shnum == 0 ||
        !in_file(e->shoff, e->shnum * SHDR_SIZE, e->len))
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "ELF header offset 0x28: no section headers inside the file");
    if (shstrndx >= e->shnum)
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "ELF header offset 0x3e: section name table index %llu out of range",
                       (unsigned long long)shstrndx);
    read_shdr(f, e->shoff + shstrndx * SHDR_SIZE, &e->strtab);
    if (e->strtab.type == SHT_NOBITS || !in_file(e->strtab.offset, e->strtab.size, e->len))
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "section header 0x%llx: section name table outside the file",
                       (unsigned long long)e->strtab.at);
    return 0;
}

/* The section's name, or "" when it does not lie inside the name table. */
static const char *section_name(const struct elf *e, const struct shdr *sh)
{
    const char *names = (const char *)e->f + e->strtab.offset;
    if (sh->name >= e->strtab.size || !memchr(names + sh->name, '\0', e->strtab.size - sh->name))
        return "";
    return names + sh->name;
}

/* Where the DWARF parts find a section of this name, or NULL: not one they read. */
static struct rb_section *debug_slot(struct rebase *rb, const char *name)
{
    const struct {
        const char *name;
        struct rb_section *s;
    } slots[] = {
        {".debug_info", &rb->info},         {".debug_abbrev", &rb->abbrev},
        {".debug_line", &rb->line},         {".debug_aranges", &rb->aranges},
        {".debug_addr", &rb->addr},         {".debug_rnglists", &rb->rnglists},
        {".debug_loclists", &rb->loclists}, {".debug_ranges", &rb->ranges},
        {".debug_loc", &rb->loc},           {".debug_frame", &rb->frame},
        {".eh_frame", &rb->eh_frame},       {".gdb_index", &rb->gdb_index},
    };
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
        if (strcmp(name, slots[i].name) == 0)
            return slots[i].s;
    return NULL;
}

/* Remembers the allocated range and the sections the DWARF parts read. */
static int note_section(struct rebase *rb, const struct elf *e, uint8_t *copy,
                        const struct shdr *sh)
{
    if ((sh->flags & SHF_ALLOC) && sh->size > 0) {
        if (rb->nspans == RB_MAX_SPANS || sh->addr + sh->size < sh->addr)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, NULL, 0,
                           "section header 0x%llx: too many allocated sections, or one wraps",
                           (unsigned long long)sh->at);
        rb->spans[rb->nspans++] = (struct rb_span){sh->addr, sh->addr + sh->size};
    }
    struct rb_section *s = debug_slot(rb, section_name(e, sh));
    if (!s || sh->type == SHT_NOBITS)
        return 0;
    if (!in_file(sh->offset, sh->size, e->len))
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "section header 0x%llx: %s lies outside the file",
                       (unsigned long long)sh->at, section_name(e, sh));
    if (sh->flags & SHF_COMPRESS)
        return rb_fail(rb, ELF_REBASE_UNSUPPORTED, NULL, 0,
                       "%s is compressed (link without --compress-debug-sections)",
                       section_name(e, sh));
    s->name = section_name(e, sh);
    s->data = copy + sh->offset;
    s->size = sh->size;
    s->addr = sh->addr;
    return 0;
}

/* Moves every segment except the stack marker, whose address means nothing. */
static int move_segments(struct rebase *rb, const struct elf *e, uint8_t *copy)
{
    uint64_t phoff = get(e->f + 32, 8), phnum = get(e->f + 56, 2);
    if (phnum == 0)
        return 0;
    if (get(e->f + 54, 2) != PHDR_SIZE || !in_file(phoff, phnum * PHDR_SIZE, e->len))
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "ELF header offset 0x20: program headers outside the file");
    for (uint64_t i = 0; i < phnum; i++) {
        uint8_t *ph = copy + phoff + i * PHDR_SIZE;
        uint32_t type = (uint32_t)get(ph, 4);
        if (type == PT_NULL || type == PT_GNU_STACK)
            continue;
        put(ph + 16, get(ph + 16, 8) + rb->delta, 8);
        put(ph + 24, get(ph + 24, 8) + rb->delta, 8);
    }
    return 0;
}

/* A symbol moves when it is defined in an allocated section. */
static int move_symbols(struct rebase *rb, const struct elf *e, uint8_t *copy,
                        const struct shdr *sh)
{
    if (sh->entsize != SYM_SIZE || sh->size % SYM_SIZE != 0 ||
        !in_file(sh->offset, sh->size, e->len))
        return rb_fail(rb, ELF_REBASE_BAD_ELF, NULL, 0,
                       "section header 0x%llx: symbol table outside the file or malformed",
                       (unsigned long long)sh->at);
    for (uint64_t at = sh->offset; at < sh->offset + sh->size; at += SYM_SIZE) {
        uint64_t shndx = get(copy + at + 6, 2);
        if (shndx == SHN_XINDEX)
            return rb_fail(rb, ELF_REBASE_UNSUPPORTED, NULL, 0,
                           "symbol at file offset 0x%llx: extended section index",
                           (unsigned long long)at);
        if (shndx == 0 || shndx >= SHN_LORESERVE || shndx >= e->shnum)
            continue; /* undefined, absolute or common: not an address in the image */
        struct shdr target;
        read_shdr(e->f, e->shoff + shndx * SHDR_SIZE, &target);
        if (target.flags & SHF_ALLOC)
            put(copy + at + 8, get(copy + at + 8, 8) + rb->delta, 8);
    }
    return 0;
}

static int move_elf(struct rebase *rb, const struct elf *e, uint8_t *copy)
{
    if (move_segments(rb, e, copy) != 0)
        return -1;
    for (uint64_t i = 0; i < e->shnum; i++) {
        struct shdr sh;
        uint64_t at = e->shoff + i * SHDR_SIZE;
        read_shdr(e->f, at, &sh);
        if (note_section(rb, e, copy, &sh) != 0)
            return -1;
        if (sh.flags & SHF_ALLOC)
            put(copy + at + 16, sh.addr + rb->delta, 8);
        if ((sh.type == SHT_SYMTAB || sh.type == SHT_DYNSYM) && move_symbols(rb, e, copy, &sh) != 0)
            return -1;
    }
    uint64_t entry = get(e->f + 24, 8);
    if (rb_in_image(rb, entry))
        put(copy + 24, entry + rb->delta, 8);
    return 0;
}

/* Bitmaps that keep a list entry reached twice from being moved twice. */
static int add_fixed_maps(struct rebase *rb)
{
    struct rb_section *lists[] = {&rb->rnglists, &rb->loclists, &rb->ranges, &rb->loc};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        if (!lists[i]->data)
            continue;
        lists[i]->fixed = calloc(lists[i]->size / 8 + 1, 1);
        if (!lists[i]->fixed)
            return rb_fail(rb, ELF_REBASE_NO_MEMORY, NULL, 0, "out of memory");
    }
    return 0;
}

static void free_fixed_maps(struct rebase *rb)
{
    free(rb->rnglists.fixed);
    free(rb->loclists.fixed);
    free(rb->ranges.fixed);
    free(rb->loc.fixed);
}

static int move_dwarf(struct rebase *rb)
{
    if (add_fixed_maps(rb) != 0)
        return -1;
    if (rb_debug_info(rb) != 0 || rb_debug_line(rb) != 0 || rb_debug_aranges(rb) != 0 ||
        rb_debug_addr(rb) != 0 || rb_debug_frame(rb) != 0 || rb_eh_frame(rb) != 0 ||
        rb_gdb_index(rb) != 0)
        return -1;
    return 0;
}

enum elf_rebase_err elf_rebase(const uint8_t *file, size_t len, uint64_t delta, uint8_t **out,
                               char *msg, size_t cap)
{
    struct rebase *rb = calloc(1, sizeof(*rb));
    struct elf e = {file, len, 0, 0, {0}};
    uint8_t *copy = NULL;
    enum elf_rebase_err err;

    *out = NULL;
    if (cap > 0)
        msg[0] = '\0';
    if (!rb) {
        snprintf(msg, cap, "out of memory");
        return ELF_REBASE_NO_MEMORY;
    }
    rb->delta = delta;
    rb->msg = msg;
    rb->cap = cap;
    if (check_header(rb, &e) == 0) {
        copy = malloc(len);
        if (!copy)
            rb_fail(rb, ELF_REBASE_NO_MEMORY, NULL, 0, "out of memory");
    }
    if (copy) {
        memcpy(copy, file, len);
        if (move_elf(rb, &e, copy) == 0)
            move_dwarf(rb);
    }
    free_fixed_maps(rb);
    err = rb->err;
    free(rb);
    if (err != ELF_REBASE_OK) {
        free(copy);
        return err;
    }
    *out = copy;
    return ELF_REBASE_OK;
}
