#!/bin/sh
# Boot the Linux guest on emu: builds the guest images on first use (cached in target/guest, or
# $EMU_GUEST_DIR), builds emu, and boots with the root file system on the virtio disk.
# Extra arguments go to emu (e.g. --smp 4, or --bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin).
# Ctrl-A x quits; `poweroff` in the guest ends emu too.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${EMU_GUEST_DIR:-$repo/target/guest}
"$repo/roms/linux/build.sh" "$out" >/dev/null
cargo build --release --manifest-path "$repo/Cargo.toml" --quiet
exec "$repo/target/release/emu" --kernel "$out/Image" --disk "$out/root.img" "$@"
