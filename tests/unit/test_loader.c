/*
 * The ELF loader (kernel/loader.c) on real bytes: build/apps/hello.elf, and
 * copies of it mutated to hit each refusal. Offsets are found in the file
 * itself (program headers, dynamic section, RELA table), so the tests follow
 * the app when it is rebuilt. Each refusal checks the reason and the file
 * offset of the offending field, which is what a user is shown.
 *
 * KSIM_APPS_DIR is the directory holding hello.elf (the build sets it).
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fake_hal.h"
#include "loader.h"
#include "syscall.h"

#ifndef KSIM_APPS_DIR
#define KSIM_APPS_DIR "build/apps"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* ELF constants from the system's <elf.h>, not restated here. */
#define PHDR sizeof(Elf64_Phdr)

/* A relocation the loader must not accept: the absolute 64-bit one of each machine. */
#if defined(__x86_64__)
#define R_ABS64 R_X86_64_64
#elif defined(__aarch64__)
#define R_ABS64 R_AARCH64_ABS64
#else
#define R_ABS64 R_RISCV_64
#endif

static uint8_t *elf; /* hello.elf as built */
static size_t len;
static uint8_t *f; /* the copy each test mutates */
static struct loader_image img;
static struct loader_error err;

/* Where things are in this build of hello.elf. */
static uint64_t phoff;
static unsigned phnum;
static int code = -1, data = -1, dyn = -1, spare = -1; /* program header indices */
static uint64_t rela_vaddr, relasz, rela_off;          /* the RELA table */

static uint64_t rd(const uint8_t *b, uint64_t off, unsigned width)
{
    uint64_t v = 0;
    cr_assert_leq(off + width, len, "read past the file");
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | b[off + i];
    return v;
}

static void wr(uint64_t off, unsigned width, uint64_t v)
{
    cr_assert_leq(off + width, len, "write past the file");
    for (unsigned i = 0; i < width; i++)
        f[off + i] = (uint8_t)(v >> (8 * i));
}

/* File offset of program header i, and of one of its fields. */
static uint64_t ph(int i)
{
    return phoff + (uint64_t)i * PHDR;
}
#define P_TYPE   offsetof(Elf64_Phdr, p_type)
#define P_FLAGS  offsetof(Elf64_Phdr, p_flags)
#define P_OFFSET offsetof(Elf64_Phdr, p_offset)
#define P_VADDR  offsetof(Elf64_Phdr, p_vaddr)
#define P_FILESZ offsetof(Elf64_Phdr, p_filesz)
#define P_MEMSZ  offsetof(Elf64_Phdr, p_memsz)
#define P_ALIGN  offsetof(Elf64_Phdr, p_align)

static uint64_t phv(int i, unsigned field)
{
    return rd(elf, ph(i) + field, field < P_OFFSET ? 4 : 8);
}

static void set_ph(int i, unsigned field, uint64_t v)
{
    wr(ph(i) + field, field < P_OFFSET ? 4 : 8, v);
}

/* File offset of the first dynamic entry with tag, or 0. */
static uint64_t dt(int64_t tag)
{
    uint64_t at = phv(dyn, P_OFFSET), end = at + phv(dyn, P_FILESZ);
    for (; at < end; at += 16) {
        if ((int64_t)rd(elf, at, 8) == tag)
            return at;
        if (rd(elf, at, 8) == DT_NULL)
            break;
    }
    return 0;
}

/* An entry the loader ignores (GNU_HASH, SYMTAB...), to turn into something else. */
static uint64_t harmless_dt(void)
{
    uint64_t at = phv(dyn, P_OFFSET);
    for (;; at += 16) {
        uint64_t tag = rd(elf, at, 8);
        cr_assert_neq(tag, DT_NULL, "hello.elf has no spare dynamic entry");
        if (tag != DT_RELA && tag != DT_RELASZ && tag != DT_RELAENT && tag != DT_JMPREL &&
            tag != DT_PLTRELSZ)
            return at;
    }
}

/* File offset of a link-time address inside a PT_LOAD's file bytes. */
static uint64_t file_off(uint64_t vaddr)
{
    for (int i = 0; i < (int)phnum; i++) {
        if (phv(i, P_TYPE) != PT_LOAD)
            continue;
        uint64_t v = phv(i, P_VADDR);
        if (vaddr >= v && vaddr < v + phv(i, P_FILESZ))
            return phv(i, P_OFFSET) + (vaddr - v);
    }
    cr_assert_fail("0x%jx is in no segment", (uintmax_t)vaddr);
    return 0;
}

