#!/usr/bin/env bash
# Builds emu's Linux guest from Debian 12 packages only:
#   OUTDIR/Image              RISC-V Linux 6.1 kernel (linux-source-6.1, tinyconfig + kernel.config)
#   OUTDIR/root.img           64 MiB ext4 root fs: static busybox (apt-get source busybox) + overlay/
#   OUTDIR/initramfs.cpio.gz  the same root fs as a newc initramfs (with /dev/console)
#
# Usage: roms/linux/build.sh [OUTDIR]
#   OUTDIR defaults to $EMU_GUEST_DIR if set, else <repo>/target/guest. Work trees live in OUTDIR/build.
#   EMU_GUEST_JOBS sets make's parallelism (default 2).
# Idempotent: every stage keeps a stamp of its inputs (the stage's own code in this script, the config
# fragment or overlay it uses, package and toolchain versions) and is skipped when they are unchanged.
# The last three lines on stdout are the artifacts' paths (Image, root.img, initramfs.cpio.gz).
set -euo pipefail

die() { echo "build.sh: error: $*" >&2; exit 1; }
warn() { echo "build.sh: warning: $*" >&2; }
log() { echo "build.sh: $*" >&2; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit "${1:-0}"; }

case "${1:-}" in -h | --help) usage 0 ;; esac
[ $# -le 1 ] || usage 2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${1:-${EMU_GUEST_DIR:-$REPO/target/guest}}
mkdir -p "$OUT" || die "cannot create output directory $OUT"
OUT=$(cd "$OUT" && pwd)
BUILD=$OUT/build
JOBS=${EMU_GUEST_JOBS:-2}
CROSS=riscv64-linux-gnu-
KPKG=linux-source-6.1
KTAR=/usr/src/linux-source-6.1.tar.xz
KSRC=$BUILD/linux-source-6.1
KOBJ=$BUILD/linux-obj
BB_SRC=$BUILD/busybox-src
BB_INST=$BUILD/busybox-install
ROOTFS=$BUILD/rootfs
FRAGMENT=$HERE/kernel.config
OVERLAY=$HERE/overlay

mkdir -p "$BUILD"
# One build at a time per OUTDIR (tests may race to build the guest).
exec 9>"$BUILD/.lock"
flock 9 || die "cannot lock $BUILD/.lock"

# ---------------------------------------------------------------------------------------------------
# Helpers

stamp_ok() { [ -f "$BUILD/$1.stamp" ] && [ "$(cat "$BUILD/$1.stamp")" = "$2" ]; }
stamp_set() { printf '%s\n' "$2" >"$BUILD/$1.stamp"; }
stamp_clear() { rm -f "$BUILD/$1.stamp"; }
hash_of() { sha256sum | cut -d' ' -f1; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
elapsed() { echo "$((SECONDS - $1))s"; }

# Runs "$@" with its output in a log file; on failure shows the log's tail and stops.
run_logged() {
    local logfile=$1
    shift
    if ! "$@" >>"$logfile" 2>&1; then
        tail -n 60 "$logfile" >&2
        die "'$*' failed (full log: $logfile)"
    fi
}

# ---------------------------------------------------------------------------------------------------
# Debian packages

PACKAGES=(
    "$KPKG" gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
    gcc libc6-dev make bc flex bison cpio e2fsprogs xz-utils dpkg-dev
)

ensure_packages() {
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: ${missing[*]}; install them as root: apt-get install --no-install-recommends ${missing[*]}"
    fi
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    run_logged "$BUILD/apt.log" apt-get update
    run_logged "$BUILD/apt.log" apt-get install -y --no-install-recommends "${missing[@]}"
}

# `apt-get source` needs deb-src entries: derive them from the machine's own deb entries.
ensure_deb_src() {
    [ -n "$(apt-cache showsrc busybox 2>/dev/null)" ] && return 0
    local dir=/etc/apt/sources.list.d
    if [ "$(id -u)" -ne 0 ]; then
        die "apt has no source package for busybox (no deb-src entries). As root, add a deb-src
  twin of /etc/apt/sources.list.d/debian.sources (Types: deb-src) and run apt-get update."
    fi
    if [ ! -e "$dir/emu-deb-src.sources" ] && [ ! -e "$dir/emu-deb-src.list" ]; then
        if [ -f "$dir/debian.sources" ]; then
            log "adding $dir/emu-deb-src.sources"
            sed -e 's/^Types:.*$/Types: deb-src/' "$dir/debian.sources" >"$dir/emu-deb-src.sources"
        elif grep -qs '^deb ' /etc/apt/sources.list; then
            log "adding $dir/emu-deb-src.list"
            sed -n -e 's/^deb /deb-src /p' /etc/apt/sources.list >"$dir/emu-deb-src.list"
        else
            die "found no Debian apt entries (debian.sources or sources.list) to derive deb-src from"
        fi
    fi
    run_logged "$BUILD/apt.log" apt-get update
    [ -n "$(apt-cache showsrc busybox 2>/dev/null)" ] ||
        die "apt still has no source package for busybox after adding deb-src entries"
}

# ---------------------------------------------------------------------------------------------------
# Kernel

kernel_unpack() {
    local ver
    ver=$(pkg_version "$KPKG")
    [ -f "$KTAR" ] || die "$KTAR is missing (is $KPKG installed?)"
    if stamp_ok kernel-src "$ver" && [ -f "$KSRC/Makefile" ]; then return 0; fi
    log "unpacking $KTAR ($KPKG $ver)"
    stamp_clear kernel-src
    rm -rf "$KSRC" "$KOBJ"
    tar -C "$BUILD" -xf "$KTAR" || die "cannot unpack $KTAR"
    [ -f "$KSRC/Makefile" ] || die "$KTAR did not unpack to $KSRC"
    stamp_set kernel-src "$ver"
}

# Warns about each fragment line that did not end up in the final .config; returns how many.
kernel_check_config() {
    local config=$1 fragment=$2 line sym want have bad=0
    while IFS= read -r line; do
        case $line in
        CONFIG_*=*) sym=${line%%=*} want=${line#*=} ;;
        "# CONFIG_"*" is not set") sym=${line#\# } && sym=${sym%% *} && want=n ;;
        *) continue ;;
        esac
        have=$(sed -n "s/^$sym=//p" "$config" | head -n 1)
        [ -n "$have" ] || have=n
        if [ "$have" != "$want" ]; then
            warn "kernel option $sym: wanted $want, got $have"
            bad=$((bad + 1))
        fi
    done <"$fragment"
    return "$bad"
}

kernel_build() {
    local log=$BUILD/kernel.log
    local kmake=(make -C "$KSRC" O="$KOBJ" ARCH=riscv CROSS_COMPILE="$CROSS")
    : >"$log"
    mkdir -p "$KOBJ"
    run_logged "$log" "${kmake[@]}" tinyconfig
    run_logged "$log" env ARCH=riscv "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" \
        "$KOBJ/.config" "$FRAGMENT"
    run_logged "$log" "${kmake[@]}" olddefconfig
    kernel_check_config "$KOBJ/.config" "$FRAGMENT" || warn "some kernel options did not stick (see above)"
    log "building the kernel Image with make -j$JOBS (log: $log)"
    run_logged "$log" "${kmake[@]}" -j"$JOBS" Image
    cp "$KOBJ/arch/riscv/boot/Image" "$OUT/Image.tmp"
    mv -f "$OUT/Image.tmp" "$OUT/Image"
}

# ---------------------------------------------------------------------------------------------------
# Busybox

busybox_fetch() {
    [ -f "$BB_SRC/Makefile" ] && return 0
    ensure_deb_src
    log "fetching the busybox source package (apt-get source busybox)"
    local tmp=$BUILD/busybox-fetch dir
    rm -rf "$tmp"
    mkdir -p "$tmp"
    (cd "$tmp" && apt-get source -q busybox) >"$BUILD/busybox-fetch.log" 2>&1 || {
        tail -n 30 "$BUILD/busybox-fetch.log" >&2
        die "apt-get source busybox failed (log: $BUILD/busybox-fetch.log)"
    }
    dir=$(find "$tmp" -mindepth 2 -maxdepth 2 -name Makefile -printf '%h\n' | head -n 1)
    [ -n "$dir" ] || die "apt-get source busybox produced no source tree in $tmp"
    rm -rf "$BB_SRC"
    mv "$dir" "$BB_SRC"
    rm -rf "$tmp"
}

busybox_version() {
    dpkg-parsechangelog -l "$BB_SRC/debian/changelog" -S Version 2>/dev/null || echo unknown
}

busybox_build() {
    local log=$BUILD/busybox.log
    local bmake=(make -C "$BB_SRC" ARCH=riscv CROSS_COMPILE="$CROSS")
    : >"$log"
    run_logged "$log" "${bmake[@]}" defconfig
    # Static, so the root fs needs no libc. tc does not build against current kernel headers.
    sed -i -e 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' \
        -e 's/^CONFIG_TC=y$/# CONFIG_TC is not set/' \
        -e 's/^CONFIG_FEATURE_TC_INGRESS=y$/# CONFIG_FEATURE_TC_INGRESS is not set/' "$BB_SRC/.config"
    run_logged "$log" bash -c "yes '' | $(printf '%q ' "${bmake[@]}") oldconfig"
    grep -q '^CONFIG_STATIC=y$' "$BB_SRC/.config" || die "busybox: CONFIG_STATIC did not stick"
    ! grep -q '^CONFIG_TC=y$' "$BB_SRC/.config" || die "busybox: CONFIG_TC did not go away"
    log "building busybox with make -j$JOBS (log: $log)"
    run_logged "$log" "${bmake[@]}" -j"$JOBS"
    rm -rf "$BB_INST"
    run_logged "$log" "${bmake[@]}" CONFIG_PREFIX="$BB_INST" install
    [ -x "$BB_INST/bin/busybox" ] || die "busybox install produced no $BB_INST/bin/busybox"
}

# ---------------------------------------------------------------------------------------------------
# Root fs and images

overlay_hash() {
    (
        cd "$OVERLAY"
        find . -type f -print | LC_ALL=C sort | while IFS= read -r f; do
            if [ -x "$f" ]; then echo "x $f"; else echo "- $f"; fi
            sha256sum <"$f"
        done
    ) | hash_of
}

assemble_rootfs() {
    rm -rf "$ROOTFS"
    mkdir -p "$ROOTFS"
    cp -a "$BB_INST/." "$ROOTFS/"
    rm -f "$ROOTFS/linuxrc"
    mkdir -p "$ROOTFS"/{dev,proc,sys,tmp,root,mnt,etc,run,var/log}
    cp -R "$OVERLAY/." "$ROOTFS/"
    # Modes independent of the checkout's umask.
    chmod -R u+rwX,go+rX,go-w "$ROOTFS"
    chmod 1777 "$ROOTFS/tmp"
    chmod 700 "$ROOTFS/root"
    if [ ! -x "$ROOTFS/init" ] || [ ! -x "$ROOTFS/etc/init.d/rcS" ]; then
        die "overlay/init and overlay/etc/init.d/rcS must be executable"
    fi
}

make_root_img() {
    local img=$OUT/root.img.tmp cmds=$BUILD/root.debugfs
    rm -f "$img"
    : >"$BUILD/root.mke2fs.log"
    run_logged "$BUILD/root.mke2fs.log" mke2fs -t ext4 -L emu-root -E root_owner=0:0 -d "$ROOTFS" -F "$img" 64M
    {
        # debugfs's mknod takes a bare name in its current directory.
        echo "cd /dev"
        echo "mknod console c 5 1"
        echo "sif console mode 020600"
        echo "mknod null c 1 3"
        echo "sif null mode 020666"
        echo "cd /"
        # Built by a non-root user: make everything root's, as it would be on a real system.
        if [ "$(id -u)" -ne 0 ]; then
            (cd "$ROOTFS" && find . -mindepth 1 -printf '%P\n') | while IFS= read -r p; do
                echo "sif /$p uid 0"
                echo "sif /$p gid 0"
            done
        fi
    } >"$cmds"
    debugfs -w -f "$cmds" "$img" >"$BUILD/root.debugfs.log" 2>&1 || die "debugfs failed on $img"
    e2fsck -fn "$img" >"$BUILD/root.fsck.log" 2>&1 || {
        cat "$BUILD/root.fsck.log" >&2
        die "the new root.img does not pass e2fsck"
    }
    mv -f "$img" "$OUT/root.img"
}

make_initramfs() {
    local gen=$BUILD/gen_init_cpio list=$BUILD/initramfs.list
    # The kernel's own cpio writer: lists device nodes and root ownership without needing root.
    cc -O2 -o "$gen" "$KSRC/usr/gen_init_cpio.c" || die "cannot build gen_init_cpio"
    {
        (cd "$ROOTFS" && find . -mindepth 1 -printf '%y %m %P %l\n') | LC_ALL=C sort -k3,3 |
            while read -r type mode path target; do
                case $type in
                d) echo "dir /$path $mode 0 0" ;;
                f) echo "file /$path $ROOTFS/$path $mode 0 0" ;;
                l) echo "slink /$path $target $mode 0 0" ;;
                *) die "unexpected file type '$type' in $ROOTFS/$path" ;;
                esac
            done
        echo "nod /dev/console 600 0 0 c 5 1"
        echo "nod /dev/null 666 0 0 c 1 3"
    } >"$list"
    "$gen" "$list" | gzip -9 -n >"$OUT/initramfs.cpio.gz.tmp" || die "gen_init_cpio failed"
    mv -f "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
}

