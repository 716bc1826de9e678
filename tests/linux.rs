//! Booting Linux for real: the guest built by `roms/linux/build.sh`, on emu's virt machine, driven
//! over its console.

mod common;

use common::*;
use std::process::Command;

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// Built-in SBI, root on the virtio disk: write a file, sync, power off; the host reads the file
/// back out of the image with debugfs, byte for byte.
#[test]
fn boots_from_disk_and_writes_reach_the_image() {
    let images = images();
    let disk = disk_copy("written");
    let mut guest = Guest::start(&["--kernel", s(&images.kernel), "--disk", s(&disk)]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    let content = "written by the guest: 0123456789 abcdefghijklmnopqrstuvwxyz";
    guest.run(&format!("echo '{content}' > /root-file.txt; sync"));
    assert_eq!(guest.run("cat /root-file.txt").trim(), content);
    guest.poweroff();

    let out = Command::new("debugfs")
        .args(["-R", "cat /root-file.txt", s(&disk)])
        .output()
        .expect("debugfs (e2fsprogs)");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{content}\n"));
    let fsck = Command::new("e2fsck")
        .args(["-fn", s(&disk)])
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "e2fsck: {}",
        String::from_utf8_lossy(&fsck.stdout)
    );
}

/// The binary a plain stable compiler builds (`RUSTC_BOOTSTRAP=0 cargo build --release`, the
/// portable page loop alone) boots the same guest: a command's output, and a checksum the guest
/// computes that the host's matches.
#[test]
fn boots_on_a_plain_stable_build() {
    let images = images();
    let disk = disk_copy("stable");
    let args = ["--kernel", s(&images.kernel), "--disk", s(&disk)];
    let mut guest = Guest::start_bin(stable_emu(), &args, &[]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    assert_eq!(guest.run("echo $((6 * 7))").trim(), "42");
    let guest_sum = guest.run("sha256sum /bin/busybox");
    guest.poweroff();
    let copy = disk.with_extension("busybox");
    let _ = std::fs::remove_file(&copy);
    let dump = format!("dump /bin/busybox {}", s(&copy));
    let out = Command::new("debugfs")
        .args(["-R", &dump, s(&disk)])
        .output()
        .expect("debugfs (e2fsprogs)");
    assert!(
        copy.exists(),
        "debugfs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("sha256sum").arg(&copy).output().unwrap();
    let host_sum = String::from_utf8_lossy(&out.stdout)[..64].to_string();
    assert!(
        guest_sum.contains(&host_sum),
        "guest: {guest_sum}, host: {host_sum}"
    );
}

/// A read-only disk: the guest cannot write to it, and the image is unchanged on the host.
#[test]
fn a_readonly_disk_refuses_writes() {
    let images = images();
    let disk = disk_copy("readonly");
    let before = std::fs::read(&disk).unwrap();
    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--disk",
        &format!("{},readonly", s(&disk)),
        "--append",
        "console=ttyS0 root=/dev/vda ro",
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    let out = guest.run("echo data > /new-file 2>&1 || echo write-refused");
    assert!(
        out.contains("write-refused") || out.contains("Read-only"),
        "{out}"
    );
    guest.poweroff();
    assert!(
        std::fs::read(&disk).unwrap() == before,
        "the read-only image changed"
    );
}

/// The initramfs alone, with four harts: /proc/cpuinfo shows them all.
#[test]
fn boots_an_initramfs_on_four_harts() {
    let images = images();
    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--initrd",
        s(&images.initramfs),
        "--smp",
        "4",
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    let out = guest.run("grep -c ^processor /proc/cpuinfo");
    assert_eq!(out.trim(), "4", "{out}");
    guest.poweroff();
}

/// Debian's OpenSBI (fw_dynamic and fw_jump) boots the same kernel from the disk, on two harts.
#[test]
fn boots_with_debian_opensbi() {
    let images = images();
    for firmware in ["fw_dynamic.bin", "fw_jump.bin"] {
        let disk = disk_copy(&format!("opensbi-{firmware}"));
        let bios = opensbi(firmware);
        let mut guest = Guest::start(&[
            "--bios",
            s(&bios),
            "--kernel",
            s(&images.kernel),
            "--disk",
            s(&disk),
            "--smp",
            "2",
        ]);
        guest.wait_for("OpenSBI v", BOOT_TIMEOUT);
        guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
        let out = guest.run("grep -c ^processor /proc/cpuinfo");
        assert_eq!(out.trim(), "2", "{firmware}: {out}");
        guest.poweroff();
    }
}

/// The guest's clock comes from the RTC: `date` is within a minute of the host's.
#[test]
fn guest_date_follows_the_host() {
    let images = images();
    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--initrd",
        s(&images.initramfs),
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    let out = guest.run("date +%s");
    let guest_time: i64 = out
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("date printed {out:?}"));
    let host_time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (guest_time - host_time).abs() < 60,
        "guest {guest_time}, host {host_time}"
    );
    guest.poweroff();
}