static void setup(void)
{
    elf = fake_read_file(KSIM_APPS_DIR "/hello.elf", &len);
    f = malloc(len);
    cr_assert_not_null(f);
    memcpy(f, elf, len);
    phoff = rd(elf, 32, 8);
    phnum = (unsigned)rd(elf, 56, 2);
    for (int i = 0; i < (int)phnum; i++) {
        uint64_t type = phv(i, P_TYPE), flags = phv(i, P_FLAGS);
        if (type == PT_LOAD && !(flags & PF_W) && code < 0)
            code = i;
        else if (type == PT_LOAD && (flags & PF_W) && data < 0)
            data = i;
        else if (type == PT_DYNAMIC)
            dyn = i;
        else if (type != PT_LOAD)
            spare = i; /* the last such: GNU_STACK */
    }
    /* What the tests rely on; a different link would need new tests, not silence. */
    cr_assert(code == 0 && data > code && dyn >= 0 && spare > data,
              "unexpected program headers in hello.elf");
    cr_assert_neq(dt(DT_RELA), 0, "hello.elf has no RELA table");
    rela_vaddr = rd(elf, dt(DT_RELA) + 8, 8);
    relasz = rd(elf, dt(DT_RELASZ) + 8, 8);
    cr_assert_geq(relasz, 24, "hello.elf has no relocation");
    rela_off = file_off(rela_vaddr);
    memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
    free(f);
    free(elf);
}

TestSuite(loader, .init = setup, .fini = teardown);

static int parse_len(size_t n)
{
    return loader_parse(f, n, fake_host_machine(), &img, &err);
}

#define REFUSED(why, off)      refused_at(__LINE__, len, (why), (off))
#define REFUSED_N(n, why, off) refused_at(__LINE__, (n), (why), (off))

static void refused_at(int line, size_t n, enum loader_why why, uint64_t off)
{
    int rc = parse_len(n);
    cr_assert_eq(rc, -KS_EINVAL, "line %d: accepted (rc %d)", line, rc);
    cr_assert_eq(err.why, why, "line %d: refused for \"%s\", expected \"%s\"", line,
                 loader_why_text(err.why), loader_why_text(why));
    cr_assert_eq(err.offset, off, "line %d: \"%s\" reported at offset 0x%jx, expected 0x%jx", line,
                 loader_why_text(why), (uintmax_t)err.offset, (uintmax_t)off);
}

static void accepted(void)
{
    int rc = parse_len(len);
    cr_assert_eq(rc, 0, "refused: %s at 0x%jx", loader_why_text(err.why), (uintmax_t)err.offset);
    cr_assert_eq(err.why, LOADER_NONE);
}

/* ================= A good file ================= */

Test(loader, good_file_parses)
{
    accepted();
    cr_assert_eq(img.machine, fake_host_machine());
    cr_assert_eq(img.nsegments, 2);
    cr_assert_eq(img.base_vaddr, phv(code, P_VADDR) & ~(uint64_t)0xfff);
    cr_assert_eq(img.entry_off, rd(elf, 24, 8) - img.base_vaddr);
    cr_assert_eq(img.image_size, phv(code, P_VADDR) + phv(code, P_MEMSZ) - img.base_vaddr);
    cr_assert_eq(img.data_offset, phv(data, P_VADDR) - img.base_vaddr);
    cr_assert_eq(img.data_size, phv(data, P_MEMSZ));
    cr_assert_eq(img.rela_file_offset, rela_off);
    cr_assert_eq(img.rela_count, relasz / 24);
    cr_assert_geq(img.align, 0x1000);
}

Test(loader, every_prefix_is_refused_or_complete)
{
    /*
     * loader_parse must read nothing outside the buffer, whatever its length. The
     * bytes after the prefix are poisoned, so ASan stops any read of them; without
     * ASan each prefix gets a buffer of its own size.
     */
    uint64_t last = 0; /* end of the last segment's file bytes: what the loader needs */
    for (int i = 0; i < (int)phnum; i++)
        if (phv(i, P_TYPE) == PT_LOAD && phv(i, P_OFFSET) + phv(i, P_FILESZ) > last)
            last = phv(i, P_OFFSET) + phv(i, P_FILESZ);
    if (phv(dyn, P_OFFSET) + phv(dyn, P_FILESZ) > last)
        last = phv(dyn, P_OFFSET) + phv(dyn, P_FILESZ);

    for (size_t n = 0; n <= len; n++) {
#ifdef HAVE_ASAN
        ASAN_POISON_MEMORY_REGION(f + n, len - n);
        int rc = loader_parse(f, n, fake_host_machine(), &img, &err);
        ASAN_UNPOISON_MEMORY_REGION(f + n, len - n);
#else
        uint8_t *copy = malloc(n ? n : 1);
        cr_assert_not_null(copy);
        memcpy(copy, f, n);
        int rc = loader_parse(copy, n, fake_host_machine(), &img, &err);
        free(copy);
#endif
        if (n < last) {
            cr_assert_eq(rc, -KS_EINVAL, "prefix of %zu bytes accepted", n);
            cr_assert_eq(err.why, LOADER_TRUNCATED, "prefix of %zu: %s", n,
                         loader_why_text(err.why));
        } else {
            cr_assert_eq(rc, 0, "prefix of %zu bytes refused: %s", n, loader_why_text(err.why));
        }
    }
}

