#!/bin/sh
# Runs every test of emu: installs what the tests need, then `cargo test --workspace` one test at a
# time (several tests boot Linux guests, whose clock is the host's: side by side on a small machine
# they can starve into a boot timeout). Extra arguments go to the test binaries (a name filter).
#
# What the tests need besides Rust: Debian's RISC-V bare-metal toolchain and picolibc (the ISA
# programs, the objdump comparison), dtc, OpenSBI, e2fsprogs and gdb-multiarch (the Linux and GDB
# tests; the Linux guest images are built on first use by roms/linux/build.sh, which installs its
# own packages), cmake, make and gcc (Berkeley SoftFloat, the FP tests' oracle), g++ and cargo-fuzz
# (the short fuzz pass). As root on Debian this installs the missing packages; elsewhere it names
# them in one line and stops.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

packages="gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf
device-tree-compiler opensbi e2fsprogs gdb-multiarch cmake make gcc g++"
# The commands those packages give, for a machine without dpkg.
commands="riscv64-unknown-elf-gcc riscv64-unknown-elf-objdump dtc mke2fs debugfs gdb-multiarch
cmake make gcc g++"

say() { echo "tests/run.sh: $*" >&2; }

if command -v dpkg-query >/dev/null 2>&1; then
    missing=
    for p in $packages; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$status" = installed ] || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "installing Debian packages:$missing"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            # shellcheck disable=SC2086 # one word per package
            apt-get install -y -q --no-install-recommends $missing
        else
            say "missing Debian packages:$missing; install them as root: apt-get install --no-install-recommends$missing"
            exit 1
        fi
    fi
else
    missing=
    for c in $commands; do
        command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
    done
    if [ -n "$missing" ]; then
        say "missing commands:$missing (Debian 12 packages: $(echo $packages)); install them and run again"
        exit 1
    fi
    [ -e /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin ] ||
        say "OpenSBI's fw_dynamic.bin is not where Debian puts it: the test that boots with it will fail"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

exec cargo test --workspace -- --test-threads=1 "$@"
