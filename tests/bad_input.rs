//! Bad input from the user, table-driven: every flag's invalid values and every kind of wrong file
//! get one line on stderr, `emu: <problem>`, naming the flag or the file, and exit status 2; never
//! a panic, a backtrace or clap's multi-line usage text. (tests/cli.rs covers wrong ELF programs.)
//!
//! Also: a disk image another emu has open read-write is refused, and read-only is accepted; and
//! emu stops cleanly on a signal, and on Ctrl-A x even while the guest never yields.
//!
//! No guest is needed: the kernels here are a few bytes (a RISC-V `Image` that prints `R` on the
//! UART and loops forever), so these tests run without the guest images or the toolchain.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const EMU: &str = env!("CARGO_BIN_EXE_emu");
/// Exit status for bad input.
const BAD_INPUT: i32 = 2;

/// A scratch file or directory of this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_input");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, bytes: &[u8]) -> String {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// A RISC-V Linux `Image` (header `image_size` says how much RAM it needs) loaded 2 MiB into
/// RAM, that writes `R` to the UART and loops forever.
fn image(image_size: u64) -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[0..4].copy_from_slice(&0x0400_006fu32.to_le_bytes()); // j 64 (past the header)
    h[8..16].copy_from_slice(&0x20_0000u64.to_le_bytes()); // text_offset
    h[16..24].copy_from_slice(&image_size.to_le_bytes());
    h[32..36].copy_from_slice(&2u32.to_le_bytes()); // version 0.2
    h[48..56].copy_from_slice(b"RISCV\0\0\0");
    h[56..60].copy_from_slice(b"RSC\x05");
    for inst in [
        0x1000_02b7u32, // lui t0, 0x10000 (the UART)
        0x0520_0313,    // li t1, 'R'
        0x0062_8023,    // sb t1, 0(t0)
        0x0000_006f,    // j .
    ] {
        h.extend_from_slice(&inst.to_le_bytes());
    }
    h
}

/// The file header of an ELF64 for `machine` (62: x86-64), with no program headers.
fn elf64(machine: u16) -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 2;
    h[5] = 1;
    h[6] = 1;
    h[16..18].copy_from_slice(&2u16.to_le_bytes());
    h[18..20].copy_from_slice(&machine.to_le_bytes());
    h[20..24].copy_from_slice(&1u32.to_le_bytes());
    h[52..54].copy_from_slice(&64u16.to_le_bytes());
    h[54..56].copy_from_slice(&56u16.to_le_bytes());
    h
}

/// A 32-bit RISC-V ELF header.
fn elf32() -> Vec<u8> {
    let mut h = vec![0u8; 52];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 1;
    h[5] = 1;
    h[6] = 1;
    h[16..18].copy_from_slice(&2u16.to_le_bytes());
    h[18..20].copy_from_slice(&243u16.to_le_bytes());
    h
}

fn emu(args: &[&str]) -> Output {
    Command::new(EMU)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("cannot start emu")
}

