/*
 * math.h: range reduction and short series, good to a few ulp over the
 * ranges apps use. Special values follow C's Annex F where it is cheap
 * (NaN in, NaN out; infinities at poles); errno is not set.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double double_of(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

double fabs(double x)
{
    return double_of(bits_of(x) & ~(UINT64_C(1) << 63));
}

double sqrt(double x)
{
#if defined(__x86_64__)
    double r;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
    return r;
#else
    if (isnan(x) || x < 0)
        return NAN;
    if (x == 0 || isinf(x))
        return x;
    int e;
    (void)frexp(x, &e);
    double r = ldexp(1.0, e / 2 + 1); /* above the root: Newton falls to it */
    for (int i = 0; i < 8; i++)
        r = 0.5 * (r + x / r);
    return r;
#endif
}

/* |x| >= 2^52 (or NaN, infinity) is already integral. */
static int is_integral_range(double x)
{
    return !(fabs(x) < 4503599627370496.0);
}

double trunc(double x)
{
    if (is_integral_range(x))
        return x;
    double t = (double)(int64_t)x;
    return t == 0 ? (x < 0 ? -0.0 : 0.0) : t;
}

double floor(double x)
{
    double t = trunc(x);
    return t > x ? t - 1 : t;
}

double ceil(double x)
{
    double t = trunc(x);
    return t < x ? t + 1 : t;
}

/* Halfway cases away from zero. */
double round(double x)
{
    if (is_integral_range(x))
        return x;
    double t = trunc(x);
    if (fabs(x - t) >= 0.5)
        t += x < 0 ? -1 : 1;
    return t;
}

double fmod(double x, double y)
{
    if (isnan(x) || isnan(y) || isinf(x) || y == 0)
        return NAN;
    if (isinf(y) || fabs(x) < fabs(y))
        return x;
    double r = fmod(x, 2 * y); /* recursion depth: log2(x / y) */
    double ay = fabs(y);
    if (fabs(r) >= ay)
        r += r > 0 ? -ay : ay;
    if (r != 0 && (r < 0) != (x < 0))
        r += x < 0 ? -ay : ay;
    return r;
}

double frexp(double x, int *exp)
{
    uint64_t b = bits_of(x);
    int e = (int)((b >> 52) & 0x7ff);
    *exp = 0;
    if (x == 0 || isnan(x) || isinf(x))
        return x;
    /* Subnormal: scale into the normal range first (by 2^54). */
    if (e == 0) {
        x *= 18014398509481984.0;
        b = bits_of(x);
        e = (int)((b >> 52) & 0x7ff) - 54;
    }
    *exp = e - 1022;
    return double_of((b & ~(UINT64_C(0x7ff) << 52)) | (UINT64_C(1022) << 52));
}

double ldexp(double x, int exp)
{
    /* Steps of at most 2^1000 stay exact until the result over- or underflows. */
    while (exp > 1000) {
        x *= 0x1p1000;
        exp -= 1000;
    }
    while (exp < -1000) {
        x *= 0x1p-1000;
        exp += 1000;
    }
    return x * double_of((uint64_t)(exp + 1023) << 52);
}

double exp(double x)
{
    if (isnan(x))
        return x;
    if (x > 709.8)
        return HUGE_VAL;
    if (x < -745.2)
        return 0;
    /* x = k ln2 + r, |r| <= ln2 / 2, with ln2 split so k ln2 is exact. */
    double k = round(x / M_LN2);
    double r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
    double term = 1, sum = 1;
    for (int i = 1; i < 18; i++) {
        term *= r / i;
        sum += term;
    }
    return ldexp(sum, (int)k);
}

double log(double x)
{
    if (isnan(x) || x < 0)
        return NAN;
    if (x == 0)
        return -HUGE_VAL;
    if (isinf(x))
        return x;
    int e;
    double m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1) */
    if (m < M_SQRT2 / 2) {
        m *= 2;
        e--;
    }
    /* log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172 */
    double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
    for (int i = 1; i < 40; i += 2) {
        sum += term / i;
        term *= s2;
    }
    return 2 * sum + e * M_LN2;
}

double log2(double x)
{
    return log(x) / M_LN2;
}

