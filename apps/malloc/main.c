/*
 * Exercises the allocator past the initial heap: many small blocks and one
 * large one, each filled and checked, then freed; then realloc keeps data.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_COUNT 64
#define SMALL_SIZE  1024
#define LARGE_SIZE  (32 * 1024)
#define GROWN_SIZE  (16 * 1024)

static uint8_t pattern(unsigned block, size_t offset)
{
    return (uint8_t)(block * 31u + offset * 7u + 1u);
}

static void fill(uint8_t *p, unsigned block, size_t size)
{
    for (size_t i = 0; i < size; i++)
        p[i] = pattern(block, i);
}

static int check(const uint8_t *p, unsigned block, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (p[i] != pattern(block, i)) {
            printf("malloc FAILED: block %u byte %zu is %u, expected %u\n", block, i, p[i],
                   pattern(block, i));
            return 0;
        }
    }
    return 1;
}

static uint8_t *allocate(unsigned block, size_t size)
{
    uint8_t *p = malloc(size);
    if (p == NULL) {
        printf("malloc FAILED: block %u of %zu bytes: NULL\n", block, size);
        return NULL;
    }
    if ((uintptr_t)p % 16 != 0) {
        printf("malloc FAILED: block %u at %p is not 16-byte aligned\n", block, (void *)p);
        return NULL;
    }
    fill(p, block, size);
    return p;
}

static int blocks_survive_together(void)
{
    uint8_t *small[SMALL_COUNT];
    for (unsigned i = 0; i < SMALL_COUNT; i++) {
        small[i] = allocate(i, SMALL_SIZE);
        if (small[i] == NULL)
            return 0;
    }
    uint8_t *large = allocate(SMALL_COUNT, LARGE_SIZE);
    if (large == NULL)
        return 0;
    for (unsigned i = 0; i < SMALL_COUNT; i++) {
        if (!check(small[i], i, SMALL_SIZE))
            return 0;
    }
    if (!check(large, SMALL_COUNT, LARGE_SIZE))
        return 0;
    for (unsigned i = 0; i < SMALL_COUNT; i++)
        free(small[i]);
    free(large);
    return 1;
}

static int realloc_keeps_contents(void)
{
    uint8_t *p = allocate(1, SMALL_SIZE);
    if (p == NULL)
        return 0;
    /* Something in between, so growing cannot simply stay in place. */
    uint8_t *neighbour = allocate(2, SMALL_SIZE);
    if (neighbour == NULL)
        return 0;
    uint8_t *grown = realloc(p, GROWN_SIZE);
    if (grown == NULL) {
        printf("malloc FAILED: realloc to %d bytes: NULL\n", GROWN_SIZE);
        return 0;
    }
    if (!check(grown, 1, SMALL_SIZE) || !check(neighbour, 2, SMALL_SIZE))
        return 0;
    free(grown);
    free(neighbour);
    return 1;
}

int main(void)
{
    if (!blocks_survive_together() || !realloc_keeps_contents())
        return 1;
    printf("malloc ok\n");
    return 0;
}