/// Checks a refusal: status 2, one line `emu: ...` containing every one of `names`, no panic.
fn assert_refused(out: &Output, names: &[&str], case: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(BAD_INPUT),
        "{case}: exit status {:?}, stderr: {err}",
        out.status
    );
    assert!(
        err.starts_with("emu: ") && err.ends_with('\n'),
        "{case}: {err:?}"
    );
    assert_eq!(err.lines().count(), 1, "{case}: not one line: {err:?}");
    for name in names {
        assert!(err.contains(name), "{case}: {err:?} does not name {name:?}");
    }
    for bad in ["panicked", "RUST_BACKTRACE", "backtrace", "Usage:"] {
        assert!(!err.contains(bad), "{case}: {err:?}");
    }
    assert!(
        out.stdout.is_empty(),
        "{case}: stdout {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn every_bad_invocation_is_one_line_and_status_2() {
    let kernel = write("kernel.img", &image(4096));
    let text = write("notes.txt", b"just some text\n");
    let empty = write("empty", b"");
    let x86 = write("x86.elf", &elf64(62));
    let rv32 = write("rv32.elf", &elf32());
    let misaligned = {
        let mut k = image(4096);
        k[8..16].copy_from_slice(&0x1000u64.to_le_bytes());
        write("misaligned-image", &k)
    };
    let huge = write("huge-image", &image(1 << 40));
    let big = write("big.bin", &vec![0u8; 3 << 20]);
    let disk = write("disk.img", &vec![0u8; 1 << 20]);
    let dir = scratch("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.to_str().unwrap().to_string();
    let missing = scratch("no-such-file").to_str().unwrap().to_string();
    let nowhere = "/nonexistent-dir/out".to_string();

    let k = |extra: &[&str]| -> Vec<String> {
        let mut v = vec!["--kernel".to_string(), kernel.clone()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let a = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).collect() };
    let nine_disks: Vec<String> = {
        let mut v = k(&[]);
        for i in 0..9 {
            v.push("--disk".into());
            v.push(write(&format!("disk{i}.img"), &[0u8; 512]));
        }
        v
    };

    #[rustfmt::skip]
    let mut cases: Vec<(&str, Vec<String>, Vec<&str>)> = vec![
        // --memory
        ("--memory -1", k(&["--memory", "-1"]), vec!["'-1'", "--memory"]),
        ("--memory 5X", k(&["--memory", "5X"]), vec!["'5X'", "--memory", "suffix"]),
        ("--memory 1.5G", k(&["--memory", "1.5G"]), vec!["'1.5G'", "--memory"]),
        ("--memory ''", k(&["--memory", ""]), vec!["--memory"]),
        ("--memory 2^70", k(&["--memory", "99999999999999999999"]), vec!["--memory", "too large"]),
        ("--memory 0", k(&["--memory", "0"]), vec!["memory size 0"]),
        ("--memory 100000G", k(&["--memory", "100000G"]), vec!["memory size", "512 GiB"]),
        ("--memory 4097", k(&["--memory", "4097"]), vec!["4 KiB"]),
        // --smp
        ("--smp 0", k(&["--smp", "0"]), vec!["'0'", "--smp", "1..=8"]),
        ("--smp 9", k(&["--smp", "9"]), vec!["'9'", "--smp", "1..=8"]),
        ("--smp x", k(&["--smp", "x"]), vec!["'x'", "--smp"]),
        ("--smp -1", k(&["--smp", "-1"]), vec!["'-1'", "--smp"]),
        ("--smp 256", k(&["--smp", "256"]), vec!["'256'", "--smp"]),
        // --max-instructions
        ("--max-instructions -1", k(&["--max-instructions", "-1"]), vec!["'-1'", "--max-instructions"]),
        ("--max-instructions abc", k(&["--max-instructions", "abc"]), vec!["'abc'", "--max-instructions"]),
        ("--max-instructions 1e9", k(&["--max-instructions", "1e9"]), vec!["'1e9'", "--max-instructions"]),
        ("--max-instructions 2^64", k(&["--max-instructions", "18446744073709551616"]), vec!["--max-instructions"]),
        // --signature-granularity
        ("--signature-granularity 3", a(&["--signature-granularity", "3", &text]), vec!["'3'", "--signature-granularity", "4, 8"]),
        ("--signature-granularity x", a(&["--signature-granularity", "x", &text]), vec!["'x'", "--signature-granularity"]),
        // --disk
        ("--disk missing", k(&["--disk", &missing]), vec!["no-such-file", "no such file"]),
        ("--disk directory", k(&["--disk", &dir]), vec!["a-directory", "directory"]),
        ("--disk ,bogus", k(&["--disk", &format!("{disk},bogus")]), vec!["--disk", "'bogus'"]),
        ("--disk ,readonly", k(&["--disk", ",readonly"]), vec!["--disk", "file name"]),
        ("--disk ''", k(&["--disk", ""]), vec!["--disk"]),
        ("nine disks", nine_disks, vec!["9 disks", "8 virtio slots"]),
        ("the same disk twice", k(&["--disk", &disk, "--disk", &disk]), vec!["disk.img", "in use", "readonly"]),
        // --kernel
        ("--kernel missing", a(&["--kernel", &missing]), vec!["kernel", "no-such-file"]),
        ("--kernel directory", a(&["--kernel", &dir]), vec!["kernel", "a-directory"]),
        ("--kernel text", a(&["--kernel", &text]), vec!["kernel", "neither a RISC-V Image nor an ELF"]),
        ("--kernel empty", a(&["--kernel", &empty]), vec!["kernel"]),
        ("--kernel x86 ELF", a(&["--kernel", &x86]), vec!["kernel", "not a RISC-V program", "X86_64"]),
        ("--kernel 32-bit ELF", a(&["--kernel", &rv32]), vec!["kernel", "32-bit"]),
        ("--kernel misaligned Image", a(&["--kernel", &misaligned]), vec!["kernel", "2 MiB aligned"]),
        ("--kernel Image larger than RAM", a(&["--kernel", &huge, "--memory", "64M"]), vec!["kernel", "--memory"]),
        ("--kernel without a value", a(&["--kernel"]), vec!["--kernel"]),
        // --initrd
        ("--initrd missing", k(&["--initrd", &missing]), vec!["initrd", "no-such-file"]),
        ("--initrd directory", k(&["--initrd", &dir]), vec!["initrd", "a-directory"]),
        ("--initrd too big", k(&["--initrd", &big, "--memory", "4M"]), vec!["initrd", "--memory"]),
        // --bios
        ("--bios missing", k(&["--bios", &missing]), vec!["firmware", "no-such-file"]),
        ("--bios directory", k(&["--bios", &dir]), vec!["firmware", "a-directory"]),
        ("--bios x86 ELF", k(&["--bios", &x86]), vec!["firmware", "not a RISC-V program"]),
        ("--bios too big", k(&["--bios", &big]), vec!["firmware", "does not fit", "2.0 MiB"]),
        // Files emu writes
        ("--dump-dtb into a missing directory", k(&["--dump-dtb", &nowhere]), vec!["device tree", "/nonexistent-dir/out"]),
        ("--trace= into a missing directory", a(&[&format!("--trace={nowhere}"), &text]), vec!["trace file", "/nonexistent-dir/out"]),
        // Linux options without --kernel, and options that do not go together
        ("--append without --kernel", a(&["--append", "quiet"]), vec!["--kernel"]),
        ("--append with an ELF", a(&["--append", "quiet", &text]), vec!["--append", "[ELF]"]),
        ("--initrd with an ELF", a(&["--initrd", &text, &text]), vec!["--initrd", "[ELF]"]),
        ("--disk with an ELF", a(&["--disk", &disk, &text]), vec!["--disk", "[ELF]"]),
        ("--bios with an ELF", a(&["--bios", &text, &text]), vec!["--bios", "[ELF]"]),
        ("--dump-dtb with an ELF", a(&["--dump-dtb", &nowhere, &text]), vec!["--dump-dtb", "[ELF]"]),
        ("--kernel with an ELF", k(&[&text]), vec!["--kernel", "[ELF]"]),
        // The command line itself
        ("no arguments", a(&[]), vec!["<ELF>"]),
        ("an unknown flag", a(&["--bogus", &text]), vec!["'--bogus'"]),
        ("an unknown short flag", a(&["-z", &text]), vec!["'-z'"]),
        ("two programs", a(&[&text, &text]), vec!["notes.txt"]),
        ("--trace with a space", a(&["--trace", &nowhere, &text]), vec![]),
    ];
    // Character devices, where device files are files: refused before anything is read (reading
    // /dev/zero would go on until the host runs out of memory).
    if cfg!(unix) {
        #[rustfmt::skip]
        cases.extend([
            ("--disk /dev/null", k(&["--disk", "/dev/null"]), vec!["/dev/null", "not a regular file"]),
            ("--kernel /dev/zero", a(&["--kernel", "/dev/zero"]), vec!["kernel", "/dev/zero", "not a regular file"]),
            ("--initrd /dev/zero", k(&["--initrd", "/dev/zero"]), vec!["initrd", "/dev/zero", "not a regular file"]),
            ("--bios /dev/zero", k(&["--bios", "/dev/zero"]), vec!["firmware", "/dev/zero", "not a regular file"]),
            ("program /dev/zero", a(&["/dev/zero"]), vec!["/dev/zero", "not a regular file"]),
        ]);
    }
    // A kernel file larger than the guest RAM: refused by its size, before it is read.
    let sparse = scratch("sparse-kernel");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(80 << 20)
        .unwrap();
    let sparse = sparse.to_str().unwrap().to_string();
    cases.push((
        "--kernel larger than --memory",
        a(&["--kernel", &sparse, "--memory", "64M"]),
        vec![
            "kernel",
            "80.0 MiB does not fit in the 64.0 MiB of guest RAM (--memory)",
        ],
    ));
    let mut failures = Vec::new();
    for (case, args, names) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = emu(&args);
        if let Err(e) = std::panic::catch_unwind(|| assert_refused(&out, names, case)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "?".into());
            failures.push(format!("  emu {}\n    {msg}", args.join(" ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad invocations were not refused properly:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Memory the host cannot give: refused in one line. (500 GiB is a valid size; whether the
/// allocation fails depends on the host's overcommit policy, and if it does not, the kernel,
/// which is text, is refused instead: one line either way.)
#[test]
fn memory_the_host_cannot_allocate_is_refused() {
    let text = write("alloc-kernel.txt", b"not a kernel\n");
    let out = emu(&["--kernel", &text, "--memory", "500G"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_refused(&out, &[], "--memory 500G");
    assert!(
        err.contains("cannot allocate 512000 MiB") || err.contains("kernel"),
        "{err}"
    );
}

/// A running emu that quits when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts emu with one of our kernels and waits until the kernel runs (it has printed `R`), so
/// the machine is built and its disks are open and locked.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(EMU)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start emu");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut byte = [0u8; 1];
        while let Ok(1) = stdout.read(&mut byte) {
            if byte[0] == b'R' {
                let _ = tx.send(());
            }
        }
    });
    let mut running = Running(child);
    if rx.recv_timeout(Duration::from_secs(30)).is_err() {
        let status = running.0.try_wait().unwrap();
        let mut err = String::new();
        use std::io::Read;
        if status.is_some() {
            let _ = running.0.stderr.take().unwrap().read_to_string(&mut err);
        }
        panic!("emu {args:?} did not start its kernel ({status:?}): {err}");
    }
    running
}

#[test]
fn an_image_in_use_by_another_emu_is_refused_unless_readonly() {
    let kernel = write("lock-kernel.img", &image(4096));
    let disk = write("locked.img", &vec![0u8; 1 << 20]);
    let first = start(&["--kernel", &kernel, "--disk", &disk, "--memory", "64M"]);

    let second = emu(&["--kernel", &kernel, "--disk", &disk, "--memory", "64M"]);
    assert_refused(
        &second,
        &["locked.img", "in use", ",readonly"],
        "a locked image",
    );

    // Read-only is accepted (it runs until we stop it: the kernel loops forever).
    let mut reader = start(&[
        "--kernel",
        &kernel,
        "--disk",
        &format!("{disk},readonly"),
        "--memory",
        "64M",
    ]);
    assert!(reader.0.try_wait().unwrap().is_none());
    drop(reader);

    // Once the first emu is gone, the image is free again.
    drop(first);
    let dtb = write("lock.dtb", b"");
    let out = emu(&["--kernel", &kernel, "--disk", &disk, "--dump-dtb", &dtb]);
    assert!(
        out.status.success(),
        "the lock outlived its emu: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Waits up to 20 s for emu to exit; its status and stderr.
fn wait_exit(running: &mut Running, what: &str) -> (std::process::ExitStatus, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = running.0.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "emu ignored {what}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    use std::io::Read;
    running
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (exit, err)
}

/// The kernel spins with interrupts off and never yields, yet Ctrl-A x on the console quits
/// emu (status 0), which then flushes and closes its disk.
#[test]
fn ctrl_a_x_stops_a_guest_that_never_yields() {
    use std::io::Write;
    let kernel = write("spin-kernel.img", &image(4096));
    let disk = write("spin.img", &vec![0u8; 1 << 20]);
    let mut running = start(&["--kernel", &kernel, "--disk", &disk, "--memory", "64M"]);
    std::thread::sleep(Duration::from_millis(300));
    let stdin = running.0.stdin.as_mut().unwrap();
    stdin.write_all(b"\x01x").unwrap();
    stdin.flush().unwrap();
    let (exit, err) = wait_exit(&mut running, "Ctrl-A x");
    assert!(exit.success(), "{exit}: {err}");
    assert_eq!(err, "");
    // The disk is closed: its lock is free.
    let dtb = write("spin.dtb", b"");
    let out = emu(&["--kernel", &kernel, "--disk", &disk, "--dump-dtb", &dtb]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// SIGTERM, SIGINT and SIGHUP stop emu cleanly: one line saying so, and 128 + the signal number.
#[cfg(unix)]
#[test]
fn signals_stop_emu_cleanly() {
    let kernel = write("signal-kernel.img", &image(4096));
    for (signal, status) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let disk = write(&format!("signal-{signal}.img"), &vec![0u8; 1 << 20]);
        let mut running = start(&["--kernel", &kernel, "--disk", &disk, "--memory", "64M"]);
        let pid = running.0.id().to_string();
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(kill.success());
        let (exit, err) = wait_exit(&mut running, &format!("SIG{signal}"));
        assert_eq!(
            exit.code(),
            Some(status),
            "SIG{signal}: {exit}; stderr: {err}"
        );
        assert_eq!(err, format!("emu: stopped by SIG{signal}\n"));
    }
}

/// A second signal while the first is being served kills emu at once (the way out if the machine
/// does not stop): emu is stopped, gets SIGINT and SIGTERM, and is continued, so both arrive
/// before it can act on the first; it dies by one of them instead of exiting with a status.
#[cfg(unix)]
#[test]
fn a_second_signal_kills_at_once() {
    use std::os::unix::process::ExitStatusExt;
    let kernel = write("signal2-kernel.img", &image(4096));
    let mut running = start(&["--kernel", &kernel, "--memory", "64M"]);
    let pid = running.0.id().to_string();
    for signal in ["STOP", "INT", "TERM", "CONT"] {
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(kill.success());
    }
    let (exit, err) = wait_exit(&mut running, "SIGINT and SIGTERM");
    assert!(
        matches!(exit.signal(), Some(2 | 15)),
        "emu should die by the second signal: {exit}; stderr: {err}"
    );
    assert!(!err.contains("stopped by"), "{err}");
}
