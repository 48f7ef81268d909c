#!/bin/bash -eu
# Builds the fuzz targets the way OSS-Fuzz and ClusterFuzzLite expect
# (docs/fuzzing.md): compiler and flags from $CC and $CFLAGS (the engine's
# instrumentation and sanitizer are in them), the engine linked from
# $LIB_FUZZING_ENGINE, and into $OUT each target binary with its seed corpus
# (<target>_seed_corpus.zip), dictionary (<target>.dict) and options, if any
# (<target>.options).
#
# Needs: cmake, zip, pkg-config, libuv, cJSON, libffi and Criterion headers
# (the project's configure step asks for them). Run from anywhere:
#   CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/out tests/fuzz/build.sh

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${WORK:-${TMPDIR:-/tmp}}/ksim-fuzz-build
targets=(fuzz_board fuzz_loader fuzz_syscalls)
: "${OUT:?set OUT to the output directory}"
: "${LIB_FUZZING_ENGINE:?set LIB_FUZZING_ENGINE (e.g. -fsanitize=fuzzer)}"

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
# KSIM_SANITIZE off: the sanitizer comes from $CFLAGS, whichever OSS-Fuzz builds.
cmake -S "$src" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DKSIM_SANITIZE=OFF \
    -DKSIM_FUZZ=ON -DKSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$build" --target "${targets[@]}"

mkdir -p "$OUT"
for t in "${targets[@]}"; do
    cp "$build/tests/fuzz/$t" "$OUT/"
    cp "$here/$t.dict" "$OUT/"
    [ ! -f "$here/$t.options" ] || cp "$here/$t.options" "$OUT/"
    rm -f "$OUT/${t}_seed_corpus.zip"
    (cd "$here/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
done
