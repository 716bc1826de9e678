//! Several machines in one process (`--vm`, `--config`): Linux guests on copy-on-write overlays of
//! one base image, a machine whose thread panics while the others finish, console switching, and
//! fleet descriptions refused before anything starts. The tests that read machines' consoles on
//! Unix sockets (`console=socket:`) are Unix-only; the others run on any OS.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A short directory for sockets (a Unix socket path has at most 107 bytes).
#[cfg(unix)]
fn socket_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("emu-fleet")
        .tempdir()
        .unwrap()
}

/// Issue 7's proof: 4 Linux guests in one process, each on its own overlay of one base image, each
/// writes a distinct file, reads it back from its disk (page cache dropped), sees none of the
/// others' files, and powers off; the base image is byte-identical to before.
#[cfg(unix)]
#[test]
fn four_guests_write_to_their_own_overlays_of_one_base() {
    let images = images();
    let base = disk_copy("fleet-base");
    let before = std::fs::read(&base).unwrap();
    let dir = socket_dir();
    let names = ["vm0", "vm1", "vm2", "vm3"];
    let specs: Vec<String> = names
        .iter()
        .map(|name| {
            format!(
                "name={name},kernel={},disk={},snapshot=on,memory=128M,console=socket:{}",
                s(&images.kernel),
                s(&base),
                s(&dir.path().join(format!("{name}.sock")))
            )
        })
        .collect();
    let mut args = Vec::new();
    for spec in &specs {
        args.extend(["--vm", spec.as_str()]);
    }
    let mut emu = Guest::start(&args);
    let mut consoles: Vec<SocketConsole> = names
        .iter()
        .map(|name| SocketConsole::connect(&dir.path().join(format!("{name}.sock")), BOOT_TIMEOUT))
        .collect();
    for console in &mut consoles {
        console.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    }
    for (name, console) in names.iter().zip(&mut consoles) {
        let content = format!("written by {name} on its own overlay");
        console.run(&format!("echo '{content}' > /fleet-{name}.txt; sync"));
        // Read it back from the disk, not the page cache (the kernel logs the drop).
        console.run("echo 3 > /proc/sys/vm/drop_caches");
        let out = console.run(&format!("cat /fleet-{name}.txt; ls / | grep fleet-"));
        assert_eq!(
            out.trim(),
            format!("{content}\nfleet-{name}.txt"),
            "{name}: each guest sees its own file and no other's"
        );
    }
    for console in &mut consoles {
        console.send("poweroff");
    }
    for console in &mut consoles {
        console.wait_for("[console closed]", COMMAND_TIMEOUT);
    }
    let status = emu.wait_exit(COMMAND_TIMEOUT);
    let transcript = emu.transcript();
    assert!(status.success(), "{status}: {transcript}");
    for name in names {
        assert!(
            transcript.contains(&format!("emu: machine {name} powered off")),
            "{transcript}"
        );
    }
    assert!(
        std::fs::read(&base).unwrap() == before,
        "the base image changed"
    );
    // The sockets are gone with the process.
    assert!(!dir.path().join("vm0.sock").exists());
}

/// A guest reboot does not lose a snapshot disk's writes: the overlay belongs to the machine for
/// the life of the process, as QEMU's snapshot does, and the base image is never written.
#[cfg(unix)]
#[test]
fn a_snapshot_disk_keeps_its_writes_across_a_guest_reboot() {
    let images = images();
    let base = disk_copy("fleet-reboot-base");
    let before = std::fs::read(&base).unwrap();
    let dir = socket_dir();
    let sock = dir.path().join("r.sock");
    let spec = format!(
        "name=r,kernel={},disk={},snapshot=on,memory=128M,console=socket:{}",
        s(&images.kernel),
        s(&base),
        s(&sock)
    );
    let mut emu = Guest::start(&["--vm", &spec]);
    let mut console = SocketConsole::connect(&sock, BOOT_TIMEOUT);
    console.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    console.run("echo 'before the reboot' > /kept.txt; sync");
    console.send("reboot");
    // The console socket stays: the next boot of the same machine prints on it.
    console.wait_for("reboot: Restarting system", COMMAND_TIMEOUT);
    console.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    assert_eq!(console.run("cat /kept.txt").trim(), "before the reboot");
    console.send("poweroff");
    console.wait_for("[console closed]", COMMAND_TIMEOUT);
    let status = emu.wait_exit(COMMAND_TIMEOUT);
    assert!(status.success(), "{status}: {}", emu.transcript());
    assert!(
        std::fs::read(&base).unwrap() == before,
        "the base image changed"
    );
}

