/*
 * printf formatting core. Includes nothing but freestanding headers: it is
 * also built as host code for its unit test, which compares it with the
 * host's snprintf (glibc's choices where C leaves them open, e.g. "(nil)").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

#define INT_LIMIT ((size_t)((unsigned)-1 >> 1))

enum flag {
    FLAG_LEFT = 1u << 0,
    FLAG_ZERO = 1u << 1,
    FLAG_PLUS = 1u << 2,
    FLAG_SPACE = 1u << 3,
    FLAG_ALT = 1u << 4,
};

enum length {
    LEN_DEFAULT,
    LEN_HH,
    LEN_H,
    LEN_L,
    LEN_LL,
    LEN_Z,
    LEN_J,
    LEN_T,
    LEN_LONG_DOUBLE,
};

struct spec {
    unsigned flags;
    size_t width;
    int precision; /* -1: none given */
    enum length length;
    char conversion;
};

struct output {
    ksim_format_sink sink;
    void *ctx;
    size_t count;
};

static void emit(struct output *out, const char *text, size_t len)
{
    if (len == 0)
        return;
    out->sink(out->ctx, text, len);
    out->count += len;
}

static void emit_repeated(struct output *out, char c, size_t len)
{
    char chunk[16];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = c;
    while (len > 0) {
        size_t piece = len < sizeof chunk ? len : sizeof chunk;
        emit(out, chunk, piece);
        len -= piece;
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t text_length(const char *s, int precision)
{
    size_t len = 0;
    while (s[len] != '\0' && (precision < 0 || len < (size_t)precision))
        len++;
    return len;
}

/* Saturates instead of overflowing on absurd widths. */
static size_t parse_decimal(const char **p)
{
    size_t value = 0;
    while (is_digit(**p)) {
        size_t digit = (size_t)(**p - '0');
        value = value > (INT_LIMIT - digit) / 10 ? INT_LIMIT : value * 10 + digit;
        (*p)++;
    }
    return value;
}

static unsigned parse_flags(const char **p)
{
    unsigned flags = 0;
    for (;; (*p)++) {
        switch (**p) {
        case '-':
            flags |= FLAG_LEFT;
            break;
        case '0':
            flags |= FLAG_ZERO;
            break;
        case '+':
            flags |= FLAG_PLUS;
            break;
        case ' ':
            flags |= FLAG_SPACE;
            break;
        case '#':
            flags |= FLAG_ALT;
            break;
        default:
            return flags;
        }
    }
}

/* A negative '*' width means left-justify. */
static void parse_width(const char **p, struct spec *spec, va_list *ap)
{
    if (**p != '*') {
        spec->width = parse_decimal(p);
        return;
    }
    (*p)++;
    int width = va_arg(*ap, int);
    if (width < 0) {
        spec->flags |= FLAG_LEFT;
        spec->width = (size_t)(0u - (unsigned)width);
    } else {
        spec->width = (size_t)width;
    }
}

/* A negative '*' precision counts as none. */
static void parse_precision(const char **p, struct spec *spec, va_list *ap)
{
    spec->precision = -1;
    if (**p != '.')
        return;
    (*p)++;
    if (**p == '*') {
        (*p)++;
        int precision = va_arg(*ap, int);
        spec->precision = precision < 0 ? -1 : precision;
    } else {
        spec->precision = (int)parse_decimal(p);
    }
}

static enum length parse_length(const char **p)
{
    char c = **p;
    switch (c) {
    case 'h':
    case 'l':
        (*p)++;
        if (**p == c) {
            (*p)++;
            return c == 'h' ? LEN_HH : LEN_LL;
        }
        return c == 'h' ? LEN_H : LEN_L;
    case 'z':
        (*p)++;
        return LEN_Z;
    case 'j':
        (*p)++;
        return LEN_J;
    case 't':
        (*p)++;
        return LEN_T;
    case 'L':
        (*p)++;
        return LEN_LONG_DOUBLE;
    default:
        return LEN_DEFAULT;
    }
}

static intmax_t fetch_signed(enum length length, va_list *ap)
{
    switch (length) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uintmax_t fetch_unsigned(enum length length, va_list *ap)
{
    switch (length) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    case LEN_T:
        return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned);
    }
}

/* Pads text to the width with spaces (strings, characters, "(nil)"). */
static void emit_padded(struct output *out, const struct spec *spec, const char *text, size_t len)
{
    size_t pad = spec->width > len ? spec->width - len : 0;
    if (!(spec->flags & FLAG_LEFT))
        emit_repeated(out, ' ', pad);
    emit(out, text, len);
    if (spec->flags & FLAG_LEFT)
        emit_repeated(out, ' ', pad);
}

static unsigned base_of(char conversion)
{
    switch (conversion) {
    case 'o':
        return 8;
    case 'x':
    case 'X':
    case 'p':
        return 16;
    default:
        return 10;
    }
}

/* Writes the digits of value at the end of buf; returns where they start. */
static char *digits_of(uintmax_t value, unsigned base, int upper, char *end)
{
    const char *table = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    while (value != 0) {
        *--p = table[value % base];
        value /= base;
    }
    return p;
}

static size_t sign_prefix(const struct spec *spec, int negative, char *prefix)
{
    if (negative)
        prefix[0] = '-';
    else if (spec->flags & FLAG_PLUS)
        prefix[0] = '+';
    else if (spec->flags & FLAG_SPACE)
        prefix[0] = ' ';
    else
        return 0;
    return 1;
}

/* "0x"/"0X" for %#x with a non-zero value, and always for %p. */
static size_t radix_prefix(const struct spec *spec, uintmax_t magnitude, char *prefix)
{
    int hex = spec->conversion == 'x' || spec->conversion == 'X';
    if (spec->conversion == 'p' || (hex && (spec->flags & FLAG_ALT) && magnitude != 0)) {
        prefix[0] = '0';
        prefix[1] = spec->conversion == 'X' ? 'X' : 'x';
        return 2;
    }
    return 0;
}

/*
 * Layout: [spaces] prefix [zeros] digits [spaces]. The precision is the
 * minimum digit count (0 prints nothing for 0); '0' pads only without one.
 */
static void format_integer(struct output *out, const struct spec *spec, uintmax_t magnitude,
                           int negative)
{
    char buf[3 * sizeof(uintmax_t)];
    char *end = buf + sizeof buf;
    char *digits = digits_of(magnitude, base_of(spec->conversion), spec->conversion == 'X', end);
    size_t digit_count = (size_t)(end - digits);

    char prefix[2];
    int is_signed = spec->conversion == 'd' || spec->conversion == 'i';
    size_t prefix_len =
        is_signed ? sign_prefix(spec, negative, prefix) : radix_prefix(spec, magnitude, prefix);

    size_t precision = spec->precision < 0 ? 1 : (size_t)spec->precision;
    size_t zeros = precision > digit_count ? precision - digit_count : 0;
    /* %#o: the first digit printed is a 0. */
    if (spec->conversion == 'o' && (spec->flags & FLAG_ALT) && zeros == 0 &&
        (digit_count == 0 || digits[0] != '0'))
        zeros = 1;

    size_t body = prefix_len + zeros + digit_count;
    size_t pad = spec->width > body ? spec->width - body : 0;
    if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }

    if (!(spec->flags & FLAG_LEFT))
        emit_repeated(out, ' ', pad);
    emit(out, prefix, prefix_len);
    emit_repeated(out, '0', zeros);
    emit(out, digits, digit_count);
    if (spec->flags & FLAG_LEFT)
        emit_repeated(out, ' ', pad);
}

