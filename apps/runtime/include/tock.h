/*
 * The short name of Tock's system-call API for ksim's apps: the API itself
 * is libtock/tock.h, named as libtock-c names it, so an app may include
 * either.
 */
#ifndef KSIM_APP_TOCK_H
#define KSIM_APP_TOCK_H

#include <libtock/tock.h>

#endif /* KSIM_APP_TOCK_H */
