//! Crash consistency of the guest's disk: what a Linux guest flushed survives emu being killed,
//! and what it did not flush cannot leave the filesystem worse than a journal replay repairs.
//!
//! - A guest writes a file and `sync`s; emu is then killed with SIGKILL (no chance to flush
//!   anything): the file is intact in the image (read with debugfs after e2fsck replays the
//!   journal, as the kernel would at the next mount).
//! - A guest keeps writing, renaming and deleting files, never syncing; emu is SIGKILLed in the
//!   middle: e2fsck in preen mode (`-p`, which only makes the repairs that a crash can leave and
//!   refuses anything else) fixes the image, and a full check afterwards finds nothing.
//! - The same with SIGTERM: emu stops cleanly (one line, status 143), having flushed and closed
//!   the disk, and the image is as consistent.
//! - A guest reboot reopens its (locked) disk, and a poweroff leaves it clean.
//!
//! They boot the guest built by `roms/linux/build.sh` (see tests/common/mod.rs) and need
//! e2fsprogs (e2fsck, debugfs).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs `e2fsck ARGS image`: its exit status and everything it printed.
fn e2fsck(args: &[&str], image: &Path) -> (i32, String) {
    let out = Command::new("e2fsck")
        .args(args)
        .arg(image)
        .output()
        .expect("cannot run e2fsck: apt-get install e2fsprogs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// A copy of `image` next to it, for e2fsck to repair (the original stays as the crash left it).
fn copy(image: &Path, suffix: &str) -> PathBuf {
    let path = image.with_extension(format!("{suffix}.img"));
    std::fs::copy(image, &path).unwrap();
    path
}

/// The image is what a crash may leave: `e2fsck -fp` (replay the journal, make the safe repairs
/// a crash calls for, refuse anything else) succeeds on a copy, and a full read-only check of the
/// repaired copy is clean. Returns the repaired copy.
fn assert_crash_consistent(image: &Path, what: &str) -> PathBuf {
    let (status, before) = e2fsck(&["-fn"], image);
    eprintln!("{what}: e2fsck -fn on the image as left (status {status}):\n{before}");
    let repaired = copy(image, "repaired");
    let (status, text) = e2fsck(&["-fp"], &repaired);
    assert!(
        status == 0 || status == 1,
        "{what}: e2fsck -fp could not repair the image as a crash leaves it (status {status}):\n{text}"
    );
    let (status, text) = e2fsck(&["-fn"], &repaired);
    assert_eq!(
        status, 0,
        "{what}: the repaired image is still not clean:\n{text}"
    );
    repaired
}

/// `debugfs -R 'cat PATH' image`.
fn debugfs_cat(image: &Path, path: &str) -> String {
    let out = Command::new("debugfs")
        .args(["-R", &format!("cat {path}"), s(image)])
        .output()
        .expect("cannot run debugfs: apt-get install e2fsprogs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the guest's loop writes into /synced.txt: 400 numbered lines (about 28 KiB).
const WRITE_SYNCED: &str =
    "i=0; while [ $i -lt 400 ]; do echo \"line $i of a file the guest synced\"; i=$((i+1)); done > /synced.txt";

fn synced_content() -> String {
    (0..400)
        .map(|i| format!("line {i} of a file the guest synced\n"))
        .collect()
}

/// A guest shell loop that writes, renames and deletes files forever without syncing, in the
/// background.
const CHURN: &str = "(n=0; while true; do \
    mkdir -p /churn/d$((n % 7)); \
    dd if=/dev/zero of=/churn/d$((n % 7))/f$n bs=1k count=$((n % 37 + 1)) 2>/dev/null; \
    echo $n >> /churn/log; \
    mv /churn/d$((n % 7))/f$n /churn/g$n; \
    [ $((n % 3)) = 0 ] && rm -f /churn/g$((n - 3)); \
    n=$((n+1)); done) >/dev/null 2>&1 & true";

fn boot(name: &str) -> (Guest, PathBuf) {
    let images = images();
    let disk = disk_copy(name);
    let mut guest = Guest::start(&["--kernel", s(&images.kernel), "--disk", s(&disk)]);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    (guest, disk)
}

#[test]
fn a_synced_file_survives_sigkill() {
    let (mut guest, disk) = boot("crash-synced");
    guest.run(&format!("{WRITE_SYNCED}; sync"));
    // Child::kill is SIGKILL: emu gets no chance to flush anything now.
    drop(guest);

    let repaired = assert_crash_consistent(&disk, "synced then SIGKILL");
    assert_eq!(
        debugfs_cat(&repaired, "/synced.txt"),
        synced_content(),
        "the synced file is not intact in the image"
    );
}

#[test]
fn unsynced_writes_cannot_corrupt_the_filesystem_on_sigkill() {
    let (mut guest, disk) = boot("crash-unsynced");
    guest.run(&format!("{WRITE_SYNCED}; sync"));
    guest.run(CHURN);
    // Let the guest write for a while (ext4 commits its journal every 5 s), then kill emu in
    // the middle of it.
    std::thread::sleep(Duration::from_secs(7));
    let progress = guest.run("tail -n 1 /churn/log");
    eprintln!("the guest got to iteration {}", progress.trim());
    std::thread::sleep(Duration::from_millis(1500));
    drop(guest);

    let repaired = assert_crash_consistent(&disk, "writes without sync, then SIGKILL");
    assert_eq!(debugfs_cat(&repaired, "/synced.txt"), synced_content());
}

#[test]
fn sigterm_stops_emu_cleanly_with_the_disk_consistent() {
    let (mut guest, disk) = boot("crash-sigterm");
    guest.run(&format!("{WRITE_SYNCED}; sync"));
    guest.run(CHURN);
    std::thread::sleep(Duration::from_secs(3));
    let kill = Command::new("kill")
        .args(["-TERM", &guest.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = guest.wait_exit(COMMAND_TIMEOUT);
    assert_eq!(
        status.code(),
        Some(143),
        "emu should exit with 128 + SIGTERM: {status}\n{}",
        guest.transcript()
    );
    assert!(
        guest.transcript().contains("emu: stopped by SIGTERM"),
        "{}",
        guest.transcript()
    );
    drop(guest);

    let repaired = assert_crash_consistent(&disk, "writes without sync, then SIGTERM");
    assert_eq!(debugfs_cat(&repaired, "/synced.txt"), synced_content());
}

/// A guest reboot builds the machine again over the same disk: the new machine takes the old one's
/// open disk (its lock never let go), and what the guest synced is there.
#[test]
fn a_reboot_keeps_the_locked_disk() {
    let (mut guest, disk) = boot("crash-reboot");
    guest.run(&format!("{WRITE_SYNCED}; sync"));
    guest.send("reboot");
    guest.wait_for("reboot: Restarting system", COMMAND_TIMEOUT);
    guest.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    assert_eq!(guest.run("wc -l < /synced.txt").trim(), "400");
    guest.poweroff();
    let (status, text) = e2fsck(&["-fn"], &disk);
    assert_eq!(status, 0, "after reboot and poweroff:\n{text}");
    assert_eq!(debugfs_cat(&disk, "/synced.txt"), synced_content());
}
