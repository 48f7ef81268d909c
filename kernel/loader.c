/*
 * ELF loader. Every field is read with bounds-checked little-endian helpers
 * and checked before it is used; offsets and sizes are added without
 * overflow. Placement writes process memory only through umem.
 */
#include "loader.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"
#include "umem.h"

#define EHDR_SIZE  64u
#define PHDR_SIZE  56u
#define DYN_SIZE   16u
#define RELA_SIZE  24u
#define PT_LOAD    1u
#define PT_DYNAMIC 2u
#define PT_INTERP  3u
#define PT_TLS     7u
#define PF_X       1u
#define PF_W       2u
#define ET_DYN     3u
#define MAX_ALIGN  0x10000u
#define PAGE_GUESS 0x1000u /* code and data must not share a 4 KiB page */

#define DT_NULL     0
#define DT_NEEDED   1
#define DT_PLTRELSZ 2
#define DT_RELA     7
#define DT_RELASZ   8
#define DT_RELAENT  9
#define DT_REL      17
#define DT_TEXTREL  22
#define DT_JMPREL   23
#define DT_RELR     36

#define R_NONE             0u
#define R_X86_64_RELATIVE  8u
#define R_AARCH64_RELATIVE 1027u
#define R_RISCV_RELATIVE   3u

const char *loader_why_text(enum loader_why why)
{
    switch (why) {
#define LOADER_WHY_CASE(name, text)                                                                \
    case LOADER_##name:                                                                            \
        return text;
        LOADER_WHY_MAP(LOADER_WHY_CASE)
#undef LOADER_WHY_CASE
    }
    return "unknown loader error";
}

static int fail(struct loader_error *err, enum loader_why why, uint64_t offset, uint64_t value)
{
    err->why = why;
    err->offset = offset;
    err->value = value;
    return -KS_EINVAL;
}

/* Little-endian reads; callers have checked off + width <= len. */
static uint64_t rd(const uint8_t *b, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | b[off + i];
    return v;
}

/* True when [off, off + size) lies inside a buffer of len bytes. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static int check_header(const uint8_t *f, size_t len, uint16_t machine, struct loader_error *err)
{
    if (len < EHDR_SIZE)
        return fail(err, LOADER_TRUNCATED, len, EHDR_SIZE);
    if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return fail(err, LOADER_BAD_MAGIC, 0, rd(f, 0, 4));
    if (f[4] != 2)
        return fail(err, LOADER_BAD_CLASS, 4, f[4]);
    if (f[5] != 1)
        return fail(err, LOADER_BAD_ENDIAN, 5, f[5]);
    if (f[6] != 1)
        return fail(err, LOADER_BAD_VERSION, 6, f[6]);
    if (rd(f, 16, 2) != ET_DYN)
        return fail(err, LOADER_NOT_PIE, 16, rd(f, 16, 2));
    if (rd(f, 18, 2) != machine)
        return fail(err, LOADER_WRONG_MACHINE, 18, rd(f, 18, 2));
    if (rd(f, 54, 2) != PHDR_SIZE)
        return fail(err, LOADER_BAD_PHENTSIZE, 54, rd(f, 54, 2));
    uint64_t phnum = rd(f, 56, 2);
    if (phnum == 0 || phnum > LOADER_MAX_PHDRS)
        return fail(err, LOADER_BAD_PHNUM, 56, phnum);
    if (!in_file(rd(f, 32, 8), phnum * PHDR_SIZE, len))
        return fail(err, LOADER_TRUNCATED, 32, rd(f, 32, 8));
    return 0;
}

struct phdr {
    uint64_t at; /* file offset of this header, for messages */
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz, align;
};

static void read_phdr(const uint8_t *f, uint64_t at, struct phdr *ph)
{
    ph->at = at;
    ph->type = (uint32_t)rd(f, at, 4);
    ph->flags = (uint32_t)rd(f, at + 4, 4);
    ph->offset = rd(f, at + 8, 8);
    ph->vaddr = rd(f, at + 16, 8);
    ph->filesz = rd(f, at + 32, 8);
    ph->memsz = rd(f, at + 40, 8);
    ph->align = rd(f, at + 48, 8);
}

