/* The ready queue: a FIFO per priority level and a two-level bitmap of levels. */
#include "sched.h"

/* Index of the lowest set bit of a non-zero word, without a libgcc call on any target. */
static unsigned lowest_bit(uint32_t x)
{
    static const uint8_t debruijn[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
                                         15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                         16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
    return debruijn[((x & (0u - x)) * 0x077CB531u) >> 27];
}

void sched_init(struct sched *s, enum sched_kind kind)
{
    s->kind = kind == SCHED_PRIORITY ? SCHED_PRIORITY : SCHED_ROUND_ROBIN;
    s->count = 0;
    for (unsigned w = 0; w < SCHED_WORDS; w++)
        s->level_bits[w] = 0;
    s->word_bits = 0;
}

static unsigned level_of(const struct sched *s, unsigned slot)
{
    return s->kind == SCHED_PRIORITY ? slot : 0;
}

static bool level_busy(const struct sched *s, unsigned level)
{
    return (s->level_bits[level / 32] >> (level % 32)) & 1u;
}

void sched_push(struct sched *s, unsigned slot)
{
    if (slot >= SCHED_MAX_PROCS)
        return; /* cannot happen: kernel_init caps the process table */
    unsigned level = level_of(s, slot);
    if (level_busy(s, level)) {
        s->next[s->tail[level]] = (uint16_t)slot;
    } else {
        s->head[level] = (uint16_t)slot;
        s->level_bits[level / 32] |= 1u << (level % 32);
        s->word_bits |= 1u << (level / 32);
    }
    s->tail[level] = (uint16_t)slot;
    s->count++;
}

/* The most urgent non-empty level; only when count > 0. */
static unsigned first_level(const struct sched *s)
{
    unsigned w = lowest_bit(s->word_bits);
    return w * 32 + lowest_bit(s->level_bits[w]);
}

bool sched_pop(struct sched *s, unsigned *slot)
{
    if (s->count == 0)
        return false;
    unsigned level = first_level(s);
    unsigned head = s->head[level];
    if (s->tail[level] == head) {
        /* The level's last entry: clear its bit, and the word's when it empties. */
        s->level_bits[level / 32] &= ~(1u << (level % 32));
        if (s->level_bits[level / 32] == 0)
            s->word_bits &= ~(1u << (level / 32));
    } else {
        s->head[level] = s->next[head];
    }
    s->count--;
    *slot = head;
    return true;
}

bool sched_empty(const struct sched *s)
{
    return s->count == 0;
}

bool sched_outranked(const struct sched *s, unsigned running_slot)
{
    if (s->kind != SCHED_PRIORITY || s->count == 0)
        return false;
    return first_level(s) < level_of(s, running_slot);
}