double log10(double x)
{
    return log(x) / M_LN10;
}

/* y an integer of modest size: exact repeated squaring, as pow(10, n) expects. */
static double pow_int(double x, int64_t n)
{
    double result = 1;
    uint64_t m = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    for (; m > 0; m >>= 1) {
        if (m & 1)
            result *= x;
        x *= x;
    }
    return n < 0 ? 1 / result : result;
}

double pow(double x, double y)
{
    if (y == 0 || x == 1)
        return 1;
    if (isnan(x) || isnan(y))
        return NAN;
    if (trunc(y) == y && fabs(y) < 9007199254740992.0) /* 2^53 */
        return pow_int(x, (int64_t)y);
    if (x < 0)
        return NAN;
    if (x == 0)
        return y > 0 ? 0 : HUGE_VAL;
    return exp(y * log(x));
}

/* sin and cos of |r| <= pi/4. */
static double sin_small(double r)
{
    double r2 = r * r, term = r, sum = r;
    for (int i = 2; i < 24; i += 2) {
        term *= -r2 / (i * (i + 1));
        sum += term;
    }
    return sum;
}

static double cos_small(double r)
{
    double r2 = r * r, term = 1, sum = 1;
    for (int i = 1; i < 24; i += 2) {
        term *= -r2 / (i * (i + 1));
        sum += term;
    }
    return sum;
}

/*
 * x = q pi/2 + r, |r| <= pi/4, with pi/2 in two parts (the first has 33
 * bits, so q times it is exact for |q| < 2^20). Returns q mod 4.
 */
static int reduce_half_pi(double x, double *r)
{
    double q = round(x / M_PI_2);
    *r = (x - q * 1.57079632673412561417e+00) - q * 6.07710050650619224932e-11;
    return (int)(int64_t)fmod(q, 4.0) & 3;
}

double sin(double x)
{
    if (isnan(x) || isinf(x))
        return NAN;
    double r;
    switch (reduce_half_pi(x, &r)) {
    case 0:
        return sin_small(r);
    case 1:
        return cos_small(r);
    case 2:
        return -sin_small(r);
    default:
        return -cos_small(r);
    }
}

double cos(double x)
{
    if (isnan(x) || isinf(x))
        return NAN;
    double r;
    switch (reduce_half_pi(x, &r)) {
    case 0:
        return cos_small(r);
    case 1:
        return -sin_small(r);
    case 2:
        return -cos_small(r);
    default:
        return sin_small(r);
    }
}

double tan(double x)
{
    return sin(x) / cos(x);
}

double atan(double x)
{
    if (isnan(x))
        return x;
    if (isinf(x))
        return x > 0 ? M_PI_2 : -M_PI_2;
    if (fabs(x) > 1)
        return (x > 0 ? M_PI_2 : -M_PI_2) - atan(1 / x);
    /* Halve the angle twice: atan(x) = 2 atan(x / (1 + sqrt(1 + x^2))), |x| <= 0.2 after. */
    double t = x / (1 + sqrt(1 + x * x));
    t = t / (1 + sqrt(1 + t * t));
    double t2 = t * t, term = t, sum = 0;
    for (int i = 1; i < 40; i += 2) {
        sum += term / i;
        term *= -t2;
    }
    return 4 * sum;
}

double atan2(double y, double x)
{
    if (isnan(x) || isnan(y))
        return NAN;
    if (x == 0 && y == 0)
        return signbit(x) ? (signbit(y) ? -M_PI : M_PI) : y;
    if (isinf(x) && isinf(y))
        return (x > 0 ? M_PI_4 : 3 * M_PI_4) * (y > 0 ? 1 : -1);
    if (x == 0)
        return y > 0 ? M_PI_2 : -M_PI_2;
    double a = atan(y / x);
    if (x > 0)
        return a;
    return signbit(y) ? a - M_PI : a + M_PI;
}

double asin(double x)
{
    if (!(fabs(x) <= 1))
        return NAN;
    return atan2(x, sqrt((1 - x) * (1 + x)));
}

double acos(double x)
{
    if (!(fabs(x) <= 1))
        return NAN;
    return atan2(sqrt((1 - x) * (1 + x)), x);
}