/* Checks one PT_LOAD against the file and the segments before it. */
static int check_load(const struct phdr *ph, size_t len, const struct loader_image *img,
                      uint64_t prev_end, struct loader_error *err)
{
    if (img->nsegments >= LOADER_MAX_SEGMENTS)
        return fail(err, LOADER_TOO_MANY_SEGMENTS, ph->at, img->nsegments + 1);
    if (ph->filesz > ph->memsz)
        return fail(err, LOADER_BAD_FILESZ, ph->at + 32, ph->filesz);
    if (!in_file(ph->offset, ph->filesz, len))
        return fail(err, LOADER_TRUNCATED, ph->at + 8, ph->offset);
    if (ph->align > MAX_ALIGN || (ph->align & (ph->align - 1)) != 0)
        return fail(err, LOADER_BAD_ALIGN, ph->at + 48, ph->align);
    /* The span check bounds every later vaddr computation (no overflow). */
    if (ph->vaddr > LOADER_MAX_SPAN || ph->memsz > LOADER_MAX_SPAN - ph->vaddr)
        return fail(err, LOADER_SPAN_TOO_LARGE, ph->at + 16, ph->vaddr);
    if (img->nsegments > 0 && ph->vaddr < prev_end)
        return fail(err, LOADER_SEGMENT_ORDER, ph->at + 16, ph->vaddr);
    if ((ph->flags & PF_W) && (ph->flags & PF_X))
        return fail(err, LOADER_WRITE_EXEC, ph->at + 4, ph->flags);
    return 0;
}

static int collect_segments(const uint8_t *f, size_t len, struct loader_image *img,
                            struct phdr *dynamic, struct loader_error *err)
{
    uint64_t phoff = rd(f, 32, 8), phnum = rd(f, 56, 2), prev_end = 0;
    int seen_data = 0;

    dynamic->type = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        struct phdr ph;
        read_phdr(f, phoff + i * PHDR_SIZE, &ph);
        if (ph.type == PT_INTERP)
            return fail(err, LOADER_HAS_INTERP, ph.at, ph.type);
        if (ph.type == PT_TLS)
            return fail(err, LOADER_HAS_TLS, ph.at, ph.type);
        if (ph.type == PT_DYNAMIC)
            *dynamic = ph;
        if (ph.type != PT_LOAD)
            continue;
        int rc = check_load(&ph, len, img, prev_end, err);
        if (rc)
            return rc;
        if (!(ph.flags & PF_W) && seen_data)
            return fail(err, LOADER_DATA_BEFORE_CODE, ph.at, ph.vaddr);
        if ((ph.flags & PF_W) && !seen_data)
            img->data_ph_at = ph.at;
        seen_data |= (ph.flags & PF_W) != 0;
        if (ph.align > img->align)
            img->align = ph.align;
        img->seg[img->nsegments++] =
            (struct loader_segment){ph.offset, ph.filesz, ph.vaddr, ph.memsz, ph.flags};
        prev_end = ph.vaddr + ph.memsz;
    }
    return 0;
}

/* Rebases segments on the image base and derives the image and data spans. */
static int derive_layout(const uint8_t *f, struct loader_image *img, struct loader_error *err)
{
    if (img->nsegments == 0 || (img->seg[0].flags & PF_W))
        return fail(err, LOADER_NO_CODE, 32, 0);
    if (img->align < PAGE_GUESS)
        img->align = PAGE_GUESS;
    uint64_t base = img->seg[0].vaddr_off & ~(img->align - 1);
    img->base_vaddr = base;
    uint64_t entry = rd(f, 24, 8);
    int entry_ok = 0, have_data = 0;

    img->image_size = 0;
    for (unsigned i = 0; i < img->nsegments; i++) {
        struct loader_segment *s = &img->seg[i];
        s->vaddr_off -= base;
        uint64_t end = s->vaddr_off + s->memsz;
        if ((s->flags & PF_X) && entry >= s->vaddr_off + base && entry < end + base)
            entry_ok = 1;
        if (!(s->flags & PF_W)) {
            img->image_size = end;
        } else if (!have_data) {
            have_data = 1;
            img->data_offset = s->vaddr_off;
            img->data_size = s->memsz;
        } else {
            img->data_size = end - img->data_offset;
        }
    }
    if (!entry_ok)
        return fail(err, LOADER_BAD_ENTRY, 24, entry);
    img->entry_off = entry - base;
    if (!have_data) {
        img->data_offset = (img->image_size + PAGE_GUESS - 1) & ~(uint64_t)(PAGE_GUESS - 1);
        img->data_size = 0;
    } else if ((img->data_offset & ~(uint64_t)(PAGE_GUESS - 1)) <
               ((img->image_size + PAGE_GUESS - 1) & ~(uint64_t)(PAGE_GUESS - 1))) {
        /* Page protections could not keep code read-only and data writable. */
        return fail(err, LOADER_DATA_SHARES_PAGE, img->data_ph_at + 16, img->data_offset);
    }
    return 0;
}

