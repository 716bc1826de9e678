//! ISA test suite: assembles every `tests/isa/*.S` program and runs it on the `emu` binary.
//!
//! Each program reports through HTIF `tohost`: exit status 0 is a pass, otherwise the program's code
//! is the number of the first failing case, or 1000 + mcause for an unexpected trap (see
//! `tests/isa/test.h`). emu caps its exit status at 255 and prints the full code on stderr, which
//! the failure messages decode.
//!
//! Assembled ELFs are cached in `$CARGO_TARGET_TMPDIR/isa/`: a program is re-assembled only when its
//! `.S`, a header or the linker script in `tests/isa/`, or this file is newer than the cached ELF.
//!
//! Requires the bare-metal RISC-V toolchain (`riscv64-unknown-elf-gcc`); without it the tests fail
//! with instructions to install it (they are never skipped silently).

mod common;

use emu_machine::PageLoop;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

const GCC: &str = "riscv64-unknown-elf-gcc";
const INSTALL_HINT: &str =
    "install it with: apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf";
const MAX_INSTRUCTIONS: &str = "50000000";
const TIMEOUT: Duration = Duration::from_secs(60);

/// One `#[test]` per program in `tests/isa/`, and `PROGRAMS`, the list of their names.
macro_rules! isa_programs {
    ($($name:ident),* $(,)?) => {
        const PROGRAMS: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_program(stringify!($name));
            }
        )*
    };
}

isa_programs!(
    hostile_devices,
    misaligned,
    priv_csr,
    priv_deleg,
    priv_irq,
    priv_trap,
    rv64a,
    rv64c,
    rv64d,
    rv64d_cvt,
    rv64d_misc,
    rv64f,
    rv64f_cvt,
    rv64f_misc,
    rv64fd_state,
    rv64i_alu,
    rv64i_alu_w,
    rv64i_branch,
    rv64i_mem,
    rv64m,
    vm_ad_sfence,
    vm_faults,
    vm_pmp,
    vm_sv39,
    vm_sv48,
    vm_sv57,
    zba,
    zbb,
    zbs,
);

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("isa")
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("isa");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Newest modification time among the files every program depends on: the headers and the linker
/// script in `tests/isa/`, and this harness (which holds the assembler flags).
fn common_inputs_mtime() -> SystemTime {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("isa.rs");
    let mut newest = mtime(&harness).unwrap_or(SystemTime::UNIX_EPOCH);
    let dir = src_dir();
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let is_input = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("h") | Some("ld")
        );
        if is_input {
            if let Some(t) = mtime(&path) {
                newest = newest.max(t);
            }
        }
    }
    newest
}

/// Fails the test with installation instructions if the cross compiler is not available.
fn require_gcc() {
    match Command::new(GCC)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("`{GCC} --version` failed ({status}); {INSTALL_HINT}"),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            panic!("`{GCC}` not found: the ISA tests need it to assemble tests/isa/*.S; {INSTALL_HINT}")
        }
        Err(e) => panic!("cannot run `{GCC}`: {e}; {INSTALL_HINT}"),
    }
}

