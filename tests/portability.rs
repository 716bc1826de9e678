//! What makes emu buildable anywhere: no C in what it ships, libraries that a crate outside this
//! tree builds and runs on plain stable Rust, and packages that crates.io would take.

mod common;

use common::*;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Crates that exist to build C (or C++) code or to find a C library.
const C_BUILDERS: &[&str] = &["cc", "cmake", "pkg-config", "bindgen", "vcpkg", "autotools"];
/// `-sys` crates that are Rust bindings only, with no C to build.
const PURE_SYS: &[&str] = &["linux-raw-sys", "windows-sys"];

/// `cargo tree -e normal,build` of every crate of the workspace, for every target: nothing in it
/// builds C, so a machine with only Rust (and a linker) builds emu, on any OS. (SoftFloat, in C,
/// is a dev-dependency: the FP tests' oracle.)
#[test]
fn what_emu_ships_builds_no_c() {
    let out = cargo()
        .args([
            "tree",
            "--workspace",
            "-e",
            "normal,build",
            "--target",
            "all",
        ])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cannot run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(
        names.contains(&"emu-cpu") && names.contains(&"clap"),
        "{tree}"
    );
    let c: Vec<&&str> = names
        .iter()
        .filter(|n| {
            C_BUILDERS.contains(n)
                || (n.ends_with("-sys") && !PURE_SYS.contains(n))
                || n.starts_with("softfloat")
        })
        .collect();
    assert!(c.is_empty(), "C builds in what emu ships: {c:?}");
}

/// `examples/embed.rs`, as the README offers it to library users, in a crate of its own outside
/// this tree (so without its `.cargo/config.toml`) that depends on emu-machine by path, built and
/// run with no `RUSTC_BOOTSTRAP`: on plain stable it gets the portable page loop and boots Linux.
#[test]
fn a_crate_outside_the_tree_builds_and_runs_a_machine_on_plain_stable() {
    let images = images();
    let dir = std::env::temp_dir().join(format!("emu-outside-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    assert!(
        !dir.starts_with(repo()),
        "{} must be outside the tree",
        dir.display()
    );
    let manifest = format!(
        "[package]\nname = \"emu-outside\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\nemu-machine = {{ path = {:?} }}\n\n[workspace]\n",
        repo().join("machine")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(repo().join("examples/embed.rs"), dir.join("src/main.rs")).unwrap();
    // The same versions as this tree's, so nothing new is fetched.
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outside");
    let out = cargo()
        .current_dir(&dir)
        .env_remove("RUSTC_BOOTSTRAP")
        .args(["run", "--release", "--target-dir"])
        .arg(&target)
        .arg("--")
        .args([&images.kernel, &images.initramfs])
        .output()
        .expect("cannot run cargo");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("run on the portable page loop"), "{stdout}");
    assert!(stdout.contains("Linux riscv64"), "{stdout}");
    assert!(stdout.contains("done-42"), "{stdout}");
}

/// Every crate of the workspace packages and builds from its package as crates.io would take it
/// (`cargo publish --workspace --dry-run`: metadata, the files each needs, a build of each).
#[test]
fn the_crates_publish() {
    forget_unpacked_packages();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("publish");
    // Cargo takes a registry package's build as final for its name and version: the emu crates'
    // builds from an earlier run would stand in for the new sources.
    let clean = cargo()
        .args(["clean", "--target-dir"])
        .arg(&target)
        .args([
            "-p",
            "emu",
            "-p",
            "emu-mmu",
            "-p",
            "emu-cpu",
            "-p",
            "emu-devices",
        ])
        .args(["-p", "emu-firmware", "-p", "emu-machine"])
        .output()
        .expect("cannot run cargo clean");
    assert!(
        clean.status.success(),
        "cargo clean: {}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let out = cargo()
        .args(["publish", "--workspace", "--dry-run", "--allow-dirty"])
        .arg("--target-dir")
        .arg(&target)
        .output()
        .expect("cannot run cargo publish");
    assert!(
        out.status.success(),
        "cargo publish --workspace --dry-run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Removes the sources an earlier dry run unpacked from its temporary local registry into
/// `$CARGO_HOME/registry/src/-HASH/emu-*-VERSION` (local registries are the ones whose folder
/// starts with `-`; crates.io's is `index.crates.io-HASH`). Cargo unpacks a name and version only
/// once per registry path, so without this a second run would verify the first run's sources.
fn forget_unpacked_packages() {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for unpacked in std::fs::read_dir(registry.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if unpacked.file_name().to_string_lossy().starts_with("emu-") {
                std::fs::remove_dir_all(unpacked.path())
                    .unwrap_or_else(|e| panic!("cannot remove {}: {e}", unpacked.path().display()));
            }
        }
    }
}
