/*
 * Runs build/ksim as a user would (a child process) and captures its
 * stdout, stderr and exit status for integration tests.
 */
#ifndef KSIM_TESTS_RUN_KSIM_H
#define KSIM_TESTS_RUN_KSIM_H

#include <stddef.h>

struct ksim_result {
    int status;     /* exit status, or 128 + signal */
    char *out;      /* NUL-terminated, malloc'd */
    size_t out_len; /* apps may write NUL bytes: search with memmem */
    char *err;
};

/* Runs KSIM_BIN with argv (NULL-terminated, without argv[0]); stdin from stdin_text or /dev/null.
 */
struct ksim_result run_ksim(const char *const *args, const char *stdin_text);
/* Runs argv[0] (searched in PATH) with argv, captured the same way. */
struct ksim_result run_command(const char *const *argv, const char *stdin_text);
void ksim_result_free(struct ksim_result *r);

/* Path of a built app: KSIM_APPS_DIR/NAME.elf (static buffer, one at a time per slot). */
const char *app_path(const char *name);

/* Writes bytes to a fresh temporary file and returns its path (malloc'd). */
char *temp_file(const void *bytes, size_t len, const char *suffix);

/* Reads a whole file (malloc'd), length in *len. */
unsigned char *read_all(const char *path, size_t *len);

#endif /* KSIM_TESTS_RUN_KSIM_H */