Test(loader, corrupt_bytes_never_read_outside)
{
    /* Every byte of the headers, the dynamic section and the RELA table, set to extremes. */
    const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    struct {
        uint64_t from, to;
    } spans[] = {
        {0, ph((int)phnum)},
        {phv(dyn, P_OFFSET), phv(dyn, P_OFFSET) + phv(dyn, P_FILESZ)},
        {rela_off, rela_off + relasz},
    };
    for (size_t s = 0; s < sizeof(spans) / sizeof(spans[0]); s++)
        for (uint64_t at = spans[s].from; at < spans[s].to; at++)
            for (size_t v = 0; v < sizeof(values); v++) {
                f[at] = values[v];
                int rc = parse_len(len);
                if (rc == 0) {
                    cr_assert_lt(img.entry_off, img.image_size, "byte 0x%jx = 0x%x", (uintmax_t)at,
                                 values[v]);
                    cr_assert_leq(img.data_offset + img.data_size, LOADER_MAX_SPAN);
                    cr_assert_leq(img.rela_file_offset + img.rela_count * 24, len);
                } else {
                    cr_assert_eq(rc, -KS_EINVAL);
                    cr_assert_neq(err.why, LOADER_NONE, "byte 0x%jx = 0x%x", (uintmax_t)at,
                                  values[v]);
                    cr_assert_lt(err.offset, len, "offset outside the file");
                }
                f[at] = elf[at];
            }
}

/* ================= ELF header ================= */

Test(loader, truncated_header)
{
    const size_t lens[] = {0, 1, 4, 16, 63};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
        REFUSED_N(lens[i], LOADER_TRUNCATED, lens[i]);
}

Test(loader, bad_magic)
{
    for (uint64_t i = 0; i < 4; i++) {
        f[i] ^= 0x20;
        REFUSED(LOADER_BAD_MAGIC, 0);
        f[i] = elf[i];
    }
}

Test(loader, bad_class)
{
    f[4] = 1; /* ELFCLASS32 */
    REFUSED(LOADER_BAD_CLASS, 4);
    f[4] = 0;
    REFUSED(LOADER_BAD_CLASS, 4);
}

Test(loader, bad_endian)
{
    f[5] = 2; /* big-endian */
    REFUSED(LOADER_BAD_ENDIAN, 5);
}

Test(loader, bad_version)
{
    f[6] = 0;
    REFUSED(LOADER_BAD_VERSION, 6);
    f[6] = 2;
    REFUSED(LOADER_BAD_VERSION, 6);
}

Test(loader, not_pie)
{
    wr(16, 2, 2); /* ET_EXEC: linked at a fixed address */
    REFUSED(LOADER_NOT_PIE, 16);
    wr(16, 2, 1); /* ET_REL */
    REFUSED(LOADER_NOT_PIE, 16);
}

Test(loader, wrong_machine)
{
    wr(18, 2, fake_host_machine() == LOADER_EM_AARCH64 ? LOADER_EM_X86_64 : LOADER_EM_AARCH64);
    REFUSED(LOADER_WRONG_MACHINE, 18);
    memcpy(f, elf, len);
    cr_assert_eq(loader_parse(f, len, LOADER_EM_RISCV, &img, &err), -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_WRONG_MACHINE);
    cr_assert_eq(err.offset, 18);
}

Test(loader, bad_phentsize)
{
    wr(54, 2, 32); /* a 32-bit ELF's size */
    REFUSED(LOADER_BAD_PHENTSIZE, 54);
    wr(54, 2, 64);
    REFUSED(LOADER_BAD_PHENTSIZE, 54);
}

Test(loader, bad_phnum)
{
    wr(56, 2, 0);
    REFUSED(LOADER_BAD_PHNUM, 56);
    wr(56, 2, LOADER_MAX_PHDRS + 1);
    REFUSED(LOADER_BAD_PHNUM, 56);
}

Test(loader, program_headers_past_end)
{
    REFUSED_N(ph((int)phnum) - 1, LOADER_TRUNCATED, 32); /* file cut inside the table */
    wr(32, 8, len - PHDR);                               /* table starts near the end */
    REFUSED(LOADER_TRUNCATED, 32);
    wr(32, 8, len + 1);
    REFUSED(LOADER_TRUNCATED, 32);
    wr(32, 8, UINT64_MAX - 16); /* offset + size would wrap */
    REFUSED(LOADER_TRUNCATED, 32);
}

