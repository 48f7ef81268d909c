/*
 * The apps' printf core (apps/runtime/format.c) against the host's
 * snprintf: same text, same return value, same truncation.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

#define BUF_SIZE 512

static int ksim_snformat(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = ksim_vsnformat(buf, size, fmt, ap);
    va_end(ap);
    return len;
}

/* Formats with both into buffers of the given size and compares everything. */
static void check_sized(size_t size, const char *fmt, va_list ap)
{
    /* One spare byte keeps the buffers printable when a test fails. */
    char want[BUF_SIZE + 1];
    char got[BUF_SIZE + 1];
    memset(want, 'W', sizeof want);
    memset(got, 'W', sizeof got);
    want[BUF_SIZE] = got[BUF_SIZE] = '\0';
    va_list copy;
    va_copy(copy, ap);
    int want_len = vsnprintf(want, size, fmt, ap);
    int got_len = ksim_vsnformat(got, size, fmt, copy);
    va_end(copy);

    cr_assert_eq(got_len, want_len, "format \"%s\" size %zu: returned %d, host %d", fmt, size,
                 got_len, want_len);
    /* Also the bytes past the terminator: nothing may be written there. */
    cr_assert(memcmp(got, want, sizeof got) == 0, "format \"%s\" size %zu: got \"%s\", host \"%s\"",
              fmt, size, got, want);
}

__attribute__((format(printf, 1, 2))) static void check(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_sized(BUF_SIZE, fmt, ap);
    va_end(ap);
}