/// `--dump-dtb` writes the device tree, and dtc reads it back without warnings.
#[test]
fn dumped_device_tree_decompiles_cleanly() {
    let images = images();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("virt.dtb");
    let status = Command::new(env!("CARGO_BIN_EXE_emu"))
        .args([
            "--kernel",
            s(&images.kernel),
            "--smp",
            "2",
            "--dump-dtb",
            s(&path),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new("dtc")
        .args(["-I", "dtb", "-O", "dts", s(&path)])
        .output()
        .expect("dtc (device-tree-compiler)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "dtc: {stderr}"
    );
    let dts = String::from_utf8_lossy(&out.stdout);
    assert!(
        dts.contains("cpu@1") && dts.contains("virtio_mmio@10001000") && dts.contains("riscv,isa"),
        "{dts}"
    );
}

/// U-mode counter reads (rdtime, rdcycle, rdinstret: the vDSO's clock) work under the built-in
/// SBI, and time ticks at the timebase the device tree gives.
#[test]
fn user_mode_reads_the_counters() {
    let images = images();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("counters");
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("roms/counters/counters.c");
    let status = Command::new("riscv64-linux-gnu-gcc")
        .args(["-O2", "-static", "-o", s(&files.join("counters")), s(&src)])
        .status()
        .expect("riscv64-linux-gnu-gcc (gcc-riscv64-linux-gnu)");
    assert!(status.success());
    let disk = dir.join("counters.img");
    let _ = std::fs::remove_file(&disk);
    let mkfs = Command::new("mke2fs")
        .args(["-q", "-t", "ext4", "-d", s(&files), "-F", s(&disk), "8M"])
        .status()
        .unwrap();
    assert!(mkfs.success());
    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--initrd",
        s(&images.initramfs),
        "--disk",
        s(&disk),
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    guest.run("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt");
    let out = guest.run("/mnt/counters");
    assert!(out.contains("counters ok"), "{out}");
    guest.run("umount /mnt");
    guest.poweroff();
}

/// Issue 4's end-to-end check: a static riscv64 Linux program doing FP work (roms/fp/fpcheck.c)
/// prints, under Linux on emu, exactly what the same program built for the host prints.
#[test]
fn fp_program_matches_the_host() {
    let images = images();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = repo.join("roms/fp/fpcheck.c");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fpcheck");
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let guest_bin = files.join("fpcheck");
    let host_bin = dir.join("fpcheck-host");
    let build = |cc: &str, out: &std::path::Path, extra: &[&str]| {
        let status = Command::new(cc)
            .args(["-O2", "-ffp-contract=off", "-o", s(out), s(&src), "-lm"])
            .args(extra)
            .status()
            .unwrap_or_else(|e| {
                panic!("cannot run {cc} ({e}): apt-get install gcc gcc-riscv64-linux-gnu")
            });
        assert!(status.success(), "{cc} failed");
    };
    build("riscv64-linux-gnu-gcc", &guest_bin, &["-static"]);
    build("gcc", &host_bin, &[]);
    let host = Command::new(&host_bin).output().unwrap();
    let expected = String::from_utf8(host.stdout).unwrap();

    let disk = dir.join("fp.img");
    let _ = std::fs::remove_file(&disk);
    let mkfs = Command::new("mke2fs")
        .args(["-q", "-t", "ext4", "-d", s(&files), "-F", s(&disk), "8M"])
        .status()
        .expect("mke2fs (e2fsprogs)");
    assert!(mkfs.success());

    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--initrd",
        s(&images.initramfs),
        "--disk",
        s(&disk),
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    guest.run("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt");
    let out = guest.run("/mnt/fpcheck");
    assert_eq!(out.trim(), expected.trim(), "guest and host disagree");
    guest.run("umount /mnt");
    guest.poweroff();
}

/// A guest reboot builds and boots the machine again; the second boot powers off normally.
#[test]
fn reboot_restarts_the_machine() {
    let images = images();
    let mut guest = Guest::start(&[
        "--kernel",
        s(&images.kernel),
        "--initrd",
        s(&images.initramfs),
    ]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    guest.send("reboot");
    guest.wait_for("reboot: Restarting system", COMMAND_TIMEOUT);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    guest.poweroff();
}