/* ================= Program headers ================= */

Test(loader, has_interp)
{
    set_ph(spare, P_TYPE, PT_INTERP);
    REFUSED(LOADER_HAS_INTERP, ph(spare));
}

Test(loader, has_tls)
{
    set_ph(spare, P_TYPE, PT_TLS);
    REFUSED(LOADER_HAS_TLS, ph(spare));
}

Test(loader, too_many_segments)
{
    /* A new table of LOADER_MAX_SEGMENTS + 1 small code segments, appended to the file. */
    const unsigned n = LOADER_MAX_SEGMENTS + 1;
    size_t grown = len + n * PHDR;
    f = realloc(f, grown);
    cr_assert_not_null(f);
    size_t old = len;
    len = grown;
    for (unsigned i = 0; i < n; i++) {
        uint64_t at = old + i * PHDR;
        wr(at + P_TYPE, 4, PT_LOAD);
        wr(at + P_FLAGS, 4, PF_R | PF_X);
        wr(at + P_OFFSET, 8, 0);
        wr(at + P_VADDR, 8, i * 0x1000);
        wr(at + 24, 8, i * 0x1000);
        wr(at + P_FILESZ, 8, 0x10);
        wr(at + P_MEMSZ, 8, 0x10);
        wr(at + P_ALIGN, 8, 0x1000);
    }
    wr(32, 8, old);
    wr(56, 2, n);
    REFUSED(LOADER_TOO_MANY_SEGMENTS, old + (n - 1) * PHDR);
}

Test(loader, filesz_larger_than_memsz)
{
    set_ph(data, P_FILESZ, phv(data, P_MEMSZ) + 1);
    REFUSED(LOADER_BAD_FILESZ, ph(data) + P_FILESZ);
}

Test(loader, segment_past_end_of_file)
{
    set_ph(data, P_OFFSET, len - phv(data, P_FILESZ) + 1);
    REFUSED(LOADER_TRUNCATED, ph(data) + P_OFFSET);
    set_ph(data, P_OFFSET, UINT64_MAX - 8); /* offset + filesz wraps */
    REFUSED(LOADER_TRUNCATED, ph(data) + P_OFFSET);
    memcpy(f, elf, len);
    set_ph(data, P_FILESZ, phv(data, P_MEMSZ)); /* grows into bss, past the file? */
    set_ph(data, P_OFFSET, len - phv(data, P_MEMSZ) + 1);
    REFUSED(LOADER_TRUNCATED, ph(data) + P_OFFSET);
    /* The file itself cut inside a segment. */
    memcpy(f, elf, len);
    REFUSED_N(phv(code, P_OFFSET) + phv(code, P_FILESZ) - 1, LOADER_TRUNCATED, ph(code) + P_OFFSET);
    REFUSED_N(phv(data, P_OFFSET) + phv(data, P_FILESZ) - 1, LOADER_TRUNCATED, ph(data) + P_OFFSET);
}

Test(loader, bad_alignment)
{
    const uint64_t bad[] = {0x3000, 0x20000, 0x1001, UINT64_MAX};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        set_ph(data, P_ALIGN, bad[i]);
        REFUSED(LOADER_BAD_ALIGN, ph(data) + P_ALIGN);
    }
    set_ph(data, P_ALIGN, 0x10000); /* 64 KiB is the largest accepted */
    accepted();
    cr_assert_eq(img.align, 0x10000);
}

Test(loader, span_too_large)
{
    set_ph(data, P_VADDR, LOADER_MAX_SPAN + 0x1000);
    REFUSED(LOADER_SPAN_TOO_LARGE, ph(data) + P_VADDR);
    memcpy(f, elf, len);
    set_ph(data, P_MEMSZ, LOADER_MAX_SPAN - phv(data, P_VADDR) + 1); /* ends 1 byte past */
    int rc = parse_len(len);
    cr_assert_eq(rc, -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_SPAN_TOO_LARGE);
    cr_assert(err.offset >= ph(data) && err.offset < ph(data) + PHDR,
              "reported outside the segment's header: 0x%jx", (uintmax_t)err.offset);
    set_ph(data, P_MEMSZ, UINT64_MAX); /* vaddr + memsz wraps */
    rc = parse_len(len);
    cr_assert_eq(err.why, LOADER_SPAN_TOO_LARGE);
}