/* Maps an image-relative address range to a file offset inside one segment. */
static int vaddr_to_file(const struct loader_image *img, uint64_t vaddr, uint64_t size,
                         uint64_t *file_off)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct loader_segment *s = &img->seg[i];
        if (vaddr >= s->vaddr_off && vaddr - s->vaddr_off <= s->filesz &&
            size <= s->filesz - (vaddr - s->vaddr_off)) {
            *file_off = s->file_offset + (vaddr - s->vaddr_off);
            return 0;
        }
    }
    return -1;
}

struct dyn_info {
    uint64_t rela, relasz, relaent, jmprel, pltrelsz;
    uint64_t rela_at, relasz_at, jmprel_at, pltrelsz_at; /* file offsets of the entries */
    int has_rela, has_jmprel;
};

static int read_dynamic(const uint8_t *f, size_t len, const struct phdr *dyn, struct dyn_info *di,
                        struct loader_error *err)
{
    if (!in_file(dyn->offset, dyn->filesz, len) || dyn->filesz % DYN_SIZE != 0)
        return fail(err, LOADER_BAD_DYNAMIC, dyn->at + 8, dyn->offset);
    di->relaent = RELA_SIZE;
    for (uint64_t at = dyn->offset; at < dyn->offset + dyn->filesz; at += DYN_SIZE) {
        uint64_t tag = rd(f, at, 8), val = rd(f, at + 8, 8);
        switch (tag) {
        case DT_NULL:
            return 0;
        case DT_NEEDED:
            return fail(err, LOADER_NEEDS_LIBRARY, at, val);
        case DT_TEXTREL:
            return fail(err, LOADER_TEXTREL, at, val);
        case DT_REL:
        case DT_RELR:
            return fail(err, LOADER_REL_UNSUPPORTED, at, tag);
        case DT_RELA:
            di->rela = val;
            di->rela_at = at;
            di->has_rela = 1;
            break;
        case DT_RELASZ:
            di->relasz = val;
            di->relasz_at = at;
            break;
        case DT_RELAENT:
            if (val != RELA_SIZE)
                return fail(err, LOADER_BAD_RELAENT, at, val);
            break;
        case DT_JMPREL:
            di->jmprel = val;
            di->jmprel_at = at;
            di->has_jmprel = 1;
            break;
        case DT_PLTRELSZ:
            di->pltrelsz = val;
            di->pltrelsz_at = at;
            break;
        default:
            break;
        }
    }
    return 0;
}

static uint32_t relative_type(uint16_t machine)
{
    switch (machine) {
    case LOADER_EM_X86_64:
        return R_X86_64_RELATIVE;
    case LOADER_EM_AARCH64:
        return R_AARCH64_RELATIVE;
    default:
        return R_RISCV_RELATIVE;
    }
}

/* Checks every entry of one RELA table: type and 8-byte target in the image. */
static int check_relocs(const uint8_t *f, const struct loader_image *img, uint64_t at,
                        uint64_t count, struct loader_error *err)
{
    uint64_t span = img->data_offset + img->data_size;
    for (uint64_t i = 0; i < count; i++, at += RELA_SIZE) {
        uint64_t target = rd(f, at, 8) - img->base_vaddr; /* wraps high if below base */
        uint32_t type = (uint32_t)rd(f, at + 8, 4);
        if (type == R_NONE)
            continue;
        if (type != relative_type(img->machine))
            return fail(err, LOADER_BAD_RELOC_TYPE, at + 8, type);
        if (target > span || span - target < 8)
            return fail(err, LOADER_BAD_RELOC_TARGET, at, target);
    }
    return 0;
}

/*
 * Finds a RELA table in the file. A bad address is reported at its address
 * entry (addr_at), a bad size at its size entry (size_at).
 */
