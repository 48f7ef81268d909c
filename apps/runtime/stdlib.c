/* stdlib.h (all but the allocator), errno and assert's failure path. */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tock.h>

#include "internal.h"

int errno;

void exit(int status)
{
    ksim_stdio_flush_all();
    tock_exit((uint32_t)status);
}

void _Exit(int status)
{
    tock_exit((uint32_t)status);
}

void abort(void)
{
    ksim_stdio_flush_all();
    tock_exit(134);
}

void __ksim_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}

int abs(int n)
{
    return n < 0 ? -n : n;
}

long labs(long n)
{
    return n < 0 ? -n : n;
}

long long llabs(long long n)
{
    return n < 0 ? -n : n;
}

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (islower(c))
        return c - 'a' + 10;
    if (isupper(c))
        return c - 'A' + 10;
    return 36;
}

/* The text of a number, as strto* reads it. */
struct parsed_number {
    unsigned long long magnitude; /* saturated at ULLONG_MAX */
    int negative;
    int overflow;
    const char *end; /* s itself when there are no digits */
};

static const char *skip_prefix(const char *p, int *base)
{
    int has_hex_prefix = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit(p[2]);
    if ((*base == 0 || *base == 16) && has_hex_prefix) {
        *base = 16;
        return p + 2;
    }
    if (*base == 0)
        *base = p[0] == '0' ? 8 : 10;
    return p;
}

static struct parsed_number parse_number(const char *s, int base)
{
    struct parsed_number n = {0, 0, 0, s};
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        n.negative = *p++ == '-';
    if (base < 0 || base == 1 || base > 36)
        return n;
    p = skip_prefix(p, &base);
    const char *digits = p;
    for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
        if (n.magnitude > (ULLONG_MAX - (unsigned)d) / (unsigned)base) {
            n.overflow = 1;
            n.magnitude = ULLONG_MAX;
        } else if (!n.overflow) {
            n.magnitude = n.magnitude * (unsigned)base + (unsigned)d;
        }
    }
    if (p != digits)
        n.end = p;
    return n;
}

static void set_end(char **end, const char *value)
{
    if (end != NULL)
        *end = (char *)value;
}

/* Clamps to [min, max]; min's magnitude is max + 1 (two's complement). */
static long long to_signed(struct parsed_number n, unsigned long long max)
{
    unsigned long long limit = n.negative ? max + 1 : max;
    if (n.overflow || n.magnitude > limit) {
        errno = ERANGE;
        return n.negative ? -(long long)max - 1 : (long long)max;
    }
    if (n.negative)
        return n.magnitude == max + 1 ? -(long long)max - 1 : -(long long)n.magnitude;
    return (long long)n.magnitude;
}

/* Negation wraps, as ISO C says for strtoul("-1"). */
static unsigned long long to_unsigned(struct parsed_number n, unsigned long long max)
{
    if (n.overflow || n.magnitude > max) {
        errno = ERANGE;
        return max;
    }
    return n.negative ? (0 - n.magnitude) & max : n.magnitude;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    struct parsed_number n = parse_number(s, base);
    set_end(end, n.end);
    return to_signed(n, LLONG_MAX);
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    struct parsed_number n = parse_number(s, base);
    set_end(end, n.end);
    return (long)to_signed(n, LONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    struct parsed_number n = parse_number(s, base);
    set_end(end, n.end);
    return to_unsigned(n, ULLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    struct parsed_number n = parse_number(s, base);
    set_end(end, n.end);
    return (unsigned long)to_unsigned(n, ULONG_MAX);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

/* xorshift32: small, and good enough for test apps. */
static uint32_t rand_state = 1;

void srand(unsigned seed)
{
    rand_state = seed != 0 ? seed : 1;
}

int rand(void)
{
    uint32_t x = rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rand_state = x;
    return (int)(x & RAND_MAX);
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* Shell sort: no recursion, no allocation, fine for small arrays. */
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *))
{
    unsigned char *items = base;
    size_t gap = 1;
    while (gap < count / 3)
        gap = gap * 3 + 1;
    for (; gap > 0; gap /= 3) {
        for (size_t i = gap; i < count; i++) {
            for (size_t j = i; j >= gap; j -= gap) {
                unsigned char *lower = items + (j - gap) * size;
                unsigned char *upper = items + j * size;
                if (compare(lower, upper) <= 0)
                    break;
                swap_bytes(lower, upper, size);
            }
        }
    }
}
