#!/usr/bin/env bash
# A local fuzzing campaign (docs/fuzzing.md):
#
#   tests/fuzz/campaign.sh [-m MINUTES] [-j JOBS] [-B BUILD_DIR] [-n] [TARGET...]
#
# Builds the libFuzzer targets (clang, ASan+UBSan, -O2) in BUILD_DIR
# (default build-fuzz), then runs every TARGET (default: all three) at once
# for MINUTES (default 10), JOBS worker processes in all (default: every core),
# shared out between the targets. Each target runs in libFuzzer's fork mode,
# so a crash is saved and fuzzing goes on. A progress line every 10 seconds;
# at the end, a summary per target and, for every crash, the file saved under
# tests/fuzz/crashes/<target>/ and the one-line command that reproduces it.
# -n: do not (re)build. The working corpus lives in BUILD_DIR/campaign/<target>;
# the seeds in tests/fuzz/corpus/<target> are read, never written.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
minutes=10
jobs=$(nproc)
build="$src/build-fuzz"
do_build=1
all_targets=(fuzz_board fuzz_loader fuzz_syscalls)

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while getopts "m:j:B:nh" opt; do
    case $opt in
    m) minutes=$OPTARG ;;
    j) jobs=$OPTARG ;;
    B) build=$OPTARG ;;
    n) do_build=0 ;;
    h) usage 0 ;;
    *) usage 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "campaign: unknown target $t (${all_targets[*]})" >&2; exit 2; }
done
[[ $minutes =~ ^[0-9]+$ && $minutes -gt 0 ]] || { echo "campaign: -m wants whole minutes" >&2; exit 2; }
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] || { echo "campaign: -j wants a number of jobs" >&2; exit 2; }

if [ $do_build -eq 1 ]; then
    echo "campaign: building the fuzz targets in $build" >&2
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    # RelWithDebInfo: -O2 with line info, and sanitizers on as in Debug.
    CC=${CC:-clang} cmake -S "$src" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DKSIM_SANITIZE=ON -DKSIM_FUZZ=ON >/dev/null
    cmake --build "$build" --target "${targets[@]}" "${targets[@]/%/_replay}" >/dev/null
fi

seconds=$((minutes * 60))
n=${#targets[@]}
work="$build/campaign"
mkdir -p "$work"
pids=()
declare -A log
for i in "${!targets[@]}"; do
    t=${targets[$i]}
    # Jobs shared out: the first targets get the remainder.
    share=$((jobs / n + (i < jobs % n ? 1 : 0)))
    [ $share -gt 0 ] || share=1
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    log[$t]="$work/$t/fuzz.log"
    extra=()
    [ -f "$here/$t.dict" ] && extra=(-dict="$here/$t.dict")
    # <target>.options, as OSS-Fuzz reads it: "key = value" lines under [libfuzzer].
    if [ -f "$here/$t.options" ]; then
        while read -r key _ value; do
            extra+=("-$key=$value")
        done < <(sed -n '/^\[libfuzzer\]/,/^\[/{/^[a-z_]* *= */p}' "$here/$t.options")
    fi
    # ASan's and UBSan's reports end the input; libFuzzer saves it. fuzz_syscalls
    # appends each job's call count and rate to stats (KSIM_FUZZ_STATS).
    rm -f "$work/$t/stats"
    KSIM_FUZZ_STATS="$work/$t/stats" \
    ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
        "$build/tests/fuzz/$t" -fork="$share" -ignore_crashes=1 -max_total_time="$seconds" -timeout=25 \
        -artifact_prefix="$work/$t/artifacts/" "${extra[@]}" \
        "$work/$t/corpus" "$here/corpus/$t" >"${log[$t]}" 2>&1 &
    pids+=($!)
    echo "campaign: $t: $share job(s), log ${log[$t]}" >&2
done

stop() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT TERM

# The last status line of fork mode: "#N: cov: C ft: F corp: K exec/s E oom/timeout/crash: a/b/c ...".
status() {
    local line
    line=$(grep -aE '^#[0-9]+: cov: ' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        echo "starting"
        return
    fi
    awk '{for (i = 1; i <= NF; i++) v[$i] = $(i + 1);
          printf "%s execs, %s exec/s, cov %s ft %s, corpus %s, crashes %s",
                 substr($1, 2, length($1) - 2), v["exec/s"], v["cov:"], v["ft:"], v["corp:"],
                 v["oom/timeout/crash:"]}' <<<"$line"
}

start=$(date +%s)
while :; do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    now=$(date +%s)
    line="[$((now - start))s/${seconds}s]"
    for t in "${targets[@]}"; do line+=" | $t: $(status "${log[$t]}")"; done
    echo "$line" >&2
    [ $alive -eq 1 ] || break
    sleep 10
done
for p in "${pids[@]}"; do wait "$p" || true; done
trap - INT TERM

found=0
echo "campaign: done after $(($(date +%s) - start))s" >&2
for t in "${targets[@]}"; do
    echo "campaign: $t: $(status "${log[$t]}")" >&2
    if [ -s "$work/$t/stats" ]; then
        # "fuzz_syscalls: I inputs, C system calls in S s: R calls/s (U s of CPU: ...)", per job.
        awk '{c += $4; s += $8; u += substr($12, 2)}
             END {if (s > 0 && u > 0) printf "campaign: %s: %d system calls in %.0f s of jobs: %.0f calls/s, %.0f per CPU second\n", t, c, s, c / s, c / u}' \
            t="$t" "$work/$t/stats" >&2
    fi
    mkdir -p "$here/crashes/$t"
    for f in "$work/$t/artifacts"/crash-* "$work/$t/artifacts"/leak-* "$work/$t/artifacts"/timeout-* \
             "$work/$t/artifacts"/oom-*; do
        [ -f "$f" ] || continue
        found=1
        dest="$here/crashes/$t/$(basename "$f")"
        cp "$f" "$dest"
        echo "campaign: $t: saved ${dest#$src/}; reproduce with:" >&2
        echo "  $build/tests/fuzz/${t}_replay $dest" >&2
    done
done
[ $found -eq 0 ] && echo "campaign: no crash" >&2
exit 0
