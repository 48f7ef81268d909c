/*
 * malloc: first fit over an address-ordered free list, coalescing on free.
 * The heap grows with memop sbrk in steps of at least 4 KiB. Every block
 * starts with a 16-byte header and is a multiple of 16 bytes, so payloads
 * are 16-byte aligned.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tock.h>
#include <unistd.h>
#include <ksim/abi.h>

#include "internal.h"

#define ALIGNMENT   16
#define GROW_STEP   4096
#define HEADER_SIZE sizeof(struct block)
#define MIN_BLOCK   (HEADER_SIZE + ALIGNMENT)
/* In the next field of an allocated block, to catch bad and double frees. */
#define IN_USE ((struct block *)(uintptr_t)0xa110ca7edb10c000u)

struct block {
    size_t size; /* bytes, header included */
    struct block *next;
};
_Static_assert(sizeof(struct block) == ALIGNMENT, "header keeps payloads aligned");

static struct block *free_list;
static uintptr_t heap_end; /* the break as the allocator last saw it */

static uintptr_t align_up(uintptr_t value, uintptr_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

static uintptr_t block_end(const struct block *b)
{
    return (uintptr_t)b + b->size;
}

/* Inserts b in address order and merges it with adjacent free blocks. */
static void insert_free(struct block *b)
{
    struct block **link = &free_list;
    struct block *prev = NULL;
    while (*link != NULL && (uintptr_t)*link < (uintptr_t)b) {
        prev = *link;
        link = &(*link)->next;
    }
    b->next = *link;
    *link = b;
    if (b->next != NULL && block_end(b) == (uintptr_t)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (prev != NULL && block_end(prev) == (uintptr_t)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
}

static void add_region(uintptr_t start, uintptr_t end)
{
    start = align_up(start, ALIGNMENT);
    end &= ~(uintptr_t)(ALIGNMENT - 1);
    if (end <= start || end - start < MIN_BLOCK)
        return;
    struct block *b = (struct block *)start;
    b->size = end - start;
    insert_free(b);
}

void ksim_heap_init(void *heap_start, void *brk)
{
    free_list = NULL;
    heap_end = (uintptr_t)brk;
    add_region((uintptr_t)heap_start, heap_end);
}

void *sbrk(intptr_t increment)
{
    /* The increment passes full width, sign and all (memop takes a word). */
    memop_return_t old = memop(KSIM_MEMOP_SBRK, (uintptr_t)increment);
    /* A success without the old break (variant 128) is no use either. */
    if (old.status != TOCK_STATUSCODE_SUCCESS || old.data == 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)old.data;
}

int brk(void *addr)
{
    if (memop(KSIM_MEMOP_BRK, (uintptr_t)addr).status != TOCK_STATUSCODE_SUCCESS) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

static struct block *last_free_block(void)
{
    struct block *b = free_list;
    while (b != NULL && b->next != NULL)
        b = b->next;
    return b;
}

/* Grows the heap so a free block of at least need bytes exists. */
static int grow_heap(size_t need)
{
    struct block *last = last_free_block();
    size_t have = last != NULL && block_end(last) == heap_end ? last->size : 0;
    size_t increment = align_up(need - have + ALIGNMENT, GROW_STEP);
    if (increment > (size_t)INTPTR_MAX)
        return -1;
    void *old = sbrk((intptr_t)increment);
    if (old == (void *)-1)
        return -1;
    /* Someone else may have moved the break: then this is a new region. */
    uintptr_t start = (uintptr_t)old == heap_end ? heap_end : (uintptr_t)old;
    heap_end = (uintptr_t)old + increment;
    add_region(start, heap_end);
    return 0;
}

static size_t block_size_for(size_t size)
{
    if (size > SIZE_MAX - HEADER_SIZE - ALIGNMENT)
        return 0;
    size_t need = align_up(size + HEADER_SIZE, ALIGNMENT);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* Takes need bytes from the front of the first block that fits. */
static struct block *take_first_fit(size_t need)
{
    for (struct block **link = &free_list; *link != NULL; link = &(*link)->next) {
        struct block *b = *link;
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) {
            struct block *rest = (struct block *)((uintptr_t)b + need);
            rest->size = b->size - need;
            rest->next = b->next;
            b->size = need;
            *link = rest;
        } else {
            *link = b->next;
        }
        b->next = IN_USE;
        return b;
    }
    return NULL;
}

void *malloc(size_t size)
{
    size_t need = block_size_for(size);
    if (need == 0) {
        errno = ENOMEM;
        return NULL;
    }
    struct block *b = take_first_fit(need);
    /* A second try covers a break that moved under us (a new region). */
    for (int attempt = 0; b == NULL && attempt < 2; attempt++) {
        if (grow_heap(need) != 0)
            break;
        b = take_first_fit(need);
    }
    if (b == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    return (char *)b + HEADER_SIZE;
}

static struct block *header_of(void *ptr)
{
    struct block *b = (struct block *)((char *)ptr - HEADER_SIZE);
    if (b->next != IN_USE)
        abort(); /* not from malloc, or freed twice */
    return b;
}

void free(void *ptr)
{
    if (ptr == NULL)
        return;
    insert_free(header_of(ptr));
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return malloc(size);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    struct block *b = header_of(ptr);
    size_t capacity = b->size - HEADER_SIZE;
    if (capacity >= size)
        return ptr;
    void *bigger = malloc(size);
    if (bigger == NULL)
        return NULL;
    memcpy(bigger, ptr, capacity);
    free(ptr);
    return bigger;
}
