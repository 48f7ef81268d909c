/* stdlib.h for apps. */
#ifndef KSIM_APP_STDLIB_H
#define KSIM_APP_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fffffff

/* Heap: first fit, grown with memop sbrk; 16-byte aligned blocks. */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* Flush stdout, then Exit-terminate with status as the completion code. */
void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));
/* Exit-terminate with completion code 134 (128 + SIGABRT), as a host shell shows. */
void abort(void) __attribute__((noreturn));

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);

int abs(int n);
long labs(long n);
long long llabs(long long n);

int rand(void);
void srand(unsigned seed);

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));

#endif /* KSIM_APP_STDLIB_H */