# ---------------------------------------------------------------------------------------------------
# Main

ensure_packages
command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found"
TOOLCHAIN=$("${CROSS}gcc" --version | head -n 1)

t=$SECONDS
kernel_unpack
KERNEL_KEY=$({
    declare -f kernel_build kernel_check_config run_logged
    cat "$FRAGMENT"
    pkg_version "$KPKG"
    echo "$TOOLCHAIN"
} | hash_of)
if stamp_ok kernel "$KERNEL_KEY" && [ -f "$OUT/Image" ]; then
    log "kernel: up to date"
else
    stamp_clear kernel
    kernel_build
    stamp_set kernel "$KERNEL_KEY"
    log "kernel: built in $(elapsed "$t")"
fi

t=$SECONDS
busybox_fetch
BUSYBOX_KEY=$({
    declare -f busybox_build run_logged
    busybox_version
    echo "$TOOLCHAIN"
} | hash_of)
if stamp_ok busybox "$BUSYBOX_KEY" && [ -x "$BB_INST/bin/busybox" ]; then
    log "busybox: up to date"
else
    stamp_clear busybox
    busybox_build
    stamp_set busybox "$BUSYBOX_KEY"
    log "busybox $(busybox_version): built in $(elapsed "$t")"
fi

IMAGES_KEY=$({
    declare -f assemble_rootfs make_root_img make_initramfs
    echo "$BUSYBOX_KEY"
    overlay_hash
    pkg_version "$KPKG"
    pkg_version e2fsprogs
    id -u
} | hash_of)
if stamp_ok images "$IMAGES_KEY" && [ -f "$OUT/root.img" ] && [ -f "$OUT/initramfs.cpio.gz" ]; then
    log "root.img, initramfs.cpio.gz: up to date"
else
    stamp_clear images
    assemble_rootfs
    make_root_img
    make_initramfs
    stamp_set images "$IMAGES_KEY"
    log "root.img, initramfs.cpio.gz: built"
fi

echo "$OUT/Image"
echo "$OUT/root.img"
echo "$OUT/initramfs.cpio.gz"