Test(loader, overlapping_or_out_of_order_segments)
{
    uint64_t code_end = phv(code, P_VADDR) + phv(code, P_MEMSZ);
    set_ph(data, P_VADDR, code_end - 1); /* overlaps the code by one byte */
    REFUSED(LOADER_SEGMENT_ORDER, ph(data) + P_VADDR);
    set_ph(data, P_VADDR, phv(code, P_VADDR)); /* same address */
    REFUSED(LOADER_SEGMENT_ORDER, ph(data) + P_VADDR);
    /* Out of order: code moved above the data. */
    memcpy(f, elf, len);
    set_ph(code, P_VADDR, phv(data, P_VADDR) + 0x10000);
    REFUSED(LOADER_SEGMENT_ORDER, ph(data) + P_VADDR);
}

Test(loader, write_and_execute)
{
    set_ph(data, P_FLAGS, PF_R | PF_W | PF_X);
    REFUSED(LOADER_WRITE_EXEC, ph(data) + P_FLAGS);
    memcpy(f, elf, len);
    set_ph(code, P_FLAGS, PF_R | PF_W | PF_X);
    REFUSED(LOADER_WRITE_EXEC, ph(code) + P_FLAGS);
}

Test(loader, data_before_code)
{
    /* A read-only segment after the writable one (GNU_STACK turned into a PT_LOAD). */
    uint64_t after = (phv(data, P_VADDR) + phv(data, P_MEMSZ) + 0x1fff) & ~(uint64_t)0xfff;
    set_ph(spare, P_TYPE, PT_LOAD);
    set_ph(spare, P_FLAGS, PF_R);
    set_ph(spare, P_OFFSET, 0);
    set_ph(spare, P_VADDR, after);
    set_ph(spare, P_FILESZ, 0x10);
    set_ph(spare, P_MEMSZ, 0x10);
    set_ph(spare, P_ALIGN, 0x1000);
    REFUSED(LOADER_DATA_BEFORE_CODE, ph(spare));
}

Test(loader, no_code)
{
    set_ph(code, P_TYPE, PT_NULL); /* only the data segment is left */
    REFUSED(LOADER_NO_CODE, 32);
    memcpy(f, elf, len);
    set_ph(code, P_TYPE, PT_NULL);
    set_ph(data, P_TYPE, PT_NULL); /* no segment at all */
    REFUSED(LOADER_NO_CODE, 32);
}

Test(loader, entry_outside_code)
{
    uint64_t code_end = phv(code, P_VADDR) + phv(code, P_MEMSZ);
    wr(24, 8, code_end); /* one past the code */
    REFUSED(LOADER_BAD_ENTRY, 24);
    wr(24, 8, phv(data, P_VADDR)); /* in the data */
    REFUSED(LOADER_BAD_ENTRY, 24);
    wr(24, 8, UINT64_MAX);
    REFUSED(LOADER_BAD_ENTRY, 24);
    wr(24, 8, code_end - 1); /* the last byte of code is fine */
    accepted();
    /* Code that is not executable cannot hold the entry either. */
    memcpy(f, elf, len);
    set_ph(code, P_FLAGS, PF_R);
    REFUSED(LOADER_BAD_ENTRY, 24);
}

Test(loader, data_shares_page_with_code)
{
    /* Data starting on the last code page: pages could not be both RX and RW. */
    uint64_t code_end = phv(code, P_VADDR) + phv(code, P_MEMSZ);
    if ((code_end & 0xfff) == 0) {
        code_end += 0x10;
        set_ph(code, P_MEMSZ, phv(code, P_MEMSZ) + 0x10);
    }
    set_ph(data, P_VADDR, (code_end + 0xf) & ~(uint64_t)0xf);
    int rc = parse_len(len);
    cr_assert_eq(rc, -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_DATA_SHARES_PAGE);
    /* The offending field is the data segment's address, in its program header. */
    cr_assert(err.offset >= ph(data) && err.offset < ph(data) + PHDR,
              "DATA_SHARES_PAGE reported at 0x%jx, outside the data program header [0x%jx, 0x%jx)",
              (uintmax_t)err.offset, (uintmax_t)ph(data), (uintmax_t)(ph(data) + PHDR));
}

/* ================= Dynamic section ================= */

Test(loader, dynamic_outside_file)
{
    set_ph(dyn, P_OFFSET, len);
    REFUSED(LOADER_BAD_DYNAMIC, ph(dyn) + P_OFFSET);
    set_ph(dyn, P_OFFSET, UINT64_MAX - 8);
    REFUSED(LOADER_BAD_DYNAMIC, ph(dyn) + P_OFFSET);
    memcpy(f, elf, len);
    set_ph(dyn, P_FILESZ, phv(dyn, P_FILESZ) - 8); /* not whole entries */
    int rc = parse_len(len);
    cr_assert_eq(rc, -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_BAD_DYNAMIC);
    cr_assert(err.offset >= ph(dyn) && err.offset < ph(dyn) + PHDR);
}

