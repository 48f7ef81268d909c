/*
 * Shared by the fuzz targets: reading the input as a byte stream, reporting a
 * broken invariant, the host's ELF machine, and the host HAL made safe to
 * live inside a fuzzer process.
 */
#ifndef KSIM_TESTS_FUZZ_COMMON_H
#define KSIM_TESTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal_stub.h"

/* The entry point every engine (libFuzzer, AFL++, the replay program) calls. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, consumed from the front; reads past the end give zeros. */
struct fz_in {
    const uint8_t *p;
    size_t n;
};

static inline bool fz_more(const struct fz_in *in)
{
    return in->n > 0;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

/* n bytes (n <= 8), little-endian. */
static inline uint64_t fz_le(struct fz_in *in, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)fz_u8(in) << (8 * i);
    return v;
}

/* Prints "ksim fuzz: invariant broken: ..." and aborts: the engine saves the input. */
_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define FZ_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fz_fail(__VA_ARGS__);                                                                  \
    } while (0)

/*
 * hal_stub_create, then puts back the signal handlers and alternate stack
 * that were there before: no app code runs in a fuzz process, so a SIGSEGV is
 * always the kernel's (or the harness's) and must reach the sanitizer's
 * handler, which prints the stack and lets the engine save the input.
 * Aborts when the HAL cannot be created.
 */
struct hal_stub *fz_hal_stub_create(const struct hal_stub_config *cfg);

/* A file descriptor on /dev/null for console output (opened once). */
int fz_devnull(void);

#endif /* KSIM_TESTS_FUZZ_COMMON_H */
