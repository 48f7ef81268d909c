/*
 * The random-number source (struct hal_rng_ops): xoshiro256** seeded
 * through splitmix64 from the board's seed, so a run repeats exactly with
 * the same seed and another seed gives other bytes. Not for cryptography:
 * a simulation wants repeatability.
 */
#include "hal_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next(uint64_t st[4])
{
    uint64_t result = rotl(st[1] * 5, 7) * 9;
    uint64_t t = st[1] << 17;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return result;
}

void hal__rng_init(struct hal_stub *s)
{
    uint64_t x = s->cfg.rng_seed;
    for (int i = 0; i < 4; i++)
        s->rng_state[i] = splitmix64(&x); /* distinct outputs of a bijection: never all zero */
}

static void rng_fill(void *hal, uint8_t *buf, size_t len)
{
    struct hal_stub *s = hal;
    while (len > 0) {
        uint64_t v = next(s->rng_state);
        for (int i = 0; i < 8 && len > 0; i++, len--) {
            *buf++ = (uint8_t)v;
            v >>= 8;
        }
    }
}

const struct hal_rng_ops hal__rng_ops = {.fill = rng_fill};
