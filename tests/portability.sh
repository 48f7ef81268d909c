#!/usr/bin/env bash
# The kernel is portable: every kernel/*.c and kernel/drivers/*.c compiles
# freestanding for a Cortex-M4 and for RV32, warnings as errors, and
# includes only the freestanding C headers.
set -u
shopt -s nullglob # kernel/drivers/ may have no headers
src=${1:?usage: portability.sh SOURCE_DIR}
status=0

sources=("$src"/kernel/*.c "$src"/kernel/drivers/*.c)
headers=("$src"/kernel/*.h "$src"/kernel/drivers/*.h)
bad=$(grep -nE '^\s*#\s*include\s*<' "${sources[@]}" "${headers[@]}" |
      grep -vE '<(stdint|stddef|stdbool|stdarg|limits)\.h>')
if [ -n "$bad" ]; then
  echo "kernel/ includes a non-freestanding header:"; echo "$bad"; status=1
fi

common=(-std=c11 -ffreestanding -Wall -Wextra -Werror -I"$src/include" -iquote "$src/kernel" -c -o /dev/null)
for f in "${sources[@]}"; do
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb "${common[@]}" "$f" || { echo "FAIL arm-none-eabi-gcc: $f"; status=1; }
  clang --target=riscv32-unknown-elf -march=rv32imac "${common[@]}" "$f" || { echo "FAIL clang riscv32: $f"; status=1; }
done
n=${#sources[@]}
if [ $status -eq 0 ]; then echo "$n kernel sources: cortex-m4 and rv32imac OK"; fi
exit $status