Test(loader, needs_library)
{
    uint64_t at = harmless_dt();
    wr(at, 8, DT_NEEDED);
    REFUSED(LOADER_NEEDS_LIBRARY, at);
}

Test(loader, text_relocations)
{
    uint64_t at = harmless_dt();
    wr(at, 8, DT_TEXTREL);
    REFUSED(LOADER_TEXTREL, at);
}

Test(loader, rel_tables_unsupported)
{
    uint64_t at = harmless_dt();
    wr(at, 8, DT_REL);
    REFUSED(LOADER_REL_UNSUPPORTED, at);
    wr(at, 8, DT_RELR);
    REFUSED(LOADER_REL_UNSUPPORTED, at);
}

Test(loader, relaent_not_24)
{
    uint64_t at = dt(DT_RELAENT);
    cr_assert_neq(at, 0, "hello.elf has no DT_RELAENT");
    wr(at + 8, 8, 16); /* REL-sized entries */
    REFUSED(LOADER_BAD_RELAENT, at);
    wr(at + 8, 8, 0);
    REFUSED(LOADER_BAD_RELAENT, at);
}

Test(loader, entries_after_dt_null_ignored)
{
    /* The section ends at DT_NULL: what follows is padding. */
    uint64_t at = dt(DT_NULL);
    cr_assert_neq(at, 0);
    if (at + 16 < phv(dyn, P_OFFSET) + phv(dyn, P_FILESZ)) {
        wr(at + 16, 8, DT_NEEDED);
        accepted();
    }
}

Test(loader, rela_table_outside_segments)
{
    uint64_t at = dt(DT_RELA);
    wr(at + 8, 8, 0x7fff0000); /* mapped by no segment */
    REFUSED(LOADER_BAD_RELA, at);
    /* In memory but not in the file: bss has no bytes to read relocations from. */
    wr(at + 8, 8, phv(data, P_VADDR) + phv(data, P_FILESZ));
    REFUSED(LOADER_BAD_RELA, at);
}

Test(loader, rela_size_bad)
{
    uint64_t at = dt(DT_RELASZ);
    wr(at + 8, 8, relasz + 1); /* not whole entries */
    REFUSED(LOADER_BAD_RELA, at);
    wr(at + 8, 8, UINT64_MAX - 7); /* runs past everything, and would overflow */
    REFUSED(LOADER_BAD_RELA, at);
}

/* ================= Relocations ================= */

Test(loader, relocation_type_not_relative)
{
    wr(rela_off + 8, 4, R_ABS64);
    REFUSED(LOADER_BAD_RELOC_TYPE, rela_off + 8);
    wr(rela_off + 8, 4, 0xffff);
    REFUSED(LOADER_BAD_RELOC_TYPE, rela_off + 8);
}

Test(loader, relocation_target_outside_image)
{
    uint64_t span = phv(data, P_VADDR) + phv(data, P_MEMSZ); /* image base is 0 */
    cr_assert_eq(phv(code, P_VADDR) & ~(uint64_t)0xfff, 0);
    wr(rela_off, 8, span); /* the 8 bytes would start past the end */
    REFUSED(LOADER_BAD_RELOC_TARGET, rela_off);
    wr(rela_off, 8, span - 7); /* starts inside, ends outside */
    REFUSED(LOADER_BAD_RELOC_TARGET, rela_off);
    wr(rela_off, 8, UINT64_MAX); /* below the image base */
    REFUSED(LOADER_BAD_RELOC_TARGET, rela_off);
    wr(rela_off, 8, span - 8); /* the last 8 bytes: fine */
    accepted();
}

Test(loader, none_relocations_skipped)
{
    wr(rela_off + 8, 4, 0); /* R_*_NONE, with a target that would be refused */
    wr(rela_off, 8, UINT64_MAX);
    accepted();
}

Test(loader, jmprel_table_checked_too)
{
    /* The same table again as DT_JMPREL: both are checked, so a bad entry fails either. */
    uint64_t a = harmless_dt();
    uint64_t b = a + 16;
    cr_assert_neq(rd(elf, b, 8), DT_NULL);
    cr_assert(rd(elf, b, 8) != DT_RELA && rd(elf, b, 8) != DT_RELASZ &&
              rd(elf, b, 8) != DT_RELAENT);
    wr(a, 8, DT_JMPREL);
    wr(a + 8, 8, rela_vaddr);
    wr(b, 8, DT_PLTRELSZ);
    wr(b + 8, 8, relasz);
    accepted();
    cr_assert_eq(img.jmprel_file_offset, rela_off);
    cr_assert_eq(img.jmprel_count, relasz / 24);
    wr(b + 8, 8, 5); /* not whole entries */
    cr_assert_eq(parse_len(len), -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_BAD_RELA);
}

