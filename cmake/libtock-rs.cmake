# libtock-rs on ksim (docs/libtock-rs.md), included from tests/CMakeLists.txt.
#
# The ctest label `libtock-rs` builds libtock-rs's examples with ksim-cargo
# and runs them (tests/integration/test_libtock_rs.c). It is on by default
# when the pinned checkout beside the source tree exists
# (../shared/third_party/libtock-rs) and cargo is installed;
# -DKSIM_LIBTOCK_RS=PATH points it at another checkout, and
# -DKSIM_LIBTOCK_RS= turns it off.
get_filename_component(_ksim_libtock_rs_default
  "${CMAKE_SOURCE_DIR}/../shared/third_party/libtock-rs" ABSOLUTE)
if(NOT EXISTS "${_ksim_libtock_rs_default}/platform/Cargo.toml")
  set(_ksim_libtock_rs_default "")
endif()
set(KSIM_LIBTOCK_RS "${_ksim_libtock_rs_default}" CACHE PATH
  "A libtock-rs checkout: enables the libtock-rs test label (empty: off)")

if(KSIM_LIBTOCK_RS)
  get_filename_component(_ksim_libtock_rs "${KSIM_LIBTOCK_RS}" ABSOLUTE)
  if(NOT EXISTS "${_ksim_libtock_rs}/platform/Cargo.toml" OR NOT IS_DIRECTORY "${_ksim_libtock_rs}/apis")
    message(FATAL_ERROR "KSIM_LIBTOCK_RS=${KSIM_LIBTOCK_RS}: not a libtock-rs checkout (no platform/Cargo.toml, apis/)")
  endif()
  if(NOT KSIM_CARGO_PROGRAM)
    message(STATUS "libtock-rs tests off: cargo not found (scripts/setup.sh installs it)")
  else()
    ksim_integration_test(test_libtock_rs SOURCES integration/test_libtock_rs.c TIMEOUT 900)
    target_compile_definitions(test_libtock_rs PRIVATE KSIM_LIBTOCK_RS="${_ksim_libtock_rs}")
    # The cargo builds share the machine: two jobs at most.
    set_tests_properties(test_libtock_rs PROPERTIES LABELS libtock-rs ENVIRONMENT CARGO_BUILD_JOBS=2)
  endif()
endif()
