/*
 * The kernel's one error enum. Values equal the ABI error codes of ABI.md so
 * the syscall layer passes them through; functions return 0 or -KS_E*.
 */
#ifndef KSIM_KERNEL_ERR_H
#define KSIM_KERNEL_ERR_H

#define KS_ERR_MAP(XX)                                                                             \
    XX(FAIL, 1, "generic failure")                                                                 \
    XX(BUSY, 2, "busy")                                                                            \
    XX(ALREADY, 3, "already in that state")                                                        \
    XX(OFF, 4, "off")                                                                              \
    XX(RESERVE, 5, "reserved")                                                                     \
    XX(INVAL, 6, "invalid argument")                                                               \
    XX(SIZE, 7, "bad size")                                                                        \
    XX(CANCEL, 8, "cancelled")                                                                     \
    XX(NOMEM, 9, "out of memory")                                                                  \
    XX(NOSUPPORT, 10, "not supported")                                                             \
    XX(NODEVICE, 11, "no such device")                                                             \
    XX(UNINSTALLED, 12, "not installed")                                                           \
    XX(NOACK, 13, "no acknowledgement")

enum ks_err {
    KS_OK = 0,
#define KS_ERR_ENUM(name, value, text) KS_E##name = value,
    KS_ERR_MAP(KS_ERR_ENUM)
#undef KS_ERR_ENUM
};

/* "NOMEM" etc.; "OK" for 0; "UNKNOWN" otherwise. Accepts e or -e. */
const char *ks_err_name(int e);

#endif /* KSIM_KERNEL_ERR_H */
