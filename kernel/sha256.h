/*
 * SHA-256 (FIPS 180-4), small and portable: what the TBF loader needs to
 * check a credential footer. Streaming (init, update, final) so a caller
 * can hash a file piece by piece; sha256() for one buffer.
 */
#ifndef KSIM_KERNEL_SHA256_H
#define KSIM_KERNEL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_BLOCK_LEN  64

/* Caller-allocated; only the sha256_* functions touch it. */
struct sha256_ctx {
    uint32_t state[8];
    uint64_t total;                  /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK_LEN]; /* a partial block waiting for more bytes */
    size_t used;                     /* bytes of block in use */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const uint8_t *data, size_t len);
/* Writes the digest; c must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_LEN]);

/* The digest of data[0..len). */
void sha256(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

#endif /* KSIM_KERNEL_SHA256_H */
