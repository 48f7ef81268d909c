# ksim-cargo (rust/ksim-cargo.in, docs/libtock-rs.md): libtock-rs apps built
# with cargo for ksim, linked with the same flags as ksim's C apps. Included
# from apps/CMakeLists.txt, where those flags are defined.
set(KSIM_RUST_DIR ${CMAKE_SOURCE_DIR}/rust)

# cargo on PATH, or rustup's where PATH lacks it: ksim-cargo falls back to
# this one, and the libtock-rs tests need one (cmake/libtock-rs.cmake).
find_program(KSIM_CARGO_PROGRAM cargo HINTS $ENV{HOME}/.cargo/bin
  DOC "cargo for ksim-cargo and the libtock-rs tests")
if(KSIM_CARGO_PROGRAM)
  set(KSIM_CARGO_FALLBACK "${KSIM_CARGO_PROGRAM}")
else()
  set(KSIM_CARGO_FALLBACK "")
endif()

# The link flags as entries of a TOML array (cargo's build.rustflags); TOML
# strings escape \ and ".
set(KSIM_CARGO_LINK_ARGS "")
foreach(flag ${KSIM_APP_LINK_FLAGS} ${KSIM_APP_OUTPUT_DIR}/libksim_app.a)
  string(REPLACE "\\" "\\\\" flag "${flag}")
  string(REPLACE "\"" "\\\"" flag "${flag}")
  string(APPEND KSIM_CARGO_LINK_ARGS "    \"-C\", \"link-arg=${flag}\",\n")
endforeach()
string(REGEX REPLACE "\n$" "" KSIM_CARGO_LINK_ARGS "${KSIM_CARGO_LINK_ARGS}")
string(REPLACE "\\" "\\\\" KSIM_CARGO_LINKER "${CMAKE_C_COMPILER}")
string(REPLACE "\"" "\\\"" KSIM_CARGO_LINKER "${KSIM_CARGO_LINKER}")

configure_file(${KSIM_RUST_DIR}/ksim-cargo.in ${CMAKE_BINARY_DIR}/ksim-cargo @ONLY
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                   GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