/// Assembles `src` into `elf` (through a temporary file, so an interrupted build never leaves a
/// truncated ELF that looks up to date).
fn assemble(src: &Path, elf: &Path) -> Result<(), String> {
    require_gcc();
    let tmp = elf.with_extension("elf.tmp");
    let output = Command::new(GCC)
        .args([
            "-march=rv64imac_zicsr_zifencei_zba_zbb_zbs",
            "-mabi=lp64",
            "-nostdlib",
            "-nostartfiles",
            "-static",
            "-Wl,--no-warn-rwx-segments",
        ])
        .arg("-I")
        .arg(src_dir())
        .arg("-T")
        .arg(src_dir().join("link.ld"))
        .arg(src)
        .arg("-o")
        .arg(&tmp)
        .output()
        .map_err(|e| format!("cannot run `{GCC}`: {e}; {INSTALL_HINT}"))?;
    if !output.status.success() {
        let _ = fs::remove_file(&tmp);
        return Err(format!(
            "assembling {} failed ({}):\n{}",
            src.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    fs::rename(&tmp, elf).map_err(|e| format!("cannot rename to {}: {e}", elf.display()))
}

/// Path of the assembled program `name` (`tests/isa/NAME.S`), assembling it if the cache is stale.
fn build(name: &str) -> Result<PathBuf, String> {
    // Checked even when the cache is fresh, so a machine without the toolchain always fails the
    // same way, rather than only once a source changes.
    require_gcc();
    let src = src_dir().join(format!("{name}.S"));
    let elf = out_dir().join(format!("{name}.elf"));
    let src_time = mtime(&src).ok_or_else(|| format!("{} does not exist", src.display()))?;
    let newest_input = src_time.max(common_inputs_mtime());
    let up_to_date = mtime(&elf).is_some_and(|t| t >= newest_input);
    if !up_to_date {
        assemble(&src, &elf)?;
    }
    Ok(elf)
}

/// Result of one emulator run.
struct Run {
    /// `None` if the run was killed after the timeout.
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

/// The page loops the `emu` binary was built with (the same build of emu-cpu as this test's): every
/// program runs on each.
fn page_loops() -> impl Iterator<Item = PageLoop> {
    [PageLoop::Threaded, PageLoop::Portable]
        .into_iter()
        .filter(|l| l.is_built())
}

/// Runs `emu --max-instructions N --page-loop LOOP elf`, killing it after `TIMEOUT`. Output goes
/// to files next to the ELF (no pipe can fill up and block the child).
fn run_emu(elf: &Path, page_loop: PageLoop) -> Result<Run, String> {
    run_emu_bin(Path::new(env!("CARGO_BIN_EXE_emu")), elf, page_loop)
}

/// [`run_emu`] with the emu binary `bin`.
fn run_emu_bin(bin: &Path, elf: &Path, page_loop: PageLoop) -> Result<Run, String> {
    let out_path = elf.with_extension(format!("{}.stdout", page_loop.name()));
    let err_path = elf.with_extension(format!("{}.stderr", page_loop.name()));
    let out = fs::File::create(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?;
    let err = fs::File::create(&err_path).map_err(|e| format!("{}: {e}", err_path.display()))?;
    let mut child = Command::new(bin)
        .arg("--max-instructions")
        .arg(MAX_INSTRUCTIONS)
        .arg("--page-loop")
        .arg(page_loop.name())
        .arg(elf)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for emu: {e}")),
        }
    };
    Ok(Run {
        status,
        stdout: fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: fs::read_to_string(&err_path).unwrap_or_default(),
    })
}

/// The program's own exit code, from emu's `exited with code N` line on stderr (the exit status
/// itself is capped at 255).
fn reported_code(stderr: &str) -> Option<u64> {
    let rest = stderr.split("exited with code ").nth(1)?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// What a run's result means for a test program (codes as in `tests/isa/test.h` and `priv.h`).
fn describe(status: Option<ExitStatus>, stderr: &str) -> String {
    let Some(status) = status else {
        return format!("timed out after {} s (killed)", TIMEOUT.as_secs());
    };
    let Some(exit) = status.code() else {
        return format!("killed by a signal ({status})");
    };
    if exit == 0 {
        return "passed".to_string();
    }
    match reported_code(stderr) {
        Some(code @ 1..=999) => format!("case {code} failed (exit status {exit})"),
        Some(code @ 1000..=1999) => format!(
            "unexpected exception in M-mode, mcause {} (code {code}, exit status {exit})",
            code - 1000
        ),
        Some(code @ 2000..=2999) => format!(
            "unexpected interrupt in M-mode, code {} (code {code}, exit status {exit})",
            code - 2000
        ),
        Some(code @ 3000..=3999) => format!(
            "unexpected exception in S-mode, scause {} (code {code}, exit status {exit})",
            code - 3000
        ),
        Some(code @ 4000..=4999) => format!(
            "unexpected interrupt in S-mode, code {} (code {code}, exit status {exit})",
            code - 4000
        ),
        Some(code) => format!("the program exited with code {code} (exit status {exit})"),
        None if exit == 124 => "stopped by --max-instructions (exit status 124)".to_string(),
        None if exit == 2 => "emu could not run the program (exit status 2)".to_string(),
        None => format!("exit status {exit} (no exit code reported on stderr)"),
    }
}

fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Builds the program `name` and runs it on each page loop; `Err` describes the first failure.
fn run_program(name: &str) -> Result<Option<ExitStatus>, String> {
    let elf = build(name)?;
    let mut status = None;
    for page_loop in page_loops() {
        status = run_program_on(Path::new(env!("CARGO_BIN_EXE_emu")), name, &elf, page_loop)?;
    }
    Ok(status)
}

/// Runs the program `name`, built as `elf`, on emu binary `bin` with its page loop `page_loop`.
fn run_program_on(
    bin: &Path,
    name: &str,
    elf: &Path,
    page_loop: PageLoop,
) -> Result<Option<ExitStatus>, String> {
    let run = run_emu_bin(bin, elf, page_loop)?;
    if run.status.is_some_and(|s| s.success()) {
        return Ok(run.status);
    }
    Err(format!(
        "{name} on the {} page loop: {}\n  program: tests/isa/{name}.S (elf: {})\n  stdout (tail):\n{}\n  stderr (tail):\n{}",
        page_loop.name(),
        describe(run.status, &run.stderr),
        elf.display(),
        tail(&run.stdout, 2000),
        tail(&run.stderr, 4000),
    ))
}

fn check_program(name: &str) {
    if let Err(msg) = run_program(name) {
        panic!("ISA test program failed:\n{msg}");
    }
}

/// Every `tests/isa/*.S` has its `#[test]` above, and every listed program exists.
#[test]
fn program_list_matches_files() {
    let dir = src_dir();
    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let is_asm = path.extension().and_then(|e| e.to_str()) == Some("S");
            is_asm.then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = PROGRAMS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    let missing: Vec<&String> = on_disk.iter().filter(|n| !listed.contains(n)).collect();
    let stale: Vec<&String> = listed.iter().filter(|n| !on_disk.contains(n)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "tests/isa.rs: the isa_programs! list is out of date.\n  \
         add (have a .S, no test): {missing:?}\n  remove (listed, no .S): {stale:?}"
    );
}

/// The binary a plain stable compiler builds (`RUSTC_BOOTSTRAP=0 cargo build --release`) has the
/// portable page loop alone, and every program passes on it.
#[test]
fn every_program_passes_on_a_plain_stable_build() {
    let bin = common::stable_emu();
    let threaded = Command::new(bin)
        .args(["--page-loop", "threaded", "no-such.elf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&threaded.stderr);
    assert_eq!(threaded.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no threaded page loop"), "{stderr}");
    let failures: Vec<String> = PROGRAMS
        .iter()
        .filter_map(|name| {
            build(name)
                .and_then(|elf| run_program_on(bin, name, &elf, PageLoop::Portable))
                .err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness can see a failure: a program whose case 7 fails makes emu exit with status 7.
#[test]
fn failing_program_reports_its_case_number() {
    let dir = out_dir();
    let src = dir.join("harness_fail7.S");
    let program = "#include \"test.h\"\n\
                   TEST_BEGIN\n\
                   \x20   TEST_CASE(2, a0, 5, li a0, 5)\n\
                   \x20   TEST_CASE(7, a0, 1, li a0, 2)\n\
                   \x20   TEST_CASE(8, a0, 8, li a0, 8)\n\
                   TEST_END\n";
    fs::write(&src, program).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let elf = dir.join("harness_fail7.elf");
    if let Err(msg) = assemble(&src, &elf) {
        panic!("{msg}");
    }
    for page_loop in page_loops() {
        let run = run_emu(&elf, page_loop).unwrap_or_else(|msg| panic!("{msg}"));
        let code = run.status.and_then(|s| s.code());
        assert_eq!(
            code,
            Some(7),
            "a program failing case 7 should make emu exit with status 7 on the {} page loop, \
             got: {}\n  stderr:\n{}",
            page_loop.name(),
            describe(run.status, &run.stderr),
            tail(&run.stderr, 4000),
        );
    }
}
