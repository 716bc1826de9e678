//! The short fuzz pass: every fuzz target of `fuzz/` (see fuzz/README.md) runs for a while
//! (`EMU_FUZZ_SECONDS`, 60 s by default) from its seeds, after replaying every input of
//! `fuzz/regressions/TARGET/` (the crashes found so far, which must stay fixed).
//!
//! It needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and builds the targets with
//! AddressSanitizer through `RUSTC_BOOTSTRAP=1` on the stable toolchain (fuzz/README.md says
//! why); without cargo-fuzz the tests fail, saying so. `EMU_FUZZ_SECONDS=0` only replays the
//! regressions.
//!
//! A finding fails the test with libFuzzer's report and the path of the crashing input; copy it
//! into `fuzz/regressions/TARGET/` once fixed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const DEFAULT_SECONDS: u64 = 60;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// `cargo fuzz ARGS` in fuzz/, with its own target directory (never the one the tests were
/// built in, which the outer cargo may hold locked) and AddressSanitizer enabled on stable.
fn cargo_fuzz(args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .arg("fuzz")
        .args(args)
        .current_dir(fuzz_dir())
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", fuzz_dir().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Builds every target once (the tests of this file share it).
fn build() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let version = cargo_fuzz(&["--version"]);
        if !version.status.success() {
            return Err(format!(
                "cargo-fuzz is not installed, and the fuzz tests need it: \
                 `cargo install cargo-fuzz --locked` (then run the tests again)\n{}",
                tail(&text(&version), 5)
            ));
        }
        let out = cargo_fuzz(&["build", "--sanitizer", "address", "--debug-assertions"]);
        if !out.status.success() {
            return Err(format!(
                "cargo fuzz build failed ({}):\n{}",
                out.status,
                tail(&text(&out), 40)
            ));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn seconds() -> u64 {
    match std::env::var("EMU_FUZZ_SECONDS") {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("EMU_FUZZ_SECONDS={s:?} is not a number of seconds")),
        Err(_) => DEFAULT_SECONDS,
    }
}

/// Replays the target's regressions, then fuzzes it for `seconds()` from its seeds.
fn fuzz(target: &str) {
    build();
    let dir = fuzz_dir();
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-artifacts")
        .join(target);
    std::fs::create_dir_all(&artifacts).unwrap();
    let artifact_prefix = format!("-artifact_prefix={}/", artifacts.display());
    let common = ["--sanitizer", "address", "--debug-assertions", target];

    let regressions = dir.join("regressions").join(target);
    if regressions.is_dir() {
        let dirs = [regressions.to_str().unwrap()];
        let mut args: Vec<&str> = vec!["run"];
        args.extend(common);
        args.extend(dirs);
        args.extend(["--", "-runs=0", &artifact_prefix]);
        let out = cargo_fuzz(&args);
        assert!(
            out.status.success(),
            "{target}: a regression input crashes again ({}):\n{}",
            out.status,
            tail(&text(&out), 60)
        );
    }

    let seconds = seconds();
    if seconds == 0 {
        return;
    }
    // A fresh corpus each time (libFuzzer adds what it finds to the first directory), grown
    // from the checked-in seeds.
    let corpus = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-corpus")
        .join(target);
    let _ = std::fs::remove_dir_all(&corpus);
    std::fs::create_dir_all(&corpus).unwrap();
    let seeds = dir.join("seeds").join(target);
    let max_time = format!("-max_total_time={seconds}");
    let mut args: Vec<&str> = vec!["run"];
    args.extend(common);
    args.push(corpus.to_str().unwrap());
    if seeds.is_dir() {
        args.push(seeds.to_str().unwrap());
    }
    args.extend([
        "--",
        &max_time,
        "-timeout=10",
        "-print_final_stats=1",
        &artifact_prefix,
    ]);
    let out = cargo_fuzz(&args);
    let report = text(&out);
    assert!(
        out.status.success(),
        "{target}: libFuzzer found a problem ({}); the crashing input is in {}:\n{}",
        out.status,
        artifacts.display(),
        tail(&report, 80)
    );
    // The run's numbers, for the test log.
    for line in report.lines() {
        if line.starts_with("stat::number_of_executed_units") || line.starts_with("Done ") {
            eprintln!("{target}: {line}");
        }
    }
}

#[test]
fn fuzz_exec() {
    fuzz("exec");
}

#[test]
fn fuzz_virtio() {
    fuzz("virtio");
}

#[test]
fn fuzz_loaders() {
    fuzz("loaders");
}

#[test]
fn fuzz_mmio() {
    fuzz("mmio");
}

#[test]
fn fuzz_monitor() {
    fuzz("monitor");
}
