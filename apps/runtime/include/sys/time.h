/*
 * sys/time.h for apps: struct timeval, which libtock-c's alarm API fills
 * from the alarm's ticks (libtock_alarm_gettimeasticks). There is no
 * wall clock: gettimeofday is not provided.
 */
#ifndef KSIM_APP_SYS_TIME_H
#define KSIM_APP_SYS_TIME_H

#include <sys/types.h>

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
};

#endif /* KSIM_APP_SYS_TIME_H */