/* For formats the compiler rightly warns about (flags that cancel out). */
static void check_odd(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_sized(BUF_SIZE, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void check_truncated(size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_sized(size, fmt, ap);
    va_end(ap);
}

Test(app_libc, plain_text_and_percent)
{
    check_odd("");
    check("Hello from ksim!\n");
    check("100%%");
    check("%%%d%%", 5);
}

Test(app_libc, signed_decimal)
{
    check("%d %i", 0, 42);
    check("%d", -1);
    check("%d %d", INT_MAX, INT_MIN);
    check("%i", -123456);
}

Test(app_libc, unsigned_conversions)
{
    check("%u %u", 0u, UINT_MAX);
    check("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
    check("%x %o %u", 0u, 0u, 0u);
    check("%u", (unsigned)-5);
}

Test(app_libc, characters)
{
    check("%c%c%c", 'k', 's', 'i');
    check("[%5c][%-5c]", 'x', 'y');
    check("a%cb", 0); /* a NUL inside the text still counts */
}

Test(app_libc, strings)
{
    check("%s", "text");
    check("[%10s][%-10s]", "right", "left");
    check("[%.3s][%10.2s][%-6.0s]", "abcdef", "abcdef", "abcdef");
    check("%s%s", "", "x");
}

Test(app_libc, null_string_prints_null)
{
    const char *volatile null = NULL;
    check("%s", null);
    check("[%10s][%-8s]", null, null);
    check("[%.6s][%.10s]", null, null);
}

Test(app_libc, pointers)
{
    int object;
    void *volatile null = NULL;
    check("%p", (void *)&object);
    check("[%20p][%-20p]", (void *)&object, (void *)&object);
    check("%p", (void *)(uintptr_t)0x1000);
    check("[%p][%8p]", null, null);
}

Test(app_libc, flags)
{
    check("[%+d][%+d][% d][% d]", 5, -5, 5, -5);
    check_odd("[%+ d]", 7);
    check("[%#x][%#X][%#o]", 255u, 255u, 8u);
    check("[%#x][%#o]", 0u, 0u);
    check("[%05d][%05d][%-5d]", 42, -42, 42);
    check_odd("[%-05d]", 42);
    check("[%08x][%#08x][%+08d][% 08d]", 0xbeefu, 0xbeefu, 99, 99);
    check_odd("[%0-6d]", 3);
}

Test(app_libc, widths)
{
    check("[%1d][%2d][%10d]", 12345, 12345, 12345);
    check("[%10u][%-10x][%10o]", 1u, 0xabcu, 8u);
    check("[%*d][%-*d]", 6, 42, 6, 42);
    check("[%*d]", -6, 42); /* negative '*' width: left-justified */
    check("[%*s]", 3, "abcdef");
}

Test(app_libc, precisions)
{
    check("[%.5d][%.5d][%.0d][%.0d]", 42, -42, 0, 7);
    check("[%8.3d][%-8.3d]", 5, 5);
    check_odd("[%08.3d][%08.0x]", 5, 0u);
    check("[%.3x][%#.5x][%#.0x][%#.0o][%#.3o]", 0xfu, 0xfu, 0u, 0u, 8u);
    check("[%+.0d][% .0d]", 0, 0);
    check("[%.*d][%.*d]", 4, 9, -1, 9); /* negative '*' precision: none */
    check("[%*.*d]", 8, 4, -9);
    check("[%.*s]", 2, "abc");
}

Test(app_libc, length_modifiers)
{
    check("%hhd %hhu %hhx", (signed char)-5, (unsigned char)200, (unsigned char)0xab);
    check("%hd %hu %hx", (short)-300, (unsigned short)60000, (unsigned short)0xbeef);
    /* Wider values are cut to char and short, as the conversion says. */
    check_odd("%hhd %hhu %hhx", 300, 300, 0x1ff);
    check_odd("%hd %hu %hx", 70000, 70000, 0x1ffff);
    check_odd("%hhd %hd", -129, -32769);
    check("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0x123456789abcdefUL);
    check("%lld %llu %llx %llo", LLONG_MIN, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
    check("%lld", LLONG_MAX);
    check("%zu %zx %zd", SIZE_MAX, (size_t)4096, (ptrdiff_t)-3);
    check("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, UINTMAX_MAX);
    check("%td %tu", (ptrdiff_t)-77, (ptrdiff_t)77);
    check("%" PRId64 " %" PRIu64 " %" PRIx64, INT64_MIN, UINT64_MAX, UINT64_MAX);
}

Test(app_libc, mixed_arguments_stay_in_step)
{
    check("%s=%d (%#x) at %p, %c%c %5.1s|%-3u|", "answer", 42, 42u, (void *)&check, 'o', 'k', "yes",
          7u);
    check("%lld %d %hhd %s %zu", -1LL, 2, (signed char)3, "four", (size_t)5);
}

Test(app_libc, truncation)
{
    for (size_t size = 1; size < 16; size++) {
        check_truncated(size, "Hello, %s! %d", "world", -12345);
        check_truncated(size, "[%8x]", 0xabcu);
    }
    check_truncated(1, "x");
    check_truncated(2, "%c%c", 'a', 'b');
}

Test(app_libc, size_zero_returns_length)
{
    char untouched = 'U';
    cr_assert_eq(ksim_snformat(NULL, 0, "%d-%s", 12345, "abc"), 9);
    cr_assert_eq(ksim_snformat(&untouched, 0, "%08x", 1u), 8);
    cr_assert_eq(untouched, 'U', "size 0 must not write");
    check_truncated(0, "%s %d", "nothing", 1);
}

Test(app_libc, always_terminates)
{
    char buf[4] = {'a', 'b', 'c', 'd'};
    int len = ksim_snformat(buf, sizeof buf, "%s", "longer than four");
    cr_assert_eq(len, 16);
    cr_assert_str_eq(buf, "lon");
    len = ksim_snformat(buf, 1, "%d", 9);
    cr_assert_eq(len, 1);
    cr_assert_eq(buf[0], '\0');
}

Test(app_libc, unknown_conversion_is_printed_as_written)
{
    char buf[32];
    int len = ksim_snformat(buf, sizeof buf, "a%yb%-4wc");
    cr_assert_str_eq(buf, "a%yb%-4wc");
    cr_assert_eq(len, 9);
    len = ksim_snformat(buf, sizeof buf, "end%");
    cr_assert_str_eq(buf, "end%");
    cr_assert_eq(len, 4);
}

Test(app_libc, floating_point_is_skipped_in_step)
{
    char buf[64];
    ksim_snformat(buf, sizeof buf, "%d %f %d %.2Lf %d", 1, 2.5, 3, (long double)4.5, 5);
    cr_assert_str_eq(buf, "1 %f 3 %.2Lf 5");
}
