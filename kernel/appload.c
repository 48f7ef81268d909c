/*
 * App files into processes: a TBF is checked as a container first, then
 * its binary as an ELF; a bare ELF goes straight to the ELF loader.
 */
#include "appload.h"

#include "err.h"
#include "kernel.h"
#include "klib.h"

/* The package name, cut to fit without splitting a UTF-8 character. */
static void copy_name(char *dst, size_t cap, const uint8_t *src, uint32_t len)
{
    size_t n = len < cap - 1 ? len : cap - 1;
    if (n < len)
        while (n > 0 && (src[n] & 0xc0) == 0x80)
            n--; /* src[n] continues a character: cut before it */
    klib_copy(dst, src, n);
    dst[n] = '\0';
}

/* The file offset of the ELF entry point, or -1 if it has no file bytes. */
static int64_t entry_file_offset(const struct loader_image *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        const struct loader_segment *s = &img->seg[i];
        if (img->entry_off >= s->vaddr_off && img->entry_off - s->vaddr_off < s->filesz)
            return (int64_t)(s->file_offset + (img->entry_off - s->vaddr_off));
    }
    return -1;
}

/*
 * A TBF starts with its 16-bit little-endian version: 2 today, a small
 * number in any case. Anything else goes to the ELF loader, whose magic
 * check names what it is not.
 */
static bool looks_like_tbf(const uint8_t *f, size_t len)
{
    return len >= 2 && f[1] == 0 && f[0] >= 1 && f[0] <= 15;
}

static int refuse_tbf(struct appload_error *err, enum tbf_why why, uint32_t offset, uint32_t value)
{
    err->stage = APPLOAD_TBF;
    err->tbf.why = why;
    err->tbf.offset = offset;
    err->tbf.value = value;
    return -KS_EINVAL;
}

/* The TBF container, and the ELF binary inside it. */
static int inspect_tbf(uint16_t machine, const uint8_t *file, size_t len, struct appload_info *info,
                       struct appload_error *err)
{
    struct tbf_header *h = &info->tbf;
    if (tbf_parse(file, len, h, &err->tbf) != 0) {
        err->stage = APPLOAD_TBF;
        return -KS_EINVAL;
    }
    info->is_tbf = true;
    if (h->name_len > 0)
        copy_name(info->name, sizeof(info->name), file + h->name_offset, h->name_len);
    info->elf = file + h->binary_offset;
    info->elf_len = h->binary_end_offset - h->binary_offset;
    info->elf_offset = h->binary_offset;
    err->elf_offset = h->binary_offset;
    if (loader_parse(info->elf, info->elf_len, machine, &info->img, &err->elf) != 0) {
        err->stage = APPLOAD_ELF;
        return -KS_EINVAL;
    }
    /* init_fn_offset counts from the end of the header: the protected trailer, then the ELF. */
    int64_t entry = entry_file_offset(&info->img);
    uint64_t want = (uint64_t)h->binary_offset - h->header_size + (uint64_t)entry;
    if (entry < 0 || want != h->init_fn_offset)
        return refuse_tbf(err, TBF_INIT_NOT_ENTRY, h->program_at, h->init_fn_offset);
    return 0;
}

int appload_inspect(uint16_t machine, const char *name, const uint8_t *file, size_t len,
                    struct appload_info *info, struct appload_error *err)
{
    klib_fill(info, 0, sizeof(*info));
    klib_fill(err, 0, sizeof(*err));
    klib_strlcpy(info->name, name, sizeof(info->name));
    if (looks_like_tbf(file, len))
        return inspect_tbf(machine, file, len, info, err);
    info->elf = file;
    info->elf_len = len;
    if (loader_parse(file, len, machine, &info->img, &err->elf) != 0) {
        err->stage = APPLOAD_ELF;
        return -KS_EINVAL;
    }
    return 0;
}

/* Loads file; flash_addr is where it lies in board flash (0: not in flash). */
static int load(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                uintptr_t flash_addr, struct appload_error *err)
{
    struct appload_info info;
    int rc = appload_inspect(k->cfg.elf_machine, name, file, len, &info, err);
    if (rc)
        return rc;
    /* Tock starts only enabled apps; a disabled one is padding until enabled. */
    if (info.is_tbf && !(info.tbf.flags & TBF_FLAG_ENABLED))
        return refuse_tbf(err, TBF_DISABLED, 8, info.tbf.flags);
    struct kernel_app app = {
        .name = info.name,
        .elf = info.elf,
        .elf_len = info.elf_len,
        .min_ram = info.is_tbf ? info.tbf.minimum_ram_size : 0,
    };
    if (flash_addr != 0 && info.is_tbf) {
        app.flash_start = flash_addr;
        app.flash_len = info.tbf.total_size;
        app.nflash_regions = info.tbf.nwfr;
        for (unsigned i = 0; i < info.tbf.nwfr; i++)
            app.flash_regions[i] = (struct proc_flash_region){flash_addr + info.tbf.wfr[i].offset,
                                                              info.tbf.wfr[i].size};
    }
    rc = kernel_load_app(k, &app, &info.img, &err->elf);
    if (rc == -KS_ENOMEM && err->elf.why == LOADER_NO_ROOM) {
        err->stage = APPLOAD_NO_ROOM;
        placement_room(k, &info.img, app.min_ram, &err->room);
    } else if (rc == -KS_ENOMEM) {
        err->stage = APPLOAD_NO_SLOT;
    } else if (rc < 0)
        err->stage = APPLOAD_ELF;
    return rc;
}

int appload_file(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                 struct appload_error *err)
{
    return load(k, name, file, len, 0, err);
}

int appload_flash_object(struct kernel *k, const char *name, const uint8_t *file, size_t len,
                         uintptr_t flash_addr, struct appload_error *err)
{
    return load(k, name, file, len, flash_addr, err);
}
