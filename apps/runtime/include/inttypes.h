/* inttypes.h for apps: printf format macros for <stdint.h> types (LP64). */
#ifndef KSIM_APP_INTTYPES_H
#define KSIM_APP_INTTYPES_H

#include <stdint.h>

#if __SIZEOF_LONG__ == 8
#define __KSIM_PRI64 "l"
#else
#define __KSIM_PRI64 "ll"
#endif
#if __SIZEOF_POINTER__ == __SIZEOF_LONG__
#define __KSIM_PRIPTR "l"
#else
#define __KSIM_PRIPTR ""
#endif
#define __KSIM_PRIMAX "j"

#define PRId8  "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 __KSIM_PRI64 "d"
#define PRIi8  "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 __KSIM_PRI64 "i"
#define PRIu8  "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 __KSIM_PRI64 "u"
#define PRIo8  "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 __KSIM_PRI64 "o"
#define PRIx8  "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 __KSIM_PRI64 "x"
#define PRIX8  "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 __KSIM_PRI64 "X"

#define PRIdLEAST8  PRId8
#define PRIdLEAST16 PRId16
#define PRIdLEAST32 PRId32
#define PRIdLEAST64 PRId64
#define PRIuLEAST8  PRIu8
#define PRIuLEAST16 PRIu16
#define PRIuLEAST32 PRIu32
#define PRIuLEAST64 PRIu64
#define PRIxLEAST8  PRIx8
#define PRIxLEAST16 PRIx16
#define PRIxLEAST32 PRIx32
#define PRIxLEAST64 PRIx64

#define PRIdMAX __KSIM_PRIMAX "d"
#define PRIiMAX __KSIM_PRIMAX "i"
#define PRIuMAX __KSIM_PRIMAX "u"
#define PRIoMAX __KSIM_PRIMAX "o"
#define PRIxMAX __KSIM_PRIMAX "x"
#define PRIXMAX __KSIM_PRIMAX "X"

#define PRIdPTR __KSIM_PRIPTR "d"
#define PRIiPTR __KSIM_PRIPTR "i"
#define PRIuPTR __KSIM_PRIPTR "u"
#define PRIoPTR __KSIM_PRIPTR "o"
#define PRIxPTR __KSIM_PRIPTR "x"
#define PRIXPTR __KSIM_PRIPTR "X"

#endif /* KSIM_APP_INTTYPES_H */
