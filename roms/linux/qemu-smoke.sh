#!/usr/bin/env bash
# Boots the guest images from build.sh on QEMU's `virt` machine (Debian's qemu-system-misc + opensbi)
# and drives the console shell: disk root and initramfs, with 1 and 4 harts. Each boot must print the
# userspace line, answer a command, show 1 or 4 harts in /proc/cpuinfo and power off cleanly (QEMU
# exits; the disk passes e2fsck). A reference for what emu must do with the same images.
#
# Usage: roms/linux/qemu-smoke.sh [OUTDIR]   (OUTDIR as for build.sh; it must already be built)
set -euo pipefail

die() { echo "qemu-smoke: error: $*" >&2; exit 1; }
log() { echo "qemu-smoke: $*" >&2; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${1:-${EMU_GUEST_DIR:-$REPO/target/guest}}
OUT=$(cd "$OUT" && pwd) || die "no output directory $OUT"
for f in Image root.img initramfs.cpio.gz; do
    [ -f "$OUT/$f" ] || die "$OUT/$f is missing: run roms/linux/build.sh first"
done

BIOS=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
missing=()
command -v qemu-system-riscv64 >/dev/null || missing+=(qemu-system-misc)
[ -f "$BIOS" ] || missing+=(opensbi)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

USERSPACE_LINE="emu-guest: userspace up"
PROMPT="/ # "
WORK=$(mktemp -d)
QPID=
cleanup() {
    [ -n "$QPID" ] && kill "$QPID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }

# wait_for TEXT TIMEOUT: waits until the console log holds TEXT (fixed string) or fails.
wait_for() {
    local deadline=$((SECONDS + $2))
    until tr -d '\r' <"$WORK/console.log" | grep -qF -- "$1"; do
        [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/console.log" >&2; die "timed out waiting for '$1'"; }
        kill -0 "$QPID" 2>/dev/null || { tail -n 30 "$WORK/console.log" >&2; die "QEMU exited before '$1'"; }
        sleep 0.05
    done
}

# boot NAME SMP QEMU-ARGS...
boot() {
    local name=$1 smp=$2 start t_user harts rc
    shift 2
    rm -f "$WORK"/serial.* "$WORK/console.log"
    mkfifo "$WORK/serial.in" "$WORK/serial.out"
    : >"$WORK/console.log"
    start=$(now)
    qemu-system-riscv64 -M virt -m 512M -smp "$smp" -display none -monitor none \
        -serial "pipe:$WORK/serial" -bios "$BIOS" -kernel "$OUT/Image" "$@" &
    QPID=$!
    cat "$WORK/serial.out" >>"$WORK/console.log" &
    exec {tty}<>"$WORK/serial.in"

    wait_for "$USERSPACE_LINE" 120
    t_user=$(echo "$(now) - $start" | bc)
    wait_for "$PROMPT" 30
    # shellcheck disable=SC2016 # expanded by the guest's shell
    printf 'cat /proc/cpuinfo; echo "harts=$(grep -c ^processor /proc/cpuinfo) sum=$((6*7))"\n' >&"$tty"
    wait_for "sum=42" 30
    harts=$(tr -d '\r' <"$WORK/console.log" | sed -n 's/^harts=\([0-9]*\) sum=42$/\1/p' | tail -n 1)
    [ "$harts" = "$smp" ] || die "$name: /proc/cpuinfo shows '$harts' harts, expected $smp"
    printf 'poweroff\n' >&"$tty"
    local deadline=$((SECONDS + 30))
    while kill -0 "$QPID" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || die "$name: QEMU did not exit after poweroff"
        sleep 0.1
    done
    rc=0
    wait "$QPID" || rc=$?
    QPID=
    exec {tty}>&-
    wait
    [ "$rc" -eq 0 ] || die "$name: QEMU exited with status $rc"
    cp "$WORK/console.log" "$OUT/build/qemu-smoke-$name.log"
    local kline
    kline=$(tr -d '\r' <"$WORK/console.log" | grep -m1 -E 'Run /(s?bin/)?init as init process|Run /init as init process' || true)
    log "$name: userspace line after ${t_user}s wall clock (kernel: ${kline:-?}); $harts harts; clean poweroff"
}

cp "$OUT/root.img" "$WORK/disk.img"
boot disk-smp1 1 -append "console=ttyS0 earlycon=sbi root=/dev/vda rw" \
    -drive "file=$WORK/disk.img,format=raw,id=hd0,if=none" -device virtio-blk-device,drive=hd0
e2fsck -fn "$WORK/disk.img" >/dev/null 2>&1 || die "disk-smp1: the disk is not clean after poweroff"
boot disk-smp4 4 -append "console=ttyS0 earlycon=sbi root=/dev/vda rw" \
    -drive "file=$WORK/disk.img,format=raw,id=hd0,if=none" -device virtio-blk-device,drive=hd0
e2fsck -fn "$WORK/disk.img" >/dev/null 2>&1 || die "disk-smp4: the disk is not clean after poweroff"
boot initramfs-smp1 1 -append "console=ttyS0 earlycon=sbi" -initrd "$OUT/initramfs.cpio.gz"
boot initramfs-smp4 4 -append "console=ttyS0 earlycon=sbi" -initrd "$OUT/initramfs.cpio.gz"
log "all boots passed"
