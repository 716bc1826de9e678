//! Shared parts of the debugger tests (tests/gdb.rs, tests/monitor.rs): the bare-metal program
//! they take apart (`tests/debug/prog.c`, built with Debian's riscv64-unknown-elf-gcc and cached),
//! the address emu reports for its debugger servers, and GDB in batch mode.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use crate::common::Guest;

const GCC: &str = "riscv64-unknown-elf-gcc";
const GDB: &str = "gdb-multiarch";

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/debug")
}

/// The test program, with symbols and debug info: built on first use, rebuilt when a source is
/// newer than the cached ELF.
pub fn program() -> PathBuf {
    static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("debug");
            fs::create_dir_all(&dir).unwrap();
            let elf = dir.join("prog.elf");
            let sources = ["start.S", "prog.c", "link.ld"].map(|f| src_dir().join(f));
            let newest = sources
                .iter()
                .map(|s| mtime(s).unwrap_or_else(|| panic!("{} is missing", s.display())))
                .max()
                .unwrap();
            if mtime(&elf).is_some_and(|t| t >= newest) {
                return elf;
            }
            let tmp = dir.join("prog.elf.tmp");
            let out = Command::new(GCC)
                .args([
                    "-march=rv64gc",
                    "-mabi=lp64d",
                    "-mcmodel=medany",
                    "-O0",
                    "-g",
                    "-nostdlib",
                    "-nostartfiles",
                    "-static",
                    "-Wl,--no-warn-rwx-segments",
                    "-T",
                ])
                .arg(&sources[2])
                .args(&sources[..2])
                .arg("-o")
                .arg(&tmp)
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run {GCC} ({e}): apt-get install gcc-riscv64-unknown-elf")
                });
            assert!(
                out.status.success(),
                "building tests/debug/prog.c failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            fs::rename(&tmp, &elf).unwrap();
            elf
        })
        .clone()
}

fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The address of a symbol of `elf`, from the toolchain's nm.
pub fn symbol(elf: &Path, name: &str) -> u64 {
    let out = Command::new("riscv64-unknown-elf-nm")
        .arg(elf)
        .output()
        .expect("cannot run riscv64-unknown-elf-nm: apt-get install binutils-riscv64-unknown-elf");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|line| {
            let mut parts = line.split_whitespace();
            let (addr, _, sym) = (parts.next()?, parts.next()?, parts.next()?);
            (sym == name).then(|| u64::from_str_radix(addr, 16).ok())?
        })
        .unwrap_or_else(|| panic!("{} has no symbol {name}", elf.display()))
}

/// The port emu printed for a server (`what` is `gdb` or `monitor`): `emu: gdb: listening on
/// 127.0.0.1:PORT`.
pub fn listening_port(guest: &mut Guest, what: &str) -> u16 {
    guest.wait_for(
        &format!("emu: {what}: listening on 127.0.0.1:"),
        Duration::from_secs(30),
    );
    let rest = guest.wait_for("\n", Duration::from_secs(5));
    rest.trim()
        .parse()
        .unwrap_or_else(|_| panic!("bad port in {rest:?}"))
}

/// Fails the test with how to install GDB if it is missing.
pub fn require_gdb() {
    let ok = Command::new(GDB)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "`{GDB}` is missing: apt-get install gdb-multiarch");
}

/// GDB in batch mode, connected to `port`, running `commands` against `elf`'s symbols, while
/// `during(pid, log)` runs beside it (to send it a Ctrl-C once `log`, where GDB's output goes,
/// says it is time). Returns everything GDB printed.
pub fn gdb_with(
    elf: &Path,
    port: u16,
    commands: &[&str],
    during: impl FnOnce(u32, &Path),
) -> String {
    require_gdb();
    let mut cmd = Command::new(GDB);
    cmd.args(["-batch", "-nx"])
        .arg(elf)
        .args(["-ex", "set architecture riscv:rv64"])
        .args(["-ex", "set pagination off"])
        .args(["-ex", &format!("target remote 127.0.0.1:{port}")]);
    for c in commands {
        cmd.args(["-ex", c]);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("debug");
    fs::create_dir_all(&dir).unwrap();
    let log = dir.join(format!("gdb-{port}.log"));
    let file = fs::File::create(&log).unwrap();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .expect("cannot start gdb-multiarch");
    during(child.id(), &log);
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "gdb did not finish; it said:\n{}",
                fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    fs::read_to_string(&log).unwrap()
}

/// [`gdb_with`] with nothing beside it.
pub fn gdb(elf: &Path, port: u16, commands: &[&str]) -> String {
    gdb_with(elf, port, commands, |_, _| {})
}

/// Waits until the file `log` contains `text` (a minute at most).
pub fn wait_in_file(log: &Path, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !fs::read_to_string(log).unwrap_or_default().contains(text) {
        assert!(
            Instant::now() < deadline,
            "{text:?} never showed in {}:\n{}",
            log.display(),
            fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends SIGINT to process `pid` (what Ctrl-C on GDB's terminal does).
pub fn interrupt(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("cannot run kill");
    assert!(status.success());
}
