/* Names for enum ks_err, generated from the same X-macro as the enum. */
#include "err.h"

#include "ksim/abi.h"

/* One error table: the kernel's codes are ABI.md's, which apps see as enum ksim_error. */
#define KS_ERR_SAME(name, value, text)                                                             \
    _Static_assert((int)KS_E##name == (int)KSIM_ERR_##name, "KS_E" #name " is ABI.md's");
KS_ERR_MAP(KS_ERR_SAME)
#undef KS_ERR_SAME

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
