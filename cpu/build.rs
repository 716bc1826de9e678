//! Decides whether the threaded page loop is compiled (`cfg(threaded_loop)`).
//!
//! The threaded loop needs guaranteed tail calls (`become`, the unstable `explicit_tail_calls`;
//! see src/threaded.rs). A compiler accepts them if it is a nightly one, or a stable one told
//! to with `RUSTC_BOOTSTRAP=1` (this tree's `.cargo/config.toml` does). So the build asks the
//! compiler itself: it compiles a small program that uses the feature, with the same compiler,
//! flags and environment as the crate. If that fails (plain stable, as for a crate outside this
//! tree that depends on emu's libraries), only the portable loop is built (src/portable.rs).

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// A program that uses the two unstable features the crate uses when it can: guaranteed tail
/// calls for the loop, and `variant_count` for a test of its tables.
const PROBE: &str = r#"
#![feature(explicit_tail_calls, variant_count)]
#![allow(incomplete_features)]
pub fn down(n: u64) -> u64 {
    if n == 0 {
        return std::mem::variant_count::<Option<u8>>() as u64;
    }
    become down(n - 1)
}
"#;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(threaded_loop)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTC_BOOTSTRAP");
    if tail_calls_accepted() {
        println!("cargo::rustc-cfg=threaded_loop");
    } else {
        println!(
            "cargo::warning=this compiler does not accept guaranteed tail calls: emu-cpu builds \
             its portable page loop only (RUSTC_BOOTSTRAP=1 or a nightly compiler builds the \
             faster threaded one)"
        );
    }
}

/// Whether the compiler builds [`PROBE`].
fn tail_calls_accepted() -> bool {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let source = out.join("tail_call_probe.rs");
    if std::fs::write(&source, PROBE).is_err() {
        return false;
    }
    let mut cmd = match env::var_os("RUSTC_WRAPPER") {
        Some(wrapper) if !wrapper.is_empty() => {
            let mut cmd = Command::new(wrapper);
            cmd.arg(&rustc);
            cmd
        }
        _ => Command::new(&rustc),
    };
    // The crate's own flags (a target, codegen options) apply to the probe too.
    if let Ok(flags) = env::var("CARGO_ENCODED_RUSTFLAGS") {
        cmd.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    }
    if let Ok(target) = env::var("TARGET") {
        cmd.arg("--target").arg(target);
    }
    cmd.arg("--edition=2021")
        .arg("--crate-type=lib")
        // Through code generation: a target may parse `become` and still not lower it.
        .arg("--emit=obj")
        .arg("--out-dir")
        .arg(&out)
        .arg(&source)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.status().map(|s| s.success()).unwrap_or(false)
}