/// A panic in one machine's thread (the test-only fault injection) is reported, and the other
/// machines run to completion; emu exits 1, naming the machine that failed.
#[cfg(unix)]
#[test]
fn a_crashing_machine_leaves_the_others_running() {
    let images = images();
    let dir = socket_dir();
    let vm = |name: &str| {
        format!(
            "name={name},kernel={},initrd={},memory=96M,console=socket:{}",
            s(&images.kernel),
            s(&images.initramfs),
            s(&dir.path().join(format!("{name}.sock")))
        )
    };
    let (a, b, c) = (vm("a"), vm("b"), vm("c"));
    let mut emu = Guest::start_env(
        &["--vm", &a, "--vm", &b, "--vm", &c],
        &[("EMU_TEST_PANIC_ON", "b:emu-guest: userspace up")],
    );
    let mut consoles = [
        SocketConsole::connect(&dir.path().join("a.sock"), BOOT_TIMEOUT),
        SocketConsole::connect(&dir.path().join("c.sock"), BOOT_TIMEOUT),
    ];
    emu.wait_for("emu: machine b crashed: fault injection", BOOT_TIMEOUT);
    for console in &mut consoles {
        console.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
        assert_eq!(console.run("echo $((6 * 7))").trim(), "42");
        console.send("poweroff");
    }
    let status = emu.wait_exit(COMMAND_TIMEOUT);
    let transcript = emu.transcript();
    assert_eq!(status.code(), Some(1), "{transcript}");
    for expected in [
        "emu: machine a powered off",
        "emu: machine c powered off",
        "emu: 1 of 3 machines failed: b",
    ] {
        assert!(transcript.contains(expected), "{expected}: {transcript}");
    }
}

/// The terminal is attached to one machine at a time: Ctrl-A n switches (with a banner and the
/// machine's unseen output), and when the attached machine powers off the next one is attached.
#[test]
fn ctrl_a_n_switches_the_terminal_between_machines() {
    let images = images();
    let vm = |name: &str| {
        format!(
            "name={name},kernel={},initrd={},memory=96M",
            s(&images.kernel),
            s(&images.initramfs),
        )
    };
    let (first, second) = (vm("first"), vm("second"));
    let mut emu = Guest::start(&["--vm", &first, "--vm", &second]);
    emu.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    assert_eq!(emu.run("echo on-$((40 + 2))").trim(), "on-42");
    // Give the second machine time to reach its shell too, detached.
    std::thread::sleep(std::time::Duration::from_secs(1));
    emu.send("\x01n");
    emu.wait_for("[emu: attached to second]", COMMAND_TIMEOUT);
    // Its boot, printed while detached, is replayed after the banner.
    emu.wait_for(USERSPACE_UP, BOOT_TIMEOUT);
    assert_eq!(emu.run("echo second-$((1 + 1))").trim(), "second-2");
    emu.send("poweroff");
    // (The report is on stderr, the banner on stdout: their order is the pipes'.)
    emu.wait_for("[emu: attached to first]", COMMAND_TIMEOUT);
    emu.poweroff();
    let transcript = emu.transcript();
    for name in ["first", "second"] {
        assert!(
            transcript.contains(&format!("emu: machine {name} powered off")),
            "{transcript}"
        );
    }
}