static void format_signed(struct output *out, const struct spec *spec, va_list *ap)
{
    intmax_t value = fetch_signed(spec->length, ap);
    int negative = value < 0;
    /* Unsigned negation, so INTMAX_MIN needs no special case. */
    uintmax_t magnitude = negative ? (uintmax_t)0 - (uintmax_t)value : (uintmax_t)value;
    format_integer(out, spec, magnitude, negative);
}

static void format_pointer(struct output *out, const struct spec *spec, va_list *ap)
{
    void *pointer = va_arg(*ap, void *);
    if (pointer == NULL) {
        emit_padded(out, spec, "(nil)", 5);
        return;
    }
    format_integer(out, spec, (uintptr_t)pointer, 0);
}

static void format_string(struct output *out, const struct spec *spec, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);
    if (s == NULL) {
        /* glibc prints "(null)" unless the precision is too short for it. */
        s = spec->precision < 0 || spec->precision >= 6 ? "(null)" : "";
    }
    emit_padded(out, spec, s, text_length(s, spec->precision));
}

static void format_char(struct output *out, const struct spec *spec, va_list *ap)
{
    char c = (char)va_arg(*ap, int);
    emit_padded(out, spec, &c, 1);
}

/* Not supported: consume the argument so later ones stay in step. */
static void skip_floating(const struct spec *spec, va_list *ap)
{
    if (spec->length == LEN_LONG_DOUBLE)
        (void)va_arg(*ap, long double);
    else
        (void)va_arg(*ap, double);
}

