/*
 * The rebaser against an oracle: an app linked at KSIM_REBASE_TEST_BASE
 * holds exactly the addresses that rebasing the same app linked at 0 must
 * produce (the linker wrote them itself), so every header, symbol and
 * DWARF section of the copy must equal the oracle's byte for byte. Then
 * refusals: broken files are refused with the section and offset, and
 * never read outside (ASan watches the exact-size buffers).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/elf_rebase.h"

#define SHT_RELA    4u
#define SHT_DYNAMIC 6u
#define SHT_NOBITS  8u
#define SHF_WRITE   1u
#define SHF_ALLOC   2u

struct file {
    uint8_t *bytes; /* exactly len bytes, so ASan sees any read past the end */
    size_t len;
};

static struct file load(const char *name)
{
    char path[512];
    struct file f = {0};
    snprintf(path, sizeof(path), "%s/%s.elf", KSIM_APPS_DIR, name);
    FILE *fp = fopen(path, "rb");
    cr_assert(fp, "cannot open %s (build the apps first)", path);
    fseek(fp, 0, SEEK_END);
    f.len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f.bytes = malloc(f.len);
    cr_assert(f.bytes && fread(f.bytes, 1, f.len, fp) == f.len);
    fclose(fp);
    return f;
}

static uint64_t get(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

struct section {
    const char *name;
    uint32_t type;
    uint64_t flags, addr, offset, size;
};

static struct section section_at(const struct file *f, unsigned i)
{
    const uint8_t *sh = f->bytes + get(f->bytes + 40, 8) + i * 64u;
    const uint8_t *names =
        f->bytes + get(f->bytes + get(f->bytes + 40, 8) + get(f->bytes + 62, 2) * 64u + 24, 8);
    return (struct section){(const char *)names + get(sh, 4),
                            (uint32_t)get(sh + 4, 4),
                            get(sh + 8, 8),
                            get(sh + 16, 8),
                            get(sh + 24, 8),
                            get(sh + 32, 8)};
}

static unsigned section_count(const struct file *f)
{
    return (unsigned)get(f->bytes + 60, 2);
}

static struct section section_named(const struct file *f, const char *name)
{
    for (unsigned i = 0; i < section_count(f); i++)
        if (strcmp(section_at(f, i).name, name) == 0)
            return section_at(f, i);
    cr_assert_fail("no section %s", name);
    return (struct section){0};
}

static uint8_t *rebase_ok(const struct file *f, uint64_t delta)
{
    uint8_t *out;
    char msg[256];
    enum elf_rebase_err err = elf_rebase(f->bytes, f->len, delta, &out, msg, sizeof(msg));
    cr_assert_eq(err, ELF_REBASE_OK, "%s: %s", elf_rebase_err_text(err), msg);
    return out;
}

/*
 * Everything but what holds relocated data (RELA tables, .dynamic, writable
 * sections: the loader fixes those in memory, gdb reads memory) must match.
 */
static void assert_matches_oracle(const char *app, const char *oracle_app)
{
    struct file f = load(app), oracle = load(oracle_app);
    cr_assert_eq(f.len, oracle.len, "%s and %s differ in size: not the same link", app, oracle_app);
    uint8_t *copy = rebase_ok(&f, KSIM_REBASE_TEST_BASE);

    cr_assert_eq(get(copy + 24, 8), get(oracle.bytes + 24, 8), "entry point");
    uint64_t phoff = get(copy + 32, 8);
    cr_assert(memcmp(copy + phoff, oracle.bytes + phoff, get(copy + 56, 2) * 56u) == 0,
              "program headers differ");
    uint64_t shoff = get(copy + 40, 8);
    cr_assert(memcmp(copy + shoff, oracle.bytes + shoff, section_count(&f) * 64u) == 0,
              "section headers differ");
    unsigned compared = 0;
    for (unsigned i = 1; i < section_count(&f); i++) {
        struct section s = section_at(&f, i);
        if (s.type == SHT_NOBITS || s.type == SHT_RELA || s.type == SHT_DYNAMIC ||
            (s.flags & SHF_WRITE))
            continue;
        for (uint64_t b = 0; b < s.size; b++)
            cr_assert_eq(copy[s.offset + b], oracle.bytes[s.offset + b],
                         "%s: %s offset 0x%llx: 0x%02x, the oracle has 0x%02x", app, s.name,
                         (unsigned long long)b, copy[s.offset + b], oracle.bytes[s.offset + b]);
        compared++;
    }
    cr_assert_gt(compared, 10u);
    free(copy);
    free(f.bytes);
    free(oracle.bytes);
}

Test(elf_rebase, dwarf5_app_equals_the_same_app_linked_at_the_load_address)
{
    assert_matches_oracle("hello", "hello_at_base");
}

Test(elf_rebase, dwarf4_app_equals_the_same_app_linked_at_the_load_address)
{
    struct file f = load("malloc_dwarf4");
    /* The oracle is worth something only if the old formats are there. */
    cr_assert_gt(section_named(&f, ".debug_loc").size, 0u);
    cr_assert_gt(section_named(&f, ".debug_ranges").size, 0u);
    cr_assert_gt(section_named(&f, ".debug_frame").size, 0u);
    free(f.bytes);
    assert_matches_oracle("malloc_dwarf4", "malloc_dwarf4_at_base");
}

Test(elf_rebase, moves_what_it_moves_by_exactly_the_delta)
{
    struct file f = load("hello");
    uint64_t delta = 0x12345678; /* its low byte changes every moved value's first byte */
    uint8_t *copy = rebase_ok(&f, delta);
    struct section info = section_named(&f, ".debug_info");
    uint64_t image_end = 0;
    /* Section addresses: allocated ones move, debug sections stay at 0. */
    for (unsigned i = 0; i < section_count(&f); i++) {
        struct section s = section_at(&f, i);
        uint64_t at = get(f.bytes + 40, 8) + i * 64u + 16;
        bool alloc = (s.flags & SHF_ALLOC) != 0;
        cr_assert_eq(get(copy + at, 8), alloc ? s.addr + delta : s.addr, "section %s", s.name);
        if (alloc && s.addr + s.size > image_end)
            image_end = s.addr + s.size;
    }
    /* Every byte that changed in .debug_info is part of an 8-byte value moved by delta. */
    unsigned moved_values = 0;
    for (uint64_t b = 0; b + 8 <= info.size; b++) {
        if (copy[info.offset + b] == f.bytes[info.offset + b])
            continue;
        uint64_t was = get(f.bytes + info.offset + b, 8), now = get(copy + info.offset + b, 8);
        cr_assert_eq(now - was, delta, ".debug_info offset 0x%llx", (unsigned long long)b);
        cr_assert(was > 0 && was <= image_end,
                  "moved a value that is no address in the image: 0x%llx", (unsigned long long)was);
        moved_values++;
        b += 7;
    }
    cr_assert_gt(moved_values, 50u);
    free(copy);
    free(f.bytes);
}

static enum elf_rebase_err rebase_err(const uint8_t *bytes, size_t len, char *msg, size_t cap)
{
    uint8_t *out = (uint8_t *)1;
    enum elf_rebase_err err = elf_rebase(bytes, len, 0x20000000, &out, msg, cap);
    if (err != ELF_REBASE_OK)
        cr_assert_null(out, "a refusal returns no copy");
    else
        free(out);
    return err;
}

Test(elf_rebase, refuses_what_is_not_a_64_bit_elf)
{
    char msg[256];
    const char text[] = "#!/bin/sh\necho not an app\n";
    cr_assert_eq(rebase_err((const uint8_t *)text, sizeof(text), msg, sizeof(msg)),
                 ELF_REBASE_NOT_ELF64);
    cr_assert(strstr(msg, "64-bit"), "%s", msg);
}

Test(elf_rebase, refuses_every_truncation_without_reading_past_it)
{
    struct file f = load("hello");
    char msg[256];
    for (size_t len = 0; len < f.len; len += len < 256 ? 1 : 97) {
        uint8_t *cut = malloc(len ? len : 1);
        memcpy(cut, f.bytes, len);
        cr_assert_neq(rebase_err(cut, len, msg, sizeof(msg)), ELF_REBASE_OK, "length %zu", len);
        cr_assert(msg[0] != '\0', "length %zu: no reason given", len);
        free(cut);
    }
    free(f.bytes);
}

Test(elf_rebase, names_the_section_and_offset_of_a_bad_unit_length)
{
    struct file f = load("hello");
    struct section info = section_named(&f, ".debug_info");
    char msg[256];
    memcpy(f.bytes + info.offset, "\xf0\xff\xff\xff", 4); /* a reserved length value */
    cr_assert_eq(rebase_err(f.bytes, f.len, msg, sizeof(msg)), ELF_REBASE_BAD_DWARF);
    cr_assert(strstr(msg, ".debug_info offset 0x0:"), "%s", msg);
    free(f.bytes);
}

static uint64_t uleb(uint8_t **p)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

/* The first DIE's abbreviation gets a form no DWARF version has. */
Test(elf_rebase, refuses_an_unknown_attribute_form)
{
    struct file f = load("hello");
    struct section info = section_named(&f, ".debug_info"),
                   abbrev = section_named(&f, ".debug_abbrev");
    const uint8_t *u = f.bytes + info.offset;
    cr_assert_eq(get(u + 4, 2), 5, "hello is built with DWARF 5");
    uint64_t table = get(u + 8, 4), code = u[12]; /* one-byte codes, as gcc writes them */
    uint8_t *a = f.bytes + abbrev.offset + table, *form = NULL;
    while (!form) { /* code, tag, children, then (attribute, form) pairs up to (0, 0) */
        uint64_t c = uleb(&a);
        uleb(&a);
        a++;
        for (uint64_t at = 1, fm = 1; at || fm;) {
            at = uleb(&a);
            if (c == code && !form)
                form = a;
            fm = uleb(&a);
            if (fm == 0x21) /* implicit_const carries a value */
                uleb(&a);
        }
    }
    *form = 0x7f; /* the first attribute's form */
    char msg[256];
    cr_assert_eq(rebase_err(f.bytes, f.len, msg, sizeof(msg)), ELF_REBASE_UNSUPPORTED);
    cr_assert(strstr(msg, ".debug_info offset 0xd: attribute form 0x7f not handled"), "%s", msg);
    free(f.bytes);
}

Test(elf_rebase, refuses_an_unknown_range_list_entry)
{
    struct file f = load("hello");
    struct section r = section_named(&f, ".debug_rnglists");
    f.bytes[r.offset + 12] = 0x7f; /* the first list's first entry, after the 12-byte header */
    char msg[256];
    cr_assert_eq(rebase_err(f.bytes, f.len, msg, sizeof(msg)), ELF_REBASE_UNSUPPORTED);
    cr_assert(strstr(msg, ".debug_rnglists offset 0xc: range list entry kind 0x7f"), "%s", msg);
    free(f.bytes);
}

Test(elf_rebase, refuses_a_line_program_header_past_its_unit)
{
    struct file f = load("hello");
    struct section line = section_named(&f, ".debug_line");
    memcpy(f.bytes + line.offset + 8, "\xff\xff\x00\x00", 4); /* header_length (DWARF 5) */
    char msg[256];
    cr_assert_eq(rebase_err(f.bytes, f.len, msg, sizeof(msg)), ELF_REBASE_BAD_DWARF);
    cr_assert(strstr(msg, ".debug_line offset 0x0: line table header malformed"), "%s", msg);
    free(f.bytes);
}

/*
 * Corrupted bytes anywhere in the DWARF: rebased or refused, never a read
 * outside the file. A fixed sequence, so a failure repeats.
 */
Test(elf_rebase, survives_corrupted_dwarf)
{
    static const char *const names[] = {".debug_info",     ".debug_abbrev",   ".debug_line",
                                        ".debug_rnglists", ".debug_loclists", ".debug_aranges",
                                        ".eh_frame"};
    struct file f = load("hello");
    uint8_t *bytes = malloc(f.len);
    uint32_t seed = 12345;
    char msg[256];
    for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
        struct section s = section_named(&f, names[n]);
        for (int i = 0; i < 300; i++) {
            memcpy(bytes, f.bytes, f.len);
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                bytes[s.offset + (seed >> 8) % s.size] = (uint8_t)(seed >> 24);
            }
            enum elf_rebase_err err = rebase_err(bytes, f.len, msg, sizeof(msg));
            cr_assert(err == ELF_REBASE_OK || msg[0] != '\0', "%s: refused without a reason",
                      names[n]);
        }
    }
    free(bytes);
    free(f.bytes);
}
