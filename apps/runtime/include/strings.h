/* strings.h for apps: the case-insensitive comparisons live in string.h. */
#ifndef KSIM_APP_STRINGS_H
#define KSIM_APP_STRINGS_H

#include <string.h>

#endif /* KSIM_APP_STRINGS_H */
