/* build_note: finding ksim-cc's build record in an app ELF, which is untrusted input. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/appfile.h"
#include "image/build_note.h"

static uint8_t *read_elf(const char *path, size_t *len)
{
    uint8_t *bytes;
    char err[256];
    cr_assert_eq(sim_read_file(path, &bytes, len, err, sizeof(err)), 0, "%s", err);
    return bytes;
}

/* An app built by ksim-cc in a temporary directory, with an argument that needs escaping. */
static uint8_t *build_with_ksim_cc(size_t *len, char *dir, size_t cap)
{
    char cmd[1024], path[300];
    snprintf(dir, cap, "/tmp/ksim-note-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && '%s/ksim-cc' -o app.elf '%s/apps/hello/main.c' '-DQUOTE=\"a\\b\"'", dir,
             KSIM_BUILD_DIR, KSIM_SOURCE_DIR);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(path, sizeof(path), "%s/app.elf", dir);
    uint8_t *bytes = read_elf(path, len);
    unlink(path);
    rmdir(dir);
    return bytes;
}

Test(build_note, finds_the_command_ksim_cc_recorded)
{
    char dir[64];
    size_t len;
    uint8_t *elf = build_with_ksim_cc(&len, dir, sizeof(dir));
    struct build_note n;
    cr_assert_eq(build_note_find(elf, len, &n), BUILD_NOTE_FOUND);
    cr_assert_str_eq(n.cc, KSIM_BUILD_DIR "/ksim-cc");
    cr_assert_str_eq(n.cwd, dir);
    cr_assert_eq(n.argc, 4);
    cr_assert_str_eq(n.argv[0], "-o");
    cr_assert_str_eq(n.argv[1], "app.elf");
    cr_assert_str_eq(n.argv[2], KSIM_SOURCE_DIR "/apps/hello/main.c");
    cr_assert_str_eq(n.argv[3], "-DQUOTE=\"a\\b\"", "quotes and backslashes survive: %s",
                     n.argv[3]);
    cr_assert_null(n.argv[4]);
    build_note_free(&n);
    free(elf);
}

Test(build_note, apps_built_by_cmake_have_none)
{
    size_t len;
    uint8_t *elf = read_elf(KSIM_BUILD_DIR "/apps/hello.elf", &len);
    struct build_note n;
    cr_assert_eq(build_note_find(elf, len, &n), BUILD_NOTE_NONE);
    free(elf);
}

/*
 * Where build_note_find reads, worked out with <elf.h> rather than its own
 * code: the ELF header fields it uses, the program header table, the
 * PT_NOTE segments and, inside one of them, the FDO note's descriptor.
 */
struct note_layout {
    uint64_t needs;            /* bytes a file must keep for the note to be found */
    uint64_t ph_start, ph_end; /* the program header table */
    uint64_t notes_start[8], notes_end[8];
    unsigned nnotes;
    uint64_t desc_start, desc_end; /* the JSON text of the record */
};

static struct note_layout note_layout(const uint8_t *elf, size_t len)
{
    struct note_layout l = {0};
    Elf64_Ehdr eh;
    cr_assert_geq(len, sizeof(eh));
    memcpy(&eh, elf, sizeof(eh));
    l.ph_start = eh.e_phoff;
    l.ph_end = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, elf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_NOTE)
            continue;
        cr_assert_lt(l.nnotes, 8);
        l.notes_start[l.nnotes] = ph.p_offset;
        l.notes_end[l.nnotes++] = ph.p_offset + ph.p_filesz;
        for (uint64_t at = ph.p_offset; at + sizeof(Elf64_Nhdr) <= ph.p_offset + ph.p_filesz;) {
            Elf64_Nhdr nh;
            memcpy(&nh, elf + at, sizeof(nh));
            uint64_t desc = at + sizeof(nh) + ((nh.n_namesz + 3) & ~3u);
            if (nh.n_type == 0xcafe1a7e && nh.n_namesz == 4 &&
                memcmp(elf + at + 12, "FDO", 4) == 0) {
                l.desc_start = desc;
                l.desc_end = desc + nh.n_descsz;
                l.needs = ph.p_offset + ph.p_filesz;
            }
            at = desc + ((nh.n_descsz + 3) & ~3u);
        }
    }
    cr_assert_gt(l.needs, 0, "no FDO note in the test app");
    if (l.ph_end > l.needs)
        l.needs = l.ph_end;
    return l;
}

