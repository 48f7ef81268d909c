/* sys/types.h for apps: the POSIX types the rest of the C library uses. */
#ifndef KSIM_APP_SYS_TYPES_H
#define KSIM_APP_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef KSIM_APP_SSIZE_T
#define KSIM_APP_SSIZE_T
typedef long ssize_t;
#endif

typedef long off_t;
typedef int pid_t;
typedef long time_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef unsigned int mode_t;
typedef char *caddr_t;

/* BSD names, which newlib's sys/types.h (libtock-c's usual libc) also has. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef uint8_t u_int8_t;
typedef uint16_t u_int16_t;
typedef uint32_t u_int32_t;
typedef uint64_t u_int64_t;

#endif /* KSIM_APP_SYS_TYPES_H */
