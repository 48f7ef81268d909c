/*
 * The innocent process beside a misbehaving one: it fills its memory with a
 * known pattern, sleeps, checks that nothing changed, and prints "victim ok".
 * Any change another process managed to make shows as "victim CORRUPTED".
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define WORDS 2048

static uint32_t data_words[WORDS] = {1}; /* .data */
static uint32_t bss_words[WORDS];        /* .bss */

static uint32_t pattern(unsigned i, unsigned salt)
{
    return (i * 2654435761u) ^ salt;
}

static uint32_t checksum(const uint32_t *w, unsigned n)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum = (sum << 5 | sum >> 27) ^ w[i];
    return sum;
}

int main(void)
{
    uint32_t stack_words[WORDS / 4];
    for (unsigned i = 0; i < WORDS; i++) {
        data_words[i] = pattern(i, 0xda7a);
        bss_words[i] = pattern(i, 0xb55);
    }
    for (unsigned i = 0; i < WORDS / 4; i++)
        stack_words[i] = pattern(i, 0x57ac);
    uint32_t before =
        checksum(data_words, WORDS) ^ checksum(bss_words, WORDS) ^ checksum(stack_words, WORDS / 4);
    for (int round = 0; round < 10; round++)
        usleep(200000); /* 2 s in all: the other process gets its chances */
    uint32_t after =
        checksum(data_words, WORDS) ^ checksum(bss_words, WORDS) ^ checksum(stack_words, WORDS / 4);
    if (after != before) {
        printf("victim CORRUPTED: checksum 0x%08x, expected 0x%08x\n", (unsigned)after,
               (unsigned)before);
        return 1;
    }
    printf("victim ok\n");
    return 0;
}