/* Whether a byte at `at` is one build_note_find reads to find the note. */
static bool read_to_find(const struct note_layout *l, uint64_t at)
{
    if (at < 6 || (at >= 0x20 && at < 0x28) || (at >= 0x36 && at < 0x3a)) /* magic, class,
                                                                              data, phoff,
                                                                              phentsize, phnum */
        return true;
    if (at >= l->ph_start && at < l->ph_end)
        return true;
    for (unsigned i = 0; i < l->nnotes; i++)
        if (at >= l->notes_start[i] && at < l->notes_end[i])
            return true;
    return false;
}

static void expect_same_record(const struct build_note *n, const struct build_note *want,
                               const char *what, uint64_t where)
{
    cr_assert_str_eq(n->cc, want->cc, "%s %llu", what, (unsigned long long)where);
    cr_assert_str_eq(n->cwd, want->cwd, "%s %llu", what, (unsigned long long)where);
    cr_assert_eq(n->argc, want->argc, "%s %llu", what, (unsigned long long)where);
    for (size_t i = 0; i < n->argc; i++)
        cr_assert_str_eq(n->argv[i], want->argv[i], "%s %llu", what, (unsigned long long)where);
}

/*
 * Every truncation and a damaged byte anywhere in the first KiB: each gives
 * the answer it must, never a bad read (exact-size copies: ASan sees any
 * overread). A file cut before the end of the note's segment (or of the
 * program headers) has no note; one cut after it has the whole record.
 */
Test(build_note, truncated_files_have_the_whole_record_or_none)
{
    char dir[64];
    size_t len;
    uint8_t *elf = build_with_ksim_cc(&len, dir, sizeof(dir));
    struct build_note want, n;
    cr_assert_eq(build_note_find(elf, len, &want), BUILD_NOTE_FOUND);
    struct note_layout l = note_layout(elf, len);
    unsigned found = 0, none = 0;
    for (size_t cut = 0; cut < len; cut += cut < 4096 ? 1 : 509) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, elf, cut);
        enum build_note_status st = build_note_find(copy, cut, &n);
        if (cut < l.needs) {
            cr_assert_eq(st, BUILD_NOTE_NONE, "cut at %zu of %zu (note needs %llu): %d", cut, len,
                         (unsigned long long)l.needs, st);
            none++;
        } else {
            cr_assert_eq(st, BUILD_NOTE_FOUND, "cut at %zu: %d", cut, st);
            expect_same_record(&n, &want, "cut at", cut);
            build_note_free(&n);
            found++;
        }
        free(copy);
    }
    cr_assert(found > 0 && none > 0, "found %u, none %u", found, none);
    build_note_free(&want);
    free(elf);
}

/*
 * A damaged byte the search does not read leaves the record as it was; one
 * it reads gives no record or, inside the record's own text, possibly a
 * changed one; never an error.
 */
Test(build_note, damaged_bytes_give_the_record_or_none)
{
    char dir[64];
    size_t len;
    uint8_t *elf = build_with_ksim_cc(&len, dir, sizeof(dir));
    struct build_note want, n;
    cr_assert_eq(build_note_find(elf, len, &want), BUILD_NOTE_FOUND);
    struct note_layout l = note_layout(elf, len);
    for (size_t at = 0; at < 1024 && at < len; at++) {
        uint8_t *copy = malloc(len);
        memcpy(copy, elf, len);
        copy[at] ^= 0xff;
        enum build_note_status st = build_note_find(copy, len, &n);
        bool in_text = at >= l.desc_start && at < l.desc_end;
        if (!read_to_find(&l, at))
            cr_assert_eq(st, BUILD_NOTE_FOUND, "byte %zu, not read to find the note: %d", at, st);
        else if (at < 6)
            cr_assert_eq(st, BUILD_NOTE_NONE, "byte %zu of the ELF identification: %d", at, st);
        else
            cr_assert(st == BUILD_NOTE_FOUND || st == BUILD_NOTE_NONE, "byte %zu: %d", at, st);
        if (st == BUILD_NOTE_FOUND) {
            if (!in_text)
                expect_same_record(&n, &want, "damaged byte", at);
            build_note_free(&n);
        }
        free(copy);
    }
    build_note_free(&want);
    free(elf);
}
