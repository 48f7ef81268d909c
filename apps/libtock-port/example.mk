# Stands in for libtock-c's AppMakefile.mk when `ksim-cc --example DIR` reads
# an example's Makefile (ksim-cc rewrites its `include
# $(TOCK_USERLAND_BASE_DIR)/AppMakefile.mk` line to include this file, and
# other libtock-c makefiles it includes to KSIM_LIBTOCK_C_MAKEFILES). It only
# prints, exactly as make sees them, the variables ksim-cc uses, one a line;
# the real AppMakefile.mk would look for cross toolchains and elf2tab.
.PHONY: ksim-example-vars
ksim-example-vars:
	$(info C_SRCS=$(strip $(C_SRCS)))
	$(info CXX_SRCS=$(strip $(CXX_SRCS)))
	$(info AS_SRCS=$(strip $(AS_SRCS)))
	$(info CPPFLAGS=$(strip $(CPPFLAGS)))
	$(info CFLAGS=$(strip $(CFLAGS)))
	$(info EXTERN_LIBS=$(strip $(EXTERN_LIBS)))
	$(info KSIM_LIBTOCK_C_MAKEFILES=$(strip $(KSIM_LIBTOCK_C_MAKEFILES)))
	@:
