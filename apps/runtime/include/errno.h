/* errno.h for apps: one global errno (apps are single-threaded). */
#ifndef KSIM_APP_ERRNO_H
#define KSIM_APP_ERRNO_H

extern int errno;

/* Linux's numbers, so messages mean the same as on the host. */
#define EPERM     1
#define ENOENT    2
#define EINTR     4
#define EIO       5
#define EBADF     9
#define EAGAIN    11
#define ENOMEM    12
#define EACCES    13
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define ENODEV    19
#define EINVAL    22
#define ENOSPC    28
#define EDOM      33
#define ERANGE    34
#define ENOSYS    38
#define ETIMEDOUT 110

#endif /* KSIM_APP_ERRNO_H */