/* ================= Placing ================= */

static struct fake_board fb;

/* The image, as placed: every segment's file bytes, bss zero, relocations applied. */
static void assert_placed(const struct proc *p)
{
    uintptr_t base = p->block.image_start;
    for (int i = 0; i < (int)phnum; i++) {
        if (phv(i, P_TYPE) != PT_LOAD)
            continue;
        uintptr_t at = base + (uintptr_t)(phv(i, P_VADDR) - img.base_vaddr);
        uint64_t filesz = phv(i, P_FILESZ), memsz = phv(i, P_MEMSZ);
        const uint8_t *src = elf + phv(i, P_OFFSET);
        for (uint64_t j = 0; j < memsz; j++) {
            uint64_t vaddr = phv(i, P_VADDR) + j;
            bool reloc = false;
            for (uint64_t r = 0; r < relasz; r += 24)
                if (vaddr >= rd(elf, rela_off + r, 8) && vaddr < rd(elf, rela_off + r, 8) + 8)
                    reloc = true;
            if (reloc)
                continue;
            uint8_t want = j < filesz ? src[j] : 0;
            cr_assert_eq(*fake_view(&fb, at + j), want, "segment %d byte 0x%jx", i, (uintmax_t)j);
        }
    }
    /* Each relocated pointer is the loaded address of its addend. */
    for (uint64_t r = 0; r < relasz; r += 24) {
        uint64_t target = rd(elf, rela_off + r, 8), addend = rd(elf, rela_off + r + 16, 8);
        uint64_t got = 0;
        memcpy(&got, fake_view(&fb, base + (uintptr_t)(target - img.base_vaddr)), 8);
        cr_assert_eq(got, (uint64_t)base + addend - img.base_vaddr,
                     "relocation at 0x%jx: 0x%jx, want image_start + 0x%jx", (uintmax_t)target,
                     (uintmax_t)got, (uintmax_t)addend);
    }
}

Test(loader, good_file_loads_and_places)
{
    fake_board_init(&fb);
    int rc;
    struct proc *p = fake_load(&fb, elf, len, &rc, &err);
    cr_assert_not_null(p, "kernel_load: %d, %s", rc, loader_why_text(err.why));
    accepted(); /* img, for assert_placed */
    const struct hal_block *b = &p->block;

    /* The layout of ABI.md: stack at the bottom, image after it, data at its linked offset. */
    cr_assert_eq(b->start, FAKE_RAM_BASE);
    cr_assert_eq(b->stack_start, b->start);
    cr_assert_eq(b->stack_end - b->stack_start, fake_config().stack_size);
    cr_assert_eq(b->image_start % img.align, 0);
    cr_assert_geq(b->image_start, b->stack_end);
    cr_assert_eq(b->image_end, b->image_start + img.image_size);
    cr_assert_eq(b->data_start, b->image_start + img.data_offset);
    cr_assert_eq(b->data_end, b->data_start + img.data_size);
    cr_assert_eq(b->brk, b->data_end);
    cr_assert_gt(b->grant_start, b->brk);
    cr_assert_eq(p->grant_top, b->end);
    assert_placed(p);
    for (uintptr_t a = b->stack_start; a < b->stack_end; a++)
        cr_assert_eq(*fake_view(&fb, a), 0, "stack byte 0x%jx not cleared", (uintmax_t)a);

    /* Started at its entry point with the arguments of ABI.md's _start. */
    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_eq(fb.start_calls, 1);
    cr_assert_eq(fb.last_start.slot, p->slot);
    cr_assert_eq(fb.last_start.entry, b->image_start + (uintptr_t)img.entry_off);
    cr_assert_eq(fb.last_start.stack_lo, b->stack_start);
    cr_assert_eq(fb.last_start.stack_top, b->stack_end);
    cr_assert_eq(fb.last_start.args[0], b->image_start);
    cr_assert_eq(fb.last_start.args[1], b->start);
    cr_assert_eq(fb.last_start.args[2], b->grant_start - b->start);
    cr_assert_eq(fb.last_start.args[3], b->brk);
    cr_assert_eq(fb.nevents, 1);
    cr_assert_eq(fb.events[0], KEV_START);
    cr_assert_eq(kernel_status(&fb.k), KERNEL_RUNNABLE);
    fake_board_fini(&fb);
}

