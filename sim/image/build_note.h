/*
 * The build record ksim-cc leaves in an app ELF: a .note.package note
 * (owner "FDO", type 0xcafe1a7e) holding {"ksim-cc": {"cc", "cwd", "argv"}},
 * enough to run the same build again (`ksim watch`).
 */
#ifndef KSIM_SIM_IMAGE_BUILD_NOTE_H
#define KSIM_SIM_IMAGE_BUILD_NOTE_H

#include <stddef.h>
#include <stdint.h>

struct build_note {
    char *cc;    /* the ksim-cc that built it */
    char *cwd;   /* the directory it ran in */
    char **argv; /* its arguments, NULL-terminated (argv[0] is the first argument) */
    size_t argc;
};

enum build_note_status {
    BUILD_NOTE_FOUND = 0,
    BUILD_NOTE_NONE = 1, /* a readable file without a ksim-cc record */
    BUILD_NOTE_NOMEM = 2,
};

/* Looks for the record in an ELF64 file's bytes (untrusted: every offset checked). */
enum build_note_status build_note_find(const uint8_t *file, size_t len, struct build_note *out);
void build_note_free(struct build_note *n);

#endif /* KSIM_SIM_IMAGE_BUILD_NOTE_H */
