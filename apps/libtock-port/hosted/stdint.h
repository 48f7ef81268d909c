/*
 * libtock-c apps compile as hosted C (-fhosted -fno-builtin), as on a board,
 * so that main falling off its end returns 0. GCC's own stdint.h then wants
 * the C library's (#include_next), which ksim's C library leaves to the
 * compiler: ksim-cc puts this directory last (-idirafter, GCC only) and
 * hands over to GCC's freestanding definitions.
 */
#include <stdint-gcc.h>