Test(loader, refused_file_takes_no_slot)
{
    fake_board_init(&fb);
    wr(18, 2, 0x1234);
    int rc;
    cr_assert_null(fake_load(&fb, f, len, &rc, &err));
    cr_assert_eq(rc, -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_WRONG_MACHINE);
    cr_assert_eq(fb.k.procs[0].state, PROC_FREE);
    cr_assert_eq(fb.k.ram_next, FAKE_RAM_BASE);
    cr_assert_eq(fb.start_calls, 0);
    fake_board_fini(&fb);
}

Test(loader, no_room_in_ram)
{
    struct kernel_config cfg = fake_config();
    cfg.stack_size = 0x1000;
    fake_board_init_with(&fb, &cfg, 0x4000); /* smaller than stack + image + data */
    int rc;
    cr_assert_null(fake_load(&fb, elf, len, &rc, &err));
    cr_assert_eq(rc, -KS_ENOMEM);
    cr_assert_eq(err.why, LOADER_NO_ROOM);
    cr_assert_eq(fb.k.procs[0].state, PROC_FREE);
    fake_board_fini(&fb);
}

Test(loader, no_free_slot)
{
    fake_board_init(&fb);
    int rc;
    for (int i = 0; i < FAKE_NPROCS; i++)
        cr_assert_not_null(fake_load(&fb, elf, len, &rc, &err), "load %d: %d", i, rc);
    cr_assert_null(fake_load(&fb, elf, len, &rc, &err));
    cr_assert_eq(rc, -KS_ENOMEM);
    /* Each process got its own block. */
    for (int i = 1; i < FAKE_NPROCS; i++)
        cr_assert_geq(fb.k.procs[i].block.start, fb.k.procs[i - 1].block.end);
    fake_board_fini(&fb);
}

Test(loader, place_refuses_block_too_small)
{
    fake_board_init(&fb);
    accepted();
    /* A block whose end cuts the data segment: nothing may be written past it. */
    const uintptr_t start = FAKE_RAM_BASE + 0x1000;
    const struct hal_block b = {
        .start = start,
        .stack_start = start,
        .stack_end = start + 0x1000,
        .image_start = start + 0x1000,
        .image_end = start + 0x1000 + (uintptr_t)img.image_size,
        .data_start = start + 0x1000 + (uintptr_t)img.data_offset,
        .data_end = start + 0x1000 + (uintptr_t)img.data_offset,
        .brk = start + 0x1000 + (uintptr_t)img.data_offset,
        .grant_start = start + 0x1000 + (uintptr_t)img.data_offset,
        .end = start + 0x1000 + (uintptr_t)img.data_offset + 8,
    };
    struct proc *p = fake_proc_block(&fb, &b);
    cr_assert_eq(loader_place(&fb.k, p, elf, len, &img, &err), -KS_EINVAL);
    cr_assert_eq(err.why, LOADER_NO_ROOM);
    cr_assert_eq(*fake_view(&fb, b.end), FAKE_RAM_FILL, "wrote past the block");
    fake_board_fini(&fb);
}

Test(loader, exit_restart_reloads_image)
{
    fake_board_init(&fb);
    int rc;
    struct proc *p = fake_load(&fb, elf, len, &rc, &err);
    cr_assert_not_null(p);
    accepted();
    uint32_t old_id = p->id;
    const struct hal_block b = p->block;

    /* The app scribbles over its data, bss and stack, and grows its heap. */
    memset(fake_view(&fb, b.data_start), 0x5c, b.data_end - b.data_start);
    memset(fake_view(&fb, b.stack_start), 0x5c, b.stack_end - b.stack_start);
    uintptr_t regs[4] = {KSIM_MEMOP_SBRK, 0x100, 0, 0};
    cr_assert_eq(syscall_handle(&fb.k, p, KSIM_CLASS_MEMOP, regs), SYSCALL_RETURN);
    cr_assert_eq(regs[0], KSIM_SUCCESS_U32);
    regs[0] = KSIM_EXIT_RESTART;
    regs[1] = 3;
    cr_assert_eq(syscall_handle(&fb.k, p, KSIM_CLASS_EXIT, regs), SYSCALL_EXITED);

    cr_assert_eq(p->state, PROC_RUNNING);
    cr_assert_neq(p->id, old_id);
    cr_assert_eq(p->restarts, 1);
    cr_assert_eq(p->block.start, b.start, "same block");
    cr_assert_eq(p->block.brk, b.data_end, "break reset");
    assert_placed(p); /* data copied again, bss zeroed, relocations applied again */
    for (uintptr_t a = b.stack_start; a < b.stack_end; a++)
        cr_assert_eq(*fake_view(&fb, a), 0, "stack byte 0x%jx kept", (uintmax_t)a);
    cr_assert_eq(fb.start_calls, 2);
    cr_assert_eq(fb.last_start.entry, b.image_start + (uintptr_t)img.entry_off);
    fake_board_fini(&fb);
}
