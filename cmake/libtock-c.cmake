# libtock-c on ksim (docs/libtock-c.md), included from tests/CMakeLists.txt.
#
# test_libtock_port always runs (label integration): ksim's own apps written
# as libtock-c apps (apps/libtock-port/tests/) on ksim's runtime, which is
# also the port ksim-cc --libtock-c links, and ksim-cc's --libtock-c mode on a
# miniature tree. With -DKSIM_LIBTOCK_C=PATH (a libtock-c checkout) the same binary also
# builds the checkout's examples with ksim-cc and runs them: ctest label
# `libtock-c`, e.g. `ctest -L libtock-c`.
# By default the pinned checkout beside the project (../shared/third_party),
# when it is there, so CI runs Tock's own apps; -DKSIM_LIBTOCK_C=PATH picks
# another, -DKSIM_LIBTOCK_C=OFF none.
set(_ksim_libtock_c_default "")
if(EXISTS "${CMAKE_SOURCE_DIR}/../shared/third_party/libtock-c/libtock/tock.h")
  get_filename_component(_ksim_libtock_c_default
    "${CMAKE_SOURCE_DIR}/../shared/third_party/libtock-c" ABSOLUTE)
endif()
set(KSIM_LIBTOCK_C "${_ksim_libtock_c_default}" CACHE PATH
  "A libtock-c checkout: enables the libtock-c test label (OFF: none)")

ksim_integration_test(test_libtock_port SOURCES integration/test_libtock_port.c
  TIMEOUT 600 FILTER "libtock_port/*")

if(KSIM_LIBTOCK_C)
  get_filename_component(_ksim_libtock_c "${KSIM_LIBTOCK_C}" ABSOLUTE)
  if(NOT EXISTS "${_ksim_libtock_c}/libtock/tock.h" OR NOT EXISTS "${_ksim_libtock_c}/libtock-sync")
    message(FATAL_ERROR "KSIM_LIBTOCK_C=${KSIM_LIBTOCK_C}: not a libtock-c checkout (no libtock/tock.h, libtock-sync/)")
  endif()
  target_compile_definitions(test_libtock_port PRIVATE KSIM_LIBTOCK_C="${_ksim_libtock_c}")
  # The first build of the checkout's libraries (into build/libtock-c/) takes a minute or two.
  add_test(NAME libtock_c_examples COMMAND test_libtock_port --jobs 2 --filter "libtock_c/*")
  set_tests_properties(libtock_c_examples PROPERTIES LABELS libtock-c TIMEOUT 1800)
endif()
