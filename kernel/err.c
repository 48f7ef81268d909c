/* Names for enum ks_err, generated from the same X-macro as the enum. */
#include "err.h"

const char *ks_err_name(int e)
{
    if (e < 0)
        e = -e;
    switch (e) {
    case KS_OK:
        return "OK";
#define KS_ERR_CASE(name, value, text)                                                             \
    case KS_E##name:                                                                               \
        return #name;
        KS_ERR_MAP(KS_ERR_CASE)
#undef KS_ERR_CASE
    default:
        return "UNKNOWN";
    }
}
