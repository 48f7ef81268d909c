#!/usr/bin/env bash
# Installs what ksim needs on Debian 12 (and Ubuntu): compilers, CMake,
# libuv, cJSON, libffi, Criterion, the cross compilers the kernel
# portability test uses, gdb (docs/debugging.md, test_gdb), and Rust for
# ksim-cargo and the libtock-rs tests (docs/libtock-rs.md) where no cargo is
# installed (rustup's counts). Installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libuv1-dev libcjson-dev libffi-dev libcriterion-dev
  clang gcc-arm-none-eabi
  libxml2-utils
  gdb
)

# Debian's rustc-web and cargo-web (bookworm-security) are recent enough for
# libtock-rs; they conflict with Debian's rustc and cargo, so only when there
# is no cargo at all.
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  packages+=(rustc-web cargo-web)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "ksim setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