/// Bare-metal machines in one process, each stopped by its own instruction limit (exit 124).
#[test]
fn bare_metal_machines_run_side_by_side() {
    let elf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-spin.elf");
    std::fs::write(&elf, spin_elf()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_emu"))
        .args([
            "--vm",
            &format!("name=x,elf={},max_instructions=200000", s(&elf)),
            "--vm",
            &format!("name=y,elf={},max_instructions=300000", s(&elf)),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(124), "{stderr}");
    assert!(
        stderr.contains("emu: machine x stopped after 200000 instructions"),
        "{stderr}"
    );
    assert!(
        stderr.contains("emu: machine y stopped after 300000 instructions"),
        "{stderr}"
    );
}

/// An ELF whose one segment at 0x8000_0000 is `j .`.
fn spin_elf() -> Vec<u8> {
    const DRAM_BASE: u64 = 0x8000_0000;
    let mut elf = vec![0u8; 120];
    elf[..8].copy_from_slice(b"\x7fELF\x02\x01\x01\x00");
    elf[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    elf[18..20].copy_from_slice(&243u16.to_le_bytes()); // EM_RISCV
    elf[20..24].copy_from_slice(&1u32.to_le_bytes());
    elf[24..32].copy_from_slice(&DRAM_BASE.to_le_bytes());
    elf[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
    elf[52..54].copy_from_slice(&64u16.to_le_bytes());
    elf[54..56].copy_from_slice(&56u16.to_le_bytes());
    elf[56..58].copy_from_slice(&1u16.to_le_bytes());
    elf[64..68].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    elf[68..72].copy_from_slice(&5u32.to_le_bytes()); // R X
    elf[72..80].copy_from_slice(&120u64.to_le_bytes());
    elf[80..88].copy_from_slice(&DRAM_BASE.to_le_bytes());
    elf[88..96].copy_from_slice(&DRAM_BASE.to_le_bytes());
    elf[96..104].copy_from_slice(&4u64.to_le_bytes());
    elf[104..112].copy_from_slice(&4u64.to_le_bytes());
    elf.extend(0x0000_006fu32.to_le_bytes());
    elf
}

/// Runs emu on `args`; its exit code, stdout and stderr.
fn emu(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_emu"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fleet_file(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-config");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Problems in a fleet file name the machine and the field, exit 2, and start nothing (not even
/// the valid machine's console file is created).
#[test]
fn fleet_file_problems_name_machine_and_field_and_start_nothing() {
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-config/ok.log");
    let _ = std::fs::remove_file(&log);
    let config = fleet_file(
        "bad.toml",
        &format!(
            r#"
            [defaults]
            kernel = "{kernel}"
            [[machine]]
            name = "ok"
            console = "file:{log}"
            [[machine]]
            name = "typo"
            memroy = "256M"
            [[machine]]
            name = "nokernel"
            kernel = ""
            [[machine]]
            name = "ok"
            [[machine]]
            name = "big"
            memory = "12Q"
            "#,
            kernel = s(&images().kernel),
            log = s(&log)
        ),
    );
    let (code, stdout, stderr) = emu(&["--config", s(&config)]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    let file = s(&config);
    for expected in [
        format!("emu: {file}: machine 'typo': field 'memroy': unknown field"),
        format!("emu: {file}: machine 'big': field 'memory': '12Q': unknown size suffix 'Q'"),
        format!("emu: {file}: machine 'ok': field 'name': another machine has this name"),
    ] {
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert!(!log.exists(), "a machine was set up");

    let config = fleet_file("nokernel.toml", "[[machine]]\nname = \"a\"\nsmp = 2\n");
    let (code, _, stderr) = emu(&["--config", s(&config)]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("machine 'a': field 'kernel': missing: every machine needs a kernel"),
        "{stderr}"
    );

    // A file that cannot be read is found when the machine is built: still before any starts.
    let (code, stdout, stderr) = emu(&[
        "--vm",
        &format!("name=good,kernel={}", s(&images().kernel)),
        "--vm",
        "name=gone,kernel=/nonexistent/Image",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "", "a machine started");
    assert!(
        stderr.contains("emu: machine 'gone': field 'kernel': cannot read /nonexistent/Image"),
        "{stderr}"
    );
}

/// A writable image belongs to one machine: a second attach is refused, naming both.
#[test]
fn a_writable_disk_is_attached_to_one_machine_only() {
    let image = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-shared.img");
    std::fs::write(&image, vec![0u8; 1 << 20]).unwrap();
    let kernel = s(&images().kernel).to_string();
    let (code, stdout, stderr) = emu(&[
        "--vm",
        &format!("name=a,kernel={kernel},disk={}", s(&image)),
        "--vm",
        &format!("name=b,kernel={kernel},disk={},snapshot=on", s(&image)),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!(
            "emu: --vm: machine 'a': field 'disks': {} is attached writable, so no other disk may \
             use it (used by 'b' as a snapshot base)",
            s(&image.canonicalize().unwrap())
        )),
        "{stderr}"
    );
}

/// Debugging options of a fleet are per machine: the global --gdb and -S are refused with a line
/// saying what to use instead, two machines cannot share a GDB port, and a port already taken
/// starts nothing. All exit 2 before any machine runs.
#[test]
fn fleet_debugging_options_are_checked_before_anything_starts() {
    let elf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet-spin-debug.elf");
    std::fs::write(&elf, spin_elf()).unwrap();
    let vm = |name: &str, extra: &str| format!("name={name},elf={}{extra}", s(&elf));

    let (code, stdout, stderr) = emu(&["--gdb", "tcp::0", "--vm", &vm("x", "")]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    assert_eq!(
        stderr,
        "emu: --gdb serves one machine: in a fleet, give each machine its own port with its gdb \
         field (gdb=tcp::PORT in its --vm spec, gdb = \"tcp::PORT\" in its [[machine]] table)\n"
    );
    let (code, _, stderr) = emu(&["-S", "--vm", &vm("x", "")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("emu: -S holds one machine: in a fleet, hold each machine")
            && stderr.lines().count() == 1,
        "{stderr}"
    );

    let (code, stdout, stderr) = emu(&[
        "--vm",
        &vm("x", ",gdb=tcp::1234"),
        "--vm",
        &vm("y", ",gdb=tcp:0.0.0.0:1234"),
    ]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    assert_eq!(
        stderr,
        "emu: --vm: machine 'y': field 'gdb': port 1234 is the gdb port of machine 'x' too\n"
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (code, stdout, stderr) = emu(&[
        "--vm",
        &vm("x", ",max_instructions=1000"),
        "--vm",
        &vm("y", &format!(",gdb=tcp::{port},max_instructions=1000")),
    ]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "emu: machine 'y': field 'gdb': cannot listen on 127.0.0.1:{port}: "
        )) && stderr.lines().count() == 1,
        "{stderr}"
    );
}
