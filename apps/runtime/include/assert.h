/* assert.h for apps: a failed assertion prints where, then aborts. */
#ifndef KSIM_APP_ASSERT_H
#define KSIM_APP_ASSERT_H

void __ksim_assert_fail(const char *expr, const char *file, int line, const char *func)
    __attribute__((noreturn));

#define static_assert _Static_assert

#endif /* KSIM_APP_ASSERT_H */

/* Outside the guard: assert follows NDEBUG at each inclusion, as ISO C says. */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __ksim_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
