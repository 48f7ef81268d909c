/* build_note: finding ksim-cc's build record in an app ELF, which is untrusted input. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
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

/* Every truncation and a damaged byte anywhere in the notes: an answer, never a bad read. */
Test(build_note, truncated_or_damaged_files_are_safe)
{
    char dir[64];
    size_t len;
    uint8_t *elf = build_with_ksim_cc(&len, dir, sizeof(dir));
    struct build_note n;
    for (size_t cut = 0; cut < len; cut += cut < 4096 ? 1 : 509) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees any overread */
        memcpy(copy, elf, cut);
        if (build_note_find(copy, cut, &n) == BUILD_NOTE_FOUND)
            build_note_free(&n);
        free(copy);
    }
    for (size_t at = 0; at < 1024 && at < len; at++) {
        uint8_t *copy = malloc(len);
        memcpy(copy, elf, len);
        copy[at] ^= 0xff;
        if (build_note_find(copy, len, &n) == BUILD_NOTE_FOUND)
            build_note_free(&n);
        free(copy);
    }
    free(elf);
}
