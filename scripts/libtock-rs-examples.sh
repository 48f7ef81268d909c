#!/bin/sh
# Builds every example of a libtock-rs checkout with build/ksim-cargo, runs
# each in ksim and prints a Markdown table of what it did: the table of
# docs/libtock-rs.md ("Examples"). With --update FILE it replaces the table
# between the two marker lines of FILE instead.
#
#   scripts/libtock-rs-examples.sh [--build DIR] [--libtock-rs DIR] [--update FILE]
#
# Defaults: build/ in the source tree, and the pinned checkout
# ../shared/third_party/libtock-rs beside it. Runs are in virtual time with a
# fixed seed, so the table only changes when ksim or the checkout does.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd -P)
build="$src/build"
libtock_rs="$src/../shared/third_party/libtock-rs"
update=
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2 && shift 2 ;;
    --libtock-rs) libtock_rs=$2 && shift 2 ;;
    --update) update=$2 && shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--libtock-rs DIR] [--update FILE]" >&2 && exit 2 ;;
    esac
done
[ -x "$build/ksim-cargo" ] || { echo "$0: no $build/ksim-cargo (build ksim first)" >&2; exit 2; }
libtock_rs=$(cd "$libtock_rs" && pwd -P)
commit=$(git -C "$libtock_rs" rev-parse --short=7 HEAD 2>/dev/null || echo "")

# How each example is run, and what a board without the driver would do too.
# name|ksim run options|note
cases='adc||ADC (0x5): ksim has no such driver
ambient_light|--until 4.5|as on a board: reads the ambient light sensor of the board every 2 s
blink|--until 1.1|as on a board: counts in binary on the LEDs
buttons|--until 1.2 --press 0@0.5,2@1|as on a board: prints and toggles the LED on each press and release
console||as on a board
gpio|--until 2 --gpio 0=1@0.5,0=0@1,0=1@1.5|as on a board: one line per rising edge of pin 0
i2c_master_write_read|--until 1|I2C master (0x20003): no such driver; retries every 1 s
i2c_slave_send_recv|--until 1|I2C master/slave (0x20006): no such driver; its unwrap panics
ieee802154_raw|--until 1|IEEE 802.15.4 radio (0x30001): no such driver; panics
ieee802154_rx_raw|--until 1|IEEE 802.15.4: no such driver; panics
ieee802154_rx_tx_raw|--until 1|IEEE 802.15.4: no such driver; panics
ieee802154_tx_raw|--until 1|IEEE 802.15.4: no such driver; panics
kv|--until 1|key-value store (0x50003): no such driver
leds|--until 0.6|as on a board: toggles all LEDs every 250 ms
low_level_debug||as on a board
music||buzzer (0x90000): no such driver
ninedof||needs libm from crates.io: the offline build leaves libtock::ninedof out
proximity|--until 4.5|as on a board: reads the proximity sensor of the board every 2 s
rng|--until 2.5|as on a board: 32 random bytes every 2 s
rng_async|--until 2.5|as on a board, through a listener
screen||screen (0x90001): no such driver; its unwrap panics
sound_pressure|--until 2.5|as on a board: enables the sensor, then reads it every second
spi_controller_write_read|--until 1|SPI controller (0x20001): no such driver
temperature|--until 4.5|as on a board: reads the temperature sensor of the board every 2 s
usb_i2c_mctp|--until 1|turns LED 1 on, then waits for an I2C slave driver ksim lacks'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ltrs-examples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# One table cell: backslashes and pipes escaped, newlines shown as ⏎.
cell() {
    sed -e 's/\\/\\\\/g' -e 's/|/\\|/g' -e 's/`/'"'"'/g' | awk 'BEGIN { ORS = "" } { if (NR > 1) print " ⏎ "; print }'
}

table() {
    echo "| example | \`ksim run\` options | exit | output (first lines) | LED, button, GPIO events | how it compares with a board |"
    echo "| --- | --- | --- | --- | --- | --- |"
    for f in "$libtock_rs"/examples/*.rs; do
        name=${f##*/}
        name=${name%.rs}
        line=$(printf '%s\n' "$cases" | grep "^$name|" || true)
        opts=$(printf '%s' "$line" | cut -d'|' -f2)
        note=$(printf '%s' "$line" | cut -d'|' -f3)
        [ -n "$line" ] || note="(not yet described: add it to scripts/libtock-rs-examples.sh)"
        elf="$tmp/$name.elf"
        if ! "$build/ksim-cargo" --libtock-rs "$libtock_rs" --example "$name" -o "$elf" \
            >"$tmp/build.log" 2>&1; then
            why=$(grep -m1 '^error' "$tmp/build.log" | cell)
            echo "| \`$name\` | - | - | does not build: $why | - | $note |"
            continue
        fi
        # shellcheck disable=SC2086 # the options are words
        set +e
        timeout 60 "$build/ksim" run --seed 1 $opts "$elf" >"$tmp/out" 2>"$tmp/err" </dev/null
        status=$?
        set -e
        out=$(head -n 3 "$tmp/out" | cut -c1-72 | cell)
        [ "$(wc -l <"$tmp/out")" -le 3 ] || out="$out …"
        events=$(grep -c '^ksim: \[[0-9.]*\] \(led\|button\|gpio\) ' "$tmp/err" || true)
        first=$(grep -m2 '^ksim: \[[0-9.]*\] \(led\|button\|gpio\) ' "$tmp/err" | sed 's/^ksim: //' | cell)
        case "$events" in
        0) ev=none ;;
        *) ev="$events: $first" ;;
        esac
        lldb=$(grep '^LowLevelDebug' "$tmp/err" "$tmp/out" -h | head -n 2 | cell)
        [ -z "$lldb" ] || out="${out:+$out ⏎ }$lldb"
        case "$status" in
        0) exit_text="0" ;;
        1) exit_text="1 (non-zero code)" ;;
        3) exit_text="3 (fault)" ;;
        *) exit_text="$status" ;;
        esac
        echo "| \`$name\` | \`${opts:--}\` | $exit_text | \`${out:-(nothing)}\` | $ev | $note |"
    done
}

{
    echo "<!-- examples table: generated by scripts/libtock-rs-examples.sh (libtock-rs ${commit:-checkout}); do not edit -->"
    echo
    table
    echo
    echo "<!-- examples table: end -->"
} >"$tmp/table.md"

if [ -z "$update" ]; then
    cat "$tmp/table.md"
    exit 0
fi
grep -q '^<!-- examples table: generated' "$update" && grep -q '^<!-- examples table: end -->' "$update" ||
    { echo "$0: $update has no examples table markers" >&2; exit 2; }
awk -v table="$tmp/table.md" '
    /^<!-- examples table: generated/ { while ((getline l < table) > 0) print l; skip = 1; next }
    /^<!-- examples table: end -->/ { skip = 0; next }
    !skip { print }
' "$update" >"$tmp/doc" && cat "$tmp/doc" >"$update"
echo "updated $update" >&2