static int locate_table(const struct loader_image *img, uint64_t vaddr, uint64_t size,
                        uint64_t addr_at, uint64_t size_at, uint64_t *file_off, uint64_t *count,
                        struct loader_error *err)
{
    /* Dynamic addresses are link-time; segments were rebased on base_vaddr. */
    /* The address must hold at least a byte of file data (bss has none to read). */
    if (vaddr < img->base_vaddr ||
        vaddr_to_file(img, vaddr - img->base_vaddr, size ? 1 : 0, file_off) != 0)
        return fail(err, LOADER_BAD_RELA, addr_at, vaddr);
    if (size % RELA_SIZE != 0 || vaddr_to_file(img, vaddr - img->base_vaddr, size, file_off) != 0)
        return fail(err, LOADER_BAD_RELA, size_at, size);
    *count = size / RELA_SIZE;
    return 0;
}

static int collect_relocs(const uint8_t *f, size_t len, const struct phdr *dyn,
                          struct loader_image *img, struct loader_error *err)
{
    struct dyn_info di = {0};
    int rc;

    if (dyn->type != PT_DYNAMIC)
        return 0; /* nothing to relocate */
    rc = read_dynamic(f, len, dyn, &di, err);
    if (rc)
        return rc;
    if (di.has_rela) {
        rc = locate_table(img, di.rela, di.relasz, di.rela_at, di.relasz_at, &img->rela_file_offset,
                          &img->rela_count, err);
        if (rc)
            return rc;
        rc = check_relocs(f, img, img->rela_file_offset, img->rela_count, err);
        if (rc)
            return rc;
    }
    if (di.has_jmprel && di.pltrelsz > 0) {
        rc = locate_table(img, di.jmprel, di.pltrelsz, di.jmprel_at, di.pltrelsz_at,
                          &img->jmprel_file_offset, &img->jmprel_count, err);
        if (rc)
            return rc;
        rc = check_relocs(f, img, img->jmprel_file_offset, img->jmprel_count, err);
    }
    return rc;
}

int loader_parse(const uint8_t *file, size_t len, uint16_t machine, struct loader_image *img,
                 struct loader_error *err)
{
    struct phdr dynamic = {0}; /* type 0: no PT_DYNAMIC seen */
    int rc;

    klib_fill(img, 0, sizeof(*img));
    err->why = LOADER_NONE;
    img->machine = machine;
    rc = check_header(file, len, machine, err);
    if (rc)
        return rc;
    rc = collect_segments(file, len, img, &dynamic, err);
    if (rc)
        return rc;
    rc = derive_layout(file, img, err);
    if (rc)
        return rc;
    return collect_relocs(file, len, &dynamic, img, err);
}

static int apply_relocs(struct kernel *k, struct proc *p, const struct loader_image *img,
                        const uint8_t *f, uint64_t at, uint64_t count, struct loader_error *err)
{
    uintptr_t base = p->block.image_start;
    for (uint64_t i = 0; i < count; i++, at += RELA_SIZE) {
        if ((uint32_t)rd(f, at + 8, 4) == R_NONE)
            continue;
        uint64_t value = (uint64_t)base - img->base_vaddr + rd(f, at + 16, 8);
        uint8_t bytes[8];
        for (unsigned b = 0; b < 8; b++)
            bytes[b] = (uint8_t)(value >> (8 * b));
        uintptr_t target = base + (uintptr_t)(rd(f, at, 8) - img->base_vaddr);
        if (umem_block_write(k, p, target, bytes, 8) != 0)
            return fail(err, LOADER_BAD_RELOC_TARGET, at, rd(f, at, 8));
    }
    return 0;
}

int loader_place(struct kernel *k, struct proc *p, const uint8_t *file, size_t len,
                 const struct loader_image *img, struct loader_error *err)
{
    uintptr_t base = p->block.image_start;
    uint64_t span = img->data_offset + img->data_size;

    (void)len; /* every range below was checked against len by loader_parse */
    err->why = LOADER_NONE;
    /* A restart reuses the block: clear what the last run left behind. */
    if (umem_block_fill(k, p, base, 0, (size_t)span) != 0)
        return fail(err, LOADER_NO_ROOM, 0, span);
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct loader_segment *s = &img->seg[i];
        if (umem_block_write(k, p, base + (uintptr_t)s->vaddr_off, file + s->file_offset,
                             (size_t)s->filesz) != 0)
            return fail(err, LOADER_NO_ROOM, s->file_offset, s->memsz);
    }
    int rc = apply_relocs(k, p, img, file, img->rela_file_offset, img->rela_count, err);
    if (rc)
        return rc;
    return apply_relocs(k, p, img, file, img->jmprel_file_offset, img->jmprel_count, err);
}
