# gdb settings for debugging apps in ksim (docs/debugging.md):
#
#   gdb -x tools/ksim.gdb --args build/ksim run build/apps/hello.elf
#
# ksim registers each app with gdb (JIT interface) when it loads it, so a
# breakpoint in app code waits, pending, until then.
set breakpoint pending on

# LeakSanitizer cannot work under ptrace: the default (sanitizer) build would
# end with "LeakSanitizer has encountered a fatal error" and exit status 1.
set environment ASAN_OPTIONS=detect_leaks=0

# The preemption tick (SIGVTALRM, every half timeslice of CPU time) is
# ksim's own business: pass it silently (gdb's default, said here for clarity).
handle SIGVTALRM nostop noprint pass

# An app's fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, or SIGSYS for a direct host
# system call) stops here first, at the faulting line; `continue` hands it
# to ksim, which reports it and applies the fault policy. Keep gdb's default.
# An int3 in app code (SIGTRAP) is not passed on by `continue`: use
# `signal SIGTRAP` to let ksim see it as the app's fault.