static int is_floating(char conversion)
{
    switch (conversion) {
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
        return 1;
    default:
        return 0;
    }
}

/* Returns 0 if the conversion is unknown (the caller prints it as text). */
static int format_conversion(struct output *out, const struct spec *spec, va_list *ap)
{
    switch (spec->conversion) {
    case 'd':
    case 'i':
        format_signed(out, spec, ap);
        return 1;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        format_integer(out, spec, fetch_unsigned(spec->length, ap), 0);
        return 1;
    case 'p':
        format_pointer(out, spec, ap);
        return 1;
    case 's':
        format_string(out, spec, ap);
        return 1;
    case 'c':
        format_char(out, spec, ap);
        return 1;
    case '%':
        emit(out, "%", 1);
        return 1;
    default:
        if (is_floating(spec->conversion))
            skip_floating(spec, ap);
        return 0;
    }
}

/* Parses one "%..." at *p (just past the '%') and prints it. */
static void format_directive(struct output *out, const char **p, va_list *ap)
{
    const char *start = *p - 1;
    struct spec spec;
    spec.flags = parse_flags(p);
    parse_width(p, &spec, ap);
    parse_precision(p, &spec, ap);
    spec.length = parse_length(p);
    spec.conversion = **p;
    if (spec.conversion != '\0')
        (*p)++;
    if (!format_conversion(out, &spec, ap))
        emit(out, start, (size_t)(*p - start));
}

int ksim_vformat(ksim_format_sink sink, void *ctx, const char *fmt, va_list ap)
{
    struct output out = {sink, ctx, 0};
    va_list args;
    va_copy(args, ap);
    const char *p = fmt;
    while (*p != '\0') {
        const char *literal = p;
        while (*p != '\0' && *p != '%')
            p++;
        emit(&out, literal, (size_t)(p - literal));
        if (*p == '%') {
            p++;
            format_directive(&out, &p, &args);
        }
    }
    va_end(args);
    return out.count > INT_LIMIT ? -1 : (int)out.count;
}

struct bounded_buffer {
    char *buf;
    size_t size;
    size_t used; /* characters stored, at most size - 1 */
};

static void bounded_sink(void *ctx, const char *text, size_t len)
{
    struct bounded_buffer *b = ctx;
    if (b->used + 1 >= b->size)
        return;
    size_t room = b->size - 1 - b->used;
    size_t n = len < room ? len : room;
    for (size_t i = 0; i < n; i++)
        b->buf[b->used + i] = text[i];
    b->used += n;
}

int ksim_vsnformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct bounded_buffer b = {buf, size, 0};
    int len = ksim_vformat(bounded_sink, &b, fmt, ap);
    if (size > 0)
        buf[b.used] = '\0';
    return len;
}
