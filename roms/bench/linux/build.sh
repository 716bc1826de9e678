#!/usr/bin/env bash
# Builds the benchmark guest: OUTDIR/bench-initramfs.cpio.gz = the guest recipe's initramfs.cpio.gz
# followed by a second cpio archive (the kernel unpacks both, the later files win) that holds
#   /bench/bench     the workloads (intmix, memory, fp, syscall, compile, busybox) in one static riscv64
#                    binary (riscv64-linux-gnu-gcc -O2 -static): `/bench/bench WORKLOAD [SCALE]`
#   /bench/run-all   runs them all and powers off (overlay/bench/run-all)
#   /etc/inittab     rcS (prints "emu-guest: userspace up"), then run-all
# The kernel is the recipe's OUTDIR/Image, unchanged.
#
# Usage: roms/bench/linux/build.sh [OUTDIR]
#   OUTDIR as for roms/linux/build.sh ($EMU_GUEST_DIR, else <repo>/target/guest); it runs that recipe
#   first (a no-op when its images are up to date). Work files are in OUTDIR/build/bench.
# The last line on stdout is the path of bench-initramfs.cpio.gz. Skipped when nothing changed.
set -euo pipefail

die() { echo "bench/build.sh: error: $*" >&2; exit 1; }
log() { echo "bench/build.sh: $*" >&2; }

case "${1:-}" in -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 0 ;; esac
[ $# -le 1 ] || die "usage: $0 [OUTDIR]"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=${1:-${EMU_GUEST_DIR:-$REPO/target/guest}}
CC=riscv64-linux-gnu-gcc
CFLAGS=(-O2 -static -march=rv64gc -mabi=lp64d -Wall -Wextra -Werror -s)
WORKLOADS=(intmix memory fp syscall compile busybox)

"$REPO/roms/linux/build.sh" "$OUT" >/dev/null || die "the guest recipe roms/linux/build.sh failed"
OUT=$(cd "$OUT" && pwd)
BASE=$OUT/initramfs.cpio.gz
[ -f "$BASE" ] || die "$BASE is missing after roms/linux/build.sh"
command -v "$CC" >/dev/null || die "$CC not found (apt-get install gcc-riscv64-linux-gnu)"
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"

WORK=$OUT/build/bench
TARGET=$OUT/bench-initramfs.cpio.gz
mkdir -p "$WORK"

KEY=$({
    sed -n '/^KEY=/,$p' "${BASH_SOURCE[0]}"
    printf '%s\n' "${CFLAGS[@]}" "${WORKLOADS[@]}"
    "$CC" --version | head -n 1
    (cd "$HERE" && find . -type f ! -name build.sh -print | LC_ALL=C sort | while IFS= read -r f; do
        if [ -x "$f" ]; then echo "x $f"; else echo "- $f"; fi
        sha256sum <"$f"
    done)
    sha256sum <"$BASE"
} | sha256sum | cut -d' ' -f1)
if [ -f "$TARGET" ] && [ "$(cat "$WORK/stamp" 2>/dev/null)" = "$KEY" ]; then
    log "bench-initramfs.cpio.gz: up to date"
    echo "$TARGET"
    exit 0
fi
rm -f "$WORK/stamp"

ROOT=$WORK/root
rm -rf "$ROOT"
mkdir -p "$ROOT"
cp -R "$HERE/overlay/." "$ROOT/"
# Each workload's main() becomes WORKLOAD_main, which bench.c dispatches to.
objs=()
for src in "${WORKLOADS[@]}" bench; do
    def=()
    [ "$src" = bench ] || def=(-Dmain="${src}_main")
    "$CC" "${CFLAGS[@]}" "${def[@]}" -c -o "$WORK/$src.o" "$HERE/$src.c" 2>"$WORK/$src.log" || {
        cat "$WORK/$src.log" >&2
        die "cannot compile $src.c (log: $WORK/$src.log)"
    }
    objs+=("$WORK/$src.o")
done
"$CC" "${CFLAGS[@]}" -o "$ROOT/bench/bench" "${objs[@]}" -lm 2>"$WORK/link.log" || {
    cat "$WORK/link.log" >&2
    die "cannot link /bench/bench (log: $WORK/link.log)"
}
chmod -R u+rwX,go+rX,go-w "$ROOT"
[ -x "$ROOT/bench/run-all" ] || die "overlay/bench/run-all must be executable"
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 -n >"$WORK/overlay.cpio.gz" ||
    die "cannot write $WORK/overlay.cpio.gz"
cat "$BASE" "$WORK/overlay.cpio.gz" >"$TARGET.tmp"
mv -f "$TARGET.tmp" "$TARGET"
printf '%s\n' "$KEY" >"$WORK/stamp"
log "bench-initramfs.cpio.gz: built ($(du -k "$TARGET" | cut -f1) KiB)"
echo "$TARGET"
